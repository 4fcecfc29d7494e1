import fc from 'fast-check';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkSnapshotWidths, decodeSnapshot, encodeSnapshot, readSnapshotFile, snapshotsEqual } from '../../../src/store/weights-file';
import { WEIGHTS_FILE_VERSION } from '../../../src/store/format-versions';
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

  test('without registers: the same values but no learning registers; unaligned bytes decode the same', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 1, max: 3 }), (s, shift) => {
        const bytes = encodeSnapshot(s);
        const lean = decodeSnapshot(bytes, 'w.bin', { registers: false });
        expect(lean.synapseState.map((a) => a.length)).toEqual(s.synapseState.map(() => 0));
        expect(snapshotsEqual(lean, { ...s, synapseState: s.synapseState.map(() => new Int32Array(0)) })).toBe(true);
        // The same bytes at an offset that is not a multiple of 4 (decoded from a copy of the words).
        const moved = new Uint8Array(bytes.length + shift).subarray(shift);
        moved.set(bytes);
        expect(snapshotsEqual(decodeSnapshot(moved, 'w.bin'), s)).toBe(true);
      }),
      { seed: 4242, numRuns: 40 },
    );
  });

  test('reading the file a piece at a time gives what decoding its bytes gives: the same values or the same error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-wfile-'));
    const file = path.join(dir, 'w.bin');
    const outcome = (f: () => NetworkSnapshot): { snap: string } | { error: string } => {
      try {
        return { snap: Buffer.from(encodeSnapshot(f())).toString('base64') };
      } catch (e) {
        return { error: e instanceof UserError ? `UserError: ${e.message}` : String(e) };
      }
    };
    const same = (bytes: Uint8Array): void => {
      fs.writeFileSync(file, bytes);
      for (const registers of [true, false]) {
        expect(outcome(() => readSnapshotFile(file, 'w.bin', { registers }))).toEqual(outcome(() => decodeSnapshot(bytes, 'w.bin', { registers })));
      }
    };
    try {
      fc.assert(
        fc.property(snapshotArb, fc.nat(), fc.integer({ min: 0, max: 4 }), (s, at, damage) => {
          const bytes = encodeSnapshot(s);
          if (damage === 0) same(bytes);
          else if (damage === 1) same(bytes.subarray(0, at % bytes.length));
          else if (damage === 2) {
            const b = bytes.slice();
            b[at % b.length] = (b[at % b.length] as number) ^ 1;
            same(b);
          } else if (damage === 3) {
            // A valid checksum over a wrong layer count.
            const body = bytes.slice(0, bytes.length - 32);
            new DataView(body.buffer).setUint32(12, at % 5000, true);
            const b = new Uint8Array(bytes.length);
            b.set(body);
            b.set(createHash('sha256').update(body).digest(), body.length);
            same(b);
          } else same(Uint8Array.from([...bytes, 0, 0, 0, 0]));
        }),
        { seed: 77, numRuns: 80 },
      );
      // More than one read buffer's worth (1 MiB): arrays read where they lie across chunks.
      const big: NetworkSnapshot = {
        layers: [700, 900],
        states: [Int32Array.from({ length: 900 }, (_, i) => i)],
        spikes: [new Uint32Array(22), new Uint32Array(29)],
        weights: [Uint32Array.from({ length: 900 * 22 }, (_, i) => (i * 2654435761) >>> 0)],
        synapseState: [Int32Array.from({ length: 700 * 900 }, (_, i) => (i % 11) - 5)],
        biases: [new Int32Array(0)],
      };
      same(encodeSnapshot(big));
      expect(snapshotsEqual(readSnapshotFile(file, 'w.bin'), big)).toBe(true);
      expect(() => readSnapshotFile(path.join(dir, 'missing.bin'), 'missing.bin')).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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

  test('networks of thousands of layers round-trip; a layer count beyond the file is refused', () => {
    // 4,097 layers, as the filled 64x64 TrueNorth-like chip's network has (one layer per core), 2 neurons each.
    const layers = Array.from({ length: 4097 }, () => 2);
    const up = layers.slice(1);
    const s: NetworkSnapshot = {
      layers,
      states: up.map((_, l) => Int32Array.from([l % 7, 3])),
      spikes: layers.map((_, l) => Uint32Array.from([l % 4])),
      weights: up.map((_, l) => Uint32Array.from([l % 4, 3 - (l % 4)])),
      synapseState: up.map((_, l) => Int32Array.from([l % 5, -(l % 3), 1, -1])),
      biases: up.map(() => new Int32Array(0)),
    };
    const bytes = encodeSnapshot(s);
    expect(snapshotsEqual(decodeSnapshot(bytes, 'w.bin'), s)).toBe(true);
    // The same file claiming more layers than it has words (checksum recomputed, so only the count is wrong).
    const body = bytes.slice(0, bytes.length - 32);
    new DataView(body.buffer).setUint32(12, body.length, true);
    const forged = new Uint8Array(bytes.length);
    forged.set(body);
    forged.set(createHash('sha256').update(body).digest(), body.length);
    expect(() => decodeSnapshot(forged, 'w.bin')).toThrow(new UserError(`w.bin: not a valid bitspike weights file: implausible layer count ${body.length}`));
  });

  // Values that fit declared widths: states unsigned, learning registers and biases signed.
  const declaredArb: fc.Arbitrary<NetworkSnapshot> = fc
    .record({ layers: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }), ws: fc.integer({ min: 1, max: 31 }), wh: fc.integer({ min: 1, max: 31 }), wb: fc.integer({ min: 2, max: 31 }) })
    .chain(({ layers, ws, wh, wb }) => {
      const words = (n: number): number => (n + 31) >>> 5;
      const up = layers.slice(1).map((n, i) => ({ n, m: layers[i] as number }));
      const vals = (n: number, lo: number, hi: number): fc.Arbitrary<Int32Array> => fc.array(fc.integer({ min: lo, max: hi }), { minLength: n, maxLength: n }).map((a) => Int32Array.from(a));
      const signed = (w: number): [number, number] => [-(2 ** (w - 1)), 2 ** (w - 1) - 1];
      return fc.record({
        layers: fc.constant(layers),
        widths: fc.constant({ states: ws, synapseState: wh, biases: wb }),
        states: fc.tuple(...up.map(({ n }) => vals(n, 0, 2 ** ws - 1))),
        spikes: fc.tuple(...layers.map((n) => uint32s(words(n)))),
        weights: fc.tuple(...up.map(({ n, m }) => uint32s(n * words(m)))),
        synapseState: fc.tuple(...up.map(({ n, m }) => vals(n * m, ...signed(wh)))),
        biases: fc.tuple(...up.map(({ n }) => fc.oneof(vals(0, 0, 0), vals(n, ...signed(wb))))),
      }) as fc.Arbitrary<NetworkSnapshot>;
    });

  test('values at declared widths round-trip exactly and take ceil(n w / 32) words per array', () => {
    fc.assert(
      fc.property(declaredArb, (s) => {
        const bytes = encodeSnapshot(s);
        const back = decodeSnapshot(bytes, 'w.bin');
        expect(back.widths).toEqual(s.widths);
        for (const k of ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const) expect(back[k].map((a) => Array.from(a))).toEqual(s[k].map((a) => Array.from(a)));
        const w = s.widths!;
        const packed = (a: ArrayLike<number>[], bits: number): number => a.reduce((t, x) => t + 1 + Math.ceil((x.length * bits) / 32), 0);
        const words = 2 + 2 + s.layers.length + 3 + packed(s.states, w.states) + packed(s.spikes, 32) + packed(s.weights, 32) + packed(s.synapseState, w.synapseState) + packed(s.biases, w.biases);
        expect(bytes.length).toBe(4 * words + 32);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  test('a value outside its declared width is a writer bug, not a silent truncation', () => {
    const s: NetworkSnapshot = { layers: [3, 2], widths: { states: 4, synapseState: 3, biases: 8 }, states: [Int32Array.from([0, 15])], spikes: [new Uint32Array(1), new Uint32Array(1)], weights: [new Uint32Array(2)], synapseState: [Int32Array.from([3, -4, 0, 0, 0, 4])], biases: [new Int32Array(0)] };
    expect(() => encodeSnapshot(s)).toThrow('encodeSnapshot: learning register value 4 does not fit its declared 3 bits');
  });

  /** A version-1 file as that version wrote it: every value in its own little-endian 32-bit word, no widths. */
  function versionOneFile(s: NetworkSnapshot, version = 1): Uint8Array {
    const ints: number[] = [version, s.layers.length, ...s.layers];
    for (const g of [s.states, s.spikes, s.weights, s.synapseState, s.biases]) for (const a of g) ints.push(a.length, ...Array.from(a));
    const body = Buffer.alloc(8 + 4 * ints.length);
    body.write('BSPKSNAP', 0, 'ascii');
    ints.forEach((v, i) => body.writeUInt32LE(v >>> 0, 8 + 4 * i));
    return new Uint8Array(Buffer.concat([body, createHash('sha256').update(body).digest()]));
  }

  const small: NetworkSnapshot = {
    layers: [3, 2],
    states: [Int32Array.from([7, 5])],
    spikes: [Uint32Array.from([5]), Uint32Array.from([2])],
    weights: [Uint32Array.from([7, 1])],
    synapseState: [Int32Array.from([1, -2, 3, -4, 5, -6])],
    biases: [new Int32Array(0)],
  };

  test('version 1 files still load, with the same values and no declared widths', () => {
    expect(WEIGHTS_FILE_VERSION).toBe(2);
    const back = decodeSnapshot(versionOneFile(small), 'old.bin');
    expect(back.widths).toBeUndefined();
    expect(snapshotsEqual(back, small)).toBe(true);
    expect(back.synapseState[0]).toEqual(Int32Array.from([1, -2, 3, -4, 5, -6]));
  });

  test('an unknown format version is a one-line UserError naming the file', () => {
    for (const v of [0, 3, 99]) {
      expect(() => decodeSnapshot(versionOneFile(small, v), 'future.bin')).toThrow(new UserError(`future.bin: not a valid bitspike weights file: unsupported format version ${v} (this bitspike reads versions 1 to 2)`));
    }
  });

  test('declared widths that disagree with the config are a UserError naming the file and each width', () => {
    const s = { ...small, widths: { states: 8, synapseState: 6, biases: 8 } };
    expect(() => checkSnapshotWidths(s, { states: 8, synapseState: 6, biases: 8 }, 'w.bin')).not.toThrow();
    expect(() => checkSnapshotWidths(s, { states: 8, synapseState: 4, biases: 6 }, 'w.bin')).toThrow(
      new UserError('w.bin: declared widths disagree with the config: learning registers 6 bits (config 4, from the learning rule), biases 8 bits (config dynamics.biasBits 6)'),
    );
    // Files without declared widths (version 1, float reference) are not width-checked.
    expect(() => checkSnapshotWidths(small, { states: 8, synapseState: 4, biases: 6 }, 'w.bin')).not.toThrow();
  });
});
