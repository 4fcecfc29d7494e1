import { createHash } from 'crypto';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/store/checkpoint';
import { CHECKPOINT_VERSION } from '../../../src/store/format-versions';
import { encodeSnapshot } from '../../../src/store/weights-file';
import { UserError } from '../../../src/util/errors';

const snapshot = (): NetworkSnapshot => ({
  layers: [40, 3],
  states: [Int32Array.from([1, -2, 3])],
  spikes: [Uint32Array.from([5, 1]), Uint32Array.from([2])],
  weights: [Uint32Array.from([1, 2, 3, 4, 5, 6])],
  synapseState: [Int32Array.from({ length: 120 }, (_, i) => (i % 7) - 3)],
  biases: [new Int32Array(0)],
});

const checkpoint = (): Checkpoint => ({
  position: { epoch: 1, phase: 'train', sample: 7, trainCorrect: 3, history: [{ epoch: 1, trainSamples: 10, trainCorrect: 4, trainAccuracy: 0.4, testSamples: 5, testCorrect: 2, testAccuracy: 0.4 }] },
  timings: [{ epoch: 1, trainSeconds: 1, testSeconds: 1, trainCpuSeconds: 1, testCpuSeconds: 1 }],
  counters: { components: { chip: { kind: 'chip', counts: { cycles: 4 } } } },
  inferenceCounters: null,
  snapshot: snapshot(),
  config: { hash: 'ab', keys: { seed: '1' } },
  confusion: [1, 0, 0, 1],
  reportTotals: null,
  learningStats: {
    every: 5,
    startedAt: { epoch: 0, sample: 0 },
    curve: [
      { epoch: 1, sample: 5, samples: 5, correct: 2, outputErrors: 9 },
      { epoch: 1, sample: 10, samples: 5, correct: 2, outputErrors: null },
    ],
    layers: [{ epoch: 1, layer: 1, weightFlips: 3, counterSaturations: 1, spikeDiffs: 4 }],
    window: { samples: 2, correct: 1, outputErrors: 3 },
    epochCounts: [1, 0, 2],
  },
});

/** A file as `version` laid it out: magic, version, JSON header, weights file, SHA-256. */
function fileOf(version: number, meta: unknown, snap: NetworkSnapshot): Uint8Array {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.alloc(16);
  head.write('BSPKCKPT', 0, 'latin1');
  head.writeUInt32LE(version, 8);
  head.writeUInt32LE(json.length, 12);
  const body = Buffer.concat([head, json, Buffer.from(encodeSnapshot(snap))]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('checkpoint codec', () => {
  test(`writes version ${CHECKPOINT_VERSION} and round-trips the learning statistics`, () => {
    const c = checkpoint();
    const bytes = encodeCheckpoint(c);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)).toBe(2);
    const back = decodeCheckpoint(bytes, 'k.bin');
    expect(back.learningStats).toEqual(c.learningStats);
    expect(back.position).toEqual(c.position);
  });

  test('a version 1 file (no learning statistics) still loads, with learningStats null', () => {
    const c = checkpoint();
    // The header version 1 wrote: no learningStats key.
    const meta = { position: c.position, timings: c.timings, counters: c.counters, inferenceCounters: null, config: c.config, confusion: c.confusion, reportTotals: null };
    const back = decodeCheckpoint(fileOf(1, meta, c.snapshot), 'old.bin');
    expect(back.learningStats).toBeNull();
    expect(back.position).toEqual(c.position);
    expect(Array.from(back.snapshot.synapseState[0]!)).toEqual(Array.from(c.snapshot.synapseState[0]!));
  });

  test('a later version is a one-line error naming the file and the versions read', () => {
    const c = checkpoint();
    const bytes = fileOf(3, { position: c.position, timings: c.timings, counters: c.counters }, c.snapshot);
    expect(() => decodeCheckpoint(bytes, 'new.bin')).toThrow(new UserError(`new.bin: not a valid bitspike checkpoint: unsupported version 3 (this bitspike reads versions 1 to ${CHECKPOINT_VERSION})`));
  });
});
