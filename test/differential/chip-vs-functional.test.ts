import { ChipEngine } from '../../src/chip/chip-engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import type { NetworkSnapshot } from '../../src/learning/engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { checkSnapshot } from '../../src/chip/counter-catalog';
import { randomExperiment } from './configs';

function expectSame(a: NetworkSnapshot, b: NetworkSnapshot, where: string): void {
  const fields = ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const;
  for (const f of fields) {
    a[f].forEach((arr, l) => {
      const other = b[f][l] as ArrayLike<number>;
      if (arr.length !== other.length || Array.from(arr as ArrayLike<number>).some((v, i) => v !== other[i])) {
        throw new Error(`${where}: ${f}[${l}] differs\n functional ${Array.from(arr as ArrayLike<number>).slice(0, 40)}\n chip       ${Array.from(other).slice(0, 40)}`);
      }
    });
  }
}

function coreTotals(snap: ReturnType<ChipEngine['counters']>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const n of BLOCK_COUNTER_NAMES) t[n] = 0;
  for (const [id, comp] of Object.entries(snap.components)) {
    if (comp.kind !== 'core') continue;
    void id;
    for (const n of BLOCK_COUNTER_NAMES) t[n] = (t[n] as number) + (comp.counts[n] as number);
  }
  return t;
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('chip equals the functional model bit for bit', () => {
  test.each(SEEDS)('random config %i', (seed) => {
    const { model, chip, mapping, label } = randomExperiment(seed);
    const f = new FunctionalEngine(model, seed, { wordBits: chip.params.core.sram.wordBits });
    const c = new ChipEngine(model, chip, seed, { mapping });
    expectSame(f.snapshot(), c.snapshot(), `${label}, initial`);
    const rng = rngStream(seed, 'differential-data');
    const n = model.network.inputs;
    const input = new Uint32Array(wordsFor(n));
    for (let s = 0; s < 4; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const labelOf = rng.below(model.network.classes);
      const mode = s === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const);
      const pf = f.runSample(input, labelOf, mode);
      const pc = c.runSample(input, labelOf, mode);
      const where = `${label}, after sample ${s}`;
      expectSame(f.snapshot(), c.snapshot(), where);
      expect([where, pc.prediction]).toEqual([where, pf.prediction]);
      const fc = f.counters().components['core.all']!.counts;
      const cc = coreTotals(c.counters());
      for (const name of BLOCK_COUNTER_NAMES) expect([where, name, cc[name]]).toEqual([where, name, fc[name]]);
      checkSnapshot(c.counters());
      for (const comp of Object.values(c.counters().components)) for (const v of Object.values(comp.counts)) expect(v).toBeGreaterThanOrEqual(0);
      const fchip = f.counters().components['chip']!.counts;
      const cchip = c.counters().components['chip']!.counts;
      for (const name of ['samples', 'steps', 'learningPhases']) expect([where, name, cchip[name]]).toEqual([where, name, fchip[name]]);
    }
  });
});

describe('the random configs cover every feature', () => {
  test('encodings, rules, nudging, placements, shared cores, I/O lanes', () => {
    const seen: Record<string, number> = {};
    const bump = (k: string): void => {
      seen[k] = (seen[k] ?? 0) + 1;
    };
    for (const seed of SEEDS) {
      const { model, chip, mapping } = randomExperiment(seed);
      bump(model.dynamics.encoding);
      bump(model.learning.rule);
      bump(model.learning.symmetric ? 'symmetric' : 'one-sided');
      bump(chip.params.encoding);
      bump(mapping.placement === 'snake' ? 'snake' : 'explicit');
      if (chip.params.io.flitsPerCycle > 1) bump('io lanes');
      if (chip.params.core.outQueueDepth === 1) bump('queue depth 1');
      if (chip.params.noc.bufferDepth === 1) bump('buffer depth 1');
      if (mapping.placement !== 'snake') {
        const tiles = new Map<string, Set<number>>();
        mapping.placement.forEach((ts, l) => ts.forEach((t) => tiles.set(`${t.x},${t.y}`, (tiles.get(`${t.x},${t.y}`) ?? new Set<number>()).add(l))));
        if ([...tiles.values()].some((s) => s.size > 1)) bump('layers sharing a core');
      }
    }
    for (const k of ['binary', 'spin', 'counter', 'hidden', 'symmetric', 'one-sided', 'state-change', 'every-step', 'snake', 'explicit', 'io lanes', 'queue depth 1', 'buffer depth 1', 'layers sharing a core']) {
      expect([k, (seen[k] ?? 0) >= 5]).toEqual([k, true]);
    }
  });
});
