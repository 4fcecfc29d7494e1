import fc from 'fast-check';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { decodeSnapshot, encodeSnapshot, snapshotsEqual } from '../../../src/store/weights-file';
import { UserError } from '../../../src/util/errors';

const int32s = (n: number): fc.Arbitrary<Int32Array> => fc.int32Array({ minLength: n, maxLength: n });
const uint32s = (n: number): fc.Arbitrary<Uint32Array> => fc.array(fc.nat({ max: 0xffffffff }), { minLength: n, maxLength: n }).map((a) => Uint32Array.from(a));

const snapshotArb: fc.Arbitrary<NetworkSnapshot> = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }).chain((layers) => {
  const words = (n: number): number => (n + 31) >>> 5;
  const up = layers.slice(1).map((n, i) => ({ n, m: layers[i] as number }));
  return fc.record({
    layers: fc.constant(layers),
    states: fc.tuple(...up.map(({ n }) => int32s(n))),
    spikes: fc.tuple(...layers.map((n) => uint32s(words(n)))),
    weights: fc.tuple(...up.map(({ n, m }) => uint32s(n * words(m)))),
    synapseState: fc.tuple(...up.map(({ n, m }) => int32s(n * m))),
    biases: fc.tuple(...up.map(({ n }) => fc.oneof(int32s(0), int32s(n)))),
  }) as fc.Arbitrary<NetworkSnapshot>;
});

describe('weights file codec', () => {
  test('round-trips every field exactly', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const back = decodeSnapshot(encodeSnapshot(s), 'w.bin');
        expect(back.layers).toEqual(s.layers);
        for (const k of ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const) {
          expect(back[k].map((a) => Array.from(a))).toEqual(s[k].map((a) => Array.from(a)));
          back[k].forEach((a, i) => expect(a.constructor).toBe((s[k][i] as object).constructor));
        }
        return snapshotsEqual(s, back);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  test('truncated, corrupted or foreign files are UserErrors naming the file', () => {
    const s: NetworkSnapshot = {
      layers: [3, 2],
      states: [Int32Array.from([-1, 5])],
      spikes: [Uint32Array.from([5]), Uint32Array.from([2])],
      weights: [Uint32Array.from([7, 1])],
      synapseState: [Int32Array.from([1, -2, 3, -4, 5, -6])],
      biases: [new Int32Array(0)],
    };
    const bytes = encodeSnapshot(s);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1), 'w.bin')).toThrow(new UserError('w.bin: not a valid bitspike weights file: checksum mismatch (truncated or corrupted)'));
    const flipped = bytes.slice();
    flipped[40] = (flipped[40] as number) ^ 1;
    expect(() => decodeSnapshot(flipped, 'w.bin')).toThrow(/checksum mismatch/);
    const foreign = bytes.slice();
    foreign[0] = 0x58;
    expect(() => decodeSnapshot(foreign, 'w.bin')).toThrow('w.bin: not a valid bitspike weights file: wrong magic number');
    expect(() => decodeSnapshot(new Uint8Array(10), 'w.bin')).toThrow(/only 10 bytes/);
  });
});
