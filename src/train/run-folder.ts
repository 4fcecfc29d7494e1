/**
 * The run folder: every result of one training run, each file written atomically.
 *   config.resolved.json  the validated config, defaults filled, input paths absolute
 *   checkpoint.bin        the resumable state (rewritten at each checkpoint)
 *   epochs.csv            per-epoch train/test accuracy, seconds, samples/s
 *   results.json          final metrics: deterministic, byte-identical across runs
 *                         with the same config and seed (no wall-clock values)
 *   timing.json           wall-clock and CPU seconds, samples/s (varies run to run)
 *   counters.json         the engine's event counters over the whole run
 *   weights.bin           the final NetworkSnapshot (src/store/weights-file.ts)
 *   confusion.csv         test confusion matrix of the last epoch (row = label)
 *   learning-curve.csv    accuracy and output loss every run.curveEvery training samples
 *   layer-stats.csv       per epoch and weight layer: weight flips, counter saturations,
 *                         neurons whose spikes differ between the two phases
 *   learning.json         both, as JSON (docs/training-results.md §6 says what each column means)
 *   chip.json, tech.json  hardware derived by `--set chip.*` / `tech.*`, if any
 * The folder itself is created only once a run is ready to start, so a mistake in the
 * config, the data or the network leaves no folder behind. One process at a time
 * holds a folder (.bitspike.lock, src/store/folder-lock.ts). Files are written so that
 * at every instant the folder is in one of the states of runFolderState: results.json
 * is written last, so "finished" means every result file is there.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ExperimentConfig } from '../config/experiment';
import { isTempName, writeFileAtomic, writeJsonAtomic, writeStreamAtomic } from '../store/atomic-write';
import { configHash, flattenConfig } from '../store/config-identity';
import { LOCK_FILE } from '../store/folder-lock';
import { makeFolder } from '../store/writable';
import { toCsv } from '../report/csv';
import { encodeSnapshot } from '../store/weights-file';
import { UserError } from '../util/errors';
import { encodeCheckpointParts, type Checkpoint, type CurvePoint, type EpochRecord, type EpochTiming, type LayerEpochRecord, type LearningStats } from '../store/checkpoint';

/** File names inside a run folder. */
export const RUN_FILES = {
  config: 'config.resolved.json',
  checkpoint: 'checkpoint.bin',
  epochs: 'epochs.csv',
  results: 'results.json',
  timing: 'timing.json',
  counters: 'counters.json',
  weights: 'weights.bin',
  confusion: 'confusion.csv',
  learningCurve: 'learning-curve.csv',
  layerStats: 'layer-stats.csv',
  learning: 'learning.json',
} as const;

/** UTC time as YYYYMMDD-HHMMSS. */
export function timestampName(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The default run folder runs/<config>-<seed>-<time>, with -2, -3, ... if taken. */
export function defaultRunDir(root: string, configName: string, seed: number, now: Date): string {
  const base = path.join(root, `${configName}-${seed}-${timestampName(now)}`);
  let dir = base;
  for (let k = 2; fs.existsSync(dir); k++) dir = `${base}-${k}`;
  return dir;
}

/**
 * What a folder holds, as a run folder:
 *   absent       no such path
 *   empty        a folder with nothing but a lock or temporary files: free for a new run
 *   restartable  the resolved config but no checkpoint yet (stopped in its first epoch): --resume starts it over
 *   resumable    a checkpoint but no results.json: --resume continues it
 *   finished     results.json (written last: every result file is there)
 *   other        something else: a file, or a folder of other files
 */
export type RunFolderState = 'absent' | 'empty' | 'restartable' | 'resumable' | 'finished' | 'other';

/** The state of `dir` as a run folder; files named in `mayHold` (a sweep point's own files) count as absent. */
export function runFolderState(dir: string, mayHold: readonly string[] = []): RunFolderState {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir, { throwIfNoEntry: false });
  } catch {
    return 'absent'; // a file where a parent folder should be: nothing here (creating it fails with its own message)
  }
  if (st === undefined) return 'absent';
  if (!st.isDirectory()) return 'other';
  const names = fs.readdirSync(dir).filter((n) => n !== LOCK_FILE && !isTempName(n) && !mayHold.includes(n));
  if (names.length === 0) return 'empty';
  if (names.includes(RUN_FILES.results)) return 'finished';
  if (names.includes(RUN_FILES.checkpoint)) return 'resumable';
  if (names.includes(RUN_FILES.config)) return 'restartable';
  return 'other';
}

/** Refuse an --out folder that already holds files other than `mayHold` (a run never overwrites another), saying what to do instead. */
export function checkRunDirFree(dir: string, mayHold: readonly string[] = []): void {
  const state = runFolderState(dir, mayHold);
  if (state === 'absent' || state === 'empty') return;
  const hint: Record<string, string> = {
    restartable: 'it holds a run stopped before its first checkpoint: start it again with --resume, or choose another --out',
    resumable: 'it holds an interrupted run: continue it with --resume, or choose another --out',
    finished: 'it holds a finished run: choose another --out',
    other: 'it is not empty: choose another --out',
  };
  throw new UserError(`${dir}: output folder already exists (${hint[state]})`);
}

/** Create the run folder (and parents), failures being one-line user errors. */
export function makeRunDir(dir: string): void {
  makeFolder(dir, 'create the run folder');
}

/** Create the run folder and write the resolved config into it. */
export function createRunDir(dir: string, config: ExperimentConfig): void {
  makeRunDir(dir);
  writeJsonAtomic(path.join(dir, RUN_FILES.config), config);
}

/**
 * Config keys that cannot change a run's bits: its length (resume may extend it),
 * where outputs go, progress display, checkpoint and learning-curve frequency (the
 * curve's stride is kept in the checkpoint), the host memory budget, traces, the technology
 * table (it prices counters at the end, it does not change them).
 */
export const KEYS_OUTSIDE_IDENTITY = ['run.epochs', 'run.outDir', 'run.progress', 'run.checkpointEvery', 'run.memoryBudget', 'run.curveEvery', 'trace', 'tech'] as const;

/** The identity of a run's config that its checkpoints record (flattened keys and hash). */
export function runIdentity(config: ExperimentConfig): { hash: string; keys: Record<string, string> } {
  const keys = flattenConfig(config, KEYS_OUTSIDE_IDENTITY);
  return { hash: configHash(keys), keys };
}

/** Per-epoch CSV: accuracies, then times and rates. */
export function epochsCsv(history: readonly EpochRecord[], timings: readonly EpochTiming[]): string {
  const rows = history.map((r) => {
    const t = timings.find((x) => x.epoch === r.epoch);
    const trainSec = t?.trainSeconds ?? 0;
    const testSec = t?.testSeconds ?? 0;
    return [
      r.epoch,
      r.trainAccuracy,
      r.testAccuracy,
      Number(trainSec.toFixed(3)),
      Number(testSec.toFixed(3)),
      trainSec > 0 ? Number((r.trainSamples / trainSec).toFixed(1)) : 0,
      testSec > 0 ? Number((r.testSamples / testSec).toFixed(1)) : 0,
    ];
  });
  return toCsv(
    ['epoch', 'train_accuracy', 'test_accuracy', 'train_seconds', 'test_seconds', 'train_samples_per_second', 'test_samples_per_second'],
    rows,
  );
}

/** The deterministic summary of a finished run. */
export function resultsJson(config: ExperimentConfig, layers: readonly number[], c: Checkpoint): unknown {
  const history = c.position.history;
  const last = history[history.length - 1];
  return {
    seed: config.seed,
    mode: config.run.mode,
    precision: config.run.precision,
    layers,
    epochs: history,
    final: last ? { epoch: last.epoch, trainAccuracy: last.trainAccuracy, testAccuracy: last.testAccuracy } : null,
    weightsSha256: createHash('sha256').update(encodeSnapshot(c.snapshot)).digest('hex'),
  };
}

/** Wall-clock figures of a run (they vary from run to run; kept out of results.json). */
export function timingJson(timings: readonly EpochTiming[], history: readonly EpochRecord[]): unknown {
  return {
    epochs: timings.map((t) => {
      const r = history.find((h) => h.epoch === t.epoch);
      return {
        ...t,
        trainSamplesPerSecond: r && t.trainSeconds > 0 ? r.trainSamples / t.trainSeconds : null,
        testSamplesPerSecond: r && t.testSeconds > 0 ? r.testSamples / t.testSeconds : null,
      };
    }),
    totalSeconds: timings.reduce((s, t) => s + t.trainSeconds + t.testSeconds, 0),
    totalCpuSeconds: timings.reduce((s, t) => s + t.trainCpuSeconds + t.testCpuSeconds, 0),
  };
}

/** One learning-curve row: the window's accuracy and mean output loss (null: the engine gives no loss). */
function curveRow(p: CurvePoint, outputs: number): { epoch: number; sample: number; samples: number; accuracy: number; loss: number | null } {
  return {
    epoch: p.epoch,
    sample: p.sample,
    samples: p.samples,
    accuracy: p.correct / p.samples,
    loss: p.outputErrors === null ? null : p.outputErrors / (p.samples * outputs),
  };
}

/** Share of layer r.layer's neurons whose spikes differ between the nudged phases, per training sample (layer-stats' spike_diff_fraction). */
export function spikeDiffFraction(r: LayerEpochRecord, layers: readonly number[], samples: number): number {
  return samples > 0 ? r.spikeDiffs / ((layers[r.layer] as number) * samples) : 0;
}

/**
 * The epoch line's learning signal: spike_diff_fraction per weight layer in percent, input
 * side first (e.g. "signal 0.57/1.79/1.99%"), so a layer that stopped learning shows; '' without counts.
 */
export function signalText(records: readonly LayerEpochRecord[], layers: readonly number[], samples: number): string {
  if (records.length === 0) return '';
  return `signal ${records.map((r) => (100 * spikeDiffFraction(r, layers, samples)).toFixed(2)).join('/')}%`;
}

/** One layer-stats row with the derived rates (per synapse of W_l, per neuron of layer l and training sample). */
function layerRow(r: LayerEpochRecord, layers: readonly number[], history: readonly EpochRecord[]): Record<string, number> {
  const neurons = layers[r.layer] as number;
  const synapses = neurons * (layers[r.layer - 1] as number);
  const samples = history.find((h) => h.epoch === r.epoch)?.trainSamples ?? 0;
  return {
    epoch: r.epoch,
    layer: r.layer,
    neurons,
    synapses,
    weightFlips: r.weightFlips,
    flipsPerSynapse: r.weightFlips / synapses,
    counterSaturations: r.counterSaturations,
    saturationsPerSynapse: r.counterSaturations / synapses,
    spikeDiffs: r.spikeDiffs,
    spikeDiffFraction: spikeDiffFraction(r, layers, samples),
  };
}

/** learning-curve.csv of a run's statistics. */
export function learningCurveCsv(ls: LearningStats, layers: readonly number[]): string {
  const outputs = layers[layers.length - 1] as number;
  return toCsv(
    ['epoch', 'sample', 'window_samples', 'accuracy', 'loss'],
    ls.curve.map((p) => {
      const r = curveRow(p, outputs);
      return [r.epoch, r.sample, r.samples, r.accuracy, r.loss ?? ''];
    }),
  );
}

/** layer-stats.csv of a run's statistics. */
export function layerStatsCsv(ls: LearningStats, layers: readonly number[], history: readonly EpochRecord[]): string {
  const rows = ls.layers.map((r) => layerRow(r, layers, history));
  const cols = ['epoch', 'layer', 'neurons', 'synapses', 'weightFlips', 'flipsPerSynapse', 'counterSaturations', 'saturationsPerSynapse', 'spikeDiffs', 'spikeDiffFraction'];
  const header = ['epoch', 'layer', 'neurons', 'synapses', 'weight_flips', 'flips_per_synapse', 'counter_saturations', 'saturations_per_synapse', 'spike_diffs', 'spike_diff_fraction'];
  return toCsv(header, rows.map((r) => cols.map((k) => r[k] as number)));
}

/** learning.json: the curve and the per-layer records with their derived rates. */
export function learningJson(ls: LearningStats, layers: readonly number[], history: readonly EpochRecord[]): unknown {
  const outputs = layers[layers.length - 1] as number;
  return {
    curveEvery: ls.every,
    startedAt: ls.startedAt,
    outputNeurons: outputs,
    curve: ls.curve.map((p) => ({ ...curveRow(p, outputs), correct: p.correct, outputErrors: p.outputErrors })),
    layers: ls.layers.map((r) => layerRow(r, layers, history)),
  };
}

/** Write a resumable checkpoint plus the per-epoch CSV, the learning statistics and timings so far. */
export function writeCheckpointFiles(dir: string, c: Checkpoint): void {
  const parts = encodeCheckpointParts(c);
  writeStreamAtomic(path.join(dir, RUN_FILES.checkpoint), (w) => parts.forEach((p) => w(p)));
  writeFileAtomic(path.join(dir, RUN_FILES.epochs), epochsCsv(c.position.history, c.timings));
  const ls = c.learningStats;
  if (ls) {
    const layers = c.snapshot.layers;
    writeFileAtomic(path.join(dir, RUN_FILES.learningCurve), learningCurveCsv(ls, layers));
    writeFileAtomic(path.join(dir, RUN_FILES.layerStats), layerStatsCsv(ls, layers, c.position.history));
    writeJsonAtomic(path.join(dir, RUN_FILES.learning), learningJson(ls, layers, c.position.history));
  }
  writeJsonAtomic(path.join(dir, RUN_FILES.timing), timingJson(c.timings, c.position.history));
}

/** A confusion matrix (classes x classes, row = label, column = prediction) as CSV. */
export function confusionCsv(confusion: Int32Array): string {
  const C = Math.round(Math.sqrt(confusion.length));
  const rows = Array.from({ length: C }, (_, l) => [l, ...Array.from(confusion.subarray(l * C, (l + 1) * C))]);
  return toCsv(['label', ...Array.from({ length: C }, (_, p) => `pred_${p}`)], rows);
}

/**
 * Write the final results of a finished run (`confusion`: of the last test pass):
 * first the finished checkpoint (from which a resume can write every result again),
 * then the result files, `more` (chip reports, energy) and results.json last.
 */
export function writeFinalFiles(dir: string, config: ExperimentConfig, c: Checkpoint, confusion: Int32Array | null = null, more: () => void = () => undefined): void {
  writeCheckpointFiles(dir, c);
  if (confusion) writeFileAtomic(path.join(dir, RUN_FILES.confusion), confusionCsv(confusion));
  writeFileAtomic(path.join(dir, RUN_FILES.weights), encodeSnapshot(c.snapshot));
  writeJsonAtomic(path.join(dir, RUN_FILES.counters), c.counters);
  more();
  writeJsonAtomic(path.join(dir, RUN_FILES.results), resultsJson(config, c.snapshot.layers, c));
}
