import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import type { Engine } from '../../../src/learning/engine';
import { encodeSnapshot } from '../../../src/store/weights-file';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/store/checkpoint';
import { createEngine } from '../../../src/train/engine-factory';
import { BetaSigns, epochOrder, PlasticityKeys } from '../../../src/train/sample-order';
import { Trainer } from '../../../src/train/trainer';
import { sampleReadKey } from '../../../src/faults/read-flips';
import { Recording } from './recording-engine';
import { tempDir, writeTinyConfig } from './tiny-config';
import { popcount32 } from '../../../src/kernels';

const dir = tempDir('trainer');
const file = writeTinyConfig(dir);


function setup(precision: 'binary' | 'float', mode: 'functional' | 'cycle' = 'functional') {
  const exp = loadExperiment(file, [`run.precision=${precision}`, `run.mode=${mode}`]);
  const data = loadData(exp.config.data, 1);
  const make = (): Trainer =>
    new Trainer(createEngine(exp.config, exp.file), data, { seed: exp.config.seed, epochs: 2, randomBetaSign: true, checkpointEvery: 0, curveEvery: 25 });
  return { exp, data, make };
}

const bytes = (c: Checkpoint): Buffer => Buffer.from(encodeSnapshot(c.snapshot));

describe('trainer', () => {
  test('presents each epoch in the seeded order with the seeded beta signs, then the whole test set', async () => {
    const { exp, data } = setup('binary');
    const engine = new Recording(createEngine(exp.config, exp.file));
    const trainer = new Trainer(engine, data, { seed: 5, epochs: 2, randomBetaSign: true, checkpointEvery: 0 });
    const out = await trainer.run();
    expect(out.status).toBe('finished');
    const n = data.train.count;
    const m = data.test.count;
    expect(engine.calls.length).toBe(2 * (n + m));
    for (let e = 0; e < 2; e++) {
      const order = epochOrder(5, e, n);
      const signs = new BetaSigns(5, e, 0, true);
      const keys = new PlasticityKeys(5, e, 0);
      const base = e * (n + m);
      for (let k = 0; k < n; k++) {
        const c = engine.calls[base + k]!;
        expect(c.input).toBe(data.train.rows[order[k]!]);
        expect(c.mode).toEqual({ learn: true, betaSign: signs.next(), plasticityKey: keys.next(), readKey: sampleReadKey('train', e, k), epoch: e });
      }
      for (let j = 0; j < m; j++) {
        const c = engine.calls[base + n + j]!;
        expect(c.input).toBe(data.test.rows[j]);
        expect(c.mode).toEqual({ learn: false, readKey: sampleReadKey('test', e, j) });
      }
    }
    // The confusion matrix of the last test pass: row sums are the label counts, the diagonal the correct ones.
    const conf = out.confusion!;
    expect(conf.length).toBe(100);
    for (let l = 0; l < 10; l++) {
      const row = Array.from(conf.subarray(l * 10, l * 10 + 10)).reduce((a, b) => a + b, 0);
      expect(row).toBe(Array.from(data.test.labels).filter((x) => x === l).length);
    }
    expect(Array.from({ length: 10 }, (_, l) => conf[l * 11]!).reduce((a, b) => a + b, 0)).toBe(out.checkpoint.position.history[1]!.testCorrect);
    const h = out.checkpoint.position.history;
    expect(h.map((r) => r.epoch)).toEqual([1, 2]);
    expect(h[1]!.trainAccuracy).toBe(h[1]!.trainCorrect / n);
    expect(out.checkpoint.counters.components['chip']!.counts['samples']).toBe(2 * (n + m));
    // The test passes' counters are kept apart: m inferences per epoch, none of them learning.
    const inference = out.checkpoint.inferenceCounters!.components;
    expect(inference['chip']!.counts['samples']).toBe(2 * m);
    expect(inference['core.all']!.counts['weightSramWrites'] ?? 0).toBe(0);
    expect(out.checkpoint.counters.components['core.all']!.counts['weightSramWrites']).toBeGreaterThan(0);
  });

  describe.each([
    ['binary', 'functional'],
    ['float', 'functional'],
    ['binary', 'cycle'],
  ] as const)('%s %s engine: interrupted and resumed runs end in the same bits', (precision, mode) => {
    const { make, data } = setup(precision, mode);
    let reference: Checkpoint;
    beforeAll(async () => {
      reference = (await make().run()).checkpoint;
    });

    test('training changes the learned state (so the comparison means something)', () => {
      const before = make().initialCheckpoint().snapshot;
      const learned = (x: typeof before): Buffer => Buffer.concat([...x.weights, ...x.synapseState].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
      expect(learned(before).equals(learned(reference.snapshot))).toBe(false);
    });

    // Stop after k samples counted across phases: mid-train of epoch 1, inside the test
    // phase of epoch 1, at the epoch boundary, mid-train of epoch 2.
    const n = data.train.count;
    const m = data.test.count;
    test.each([1, 57, n + 5, n + m, n + m + 33])('stop after %i samples, checkpoint to bytes, resume', async (k) => {
      let seen = 0;
      const first = await make().run(undefined, { shouldStop: () => ++seen >= k });
      expect(first.status).toBe('interrupted');
      // Where k samples leave the trainer: inside training, inside testing (resumes by
      // testing again from the end of training), or at an epoch boundary.
      const e = Math.floor(k / (n + m));
      const r = k % (n + m);
      const expected = r <= n ? { epoch: e, phase: 'train', sample: r } : { epoch: e, phase: 'test', sample: 0 };
      expect(first.checkpoint.position).toMatchObject(expected);
      const restored = decodeCheckpoint(encodeCheckpoint(first.checkpoint), 'ckpt');
      expect(restored.inferenceCounters).toEqual(first.checkpoint.inferenceCounters);
      const second = await make().run(restored);
      expect(second.status).toBe('finished');
      expect(bytes(second.checkpoint).equals(bytes(reference))).toBe(true);
      expect(second.checkpoint.position.history).toEqual(reference.position.history);
      expect(second.checkpoint.counters).toEqual(reference.counters);
      expect(second.checkpoint.inferenceCounters).toEqual(reference.inferenceCounters);
      // The learning curve and per-layer counts survive the checkpoint too.
      expect(second.checkpoint.learningStats).toEqual(reference.learningStats);
    });
  });

  test('the cycle-accurate chip ends in exactly the functional model\'s bits and accuracies', async () => {
    const functional = (await setup('binary', 'functional').make().run()).checkpoint;
    const cycle = (await setup('binary', 'cycle').make().run()).checkpoint;
    expect(bytes(cycle).equals(bytes(functional))).toBe(true);
    expect(cycle.position.history).toEqual(functional.position.history);
    expect(cycle.learningStats).toEqual(functional.learningStats);
  });

  test('learning statistics: curve windows add up to the epoch, flips equal the weight bits that changed sample by sample', async () => {
    const { exp, data } = setup('binary');
    // Records the Hamming distance of every weight layer across each training sample.
    const inner = createEngine(exp.config, exp.file);
    const flipsSeen: number[][] = [];
    const errors: number[] = [];
    const weightBits = (w: Uint32Array[]): Uint32Array[] => w.map((a) => a.slice());
    const engine: Engine = {
      runSample(input, label, mode) {
        const before = mode.learn ? weightBits(inner.snapshot().weights) : null;
        const r = inner.runSample(input, label, mode);
        if (before !== null) {
          const after = inner.snapshot().weights;
          flipsSeen.push(before.map((b, l) => b.reduce((acc, v, i) => acc + popcount32((v ^ (after[l] as Uint32Array)[i]!) >>> 0), 0)));
          errors.push(r.outputErrors!);
        }
        return r;
      },
      counters: () => inner.counters(),
      snapshot: () => inner.snapshot(),
      restore: (x) => inner.restore(x),
      learningCounts: (into) => inner.learningCounts!(into),
    };
    const out = await new Trainer(engine, data, { seed: 5, epochs: 2, randomBetaSign: true, checkpointEvery: 0, curveEvery: 50 }).run();
    const ls = out.checkpoint.learningStats!;
    const n = data.train.count;
    expect(n).toBe(120);
    expect(ls.curve.map((p) => [p.epoch, p.sample, p.samples])).toEqual([
      [1, 50, 50],
      [1, 100, 50],
      [1, 120, 20],
      [2, 50, 50],
      [2, 100, 50],
      [2, 120, 20],
    ]);
    for (const e of [1, 2]) {
      const pts = ls.curve.filter((p) => p.epoch === e);
      expect(pts.reduce((a, p) => a + p.correct, 0)).toBe(out.checkpoint.position.history[e - 1]!.trainCorrect);
      expect(pts.reduce((a, p) => a + p.outputErrors!, 0)).toBe(errors.slice((e - 1) * n, e * n).reduce((a, b) => a + b, 0));
      for (const l of [1, 2]) {
        const rec = ls.layers.find((r) => r.epoch === e && r.layer === l)!;
        expect(rec.weightFlips).toBe(flipsSeen.slice((e - 1) * n, e * n).reduce((a, f) => a + f[l - 1]!, 0));
        // At most every neuron of the layer on every sample.
        expect(rec.spikeDiffs).toBeLessThanOrEqual(out.checkpoint.snapshot.layers[l]! * n);
      }
    }
    expect(ls.layers.map((r) => [r.epoch, r.layer])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    // Not vacuous: the tiny run flips weights, its phases differ and its outputs err.
    expect(ls.layers.reduce((a, r) => a + r.weightFlips, 0)).toBeGreaterThan(0);
    expect(ls.layers.every((r) => r.spikeDiffs > 0)).toBe(true);
    expect(ls.curve.every((p) => p.outputErrors! > 0)).toBe(true);
  });

  test('the float reference gives a learning curve without loss and no per-layer counts', async () => {
    const out = await setup('float').make().run();
    const ls = out.checkpoint.learningStats!;
    expect(ls.curve.length).toBe(2 * Math.ceil(120 / 25));
    expect(ls.curve.every((p) => p.outputErrors === null)).toBe(true);
    expect(ls.layers).toEqual([]);
  });

  test('periodic checkpoints are resumable too', async () => {
    const { make, exp, data } = setup('binary');
    const seen: Checkpoint[] = [];
    const periodic = new Trainer(createEngine(exp.config, exp.file), data, { seed: 5, epochs: 2, randomBetaSign: true, checkpointEvery: 50 });
    const full = await periodic.run(undefined, {
      onCheckpoint: (c) => seen.push(c),
    });
    // 120 samples per epoch: checkpoints at 50, 100 and at each epoch end.
    expect(seen.map((c) => [c.position.epoch, c.position.sample])).toEqual([
      [0, 50],
      [0, 100],
      [1, 0],
      [1, 50],
      [1, 100],
      [2, 0],
    ]);
    const resumed = await make().run(seen[3]);
    expect(bytes(resumed.checkpoint).equals(bytes(full.checkpoint))).toBe(true);
    expect(resumed.checkpoint.learningStats).toEqual(full.checkpoint.learningStats);
  });

  test('a checkpoint without learning statistics (version 1) resumes and counts from where it starts', async () => {
    const { make } = setup('binary');
    const seen: Checkpoint[] = [];
    const full = await make().run(undefined, { onCheckpoint: (c) => seen.push(c) });
    const atEpoch2 = seen[0]!;
    expect(atEpoch2.position).toMatchObject({ epoch: 1, phase: 'train', sample: 0 });
    const resumed = await make().run({ ...atEpoch2, learningStats: null });
    const ls = resumed.checkpoint.learningStats!;
    const ref = full.checkpoint.learningStats!;
    expect(ls.startedAt).toEqual({ epoch: 1, sample: 0 });
    expect(ls.curve).toEqual(ref.curve.filter((p) => p.epoch === 2));
    expect(ls.layers).toEqual(ref.layers.filter((r) => r.epoch === 2));
  });
});
