import * as path from 'path';
import fc from 'fast-check';
import { COUNTER_CATALOG } from '../../../src/sim/counter-catalog';
import type { ComponentKind, CounterSnapshot } from '../../../src/sim/counter-catalog';
import { loadChipFile } from '../../../src/hw/chip-file';
import { loadTechTable } from '../../../src/energy/tech-table';
import type { TechTable } from '../../../src/energy/tech-table';
import { energyChip } from '../../../src/energy/chip-view';
import { areaReport } from '../../../src/energy/area';
import { eventPrices, isPriced, PRICE_RULES } from '../../../src/energy/event-prices';
import { energyReport, priceCounts, totalCounts } from '../../../src/energy/energy-report';
import { TECH_ENTRIES, entryPath } from '../../../src/energy/tech-schema';
import { CHIP_ONLY } from '../../../src/energy/storage';

const TECH = (n: string): TechTable => loadTechTable(path.resolve(__dirname, '../../../hw/tech', `${n}.json`));
const TABLES = ['28nm-bulk', '22nm-fdsoi', '7nm'].map(TECH);
const chipDesc = loadChipFile('default');
const CHIP = energyChip(chipDesc.params, chipDesc.file, 4);
const KINDS = Object.keys(COUNTER_CATALOG) as ComponentKind[];
const KEYS = KINDS.flatMap((k) => COUNTER_CATALOG[k].map((d) => `${k}.${d.name}`));

/** A snapshot with one component per kind (two cores and two routers) from flat counts. */
function snapshotOf(counts: Record<string, number>): CounterSnapshot {
  const s: CounterSnapshot = { components: {} };
  const ids: Record<ComponentKind, string[]> = { chip: ['chip'], io: ['io'], core: ['core.0', 'core.5'], router: ['router.0', 'router.5'] };
  for (const kind of KINDS) {
    ids[kind].forEach((id, i) => {
      const c: Record<string, number> = {};
      for (const d of COUNTER_CATALOG[kind]) {
        const n = counts[`${kind}.${d.name}`] ?? 0;
        // Split between the components of a kind: the first gets the floor half.
        const half = Math.floor(n / ids[kind].length);
        c[d.name] = i === 0 ? half : n - half * (ids[kind].length - 1);
      }
      s.components[id] = { kind, counts: c };
    });
  }
  return s;
}

const countsArb = fc.record(Object.fromEntries(KEYS.map((k) => [k, fc.integer({ min: 0, max: 1_000_000 })])) as Record<string, fc.Arbitrary<number>>).map((c) => {
  c['chip.cycles'] = Math.max(1, c['chip.cycles'] ?? 1);
  c['chip.samples'] = Math.max(1, c['chip.samples'] ?? 1);
  return c;
});

describe('every catalog counter is priced or explicitly free', () => {
  it.each(KEYS)('%s has a rule', (key) => {
    const [kind, name] = key.split('.') as [ComponentKind, string];
    expect(PRICE_RULES[kind][name]).toBeDefined();
  });
  it('no rule names a counter the catalog does not declare', () => {
    for (const kind of KINDS) {
      const declared = new Set(COUNTER_CATALOG[kind].map((d) => d.name));
      for (const name of Object.keys(PRICE_RULES[kind])) expect(declared.has(name)).toBe(true);
    }
  });
  it.each(TABLES.map((t) => [t.name, t] as const))('%s gives a finite non-negative price to every priced counter', (_n, t) => {
    const p = eventPrices({ chip: CHIP, tech: t, tilePitchMm: areaReport(CHIP, t, CHIP_ONLY).tilePitchMm });
    for (const key of KEYS) {
      const [kind, name] = key.split('.') as [ComponentKind, string];
      const r = PRICE_RULES[kind][name]!;
      if (isPriced(r)) expect(p[key]).toBeGreaterThanOrEqual(0);
      else expect(p[key]).toBeUndefined();
    }
  });
  it('a counter with no rule is an error naming the counter and the table', () => {
    const rules = PRICE_RULES.core as Record<string, unknown>;
    const saved = rules['spikes'];
    delete rules['spikes'];
    try {
      expect(() => eventPrices({ chip: CHIP, tech: TABLES[0]!, tilePitchMm: 1 })).toThrow(/counter core\.spikes has no price in technology table 28nm-bulk/);
    } finally {
      rules['spikes'] = saved;
    }
  });
  it('the weight SRAM read is priced, not free (a real cost)', () => {
    const p = eventPrices({ chip: CHIP, tech: TABLES[0]!, tilePitchMm: 1 });
    expect(p['core.weightSramReads']).toBeGreaterThan(1);
  });
});

describe('energy is a linear function of counts and prices', () => {
  it('is monotone in every counter', () => {
    fc.assert(
      fc.property(countsArb, fc.constantFrom(...KEYS), fc.integer({ min: 1, max: 1000 }), (counts, key, extra) => {
        const t = TABLES[0]!;
        const a = energyReport(snapshotOf(counts), CHIP, t, { storage: CHIP_ONLY });
        const b = energyReport(snapshotOf({ ...counts, [key]: (counts[key] ?? 0) + extra }), CHIP, t, { storage: CHIP_ONLY });
        expect(b.totalPJ).toBeGreaterThanOrEqual(a.totalPJ * (1 - 1e-12));
        for (const c of Object.keys(a.byComponentPJ)) {
          expect(b.byComponentPJ[c as keyof typeof a.byComponentPJ]).toBeGreaterThanOrEqual(a.byComponentPJ[c as keyof typeof a.byComponentPJ] * (1 - 1e-12));
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });
  it('strictly increases with every priced counter', () => {
    const t = TABLES[0]!;
    const p = eventPrices({ chip: CHIP, tech: t, tilePitchMm: areaReport(CHIP, t, CHIP_ONLY).tilePitchMm });
    const base = { 'chip.cycles': 1000, 'chip.samples': 1 };
    const e0 = energyReport(snapshotOf(base), CHIP, t, { storage: CHIP_ONLY }).totalPJ;
    for (const key of Object.keys(p)) {
      if ((p[key] ?? 0) === 0) continue;
      const e1 = energyReport(snapshotOf({ ...base, [key]: 1000 }), CHIP, t, { storage: CHIP_ONLY }).totalPJ;
      expect(e1 - e0).toBeCloseTo(1000 * (p[key] as number), 6);
    }
  });
  it('is linear in the event prices', () => {
    fc.assert(
      fc.property(countsArb, fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), (counts, a, b) => {
        const [p, q] = TABLES.slice(0, 2).map((t) => eventPrices({ chip: CHIP, tech: t, tilePitchMm: 0.5 }));
        const mix: Record<string, number> = {};
        for (const k of Object.keys(p!)) mix[k] = a * p![k]! + b * q![k]!;
        const tc = totalCounts(snapshotOf(counts));
        const ep = priceCounts(tc, p!), eq = priceCounts(tc, q!), em = priceCounts(tc, mix);
        for (const k of Object.keys(em.byEvent)) {
          const want = a * ep.byEvent[k]! + b * eq.byEvent[k]!;
          expect(Math.abs(em.byEvent[k]! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        }
      }),
      { numRuns: 40, seed: 13 },
    );
  });
  it('scaling every energy and power entry of a table by k scales the total by k', () => {
    const t = TABLES[0]!;
    const k = 3;
    const scalesWithEnergy = new Set(TECH_ENTRIES.filter((d) => d.dim === 'energy' || d.dim === 'power').map(entryPath));
    const scaled: TechTable = { ...t, values: Object.fromEntries(Object.entries(t.values).map(([p, v]) => [p, scalesWithEnergy.has(p) ? v * k : v])) };
    const s = snapshotOf({ 'core.weightSramReads': 100, 'core.xnorWords': 100, 'router.crossbarTraversals': 50, 'router.linkBits': 400, 'io.bitsIn': 10, 'chip.cycles': 5000, 'chip.samples': 1 });
    const a = energyReport(s, CHIP, t, { storage: CHIP_ONLY });
    const b = energyReport(s, CHIP, scaled, { storage: CHIP_ONLY });
    expect(b.totalPJ / a.totalPJ).toBeCloseTo(k, 9);
  });
});

describe('switching technology tables changes only the prices', () => {
  it('same counts, cycles and per-event energy = count x that table price', () => {
    fc.assert(
      fc.property(countsArb, (counts) => {
        const s = snapshotOf(counts);
        const tc = totalCounts(s);
        const reports = TABLES.map((t) => energyReport(s, CHIP, t, { storage: CHIP_ONLY }));
        for (const r of reports) {
          expect(r.cycles).toBe(reports[0]!.cycles);
          expect(r.samples).toBe(reports[0]!.samples);
          expect(r.synapticOps).toBe(reports[0]!.synapticOps);
          for (const [k, e] of Object.entries(r.byEventPJ)) expect(e).toBeCloseTo((tc[k] ?? 0) * r.pricesPJ[k]!, 6);
        }
        expect(reports[0]!.totalPJ).not.toBe(reports[2]!.totalPJ);
      }),
      { numRuns: 20, seed: 13 },
    );
  });
});

describe('report figures', () => {
  const t = TABLES[0]!;
  const s = snapshotOf({ 'core.weightSramReads': 2000, 'core.xnorWords': 2000, 'core.synapticOps': 128000, 'core.accumulatorAdds': 2100, 'chip.cycles': 20000, 'chip.samples': 4 });
  const r = energyReport(s, CHIP, t, { storage: CHIP_ONLY });
  it('totals are the sum of dynamic, clock and static energy', () => {
    expect(r.totalPJ).toBeCloseTo(r.dynamicPJ + r.clockPJ + r.staticPJ, 6);
    expect(r.staticPJ).toBeCloseTo(r.leakageW.total * 1e12 * (20000 / CHIP.params.clockHz), 3);
  });
  it('per-sample, per-synaptic-op, power and EDP follow from the totals', () => {
    expect(r.perSamplePJ).toBeCloseTo(r.totalPJ / 4, 6);
    expect(r.pJPerSynapticOpAllIn).toBeCloseTo(r.totalPJ / 128000, 9);
    expect(r.pJPerSynapticOpCompute).toBeCloseTo((r.byComponentPJ.weightSram + r.byComponentPJ.xnorPopcount + r.byComponentPJ.accumulators) / 128000, 9);
    expect(r.averagePowerW).toBeCloseTo((r.totalPJ * 1e-12) / (20000 / CHIP.params.clockHz), 12);
    expect(r.edpPerSampleJs).toBeCloseTo(r.perSamplePJ * 1e-12 * (5000 / CHIP.params.clockHz), 20);
    const shares = Object.values(r.share).reduce((a, b) => a + b, 0);
    expect(shares).toBeCloseTo(1, 9);
  });
  it('multicast savings are priced as the link bits they did not send, outside the total', () => {
    const m = energyReport(snapshotOf({ 'router.multicastFlitsSaved': 300, 'chip.cycles': 20000 }), CHIP, t, { storage: CHIP_ONLY });
    const withLinks = energyReport(snapshotOf({ 'router.linkBits': 300 * CHIP.packetBits, 'chip.cycles': 20000 }), CHIP, t, { storage: CHIP_ONLY });
    const none = energyReport(snapshotOf({ 'chip.cycles': 20000 }), CHIP, t, { storage: CHIP_ONLY });
    expect(m.multicastSavedPJ).toBeGreaterThan(0);
    expect(m.multicastSavedPJ).toBeCloseTo(withLinks.totalPJ - none.totalPJ, 6);
    expect(m.totalPJ).toBeCloseTo(none.totalPJ, 9);
  });
  it('a functional snapshot without cycles needs an estimate and says so', () => {
    const f: CounterSnapshot = { components: { 'core.0': { kind: 'core', counts: { xnorWords: 10 } } } };
    expect(() => energyReport(f, CHIP, t, { storage: CHIP_ONLY })).toThrow(/needs a cycle count/);
    const e = energyReport(f, CHIP, t, { storage: CHIP_ONLY, cycles: 100 });
    expect(e.cyclesFrom).toBe('estimate');
    expect(e.missingKinds).toEqual(['router', 'io', 'chip']);
  });
  it('a snapshot counter the catalog does not declare is refused', () => {
    const bad: CounterSnapshot = { components: { 'core.0': { kind: 'core', counts: { warpDrive: 1 } } } };
    expect(() => energyReport(bad, CHIP, t, { storage: CHIP_ONLY, cycles: 1 })).toThrow(/core\.0\.warpDrive/);
  });
});
