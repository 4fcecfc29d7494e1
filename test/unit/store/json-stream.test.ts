/**
 * Streaming writes: JSON and CSV text handed to the file in pieces (src/store/json-stream.ts,
 * writeStreamAtomic), byte-identical to the one-string forms, and a payload whose text is
 * longer than V8's largest string written without "RangeError: Invalid string length".
 */
import { createHash } from 'crypto';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonText, writeJsonAtomic, writeStreamAtomic } from '../../../src/store/atomic-write';
import { decodeCheckpoint, encodeCheckpoint, encodeCheckpointParts, type Checkpoint } from '../../../src/store/checkpoint';
import { ChunkCollector, emitJson } from '../../../src/store/json-stream';
import { emitCsv, toCsv } from '../../../src/report/csv';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { modelParams } from '../../differential/configs';

const SEED = 2025;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function joined(value: unknown, gap: string): string {
  const parts: string[] = [];
  emitJson(value, (p) => parts.push(p), gap);
  return parts.join('');
}

/** JSON.stringify's odd cases: skipped members, non-finite numbers, -0, toJSON, typed arrays, boxed values. */
const odd = fc.constantFrom<unknown>(undefined, () => 1, NaN, Infinity, -0, new Date(0), new Uint8Array([1, 2]), new Number(3), new String('s'), 'quote " and \\ and \n and \u2028', '');
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.jsonValue({ maxDepth: 1 }), odd),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 4 })),
})).node;

describe(`streamed JSON equals JSON.stringify (fast-check seed ${SEED})`, () => {
  beforeAll(() => process.stdout.write(`json-stream: fast-check seed ${SEED}\n`));
  test.each(['', '  '])('gap %j: any value, piece by piece', (gap) => {
    fc.assert(
      fc.property(value, (v) => {
        const want = JSON.stringify(v, null, gap);
        if (want === undefined) expect(() => joined(v, gap)).toThrow(TypeError);
        else expect(joined(v, gap)).toBe(want);
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  test('a circular value is refused like JSON.stringify', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(() => joined(a, '  ')).toThrow(/circular/);
  });

  test('writeJsonAtomic writes the bytes of jsonText and leaves no temporary file', () => {
    const v = { a: [1, 2, { b: 'ü€' }], c: null, d: undefined, e: 1.5e-7 };
    const f = path.join(dir, 'small.json');
    writeJsonAtomic(f, v);
    expect(fs.readFileSync(f, 'utf8')).toBe(jsonText(v));
    expect(fs.readdirSync(dir)).toEqual(['small.json']);
    fs.rmSync(f);
  });

  test('CSV in lines equals toCsv', () => {
    const rows = [[1, 'a,b', true], [2, 'say "x"', false]];
    const parts: string[] = [];
    emitCsv(['n', 's', 'ok'], rows, (l) => parts.push(l));
    expect(parts).toHaveLength(3);
    expect(parts.join('')).toBe('n,s,ok\n1,"a,b",true\n2,"say ""x""",false\n');
    expect(toCsv(['n', 's', 'ok'], rows)).toBe(parts.join(''));
  });

  test('an error thrown while producing removes the temporary file and keeps the old file', () => {
    const f = path.join(dir, 'keep.json');
    fs.writeFileSync(f, 'old');
    expect(() =>
      writeStreamAtomic(f, (w) => {
        w('new');
        throw new Error('producer failed');
      }),
    ).toThrow('producer failed');
    expect(fs.readdirSync(dir)).toEqual(['keep.json']);
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
    fs.rmSync(f);
  });
});

describe('size alone never crashes a write', () => {
  // V8's largest string is 2^29 - 24 characters (64-bit Node 20): JSON.stringify of a longer text
  // throws "RangeError: Invalid string length". 5,400 references to one object of 100,000
  // characters make a 540-million-character JSON text while the value itself holds one string.
  const piece = { s: 'x'.repeat(100_000), n: 7 };
  const big = Array.from({ length: 5_400 }, () => piece);

  test('a JSON text longer than the largest string: writeJsonAtomic writes it (checked by length and SHA-256)', () => {
    const f = path.join(dir, 'big.json');
    writeJsonAtomic(f, big);
    // Expected text: "[\n  " + element ("{\n    \"s\": ...,\n    \"n\": 7\n  }") joined by ",\n  " + "\n]\n".
    const element = JSON.stringify(piece, null, 2).replace(/\n/g, '\n  ');
    const want = createHash('sha256');
    let length = 0;
    const feed = (s: string): void => {
      want.update(s);
      length += Buffer.byteLength(s);
    };
    feed('[\n  ');
    for (let i = 0; i < big.length; i++) feed(i === 0 ? element : `,\n  ${element}`);
    feed('\n]\n');
    expect(length).toBeGreaterThan(2 ** 29);
    expect(fs.statSync(f).size).toBe(length);
    const got = createHash('sha256');
    const fd = fs.openSync(f, 'r');
    const buf = Buffer.alloc(1 << 22);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) got.update(buf.subarray(0, n));
    fs.closeSync(fd);
    expect(got.digest('hex')).toBe(want.digest('hex'));
    fs.rmSync(f);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a checkpoint header spanning several buffers round-trips', () => {
    const ckpt: Checkpoint = {
      position: { epoch: 1, phase: 'train', sample: 0, trainCorrect: 0, history: [] },
      timings: [],
      counters: { components: { chip: { kind: 'chip', counts: { cycles: 5 } } } },
      inferenceCounters: null,
      snapshot: new FunctionalEngine(modelParams({ network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 } }), 1).snapshot(),
      reportTotals: { links: Array.from({ length: 200_000 }, (_, i) => i) },
    };
    const parts = encodeCheckpointParts(ckpt);
    // 200,000 numbers of up to 6 digits: about 1.3 MB of header in 1 MiB buffers (+ magic, snapshot, hash).
    expect(parts.length).toBeGreaterThanOrEqual(5);
    const c = new ChunkCollector(4);
    emitJson([12345, 'ab'], c.emit);
    c.flush();
    // pieces '[', '12345', ',', '"ab"', ']': a buffer closes once it holds >= 4 characters
    expect(c.buffers.map((b) => b.toString())).toEqual(['[12345', ',"ab"', ']']);
    const back = decodeCheckpoint(encodeCheckpoint(ckpt), 'ckpt.bin');
    expect(back.reportTotals).toEqual(ckpt.reportTotals);
    expect(back.position).toEqual(ckpt.position);
  });
});
