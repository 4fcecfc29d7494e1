/**
 * Fuzz campaign (issue 13, part 4): generated bad configs, chip files, technology
 * tables, IDX files, weights files and checkpoints, each of which must be refused
 * with a UserError of one line (the CLI's exit 2) and nothing else: no other
 * exception, no stack trace. Every generator makes inputs that are bad by
 * construction (a wrong type or an out-of-range value for a declared parameter, an
 * unknown key, a truncation, a flipped bit, a re-signed header that lies), so each
 * case must be refused. A sample also goes through `bitspike train --out`, which must
 * exit 2 and leave no folder. The loaders run in-process for speed; the seed is fixed
 * and printed, so any failure replays.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { CHIP_PARAMS, validateChip } from '../../../src/hw/chip-file';
import { EXPERIMENT_PARAMS, loadExperiment } from '../../../src/config/experiment';
import { parseJsonText } from '../../../src/config/json-file';
import type { Param, SectionParam } from '../../../src/config/param';
import { encodeIdx, parseIdx } from '../../../src/data/idx';
import { parseTechTable } from '../../../src/energy/tech-table';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { CHECKPOINT_VERSION } from '../../../src/store/format-versions';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/store/checkpoint';
import { decodeSnapshot, encodeSnapshot } from '../../../src/store/weights-file';
import { UserError } from '../../../src/util/errors';
import { captureCli } from '../../unit/cli-capture';
import { tempDir, writeTinyConfig } from '../../unit/train/tiny-config';

const SEED = 1313;
const ROOT = path.resolve(__dirname, '../../..');
const dir = tempDir('fuzz');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const refused: Record<string, number> = {};

/** `f` must throw a one-line UserError; counts the case under `kind`. */
function mustRefuse(kind: string, f: () => unknown, input: () => string): void {
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof UserError) || error.message.includes('\n')) {
    throw new Error(`${kind}: ${error === null ? 'accepted' : `not a one-line UserError: ${String((error as Error).stack ?? error)}`} for ${input()}`);
  }
  refused[kind] = (refused[kind] ?? 0) + 1;
}

/** Declared leaves of a section: [dotted path, declaration]. */
function leaves(section: SectionParam, prefix = ''): Array<[string, Param]> {
  const out: Array<[string, Param]> = [];
  for (const [k, p] of Object.entries(section.fields)) {
    const at = prefix === '' ? k : `${prefix}.${k}`;
    if (p.kind === 'section') out.push(...leaves(p, at));
    else out.push([at, p]);
  }
  return out;
}

function sections(section: SectionParam, prefix = ''): string[] {
  const out = [prefix];
  for (const [k, p] of Object.entries(section.fields)) if (p.kind === 'section') out.push(...sections(p, prefix === '' ? k : `${prefix}.${k}`));
  return out;
}

/** Values that no parameter of this kind accepts. */
function badValues(p: Param): unknown[] {
  const wrongType = ['x', true, null, [], { a: 1 }];
  switch (p.kind) {
    case 'int':
      return [1.5, ...wrongType, ...(p.min !== undefined ? [p.min - 1] : []), ...(p.max !== undefined ? [p.max + 1] : [])];
    case 'number':
      return [...wrongType, ...(p.min !== undefined ? [p.min - 1] : []), ...(p.max !== undefined ? [p.max + 1] : [])];
    case 'bool':
      return [0, 'yes', null, [], {}];
    case 'enum':
      return ['no-such-choice', 3, null, []];
    case 'string':
      return [3, true, null, [], {}];
    case 'intArray':
      return ['x', [1.5], ['a'], { a: 1 }, ...(p.min !== undefined ? [[p.min - 1]] : [])];
    default:
      return [];
  }
}

/** A bad value at a declared path, or an unknown key in a declared section. */
function badSetting(section: SectionParam): fc.Arbitrary<[string, unknown]> {
  const typed = leaves(section).filter(([, p]) => badValues(p).length > 0);
  const byType = fc.constantFrom(...typed).chain(([at, p]) => fc.constantFrom(...badValues(p)).map((v): [string, unknown] => [at, v]));
  const unknown = fc.tuple(fc.constantFrom(...sections(section)), fc.stringMatching(/^[a-z]{1,8}$/)).map(([s, k]): [string, unknown] => [`${s === '' ? '' : `${s}.`}zz${k}`, 1]);
  return fc.oneof({ weight: 4, arbitrary: byType }, { weight: 1, arbitrary: unknown });
}

function setAt(obj: unknown, dotted: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  const keys = dotted.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
  return copy;
}

const resign = (body: Uint8Array): Uint8Array => Buffer.concat([body, createHash('sha256').update(body).digest()]);

function tinySnapshot(): NetworkSnapshot {
  return {
    layers: [40, 3],
    states: [Int32Array.from([1, -2, 3])],
    spikes: [Uint32Array.from([5, 1]), Uint32Array.from([2])],
    weights: [Uint32Array.from([1, 2, 3, 4, 5, 6])],
    synapseState: [Int32Array.from({ length: 120 }, (_, i) => i - 60)],
    biases: [new Int32Array(0)],
  };
}

function tinyCheckpoint(): Checkpoint {
  return {
    position: { epoch: 1, phase: 'train', sample: 7, trainCorrect: 3, history: [{ epoch: 1, trainSamples: 10, trainCorrect: 4, trainAccuracy: 0.4, testSamples: 5, testCorrect: 2, testAccuracy: 0.4 }] },
    timings: [{ epoch: 1, trainSeconds: 1, testSeconds: 1, trainCpuSeconds: 1, testCpuSeconds: 1 }],
    counters: { components: { chip: { kind: 'chip', counts: { cycles: 4 } } } },
    inferenceCounters: null,
    snapshot: tinySnapshot(),
    config: { hash: 'ab', keys: { seed: '1' } },
    confusion: [1, 0, 0, 1],
    learningStats: {
      every: 5,
      startedAt: { epoch: 0, sample: 0 },
      curve: [{ epoch: 1, sample: 5, samples: 5, correct: 2, outputErrors: 9 }],
      layers: [{ epoch: 1, layer: 1, weightFlips: 3, counterSaturations: 1, spikeDiffs: 4 }],
      window: { samples: 2, correct: 1, outputErrors: 3 },
      epochCounts: [1, 0, 2],
    },
  };
}

/** A byte sequence made bad: cut short, one bit flipped, or (for re-signable files) a header word changed under a fresh checksum. */
function spoiled(valid: Uint8Array, resignable: Array<(b: Uint8Array) => Uint8Array>): fc.Arbitrary<Uint8Array> {
  const cut = fc.integer({ min: 0, max: valid.length - 1 }).map((n) => valid.slice(0, n));
  const flip = fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 7 })).map(([i, b]) => {
    const c = valid.slice();
    c[i] = (c[i] as number) ^ (1 << b);
    return c;
  });
  const arbs: fc.Arbitrary<Uint8Array>[] = [cut, flip];
  if (resignable.length > 0) arbs.push(fc.constantFrom(...resignable).map((f) => f(valid)));
  return fc.oneof(...arbs);
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').slice(0, 200);

describe(`fuzz: generated bad inputs are one-line errors (fast-check seed ${SEED})`, () => {
  beforeAll(() => process.stdout.write(`fuzz: fast-check seed ${SEED}\n`));
  afterAll(() => {
    const total = Object.values(refused).reduce((a, b) => a + b, 0);
    process.stdout.write(`fuzz: ${total} bad inputs refused with one line: ${JSON.stringify(refused)}\n`);
  });

  test('experiment configs: bad values and unknown keys (--set), broken JSON text', () => {
    fc.assert(
      fc.property(badSetting(EXPERIMENT_PARAMS), ([at, v]) => {
        mustRefuse('config', () => loadExperiment(config, [`${at}=${JSON.stringify(v)}`]), () => `${at}=${JSON.stringify(v)}`);
      }),
      { numRuns: 350, seed: SEED },
    );
    const text = fs.readFileSync(config, 'utf8');
    const last = text.lastIndexOf('}');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: last }), fc.constantFrom('', '{', ']', ',', '"'), (n, junk) => {
        const broken = text.slice(0, n) + junk;
        mustRefuse('config JSON', () => parseJsonText(broken, 'c.json'), () => JSON.stringify(broken));
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  test('chip files: bad values and unknown keys', () => {
    const chip = JSON.parse(fs.readFileSync(path.join(ROOT, 'hw/chips/default.json'), 'utf8'));
    fc.assert(
      fc.property(badSetting(CHIP_PARAMS), ([at, v]) => {
        mustRefuse('chip file', () => validateChip(setAt(chip, at, v), 'chip.json'), () => `${at}=${JSON.stringify(v)}`);
      }),
      { numRuns: 250, seed: SEED },
    );
  });

  test('technology tables: bad values, units, entries and sections', () => {
    const tech = JSON.parse(fs.readFileSync(path.join(ROOT, 'hw/tech/28nm-bulk.json'), 'utf8')) as Record<string, unknown>;
    const entries: string[] = [];
    for (const [s, sec] of Object.entries(tech)) if (typeof sec === 'object' && sec !== null) for (const k of Object.keys(sec)) entries.push(`${s}.${k}`);
    const spoil = fc.oneof(
      fc.tuple(fc.constantFrom(...entries), fc.constantFrom<unknown>(-1, 'x', null, [], true)).map(([e, v]) => [`${e}.value`, v] as const),
      fc.tuple(fc.constantFrom(...entries), fc.constantFrom<unknown>('furlong', 3, null, '')).map(([e, v]) => [`${e}.unit`, v] as const),
      fc.constantFrom(...entries).map((e) => [e, 5] as const),
      fc.constantFrom(...entries).map((e) => [`${e.split('.')[0]}.zzUnknown`, { value: 1, unit: 'pJ', source: 's' }] as const),
      fc.constantFrom('name', 'description').map((k) => [k, ''] as const),
      fc.constantFrom(...new Set(entries.map((e) => e.split('.')[0] as string))).map((s) => [s, 7] as const),
    );
    fc.assert(
      fc.property(spoil, ([at, v]) => {
        mustRefuse('technology table', () => parseTechTable(setAt(tech, at, v), 't.json'), () => `${at}=${JSON.stringify(v)}`);
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  test('IDX files: truncated, wrong magic, dimensions that do not match the data', () => {
    const images = encodeIdx(0x803, [3, 4, 4], Uint8Array.from({ length: 48 }, (_, i) => i * 5));
    const resignable = [
      (b: Uint8Array): Uint8Array => {
        const c = b.slice();
        c[11] = (c[11] as number) + 1; // more rows than the data holds
        return c;
      },
      (b: Uint8Array): Uint8Array => Buffer.concat([b, Uint8Array.of(1, 2)]),
      (b: Uint8Array): Uint8Array => {
        const c = b.slice();
        c[2] = 0x0d; // float elements
        return c;
      },
      (b: Uint8Array): Uint8Array => {
        const c = b.slice();
        c[3] = 1; // one dimension: a label file's magic
        return c;
      },
    ];
    // A bit flip in an element byte leaves a valid file: only cuts and header flips here.
    const headerFlip = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 7 })).map(([i, b]) => {
      const c = images.slice();
      c[i] = (c[i] as number) ^ (1 << b);
      return c;
    });
    const cut = fc.integer({ min: 0, max: images.length - 1 }).map((n) => images.slice(0, n));
    fc.assert(
      fc.property(fc.oneof(cut, headerFlip, fc.constantFrom(...resignable).map((f) => f(images))), (bytes) => {
        mustRefuse('IDX file', () => parseIdx(bytes, 'i.idx', 0x803), () => hex(bytes));
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  test('weights files: truncated, flipped bits, re-signed headers that lie', () => {
    const valid = encodeSnapshot(tinySnapshot());
    const body = (b: Uint8Array): Uint8Array => b.subarray(0, b.length - 32);
    const word = (b: Uint8Array, at: number, v: number): Uint8Array => {
      const c = body(b).slice();
      new DataView(c.buffer).setUint32(at, v, true);
      return resign(c);
    };
    const resignable = [
      (b: Uint8Array) => word(b, 8, 99), // version
      (b: Uint8Array) => word(b, 12, 3), // layer count
      (b: Uint8Array) => word(b, 12, 0),
      (b: Uint8Array) => word(b, 16, 64), // 64 inputs: arrays of 40-input size no longer fit
      (b: Uint8Array) => word(b, 20, 4), // 4 outputs
      (b: Uint8Array) => word(b, 24, 5), // declared state width: the 32-bit arrays no longer fit
      (b: Uint8Array) => word(b, 36, 5), // length of the first states array
      (b: Uint8Array) => resign(body(b).slice(0, body(b).length - 4)),
      (b: Uint8Array) => resign(Buffer.concat([body(b), Uint8Array.of(0, 0, 0, 0)])),
    ];
    fc.assert(
      fc.property(spoiled(valid, resignable), (bytes) => {
        mustRefuse('weights file', () => decodeSnapshot(bytes, 'w.bin'), () => hex(bytes));
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  test('checkpoints: truncated, flipped bits, re-signed headers with garbage or lying JSON', () => {
    const c = tinyCheckpoint();
    const valid = encodeCheckpoint(c);
    expect(decodeCheckpoint(valid, 'k.bin').position).toEqual(c.position);
    const snap = encodeSnapshot(c.snapshot);
    const withHeader = (json: string): Uint8Array => {
      const j = Buffer.from(json, 'utf8');
      const head = Buffer.alloc(16);
      head.write('BSPKCKPT', 0, 'latin1');
      head.writeUInt32LE(CHECKPOINT_VERSION, 8);
      head.writeUInt32LE(j.length, 12);
      return resign(Buffer.concat([head, j, snap]));
    };
    const meta = JSON.parse(Buffer.from(valid.subarray(16, 16 + new DataView(valid.buffer, valid.byteOffset).getUint32(12, true))).toString('utf8'));
    const lies: Array<[string, unknown]> = [
      ['position.epoch', -1],
      ['position.epoch', 'x'],
      ['position.phase', 'sleep'],
      ['position.sample', 1.5],
      ['position.history', {}],
      ['position.history.0.testCorrect', null],
      ['timings', 3],
      ['counters', []],
      ['counters.components.chip.counts.cycles', 'many'],
      ['config', 'abc'],
      ['confusion', [1, -1]],
      ['learningStats', 7],
      ['learningStats.every', 0],
      ['learningStats.startedAt', null],
      ['learningStats.curve.0.correct', -2],
      ['learningStats.curve.0.outputErrors', 'x'],
      ['learningStats.layers.0.weightFlips', 0.5],
      ['learningStats.window', []],
      ['learningStats.epochCounts', [1, 'a']],
    ];
    const garbage = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom(...lies).map(([at, v]) => JSON.stringify(setAt(meta, at, v))),
      fc.string().map((s) => `{${s}`),
    );
    fc.assert(
      fc.property(fc.oneof(spoiled(valid, []), garbage.map(withHeader)), (bytes) => {
        mustRefuse('checkpoint', () => decodeCheckpoint(bytes, 'k.bin'), () => hex(bytes));
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  test('through the CLI: bad configs exit 2 with one line and write nothing', async () => {
    const out = path.join(dir, 'never');
    const cases = fc.sample(badSetting(EXPERIMENT_PARAMS), { numRuns: 40, seed: SEED });
    for (const [at, v] of cases) {
      const r = await captureCli(['train', config, '--set', `${at}=${JSON.stringify(v)}`, '--out', out]);
      expect([at, v, r.code]).toEqual([at, v, 2]);
      expect(r.err.split('\n')).toHaveLength(2);
      expect(fs.existsSync(out)).toBe(false);
      refused['config via CLI'] = (refused['config via CLI'] ?? 0) + 1;
    }
  });
});
