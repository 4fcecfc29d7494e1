/**
 * Resumable training state: where the trainer is (epoch, phase, sample), what it has
 * measured so far, the engine's NetworkSnapshot and its counters.
 *
 * File layout (integers 32-bit little-endian):
 *   "BSPKCKPT" (8 bytes), version (=2), J, J bytes of UTF-8 JSON (position, timings,
 *   counters, inferenceCounters, config, confusion, reportTotals, learningStats), then a complete weights file (src/store/weights-file.ts) to the
 *   end, minus a final SHA-256 of every preceding byte (32 bytes).
 * Version 2 added learningStats (the trainer's learning curve and per-layer counts);
 * version 1 files still load, with learningStats null.
 */
import { constants } from 'buffer';
import { createHash } from 'crypto';
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { NetworkSnapshot } from '../learning/engine';
import { decodeSnapshot, encodeSnapshot } from './weights-file';
import { UserError } from '../util/errors';
import { CHECKPOINT_VERSION as VERSION } from './format-versions';
import { ChunkCollector, emitJson } from './json-stream';
import { parseJsonBytes } from './json-bytes';

/** Measured outcome of one finished epoch (deterministic: no wall-clock values). */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  trainSamples: number;
  /** Correct free-phase predictions made while training on this epoch's samples. */
  trainCorrect: number;
  trainAccuracy: number;
  testSamples: number;
  testCorrect: number;
  testAccuracy: number;
}

/** Wall-clock and CPU time of one epoch (kept apart from the deterministic records). */
export interface EpochTiming {
  epoch: number;
  trainSeconds: number;
  testSeconds: number;
  trainCpuSeconds: number;
  testCpuSeconds: number;
}

/** Where training stands. */
export interface TrainerPosition {
  /** 0-based epoch in progress (= epochs when finished). */
  epoch: number;
  /** "train": `sample` training samples of this epoch are done; "test": training of this epoch is done, testing starts over. */
  phase: 'train' | 'test';
  sample: number;
  /** Correct training predictions so far in this epoch. */
  trainCorrect: number;
  /** Finished epochs. */
  history: EpochRecord[];
}

/** One point of the within-epoch learning curve: the training samples of one window. */
export interface CurvePoint {
  /** 1-based epoch. */
  epoch: number;
  /** Training samples of this epoch done at the end of the window. */
  sample: number;
  /** Samples in the window (learningStats.every, fewer at an epoch's end). */
  samples: number;
  /** Correct free-phase predictions in the window. */
  correct: number;
  /** Output errors (Engine SampleResult.outputErrors) summed over the window; null when the engine gives none. */
  outputErrors: number | null;
}

/** Learning counts of one weight layer over one epoch's training (src/learning/learn-counts.ts). */
export interface LayerEpochRecord {
  /** 1-based epoch. */
  epoch: number;
  /** Weight layer l >= 1 (layer l-1 -> layer l). */
  layer: number;
  weightFlips: number;
  counterSaturations: number;
  spikeDiffs: number;
}

/** Training statistics gathered by the trainer (learning curve, per-layer counts), resumable. */
export interface LearningStats {
  /** Training samples per curve point (run.curveEvery when the run started). */
  every: number;
  /** Where counting started: epoch 0 sample 0, or later for a run resumed from a checkpoint that predates these statistics. */
  startedAt: { epoch: number; sample: number };
  curve: CurvePoint[];
  /** Finished epochs, layer by layer (empty for engines without learning counts). */
  layers: LayerEpochRecord[];
  /** The window in progress. */
  window: { samples: number; correct: number; outputErrors: number | null };
  /** The epoch in progress: per weight layer its learning counts so far (3 values per layer, LEARN_COUNT_NAMES order). */
  epochCounts: number[];
}

/** Everything needed to continue a run exactly where it stopped. */
export interface Checkpoint {
  position: TrainerPosition;
  /** Timings of finished epochs, then the partial timing of the epoch in progress. */
  timings: EpochTiming[];
  /** Counters of all work whose effect the snapshot holds. */
  counters: CounterSnapshot;
  /** The part of `counters` spent on test inferences (the rest is training); null in checkpoints that predate the split. */
  inferenceCounters: CounterSnapshot | null;
  snapshot: NetworkSnapshot;
  /**
   * The bit-relevant config the run was started with (flattened, src/store/config-identity.ts)
   * and its SHA-256; null in checkpoints that predate them.
   */
  config?: { hash: string; keys: Record<string, string> } | null;
  /** Confusion matrix of the last finished test pass (row = label), so that a finished checkpoint can rewrite confusion.csv. */
  confusion?: number[] | null;
  /** What the engine reports over a run beyond counters (the chip: cycles, per-sample log, link loads), accumulated so far; opaque JSON, null for engines without reports. */
  reportTotals?: unknown;  /** Training statistics so far; null in checkpoints that predate them (version 1). */
  learningStats?: LearningStats | null;
}

const MAGIC = 'BSPKCKPT';

/**
 * Encode a checkpoint as the consecutive pieces of its file bytes: the header JSON is
 * built in ~1 MiB buffers (src/store/json-stream.ts) and hashed piece by piece, so a
 * header longer than V8's largest string (huge per-link report totals) is no crash.
 */
export function encodeCheckpointParts(c: Checkpoint): Uint8Array[] {
  const json = new ChunkCollector();
  emitJson(
    {
      position: c.position,
      timings: c.timings,
      counters: c.counters,
      inferenceCounters: c.inferenceCounters,
      config: c.config ?? null,
      confusion: c.confusion ?? null,
      reportTotals: c.reportTotals ?? null,
      learningStats: c.learningStats ?? null,
    },
    json.emit,
  );
  json.flush();
  if (json.bytes > 0xffffffff) throw new Error(`checkpoint header of ${json.bytes} bytes does not fit its 32-bit length field`);
  const head = new Uint8Array(16);
  head.set(Buffer.from(MAGIC, 'ascii'), 0);
  const view = new DataView(head.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.bytes, true);
  const parts: Uint8Array[] = [head, ...json.buffers, encodeSnapshot(c.snapshot)];
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  parts.push(hash.digest());
  return parts;
}

/** Encode a checkpoint as file bytes (encodeCheckpointParts joined). */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  return Buffer.concat(encodeCheckpointParts(c));
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;

function countersProblem(c: unknown, what: string): string | null {
  if (!isObject(c) || !isObject(c['components'])) return `${what} is not a counter snapshot`;
  for (const [id, comp] of Object.entries(c['components'])) {
    if (!isObject(comp) || typeof comp['kind'] !== 'string' || !isObject(comp['counts'])) return `${what}.${id} is not a component's counts`;
    for (const [k, v] of Object.entries(comp['counts'])) if (typeof v !== 'number' || !Number.isFinite(v)) return `${what}.${id}.${k} is not a number`;
  }
  return null;
}

/**
 * What is wrong with a checkpoint header (null: nothing). The checksum proves the
 * bytes are the ones written; this proves a writer wrote what the trainer needs, so a
 * damaged or foreign header is a one-line error here rather than a crash later.
 */
function metaProblem(m: unknown): string | null {
  if (!isObject(m)) return 'not an object';
  const p = m['position'];
  if (!isObject(p)) return 'no position';
  for (const k of ['epoch', 'sample', 'trainCorrect']) if (!isCount(p[k])) return `position.${k} is not a count`;
  if (p['phase'] !== 'train' && p['phase'] !== 'test') return 'position.phase is neither train nor test';
  if (!Array.isArray(p['history'])) return 'position.history is not a list';
  for (const [i, r] of (p['history'] as unknown[]).entries()) {
    if (!isObject(r)) return `position.history[${i}] is not an epoch record`;
    for (const k of ['epoch', 'trainSamples', 'trainCorrect', 'testSamples', 'testCorrect']) if (!isCount(r[k])) return `position.history[${i}].${k} is not a count`;
    for (const k of ['trainAccuracy', 'testAccuracy']) if (typeof r[k] !== 'number') return `position.history[${i}].${k} is not a number`;
  }
  if (!Array.isArray(m['timings']) || !(m['timings'] as unknown[]).every((t) => isObject(t) && isCount(t['epoch']))) return 'timings is not a list of epoch timings';
  const c = countersProblem(m['counters'], 'counters');
  if (c !== null) return c;
  if (m['inferenceCounters'] != null) {
    const ic = countersProblem(m['inferenceCounters'], 'inferenceCounters');
    if (ic !== null) return ic;
  }
  const cfg = m['config'];
  if (cfg != null && (!isObject(cfg) || typeof cfg['hash'] !== 'string' || !isObject(cfg['keys']))) return 'config is not a config identity';
  const conf = m['confusion'];
  if (conf != null && (!Array.isArray(conf) || !conf.every(isCount))) return 'confusion is not a list of counts';
  return m['learningStats'] == null ? null : learningStatsProblem(m['learningStats']);
}

function learningStatsProblem(ls: unknown): string | null {
  if (!isObject(ls)) return 'learningStats is not an object';
  if (!isCount(ls['every']) || (ls['every'] as number) < 1) return 'learningStats.every is not a positive count';
  const at = ls['startedAt'];
  if (!isObject(at) || !isCount(at['epoch']) || !isCount(at['sample'])) return 'learningStats.startedAt is not a position';
  const errs = (x: unknown): boolean => x === null || isCount(x);
  const curve = ls['curve'];
  if (!Array.isArray(curve)) return 'learningStats.curve is not a list';
  for (const [i, p] of curve.entries()) {
    if (!isObject(p) || !['epoch', 'sample', 'samples', 'correct'].every((k) => isCount(p[k])) || !errs(p['outputErrors'])) return `learningStats.curve[${i}] is not a curve point`;
  }
  const layers = ls['layers'];
  if (!Array.isArray(layers)) return 'learningStats.layers is not a list';
  for (const [i, r] of layers.entries()) {
    if (!isObject(r) || !['epoch', 'layer', 'weightFlips', 'counterSaturations', 'spikeDiffs'].every((k) => isCount(r[k]))) return `learningStats.layers[${i}] is not a layer record`;
  }
  const w = ls['window'];
  if (!isObject(w) || !isCount(w['samples']) || !isCount(w['correct']) || !errs(w['outputErrors'])) return 'learningStats.window is not a window';
  const ec = ls['epochCounts'];
  if (!Array.isArray(ec) || !ec.every(isCount)) return 'learningStats.epochCounts is not a list of counts';
  return null;
}

/**
 * Decode checkpoint file bytes; `file` names the file in the UserError for a bad file.
 * A header longer than `stringLimit` (default: V8's largest string) is parsed from its
 * bytes (json-bytes.ts) instead of through one string.
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string, stringLimit: number = constants.MAX_STRING_LENGTH): Checkpoint {
  const bad = (problem: string): UserError => new UserError(`${file}: not a valid bitspike checkpoint: ${problem}`);
  if (bytes.length < 16 + 32) throw bad(`only ${bytes.length} bytes`);
  if (Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw bad('wrong magic number');
  const body = bytes.length - 32;
  if (!createHash('sha256').update(bytes.subarray(0, body)).digest().equals(Buffer.from(bytes.subarray(body)))) {
    throw bad('checksum mismatch (truncated or corrupted)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = view.getUint32(8, true);
  // Version 1 has no learningStats; it loads (the statistics then start where it resumes).
  if (version !== VERSION && version !== 1) throw bad(`unsupported version ${version} (this bitspike reads versions 1 to ${VERSION})`);
  const jsonLength = view.getUint32(12, true);
  if (16 + jsonLength > body) throw bad('truncated');
  let meta: Omit<Checkpoint, 'snapshot'>;
  try {
    // A header written in pieces may be longer than the largest string: parse it from its bytes.
    const header = bytes.subarray(16, 16 + jsonLength);
    meta = (jsonLength > stringLimit ? parseJsonBytes(header) : JSON.parse(Buffer.from(header).toString('utf8'))) as Omit<Checkpoint, 'snapshot'>;
  } catch {
    throw bad('unreadable header');
  }
  const problem = metaProblem(meta);
  if (problem !== null) throw bad(`header: ${problem}`);
  const snapshot = decodeSnapshot(bytes.subarray(16 + jsonLength, body), file);
  return {
    position: meta.position,
    timings: meta.timings,
    counters: meta.counters,
    inferenceCounters: meta.inferenceCounters ?? null,
    snapshot,
    config: meta.config ?? null,
    confusion: meta.confusion ?? null,
    reportTotals: meta.reportTotals ?? null,
    learningStats: version >= 2 ? (meta.learningStats ?? null) : null,
  };
}
