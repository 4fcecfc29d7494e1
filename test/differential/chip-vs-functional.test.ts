import { ChipEngine } from '../../src/chip/chip-engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { checkSnapshot } from '../../src/sim/counter-catalog';
import { randomExperiment } from './configs';
import { ruleNames } from '../../src/learning/rules';
import { coreTotals, expectSame, expectSameLearning } from './compare';

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('chip equals the functional model bit for bit', () => {
  test.each(SEEDS)('random config %i', (seed) => {
    const { model, chip, mapping, label } = randomExperiment(seed);
    const f = new FunctionalEngine(model, seed, { wordBits: chip.params.core.sram.wordBits });
    const c = new ChipEngine(model, chip, seed, { mapping });
    expectSame(f.snapshot(), c.snapshot(), `${label}, initial`);
    const rng = rngStream(seed, 'differential-data');
    const n = model.network.inputs;
    // Half of the configs present several input frames per sample (rate coding): a new frame every step.
    const frameRng = rngStream(seed, 'differential-frames');
    const frames = [1, 1, 2, 3, 5, 7][frameRng.below(6)] as number;
    const words = wordsFor(n);
    const input = new Uint32Array(frames * words);
    for (let s = 0; s < 4; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      for (let j = n; j < frames * words * 32; j++) {
        if ((j >>> 5) % words === words - 1 && (j & 31) >= n - (words - 1) * 32) continue;
        if (frameRng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      }
      const labelOf = rng.below(model.network.classes);
      const mode = s === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1, plasticityKey: rng.below(2 ** 32) >>> 0, epoch: s } as const);
      const pf = f.runSample(input, labelOf, mode);
      const pc = c.runSample(input, labelOf, mode);
      const where = `${label}, after sample ${s}`;
      expectSame(f.snapshot(), c.snapshot(), where);
      expect([where, pc.prediction]).toEqual([where, pf.prediction]);
      expectSameLearning(f, c, pf, pc, where);
      const fsnap = f.counters();
      const csnap = c.counters();
      const fc = fsnap.components['core.all']!.counts;
      const cc = coreTotals(csnap);
      for (const name of BLOCK_COUNTER_NAMES) expect([where, name, cc[name]]).toEqual([where, name, fc[name]]);
      // Timing invariants of docs/timing-model.md on every random config.
      const ch = c.chip;
      const bd = chip.params.barrierDelay;
      const minStep = Math.max(...ch.active.map((core) => core.stepCycles)) + chip.params.core.pipelineDepth;
      // Steps 0..F-1 are the free phase, then N steps per nudged phase (+beta, and -beta when symmetric).
      const F = model.dynamics.freeSteps;
      const N = model.dynamics.nudgedSteps;
      const phaseOf = (k: number): number => (k < F ? 0 : Math.floor((k - F) / N) + 1);
      expect(ch.stepCount).toBe(mode.learn ? F + (model.learning.symmetric ? 2 : 1) * N : F);
      for (let k = 0; k < ch.stepCount; k++) {
        // A step's duration depends on its traffic (contention): exact values are pinned by the hand-derived
        // cases of test/unit/chip/timing.test.ts; here only the core rule's lower bound.
        expect(ch.stepEnds[k]! - ch.stepStarts[k]!).toBeGreaterThanOrEqual(minStep);
        // "Step barrier": t_{k+1} = e_k + barrierDelay exactly within a phase; between phases the readout
        // (and an input part with several frames) come in between.
        // With one frame the -beta phase needs no input part (each core restores its registers locally).
        const sameOrRestart = phaseOf(k + 1) === phaseOf(k) || (frames === 1 && phaseOf(k) === 1 && phaseOf(k + 1) === 2);
        if (k + 1 < ch.stepCount && sameOrRestart) expect([where, k, ch.stepStarts[k + 1]! - ch.stepEnds[k]!]).toEqual([where, k, bd]);
        else if (k + 1 < ch.stepCount) expect(ch.stepStarts[k + 1]! - ch.stepEnds[k]!).toBeGreaterThanOrEqual(bd);
      }
      const l = c.lastSample;
      expect(l.total).toBe(l.free + l.nudged + l.learning + bd);
      if (!mode.learn) expect([l.nudged, l.learning]).toEqual([0, 0]);
      const cycles = csnap.components['chip']!.counts['cycles']!;
      for (const core of ch.active) expect(core.activeCycles + core.datapath.queueStalls).toBeLessThanOrEqual(cycles);
      checkSnapshot(csnap);
      for (const comp of Object.values(csnap.components)) for (const v of Object.values(comp.counts)) if (!(v >= 0)) throw new Error(`${where}: negative counter`);
      const fchip = fsnap.components['chip']!.counts;
      const cchip = csnap.components['chip']!.counts;
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
      bump(typeof mapping.placement === 'string' ? mapping.placement : 'explicit');
      if (chip.params.io.flitsPerCycle > 1) bump('io lanes');
      if (chip.params.core.outQueueDepth === 1) bump('queue depth 1');
      if (chip.params.noc.bufferDepth === 1) bump('buffer depth 1');
      if (model.learning.homeoUp.some((v) => v > 0) && model.learning.homeoDown.some((v) => v > 0)) bump('homeostasis');
      if (model.learning.contrast === 'first-order') bump('first-order contrast');
      if (typeof mapping.placement !== 'string') {
        const tiles = new Map<string, Set<number>>();
        mapping.placement.forEach((ts, l) => ts.forEach((t) => tiles.set(`${t.x},${t.y}`, (tiles.get(`${t.x},${t.y}`) ?? new Set<number>()).add(l))));
        if ([...tiles.values()].some((s) => s.size > 1)) bump('layers sharing a core');
      }
    }
    for (const k of ['binary', 'spin', ...ruleNames(), 'symmetric', 'one-sided', 'state-change', 'every-step', 'snake', 'spread', 'explicit', 'io lanes', 'queue depth 1', 'buffer depth 1', 'layers sharing a core', 'homeostasis', 'first-order contrast']) {
      expect([k, (seen[k] ?? 0) >= 5]).toEqual([k, true]);
    }
  });
});

describe('long runs stay bit-identical', () => {
  test.each([101, 202])('random config %i over 30 training samples with weight flips', (seed) => {
    const { model, chip, mapping, label } = randomExperiment(seed);
    // Low thresholds so that weights flip often.
    const m = { ...model, learning: { ...model.learning, rule: 'counter' as const, theta: [0], leakShift: 0 } };
    const f = new FunctionalEngine(m, seed, { wordBits: chip.params.core.sram.wordBits });
    const c = new ChipEngine(m, chip, seed, { mapping });
    const rng = rngStream(seed, 'differential-long');
    const input = new Uint32Array(wordsFor(m.network.inputs));
    for (let s = 0; s < 30; s++) {
      input.fill(0);
      for (let j = 0; j < m.network.inputs; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const mode = { learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const;
      const y = rng.below(m.network.classes);
      expect(c.runSample(input, y, mode).prediction).toBe(f.runSample(input, y, mode).prediction);
    }
    expectSame(f.snapshot(), c.snapshot(), `${label}, after 30 samples`);
    expect(f.counters().components['core.all']!.counts['weightFlips']).toBeGreaterThan(0);
    expect(coreTotals(c.counters())['weightFlips']).toBe(f.counters().components['core.all']!.counts['weightFlips']);
  });
});
