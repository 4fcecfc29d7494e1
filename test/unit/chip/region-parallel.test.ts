/**
 * One chip on several threads (src/chip/parallel): on random small experiments, a chip
 * simulated on 2 and on 4 threads (bands of mesh rows, each its own worker) gives what
 * the one-thread chip gives after every sample: predictions, every counter of every
 * component, link loads, sample cycles and step boundaries; when training also output
 * errors, the network state (weights, learning registers, states, spikes) and the
 * learning counts. The meshes are made
 * tall (1-2 columns) so that 4 bands exist and flits and credits cross every border.
 * Runs the compiled worker (dist/), like the sweep's pool.
 */
import { ChipEngine } from '../../../src/chip/chip-engine';
import { wordsFor } from '../../../src/kernels';
import { snapshotsEqual } from '../../../src/store/weights-file';
import { LEARN_COUNT_FIELDS } from '../../../src/learning/learn-counts';
import { UserError } from '../../../src/util/errors';
import { rngStream } from '../../../src/util/rng';
import { tallExperiment } from '../../differential/configs';
import type { RandomExperiment } from '../../differential/configs';

const tall = tallExperiment;

const SEEDS: number[] = [];
for (let s = 900; SEEDS.length < 10; s++) if (tall(s) !== null) SEEDS.push(s);

function outcome(e: ChipEngine, prediction: number): unknown {
  return {
    prediction,
    last: { ...e.lastSample },
    time: e.chip.time,
    stepEnds: Array.from(e.chip.stepEnds.subarray(0, e.chip.stepCount)),
    stepStarts: Array.from(e.chip.stepStarts.subarray(0, e.chip.stepCount)),
  };
}

describe('a chip on several threads gives the one-thread results', () => {
  test.each(SEEDS)('random config %i on 1, 2 and 4 threads', (seed) => {
    const { model, chip, mapping, label } = tall(seed) as RandomExperiment;
    const one = new ChipEngine(model, chip, seed, { mapping });
    const many = [2, 4].map((threads) => new ChipEngine(model, chip, seed, { mapping, threads }));
    try {
      const rng = rngStream(seed, 'region-parallel');
      const n = model.network.inputs;
      for (let s = 0; s < 5; s++) {
        const input = new Uint32Array(wordsFor(n));
        for (let j = 0; j < n; j++) if (rng.below(2) === 0) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
        const y = rng.below(model.network.classes);
        const want = outcome(one, one.runSample(input, y, { learn: false }).prediction);
        for (const e of many) {
          const where = `${label} (${chip.params.mesh.width}x${chip.params.mesh.height}), ${e.threadCount} threads, sample ${s}`;
          expect([where, outcome(e, e.runSample(input, y, { learn: false }).prediction)]).toEqual([where, want]);
        }
      }
      const counters = one.counters();
      const loads = one.linkLoads();
      for (const e of many) {
        const where = `${label}, ${e.threadCount} threads`;
        expect([where, e.counters()]).toEqual([where, counters]);
        expect([where, e.linkLoads()]).toEqual([where, loads]);
        expect([where, JSON.stringify(e.reportCounters())]).toEqual([where, JSON.stringify(one.reportCounters())]);
      }
      // Flits crossed the borders (else the test would not exercise the hand-over).
      const w = chip.params.mesh.width;
      const h = chip.params.mesh.height;
      const crossing = loads.filter((l) => Math.floor((Math.floor(l.from / w) * 4) / h) !== Math.floor((Math.floor(l.to / w) * 4) / h)).reduce((a, l) => a + l.flits, 0);
      expect([label, crossing > 0 || loads.every((l) => l.flits === 0)]).toEqual([label, true]);
    } finally {
      for (const e of many) e.close();
    }
  });

  test.each(SEEDS.slice(0, 6))('random config %i trained on 1, 2 and 4 threads', (seed) => {
    const { model, chip, mapping, label } = tall(seed) as RandomExperiment;
    const one = new ChipEngine(model, chip, seed, { mapping });
    const many = [2, 4].map((threads) => new ChipEngine(model, chip, seed, { mapping, threads }));
    try {
      const rng = rngStream(seed, 'region-parallel-training');
      const n = model.network.inputs;
      for (let s = 0; s < 6; s++) {
        const input = new Uint32Array(wordsFor(n));
        for (let j = 0; j < n; j++) if (rng.below(2) === 0) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
        const y = rng.below(model.network.classes);
        const mode = s % 3 === 2 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1, plasticityKey: rng.uint32(), epoch: s >> 1 } as const);
        const r = one.runSample(input, y, mode);
        const want = { ...(outcome(one, r.prediction) as object), errors: r.outputErrors };
        const state = one.snapshot();
        for (const e of many) {
          const where = `${label}, ${e.threadCount} threads, sample ${s} (${mode.learn ? 'learning' : 'inference'})`;
          const q = e.runSample(input, y, mode);
          expect([where, { ...(outcome(e, q.prediction) as object), errors: q.outputErrors }]).toEqual([where, want]);
          expect([where, snapshotsEqual(e.snapshot(), state)]).toEqual([where, true]);
        }
      }
      const counts = new Float64Array((model.network.hidden.length + 1) * LEARN_COUNT_FIELDS);
      one.learningCounts(counts);
      for (const e of many) {
        const where = `${label}, ${e.threadCount} threads`;
        const c = new Float64Array(counts.length);
        e.learningCounts(c);
        expect([where, Array.from(c)]).toEqual([where, Array.from(counts)]);
        expect([where, e.counters()]).toEqual([where, one.counters()]);
        expect([where, e.totals]).toEqual([where, one.totals]);
      }
    } finally {
      for (const e of many) e.close();
    }
  });

  test('restored weights reach every region', () => {
    const { model, chip, mapping } = tall(SEEDS[0] as number) as RandomExperiment;
    const donor = new ChipEngine(model, chip, 77, { mapping });
    const one = new ChipEngine(model, chip, SEEDS[0] as number, { mapping });
    const two = new ChipEngine(model, chip, SEEDS[0] as number, { mapping, threads: 2 });
    try {
      one.restore(donor.snapshot());
      two.restore(donor.snapshot());
      const input = new Uint32Array(wordsFor(model.network.inputs)).fill(0x5a5a5a5a);
      expect(two.runSample(input, 0, { learn: false }).prediction).toBe(one.runSample(input, 0, { learn: false }).prediction);
      expect(two.counters()).toEqual(one.counters());
      // One thread passes no synchronisation rounds; two pass at least one per sample.
      expect(one.syncStats).toEqual({ rounds: 0, barrierMs: 0 });
      expect(two.syncStats.rounds).toBeGreaterThan(0);
    } finally {
      two.close();
    }
  });

  test('a failure in one region stops every region with its message instead of hanging', () => {
    const { model, chip, mapping } = tall(SEEDS[0] as number) as RandomExperiment;
    const two = new ChipEngine(model, chip, 1, { mapping, threads: 2 });
    try {
      // What a region's thread does when its chip throws (e.g. a watchdog deadlock): it records the failure for the others.
      (two as unknown as { region: { abort(m: string): void } }).region.abort('injected failure');
      expect(() => two.runSample(new Uint32Array(wordsFor(model.network.inputs)), 0, { learn: false })).toThrow('parallel chip run failed: region 0: injected failure');
    } finally {
      two.close();
    }
  });

  test('an error thrown in a worker region reaches the driving thread with its message instead of hanging', () => {
    const { model, chip, mapping } = tall(SEEDS[0] as number) as RandomExperiment;
    const two = new ChipEngine(model, chip, 1, { mapping, threads: 2 });
    try {
      // A snapshot for another network, sent to the workers alone (the driving thread's restore would refuse it first):
      // the worker's chip throws, its catch records the failure, and the wait for its reply ends with that message.
      const threads = (two as unknown as { threads: { command(c: unknown): void; replies(): unknown[]; shared: { aborted: boolean; failure(): string } } }).threads;
      threads.command({ kind: 'restore', snapshot: { ...two.snapshot(), layers: [1, 2] } });
      // Bounded wait (replies() alone would wait for ever if the worker swallowed the error).
      const nap = new Int32Array(new SharedArrayBuffer(4));
      for (const t0 = Date.now(); !threads.shared.aborted && Date.now() - t0 < 30_000; ) Atomics.wait(nap, 0, 0, 20);
      const why = `region 1: snapshot layers 1-2 do not match network ${model.network.inputs}-`;
      expect(threads.shared.aborted ? threads.shared.failure() : 'no failure recorded').toContain(why);
      expect(() => threads.replies()).toThrow(why);
    } finally {
      two.close();
    }
  });

  test('what the regions cannot do is refused', () => {
    const { model, chip, mapping } = tall(SEEDS[0] as number) as RandomExperiment;
    const h = chip.params.mesh.height;
    expect(() => new ChipEngine(model, chip, 1, { mapping, threads: h + 1, configFile: 'x.json' })).toThrow(UserError);
    expect(() => new ChipEngine(model, chip, 1, { mapping, threads: h + 1, configFile: 'x.json' })).toThrow(`x.json: run.threads: expected an integer in [1, ${h}]`);
    const two = new ChipEngine(model, chip, 1, { mapping, threads: 2 });
    try {
      expect(() => two.attachTraces({ vcd: { path: 'a.vcd', signals: [], cores: [], from: 0, to: 0 }, packets: { path: '' } } as never)).toThrow('tracing runs on one thread only');
    } finally {
      two.close();
    }
  });
});
