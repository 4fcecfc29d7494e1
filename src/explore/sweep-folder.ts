/**
 * The sweep folder, the only thing a point's command needs (it may sit on a cluster's
 * shared file system):
 *   sweep.json          what was swept (config, --set, grid) and a digest of the inputs
 *   p000/, p001/, ...   one folder per point: point.json (the point's full, resolved
 *                       experiment config, written before any point runs), point.log
 *                       (what its command printed), point-error.txt (why it failed),
 *                       and the run folder's own files once it has run
 *   files/              derived chip files and technology tables (point-files.ts)
 *   sweep.csv, sweep-results.json, sweep-summary.csv   the tables of finished points
 * A point's state is read from its files alone, so every executor (a thread pool here,
 * Slurm on a cluster) and every later `--resume` sees the same truth.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';
import type { GridAxis } from './grid';
import type { SlurmOptions } from './slurm';

/** File names of the sweep folder. */
export const SWEEP_FILES = {
  spec: 'sweep.json',
  csv: 'sweep.csv',
  results: 'sweep-results.json',
  summary: 'sweep-summary.csv',
  files: 'files',
} as const;

/**
 * Written first when a sweep folder is created and removed once sweep.json is in place: a
 * folder holding it but no sweep.json holds only what a killed creation left, which a new
 * sweep may clear.
 */
export const CREATING_MARKER = '.sweep-creating';

/** File names a point folder holds besides its run's files. */
export const POINT_FILES = {
  config: 'point.json',
  log: 'point.log',
  error: 'point-error.txt',
  results: 'results.json',
  checkpoint: 'checkpoint.bin',
  estimate: 'estimate.json',
} as const;

/** The saved description of a sweep (sweep.json). */
export interface SweepSpec {
  config: string;
  sets: string[];
  axes: GridAxis[];
  /** SHA-256 over the config, chip and technology files the sweep started from. */
  inputsSha256: string;
  /** Where the points run: this machine's pool, or a Slurm job array (with its sbatch options). */
  executor: { name: 'local' } | { name: 'slurm'; slurm: SlurmOptions };
  /** A budget-only sweep (--estimate): points are priced by the analytic estimate, not trained. */
  estimate?: boolean;
  /** An architecture-only sweep (arch-only.ts): the network is trained once (train/) or given (weights.bin), and every point runs inference on its chip. */
  archOnly?: { weights: 'train' | 'given' };
}

/** Where a point stands, read from its folder. */
export type PointState = 'done' | 'failed' | 'partial' | 'pending';

/** Folder name of point `k`: p000, p001, ... (at least three digits, as Slurm's %3a writes them). */
export function pointName(k: number): string {
  return `p${String(k).padStart(3, '0')}`;
}

/** Folder of point `k` of the sweep in `dir`. */
export function pointDir(dir: string, k: number): string {
  return path.join(dir, pointName(k));
}

/** Read sweep.json of `dir`, refusing a folder that is not a sweep folder. */
export function readSpec(dir: string): SweepSpec {
  const file = path.join(dir, SWEEP_FILES.spec);
  if (!fs.existsSync(file)) throw new UserError(`${dir}: not a sweep folder (no ${SWEEP_FILES.spec})`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SweepSpec;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The state of point `k`: done (results.json), failed (point-error.txt), partial (a checkpoint), else pending. */
export function pointState(dir: string, k: number): PointState {
  const p = pointDir(dir, k);
  if (fs.existsSync(path.join(p, POINT_FILES.results)) || fs.existsSync(path.join(p, POINT_FILES.estimate))) return 'done';
  if (fs.existsSync(path.join(p, POINT_FILES.error))) return 'failed';
  if (fs.existsSync(path.join(p, POINT_FILES.checkpoint))) return 'partial';
  return 'pending';
}

/** The error a failed point kept (its first line), or null. */
export function pointError(dir: string, k: number): string | null {
  const f = path.join(pointDir(dir, k), POINT_FILES.error);
  return fs.existsSync(f) ? (fs.readFileSync(f, 'utf8').split('\n')[0] ?? '') : null;
}

/** The last `lines` non-empty lines of a text file ('' when it does not exist). */
export function tail(file: string, lines = 3): string {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8').replace(/\r/g, '\n');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

/** Run `write`, turning a file-system refusal into a one-line UserError about the sweep folder. */
export function writeInSweep<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined || e instanceof UserError) throw e;
    throw new UserError(`${dir}: cannot write the sweep folder (${code}: ${(e as Error).message.split(',')[0]})`);
  }
}
