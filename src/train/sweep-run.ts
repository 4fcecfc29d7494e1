/**
 * `bitspike sweep`: train once per point of a parameter grid and tabulate the
 * outcomes. Every point is checked (config, data, engine) before anything runs, so
 * a mistake anywhere in the grid leaves no folder. The sweep folder holds
 *   sweep.json          what was swept (config, --set, grid, epochs): enough to resume
 *   sweep.csv           one row per finished point: swept values, accuracies, time,
 *                       energy per training sample and per inference, inference latency (from each run's energy.json)
 *   sweep-summary.csv   with a `seed` axis: mean and std of the accuracies over seeds
 *   sweep-results.json  per point: swept values, final accuracies, weights digest
 *                       (deterministic: no wall-clock values)
 *   p000/, p001/, ...   the run folder of each point
 *   files/              derived chip files and technology tables of points that
 *                       sweep chip.* or tech.* keys (see sweep-files.ts)
 * Ctrl-C stops the running point with its checkpoint; `--resume` skips finished
 * points, resumes the interrupted one and runs the rest.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadExperiment } from '../config/experiment';
import { loadData } from '../data/load-data';
import { isTempName, removeTempFiles, writeJsonAtomic, writeFileAtomic } from '../store/atomic-write';
import { LOCK_FILE, lockFolder } from '../store/folder-lock';
import { checkFolderWritable, makeFolder } from '../store/writable';
import { toCsv, type CsvCell } from '../report/csv';
import { UserError } from '../util/errors';
import { createEngine } from './engine-factory';
import { RUN_FILES, runFolderState, timestampName } from './run-folder';
import { pointSetsWithFiles } from './sweep-files';
import { seedSummaryCsv } from './sweep-summary';
import { checkAxes, gridPoints, parseGridAxis, pointOverrides, type GridAxis } from './sweep-grid';
import { checkDataFitsNetwork, runTraining, type TrainControl, type TrainIo } from './train-run';

/** What the user asked for. */
export interface SweepRequest {
  config?: string;
  /** Overrides applied to every point, before the grid's. */
  sets?: readonly string[];
  /** `key.path=VALUES` axes. */
  grid?: readonly string[];
  epochs?: number;
  /** Sweep folder (default: run.outDir/<config>-sweep-<time>). */
  out?: string;
  /** Sweep folder to resume. */
  resume?: string;
}

/** The saved description of a sweep (sweep.json). */
interface SweepSpec {
  config: string;
  sets: string[];
  axes: GridAxis[];
}

/** One finished point. */
export interface SweepRow {
  point: number;
  values: unknown[];
  runDir: string;
  trainAccuracy: number;
  testAccuracy: number;
  epochs: number;
  trainSeconds: number;
  weightsSha256: string;
  /** From the run's energy.json (null without one): energy per training sample and per inference, and inference latency. */
  energyPerTrainingSamplePJ: number | null;
  energyPerInferencePJ: number | null;
  latencyPerInferenceS: number | null;
}

/** How a sweep ended. */
export interface SweepSummary {
  status: 'finished' | 'interrupted';
  dir: string;
  rows: SweepRow[];
}

const SPEC_FILE = 'sweep.json';
const CSV_FILE = 'sweep.csv';
const RESULTS_FILE = 'sweep-results.json';
const SUMMARY_FILE = 'sweep-summary.csv';

function pointDir(dir: string, k: number): string {
  return path.join(dir, pointName(k));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

function rowOf(k: number, values: unknown[], runDir: string): SweepRow {
  const results = readJson(path.join(runDir, RUN_FILES.results)) as {
    final: { epoch: number; trainAccuracy: number; testAccuracy: number };
    weightsSha256: string;
  };
  const timing = readJson(path.join(runDir, RUN_FILES.timing)) as { epochs: Array<{ trainSeconds: number }> };
  const energyFile = path.join(runDir, 'energy.json');
  type Part = { perSamplePJ?: number; latencyPerSampleS?: number };
  const energy = fs.existsSync(energyFile) ? (readJson(energyFile) as { training?: Part; inference?: Part }) : {};
  const training = energy.training ?? {};
  const inference = energy.inference ?? {};
  return {
    point: k,
    values,
    runDir,
    trainAccuracy: results.final.trainAccuracy,
    testAccuracy: results.final.testAccuracy,
    epochs: results.final.epoch,
    trainSeconds: timing.epochs.reduce((s, e) => s + e.trainSeconds, 0),
    weightsSha256: results.weightsSha256,
    energyPerTrainingSamplePJ: typeof training.perSamplePJ === 'number' ? training.perSamplePJ : null,
    energyPerInferencePJ: typeof inference.perSamplePJ === 'number' ? inference.perSamplePJ : null,
    latencyPerInferenceS: typeof inference.latencyPerSampleS === 'number' ? inference.latencyPerSampleS : null,
  };
}

function writeTables(dir: string, axes: readonly GridAxis[], rows: readonly SweepRow[]): void {
  const header = ['point', ...axes.map((a) => a.key), 'train_accuracy', 'test_accuracy', 'epochs', 'train_seconds', 'energy_per_training_sample_pj', 'energy_per_inference_pj', 'latency_per_inference_s', 'run_folder'];
  const cells = rows.map((r): CsvCell[] => [
    r.point,
    ...r.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
    r.trainAccuracy,
    r.testAccuracy,
    r.epochs,
    Number(r.trainSeconds.toFixed(3)),
    r.energyPerTrainingSamplePJ ?? '',
    r.energyPerInferencePJ ?? '',
    r.latencyPerInferenceS ?? '',
    path.basename(r.runDir),
  ]);
  writeFileAtomic(path.join(dir, CSV_FILE), toCsv(header, cells));
  const summary = seedSummaryCsv(axes, rows);
  if (summary !== null) writeFileAtomic(path.join(dir, SUMMARY_FILE), summary);
  writeJsonAtomic(
    path.join(dir, RESULTS_FILE),
    rows.map((r) => ({
      point: r.point,
      values: Object.fromEntries(axes.map((a, i) => [a.key, r.values[i]])),
      epochs: r.epochs,
      trainAccuracy: r.trainAccuracy,
      testAccuracy: r.testAccuracy,
      weightsSha256: r.weightsSha256,
      energyPerTrainingSamplePJ: r.energyPerTrainingSamplePJ,
      energyPerInferencePJ: r.energyPerInferencePJ,
      latencyPerInferenceS: r.latencyPerInferenceS,
    })),
  );
}

function loadSpec(req: SweepRequest): { spec: SweepSpec; dir: string } {
  const dir = path.resolve(req.resume as string);
  if (req.config !== undefined || (req.sets ?? []).length > 0 || (req.grid ?? []).length > 0 || req.out !== undefined || req.epochs !== undefined) {
    throw new UserError(`--resume ${req.resume}: a resumed sweep keeps its own config and grid; give no other option`);
  }
  const file = path.join(dir, SPEC_FILE);
  if (!fs.existsSync(file)) throw new UserError(`${dir}: not a sweep folder (no ${SPEC_FILE})`);
  return { spec: readJson(file) as SweepSpec, dir };
}

function pointName(k: number): string {
  return `p${String(k).padStart(3, '0')}`;
}

/** The full `--set` list of point `k`, writing its derived hardware files (if any) into `filesDir`. */
function setsOfPoint(spec: SweepSpec, k: number, values: readonly unknown[], filesDir: string): string[] {
  return pointSetsWithFiles(spec.config, spec.sets, pointOverrides(spec.axes, values), filesDir, pointName(k));
}

/** Check every point of the grid as `train` would, before anything is written. */
function checkPoints(spec: SweepSpec, points: readonly unknown[][]): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-sweep-check-'));
  try {
    points.forEach((p, k) => {
      const exp = loadExperiment(spec.config, setsOfPoint(spec, k, p, scratch));
      checkDataFitsNetwork(exp, loadData(exp.config.data, exp.config.seed));
      createEngine(exp.config, exp.label);
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Run (or resume) a sweep. */
export async function runSweep(req: SweepRequest, io: TrainIo, control: TrainControl = {}): Promise<SweepSummary> {
  let spec: SweepSpec;
  let dir: string;
  const resuming = req.resume !== undefined;
  if (resuming) {
    ({ spec, dir } = loadSpec(req));
  } else {
    const axes = (req.grid ?? []).map(parseGridAxis);
    checkAxes(axes);
    const base = loadExperiment(req.config);
    const sets = [...(req.sets ?? []), ...(req.epochs !== undefined ? [`run.epochs=${req.epochs}`] : [])];
    spec = { config: base.file, sets, axes };
    const probe = loadExperiment(spec.config, spec.sets);
    dir = req.out !== undefined ? path.resolve(req.out) : path.resolve(probe.config.run.outDir, `${base.name}-sweep-${timestampName(new Date())}`);
    checkSweepDirFree(dir);
    checkFolderWritable(dir);
  }
  const points = gridPoints(spec.axes);
  checkPoints(spec, points);
  if (!resuming) makeFolder(dir, 'create the sweep folder');
  const lock = lockFolder(dir, 'bitspike sweep');
  try {
    if (!resuming) {
      checkSweepDirFree(dir); // again under the lock
      writeJsonAtomic(path.join(dir, SPEC_FILE), spec);
    } else removeTempFiles(dir);
    return await runPoints(spec, points, dir, io, control);
  } finally {
    lock.release();
  }
}

/** Refuse a sweep --out folder that holds anything but a stale lock or temporary files. */
function checkSweepDirFree(dir: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return;
  const names = st.isDirectory() ? fs.readdirSync(dir).filter((n) => n !== LOCK_FILE && !isTempName(n)) : ['?'];
  if (names.length === 0) return;
  const hint = names.includes(SPEC_FILE) ? 'it holds a sweep: continue it with --resume, or choose another --out' : 'it is not empty: choose another --out';
  throw new UserError(`${dir}: output folder already exists (${hint})`);
}

async function runPoints(spec: SweepSpec, points: unknown[][], dir: string, io: TrainIo, control: TrainControl): Promise<SweepSummary> {
  io.out(`sweep of ${points.length} point(s) over ${spec.axes.map((a) => a.key).join(', ')}\nsweep folder: ${dir}\n`);

  const rows: SweepRow[] = [];
  const quiet: TrainIo = { out: () => undefined, err: io.err, progressStream: io.progressStream };
  const pointControl: TrainControl = { ...control, noResumeHint: true };
  for (let k = 0; k < points.length; k++) {
    const values = points[k] as unknown[];
    const runDir = pointDir(dir, k);
    const label = spec.axes.map((a, i) => `${a.key}=${JSON.stringify(values[i])}`).join(' ');
    pointControl.progressPrefix = `point ${k + 1}/${points.length}`;
    let signalled = false;
    const state = runFolderState(runDir);
    if (state !== 'finished') {
      // A point stopped before its first checkpoint (or its folder) is started again; one with a checkpoint resumes.
      const summary =
        state === 'resumable' || state === 'restartable'
          ? await runTraining({ resume: runDir }, quiet, pointControl)
          : await runTraining({ config: spec.config, sets: setsOfPoint(spec, k, values, path.join(dir, 'files')), out: runDir }, quiet, pointControl);
      signalled = summary.signalled;
      if (summary.status === 'interrupted') {
        writeTables(dir, spec.axes, rows);
        io.err(`sweep interrupted at point ${k + 1}/${points.length} (${label}); resume with: bitspike sweep --resume ${dir}\n`);
        return { status: 'interrupted', dir, rows };
      }
    }
    const row = rowOf(k, values, runDir);
    rows.push(row);
    writeTables(dir, spec.axes, rows);
    io.out(`point ${k + 1}/${points.length} ${label}: train ${(100 * row.trainAccuracy).toFixed(2)}%  test ${(100 * row.testAccuracy).toFixed(2)}%  ${row.trainSeconds.toFixed(1)} s\n`);
    // A stop asked for while the point wrote its last files: the point is done, the sweep stops here.
    if (signalled && k + 1 < points.length) {
      io.err(`sweep interrupted after point ${k + 1}/${points.length}; resume with: bitspike sweep --resume ${dir}\n`);
      return { status: 'interrupted', dir, rows };
    }
  }
  io.out(`results in ${path.join(dir, CSV_FILE)}\n`);
  return { status: 'finished', dir, rows };
}
