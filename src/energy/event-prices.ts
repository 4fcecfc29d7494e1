/**
 * The one place where every counter of src/sim/counter-catalog.ts gets a price
 * (pJ per count) from a technology table, or is declared free with the reason.
 * A catalog counter missing here is an error naming the counter and the table.
 *
 *   SRAM word read  E_r(S, w) = readAnchor  * (S / anchorBytes)^readSizeExponent  * (w / anchorWordBits)^readWidthExponent
 *   SRAM word write E_w(S, w) = writeAnchor * (S / anchorBytes)^writeSizeExponent * (w / anchorWordBits)^writeWidthExponent
 *     S = bits of one macro (capacity / banks), w = sram.wordBits
 *   router flit     E_f(w) = routerFlit32 + (w - 32) * (routerFlit64 - routerFlit32) / 32, at least 0
 *     (linear in flit width through DSENT's two points); split into
 *     buffer write = buffer read = w * registerWritePerBit, crossbar = max(0, E_f(w) - 2 * w * registerWritePerBit)
 *   link bit        = linkPerBitPerMm * tile pitch (mm, from area.ts)
 */
import { COUNTER_CATALOG } from '../sim/counter-catalog';
import type { ComponentKind } from '../sim/counter-catalog';
import { techValue } from './tech-table';
import type { TechTable } from './tech-table';
import { counterMacroBits, datapathClockedBits, eccXorGates, storedWordBits, weightMacroBits } from './chip-view';
import type { EnergyChip } from './chip-view';

/** Where a priced event's energy is reported. */
export type EnergyComponent =
  | 'weightSram'
  | 'counterSram'
  | 'xnorPopcount'
  | 'accumulators'
  | 'neuronState'
  | 'plasticityLogic'
  | 'spikeTransport'
  | 'routerBuffers'
  | 'crossbar'
  | 'links'
  | 'io'
  | 'clock';

/** All dynamic components in report order. */
export const ENERGY_COMPONENTS: readonly EnergyComponent[] = [
  'weightSram',
  'counterSram',
  'xnorPopcount',
  'accumulators',
  'neuronState',
  'plasticityLogic',
  'spikeTransport',
  'routerBuffers',
  'crossbar',
  'links',
  'io',
  'clock',
];

/** Context a price is computed from. */
export interface PriceContext {
  chip: EnergyChip;
  tech: TechTable;
  /** Link length between neighbour routers, mm. */
  tilePitchMm: number;
}

/** A priced counter: energy per count and the component it belongs to. */
export interface PricedRule {
  component: EnergyComponent;
  /** pJ per count. */
  price: (x: PriceContext) => number;
  /** The rule, for docs and reports. */
  rule: string;
}

/** A counter that by declaration costs nothing, with the reason. */
export interface FreeRule {
  free: string;
}

export type PriceRule = PricedRule | FreeRule;

const v = techValue;

/** SRAM word read energy (pJ) of a macro of `macroBits` bits and `wordBits` words. */
export function sramReadPJ(t: TechTable, macroBits: number, wordBits: number): number {
  return (
    v(t, 'sram.readAnchor') *
    (macroBits / v(t, 'sram.anchorBytes')) ** v(t, 'sram.readSizeExponent') *
    (wordBits / v(t, 'sram.anchorWordBits')) ** v(t, 'sram.readWidthExponent')
  );
}

/** SRAM word write energy (pJ) of a macro of `macroBits` bits and `wordBits` words. */
export function sramWritePJ(t: TechTable, macroBits: number, wordBits: number): number {
  return (
    v(t, 'sram.writeAnchor') *
    (macroBits / v(t, 'sram.anchorBytes')) ** v(t, 'sram.writeSizeExponent') *
    (wordBits / v(t, 'sram.anchorWordBits')) ** v(t, 'sram.writeWidthExponent')
  );
}

/** Whole-router traversal energy of one flit of `bits` bits (pJ), linear through DSENT's 32- and 64-bit points. */
export function routerFlitPJ(t: TechTable, bits: number): number {
  const e32 = v(t, 'noc.routerFlit32');
  const e64 = v(t, 'noc.routerFlit64');
  return Math.max(0, e32 + ((bits - 32) * (e64 - e32)) / 32);
}

function bufferPJ(x: PriceContext): number {
  return x.chip.packetBits * v(x.tech, 'logic.registerWritePerBit');
}

const core = (x: PriceContext) => x.chip.params.core;

/** SECDED encoder or decoder energy of one SRAM word access (0 without ECC), pJ. */
function eccPJ(x: PriceContext, kind: 'encode' | 'decode'): number {
  return eccXorGates(x.chip)[kind] * v(x.tech, 'logic.xnorPerBit');
}

/** Price rule of every catalog counter, by component kind. */
export const PRICE_RULES: Readonly<Record<ComponentKind, Readonly<Record<string, PriceRule>>>> = {
  core: {
    weightSramReads: {
      component: 'weightSram',
      price: (x) => sramReadPJ(x.tech, weightMacroBits(x.chip), storedWordBits(x.chip)) + eccPJ(x, 'decode'),
      rule: 'E_r(capacityBits / banks * f, wordBits + c) + decoder XORs * xnorPerBit (f = (wordBits + c) / wordBits, c = SECDED check bits, 0 without ECC)',
    },
    weightSramWrites: {
      component: 'weightSram',
      price: (x) => sramWritePJ(x.tech, weightMacroBits(x.chip), storedWordBits(x.chip)) + eccPJ(x, 'encode'),
      rule: 'E_w(capacityBits / banks * f, wordBits + c) + encoder XORs * xnorPerBit',
    },
    counterSramReads: {
      component: 'counterSram',
      price: (x) => sramReadPJ(x.tech, counterMacroBits(x.chip), storedWordBits(x.chip)) + eccPJ(x, 'decode'),
      rule: 'E_r(counterCapacityBits / banks * f, wordBits + c) + decoder XORs * xnorPerBit',
    },
    counterSramWrites: {
      component: 'counterSram',
      price: (x) => sramWritePJ(x.tech, counterMacroBits(x.chip), storedWordBits(x.chip)) + eccPJ(x, 'encode'),
      rule: 'E_w(counterCapacityBits / banks * f, wordBits + c) + encoder XORs * xnorPerBit',
    },
    xnorWords: {
      component: 'xnorPopcount',
      price: (x) => core(x).sram.wordBits * (v(x.tech, 'logic.xnorPerBit') + v(x.tech, 'logic.popcountPerInputBit')),
      rule: 'wordBits * (xnorPerBit + popcountPerInputBit)',
    },
    synapticOps: { free: 'a statistic: the work of a synapse is priced by xnorWords and the SRAM reads; used as the denominator of pJ per synaptic op' },
    accumulatorAdds: {
      component: 'accumulators',
      price: (x) => core(x).accumulatorBits * (v(x.tech, 'logic.adderPerBit') + v(x.tech, 'logic.registerWritePerBit')),
      rule: 'accumulatorBits * (adderPerBit + registerWritePerBit)',
    },
    accumulatorSaturations: { free: 'the clip is a multiplexer inside the add already priced by accumulatorAdds' },
    stateUpdates: {
      component: 'neuronState',
      price: (x) => core(x).stateBits * v(x.tech, 'logic.registerWritePerBit'),
      rule: 'stateBits * registerWritePerBit (the add itself is one of accumulatorAdds)',
    },
    spikes: {
      component: 'neuronState',
      price: (x) => v(x.tech, 'logic.registerWritePerBit'),
      rule: '1 * registerWritePerBit (the spike bit register toggles)',
    },
    packetsInjected: {
      component: 'spikeTransport',
      price: (x) => 2 * bufferPJ(x),
      rule: '2 * packetBits * registerWritePerBit (output queue write and read)',
    },
    multicastPackets: { free: 'a statistic: each is one of packetsInjected, priced at the buffer width (the widest flit), and the routers price its tree' },
    partialSumPackets: { free: 'a statistic: the packets are priced per flit by partialSumFlits and the routers' },
    partialSumFlits: {
      component: 'spikeTransport',
      price: (x) => 2 * bufferPJ(x),
      rule: '2 * packetBits * registerWritePerBit (output queue write and read of one flit)',
    },
    partialSumAdds: {
      component: 'accumulators',
      price: (x) => core(x).accumulatorBits * (v(x.tech, 'logic.adderPerBit') + v(x.tech, 'logic.registerWritePerBit')),
      rule: 'accumulatorBits * (adderPerBit + registerWritePerBit)',
    },
    postSpikePackets: { free: 'a statistic: the packets are priced per flit by postSpikeFlits and the routers' },
    postSpikeFlits: {
      component: 'spikeTransport',
      price: (x) => 2 * bufferPJ(x),
      rule: '2 * packetBits * registerWritePerBit (output queue write and read of one flit)',
    },
    postSpikeWrites: {
      component: 'spikeTransport',
      price: (x) => 2 * v(x.tech, 'logic.registerWritePerBit'),
      rule: '2 * registerWritePerBit (the two phases\' post-synaptic spike bits)',
    },
    axonWrites: {
      component: 'spikeTransport',
      price: (x) => v(x.tech, 'logic.registerWritePerBit'),
      rule: '1 * registerWritePerBit (one axon register bit)',
    },
    plasticityUpdates: {
      component: 'plasticityLogic',
      price: (x) => core(x).counterBits * v(x.tech, 'logic.counterPerBit'),
      rule: 'counterBits * counterPerBit (the counter words themselves are counterSram reads/writes)',
    },
    weightFlips: { free: 'a flip changes a bit of a weight word whose write is already priced by weightSramWrites' },
    sramReadFlips: { free: 'a soft error changes a bit of a read already priced by weightSramReads' },
    sramReadFlipsCorrected: { free: 'the SECDED decoder that corrects it is priced per access with the read' },
    learnReadFlips: { free: 'a soft error of a learning-phase read already priced by weightSramReads and counterSramReads' },
    freeStateWrites: {
      component: 'neuronState',
      price: (x) => core(x).stateBits * v(x.tech, 'logic.registerWritePerBit'),
      rule: 'stateBits * registerWritePerBit (one stored free state per write)',
    },
    biasBitWrites: {
      component: 'neuronState',
      price: (x) => v(x.tech, 'logic.registerWritePerBit'),
      rule: '1 * registerWritePerBit (one bias register bit; the add is a few gates beside it, not priced)',
    },
    queueStalls: { free: 'a stalled cycle does no work; its leakage is charged by time and its clock is gated' },
    activeCycles: {
      component: 'clock',
      price: (x) => datapathClockedBits(x.chip) * v(x.tech, 'logic.flopClockPerBitCycle'),
      rule: '(pipelineDepth * wordBits * banks + accumulatorBits) * flopClockPerBitCycle (datapath registers clocked while active)',
    },
    idleCycles: { free: 'the datapath clock is gated when idle; leakage is charged by time' },
  },
  router: {
    bufferWrites: { component: 'routerBuffers', price: bufferPJ, rule: 'packetBits * registerWritePerBit' },
    bufferReads: { component: 'routerBuffers', price: bufferPJ, rule: 'packetBits * registerWritePerBit (read taken as a write: upper bound)' },
    crossbarTraversals: {
      component: 'crossbar',
      price: (x) => Math.max(0, routerFlitPJ(x.tech, x.chip.packetBits) - 2 * bufferPJ(x)),
      rule: 'max(0, E_f(packetBits) - 2 * packetBits * registerWritePerBit): the DSENT router flit energy less the buffer write and read',
    },
    arbitrationConflicts: { free: 'allocation energy is inside the DSENT per-flit figure priced by crossbarTraversals' },
    creditStalls: { free: 'a held flit does no work; its buffer is already paid' },
    linkFlits: { free: 'links are priced per bit by linkBits' },
    linkBits: {
      component: 'links',
      price: (x) => v(x.tech, 'noc.linkPerBitPerMm') * x.tilePitchMm,
      rule: 'linkPerBitPerMm * tile pitch (mm)',
    },
    packetsEjected: { free: 'ejection is a crossbar traversal to the local port (crossbarTraversals) and an axon write (core axonWrites)' },
    multicastFlitsSaved: { free: 'a saving, not an event: the energy report prices it as the link energy the unicast copies would have cost' },
    activeCycles: {
      component: 'clock',
      price: (x) => v(x.tech, 'noc.routerClockPerCycle'),
      rule: 'routerClockPerCycle (router clock gated when no flit is buffered)',
    },
  },
  io: {
    flitsIn: { free: 'priced per bit by bitsIn' },
    flitsOut: { free: 'priced per bit by bitsOut' },
    bitsIn: { component: 'io', price: (x) => v(x.tech, 'io.perBit'), rule: 'io.perBit' },
    bitsOut: { component: 'io', price: (x) => v(x.tech, 'io.perBit'), rule: 'io.perBit' },
  },
  chip: {
    cycles: { free: 'priced through leakage x cycles / clockHz (static energy)' },
    samples: { free: 'bookkeeping: divides totals into per-sample figures' },
    steps: { free: 'bookkeeping' },
    learningPhases: { free: 'bookkeeping; the learning work is in the SRAM and plasticity counters' },
    packetsUndeliverable: { free: 'never sent: the fan-out tables leave out destinations behind a dead router or link' },
  },
};

/** True when a rule prices its counter. */
export function isPriced(r: PriceRule): r is PricedRule {
  return (r as PricedRule).component !== undefined;
}

/** pJ per count of every priced counter, keyed "kind.counter". */
export type PriceVector = Record<string, number>;

/**
 * Evaluate every price for a chip and table. Throws naming the counter and the table
 * when a catalog counter has no rule (neither a price nor an explicit "free").
 */
export function eventPrices(x: PriceContext): PriceVector {
  const out: PriceVector = {};
  for (const kind of Object.keys(COUNTER_CATALOG) as ComponentKind[]) {
    for (const d of COUNTER_CATALOG[kind]) {
      const r = PRICE_RULES[kind][d.name];
      if (r === undefined) {
        throw new Error(`counter ${kind}.${d.name} has no price in technology table ${x.tech.name} (${x.tech.file}) and is not declared free in src/energy/event-prices.ts`);
      }
      if (isPriced(r)) {
        const p = r.price(x);
        if (!Number.isFinite(p) || p < 0) throw new Error(`counter ${kind}.${d.name}: price ${p} pJ from ${x.tech.file} is not a finite non-negative energy`);
        out[`${kind}.${d.name}`] = p;
      }
    }
  }
  return out;
}
