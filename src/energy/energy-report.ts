/**
 * Prices a counter snapshot: a pure function of (CounterSnapshot, chip, tech table).
 *
 *   E_dyn(component) = sum over counters e priced to that component of count_e * price_e
 *   E_clock          = sum over counters priced to 'clock' of count_e * price_e
 *   E_static         = P_leak (pW) * cycles / clockHz (s)          [pW * s = pJ]
 *   E_total          = sum of E_dyn + E_clock + E_static
 *   per sample       = E_total / samples;  latency = cycles / samples / clockHz
 *   pJ per synaptic op = E_total / synapticOps (all-in), and E_compute / synapticOps
 *     with E_compute = weight SRAM + XNOR/popcount + accumulators (marginal datapath)
 *   EDP per sample   = (E_total / samples) * latency
 *   pJ per hop       = (router buffers + crossbar) / crossbar traversals + links / link flits
 *                      (+ router clock / crossbar traversals)
 */
import { checkSnapshot, COUNTER_CATALOG } from '../sim/counter-catalog';
import type { ComponentKind, CounterSnapshot } from '../sim/counter-catalog';
import type { TechTable } from './tech-table';
import type { EnergyChip } from './chip-view';
import { unicastFlitBitsFor } from './chip-view';
import { areaReport } from './area';
import { ENERGY_COMPONENTS, eventPrices, isPriced, PRICE_RULES } from './event-prices';
import type { EnergyComponent, PriceVector } from './event-prices';
import { leakagePower, totalLeakage } from './leakage';
import type { LeakagePower } from './leakage';
import type { StorageOptions } from './storage';

/** Options of a pricing. */
export interface EnergyOptions {
  /** Registers the experiment adds (free states, biases): they leak. */
  storage: StorageOptions;
  /** Cycle count to use when the snapshot has no chip.cycles (functional engines: an estimate). */
  cycles?: number;
}

/** The priced energy of a snapshot. All energies in pJ. */
export interface EnergyReport {
  tech: { name: string; file: string };
  chip: { name: string; file: string };
  /** Component kinds with no counts in the snapshot (their energy is absent, not zero). */
  missingKinds: ComponentKind[];
  /** Where the cycle count came from. */
  cyclesFrom: 'snapshot' | 'estimate';
  cycles: number;
  seconds: number;
  samples: number;
  synapticOps: number;
  /** Dynamic energy (without clock) by component. */
  byComponentPJ: Record<EnergyComponent, number>;
  /** Energy by counter ("kind.counter"), priced counters only. */
  byEventPJ: Record<string, number>;
  /** Price per count used ("kind.counter" -> pJ). */
  pricesPJ: PriceVector;
  dynamicPJ: number;
  clockPJ: number;
  /** Leakage power by part, W. */
  leakageW: { sram: number; flops: number; routers: number; total: number };
  staticPJ: number;
  totalPJ: number;
  perSamplePJ: number;
  /** Total / synaptic ops (leakage, clock, NoC, I/O included). */
  pJPerSynapticOpAllIn: number;
  /** (weight SRAM + XNOR/popcount + accumulators) / synaptic ops. */
  pJPerSynapticOpCompute: number;
  /** One router traversal plus one link traversal: (router buffers + crossbar) / crossbar traversals + links / link flits. */
  pJPerHop: number;
  /** pJPerHop plus the router clock per crossbar traversal. */
  pJPerHopWithClock: number;
  /** Link energy multicast trees avoided: router.multicastFlitsSaved x bits of a unicast flit x the linkBits price (not part of the total). */
  multicastSavedPJ: number;
  averagePowerW: number;
  latencyPerSampleS: number;
  /** Energy per sample x latency per sample, J*s. */
  edpPerSampleJs: number;
  /** Share of the total per component, plus "static". */
  share: Record<string, number>;
}

/** Sum every counter of a snapshot over components of the same kind ("kind.counter" -> count). */
export function totalCounts(s: CounterSnapshot): Record<string, number> {
  checkSnapshot(s);
  const out: Record<string, number> = {};
  for (const comp of Object.values(s.components)) {
    for (const [name, n] of Object.entries(comp.counts)) {
      const key = `${comp.kind}.${name}`;
      out[key] = (out[key] ?? 0) + n;
    }
  }
  return out;
}

/** Kinds that appear in a snapshot. */
function presentKinds(s: CounterSnapshot): Set<ComponentKind> {
  return new Set(Object.values(s.components).map((c) => c.kind));
}

/** Dynamic and clock energy of counts at given prices: linear in both. */
export function priceCounts(counts: Record<string, number>, prices: PriceVector): { byEvent: Record<string, number>; byComponent: Record<EnergyComponent, number> } {
  const byComponent = Object.fromEntries(ENERGY_COMPONENTS.map((c) => [c, 0])) as Record<EnergyComponent, number>;
  const byEvent: Record<string, number> = {};
  for (const kind of Object.keys(COUNTER_CATALOG) as ComponentKind[]) {
    for (const d of COUNTER_CATALOG[kind]) {
      const rule = PRICE_RULES[kind][d.name];
      if (rule === undefined || !isPriced(rule)) continue;
      const key = `${kind}.${d.name}`;
      const price = prices[key];
      if (price === undefined) throw new Error(`no price for counter ${key}`);
      const e = (counts[key] ?? 0) * price;
      byEvent[key] = e;
      byComponent[rule.component] += e;
    }
  }
  return { byEvent, byComponent };
}

function wattsOf(l: LeakagePower): EnergyReport['leakageW'] {
  return { sram: l.sram * 1e-12, flops: l.flops * 1e-12, routers: l.routers * 1e-12, total: totalLeakage(l) * 1e-12 };
}

/** Price a counter snapshot on a chip with a technology table. */
export function energyReport(s: CounterSnapshot, chip: EnergyChip, tech: TechTable, opts: EnergyOptions): EnergyReport {
  const counts = totalCounts(s);
  const kinds = presentKinds(s);
  const missingKinds = (Object.keys(COUNTER_CATALOG) as ComponentKind[]).filter((k) => !kinds.has(k));
  const area = areaReport(chip, tech, opts.storage);
  const prices = eventPrices({ chip, tech, tilePitchMm: area.tilePitchMm });
  const { byEvent, byComponent } = priceCounts(counts, prices);
  let cycles = counts['chip.cycles'];
  let cyclesFrom: EnergyReport['cyclesFrom'] = 'snapshot';
  if (cycles === undefined || !kinds.has('chip') || (cycles === 0 && opts.cycles !== undefined)) {
    if (opts.cycles === undefined) throw new Error('static energy needs a cycle count: the snapshot has no chip.cycles and no estimate was given');
    cycles = opts.cycles;
    cyclesFrom = 'estimate';
  }
  const clockHz = chip.params.clockHz;
  const seconds = cycles / clockHz;
  const leak = leakagePower(chip, tech, opts.storage);
  const staticPJ = totalLeakage(leak) * seconds;
  const clockPJ = byComponent.clock;
  let dynamicPJ = 0;
  for (const c of ENERGY_COMPONENTS) if (c !== 'clock') dynamicPJ += byComponent[c];
  const totalPJ = dynamicPJ + clockPJ + staticPJ;
  const samples = counts['chip.samples'] ?? 0;
  const synapticOps = counts['core.synapticOps'] ?? 0;
  const perSamplePJ = samples > 0 ? totalPJ / samples : NaN;
  const latencyPerSampleS = samples > 0 ? seconds / samples : NaN;
  const compute = byComponent.weightSram + byComponent.xnorPopcount + byComponent.accumulators;
  const traversals = counts['router.crossbarTraversals'] ?? 0;
  const links = counts['router.linkFlits'] ?? 0;
  const routerPJ = byComponent.routerBuffers + byComponent.crossbar;
  const share: Record<string, number> = {};
  for (const c of ENERGY_COMPONENTS) share[c] = totalPJ > 0 ? byComponent[c] / totalPJ : 0;
  share['static'] = totalPJ > 0 ? staticPJ / totalPJ : 0;
  return {
    tech: { name: tech.name, file: tech.file },
    chip: { name: chip.params.name, file: chip.file },
    missingKinds,
    cyclesFrom,
    cycles,
    seconds,
    samples,
    synapticOps,
    byComponentPJ: byComponent,
    byEventPJ: byEvent,
    pricesPJ: prices,
    dynamicPJ,
    clockPJ,
    leakageW: wattsOf(leak),
    staticPJ,
    totalPJ,
    perSamplePJ,
    pJPerSynapticOpAllIn: synapticOps > 0 ? totalPJ / synapticOps : NaN,
    pJPerSynapticOpCompute: synapticOps > 0 ? compute / synapticOps : NaN,
    pJPerHop: traversals > 0 && links > 0 ? routerPJ / traversals + byComponent.links / links : NaN,
    pJPerHopWithClock: traversals > 0 && links > 0 ? (routerPJ + (byEvent['router.activeCycles'] ?? 0)) / traversals + byComponent.links / links : NaN,
    multicastSavedPJ: (counts['router.multicastFlitsSaved'] ?? 0) * unicastFlitBitsFor(chip.params, chip.split) * (prices['router.linkBits'] ?? 0),
    averagePowerW: seconds > 0 ? (totalPJ * 1e-12) / seconds : NaN,
    latencyPerSampleS,
    edpPerSampleJs: perSamplePJ * 1e-12 * latencyPerSampleS,
    share,
  };
}
