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
 *   chip.json, tech.json  hardware derived by `--set chip.*` / `tech.*`, if any
 * The folder itself is created only once a run is ready to start, so a mistake in the
 * config, the data or the network leaves no folder behind.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ExperimentConfig } from '../config/experiment';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { toCsv } from '../report/csv';
import { encodeSnapshot } from '../store/weights-file';
import { UserError } from '../util/errors';
import { encodeCheckpoint, type Checkpoint, type EpochRecord, type EpochTiming } from '../store/checkpoint';

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

/** Refuse an --out folder that already holds files (a run never overwrites another). */
export function checkRunDirFree(dir: string): void {
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new UserError(`${dir}: output folder already exists and is not empty (choose another --out, or --resume it)`);
  }
}

/** Create the run folder and write the resolved config into it. */
export function createRunDir(dir: string, config: ExperimentConfig): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`${dir}: cannot create the run folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  writeJsonAtomic(path.join(dir, RUN_FILES.config), config);
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

/** Write a resumable checkpoint plus the per-epoch CSV and timings so far. */
export function writeCheckpointFiles(dir: string, c: Checkpoint): void {
  writeFileAtomic(path.join(dir, RUN_FILES.checkpoint), encodeCheckpoint(c));
  writeFileAtomic(path.join(dir, RUN_FILES.epochs), epochsCsv(c.position.history, c.timings));
  writeJsonAtomic(path.join(dir, RUN_FILES.timing), timingJson(c.timings, c.position.history));
}

/** A confusion matrix (classes x classes, row = label, column = prediction) as CSV. */
export function confusionCsv(confusion: Int32Array): string {
  const C = Math.round(Math.sqrt(confusion.length));
  const rows = Array.from({ length: C }, (_, l) => [l, ...Array.from(confusion.subarray(l * C, (l + 1) * C))]);
  return toCsv(['label', ...Array.from({ length: C }, (_, p) => `pred_${p}`)], rows);
}

/** Write the final results of a finished run (`confusion`: of the last test pass). */
export function writeFinalFiles(dir: string, config: ExperimentConfig, c: Checkpoint, confusion: Int32Array | null = null): void {
  writeCheckpointFiles(dir, c);
  if (confusion) writeFileAtomic(path.join(dir, RUN_FILES.confusion), confusionCsv(confusion));
  writeFileAtomic(path.join(dir, RUN_FILES.weights), encodeSnapshot(c.snapshot));
  writeJsonAtomic(path.join(dir, RUN_FILES.counters), c.counters);
  writeJsonAtomic(path.join(dir, RUN_FILES.results), resultsJson(config, c.snapshot.layers, c));
}
