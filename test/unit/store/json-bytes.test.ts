/**
 * JSON parsed from bytes (src/store/json-bytes.ts), the reader of checkpoint headers longer
 * than V8's largest string: equal to JSON.parse on generated documents, refusing what
 * JSON.parse refuses, and used by decodeCheckpoint above its string limit.
 */
import { constants } from 'buffer';
import { createHash } from 'crypto';
import * as fc from 'fast-check';
import { parseJsonBytes } from '../../../src/store/json-bytes';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/store/checkpoint';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { modelParams } from '../../differential/configs';

const SEED = 20261203;

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe(`JSON from bytes equals JSON.parse (fast-check seed ${SEED})`, () => {
  beforeAll(() => process.stdout.write(`json-bytes: fast-check seed ${SEED}\n`));

  test('generated documents (unicode strings, numbers, nesting, whitespace)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), fc.constantFrom('', ' ', '\t', '  \r\n'), (v, gap) => {
        const text = JSON.stringify(v, null, gap);
        expect(parseJsonBytes(bytes(text))).toStrictEqual(JSON.parse(text));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  test('hand cases: escapes, surrogate pairs, exponents, __proto__ as an own key, duplicate keys', () => {
    for (const text of [
      '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"',
      '"grüße 😀"',
      '[-0, 0.5, -1.25e-7, 1E+21, 123456789012345678901234567890]',
      '{"__proto__": {"x": 1}, "a": 1, "a": 2}',
      ' \n {"k" : [ true , false , null ] } \t',
      '[]',
      '{}',
    ]) {
      expect(parseJsonBytes(bytes(text))).toStrictEqual(JSON.parse(text));
    }
    const o = parseJsonBytes(bytes('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__']);
  });

  test('what JSON.parse refuses is refused (SyntaxError with the byte offset)', () => {
    for (const text of ['', ' ', '{', '[1,]', '{"a":1,}', '{"a" 1}', '{a:1}', '01', '-', '1.', '.5', '+1', '1e', 'tru', 'nul', '"abc', '"a\nb"', '"\\x41"', '"\\u12"', '[1] 2', '{"a":1}}', 'NaN', "'a'"]) {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(() => parseJsonBytes(bytes(text))).toThrow(/at byte \d+ of \d+/);
    }
  });
});

test('decodeCheckpoint parses a header longer than its string limit from the bytes, with the same result', () => {
  const ckpt: Checkpoint = {
    position: { epoch: 2, phase: 'test', sample: 17, trainCorrect: 9, history: [{ epoch: 1, trainSamples: 20, trainCorrect: 9, testSamples: 10, testCorrect: 4, trainAccuracy: 0.45, testAccuracy: 0.4 }] },
    timings: [{ epoch: 1, trainSeconds: 0.5, testSeconds: 0.25 } as never],
    counters: { components: { chip: { kind: 'chip', counts: { cycles: 5, 'spikes é': 3 } } } },
    inferenceCounters: null,
    snapshot: new FunctionalEngine(modelParams({ network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 } }), 1).snapshot(),
    config: { hash: 'ab', keys: { seed: '1', 'data.shift': '1' } },
    confusion: [1, 2, 3, 4],
    reportTotals: { links: Array.from({ length: 1000 }, (_, i) => i * 1.5), name: 'x"y' },
  };
  const file = encodeCheckpoint(ckpt);
  const viaString = decodeCheckpoint(file, 'c.bin');
  const viaBytes = decodeCheckpoint(file, 'c.bin', 100);
  expect(viaBytes).toEqual(viaString);
  expect(viaBytes.reportTotals).toEqual(ckpt.reportTotals);
  expect(viaBytes.config).toEqual(ckpt.config);
  // A damaged header read from bytes is the same one-line error as through a string.
  const broken = Buffer.from(file);
  broken[16] = 0x5d; // ']' where the header's '{' was; the checksum is recomputed so only the JSON is wrong
  createHash('sha256').update(broken.subarray(0, broken.length - 32)).digest().copy(broken, broken.length - 32);
  expect(() => decodeCheckpoint(broken, 'c.bin', 100)).toThrow(/^c\.bin: not a valid bitspike checkpoint: unreadable header$/);
  expect(() => decodeCheckpoint(broken, 'c.bin')).toThrow(/^c\.bin: not a valid bitspike checkpoint: unreadable header$/);
});

test('a checkpoint whose header is longer than the largest string reads back (540 million bytes)', () => {
  // 5,400 strings of 100,000 characters: a 540,016,425-byte header against V8's 536,870,888.
  const piece = 'x'.repeat(100_000);
  const ckpt: Checkpoint = {
    position: { epoch: 1, phase: 'train', sample: 0, trainCorrect: 0, history: [] },
    timings: [],
    counters: { components: {} },
    inferenceCounters: null,
    snapshot: new FunctionalEngine(modelParams({ network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 } }), 1).snapshot(),
    reportTotals: { log: Array.from({ length: 5_400 }, () => piece) },
  };
  const file = encodeCheckpoint(ckpt);
  expect(Buffer.from(file).readUInt32LE(12)).toBeGreaterThan(constants.MAX_STRING_LENGTH);
  const back = decodeCheckpoint(file, 'big.bin');
  const log = (back.reportTotals as { log: string[] }).log;
  expect(log.length).toBe(5_400);
  expect(log.every((s) => s === piece)).toBe(true);
});
