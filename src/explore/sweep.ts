/**
 * `bitspike sweep`: train once per point of a parameter grid and tabulate the
 * outcomes. Every point is checked (config, data, engine) before anything is written,
 * so a mistake anywhere in the grid leaves no folder. Then the sweep folder
 * (sweep-folder.ts) gets sweep.json and one folder per point holding the point's full
 * resolved config, and an executor runs the points' commands: the local pool of
 * worker threads (local-pool.ts) or a Slurm job array (slurm.ts). The tables hold
 *   sweep.csv           one row per finished point: swept values, accuracies, time,
 *                       energy per training sample and per inference, inference latency
 *   sweep-summary.csv   with a `seed` axis: mean and std of the accuracies over seeds
 *   sweep-results.json  per point: swept values, final accuracies, weights digest, energy
 *                       (deterministic: no wall-clock values; rows in point order, so
 *                       the file is the same bytes whatever the number of workers and
 *                       the order in which points finish)
 * Ctrl-C stops the running points with their checkpoints; `--resume` keeps finished
 * points, resumes interrupted ones from their checkpoints, retries failed ones and
 * runs the rest. A point that fails keeps its error in its folder; the others go on,
 * and the sweep ends with exit code 3 (SWEEP_FAILED_EXIT).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile, type ChipDescription } from '../hw/chip-file';
import type { Mapping } from '../map/mapping';
import { loadExperiment, type ExperimentConfig } from '../config/experiment';
import { areaReport } from '../energy/area';
import { energyChipOf } from '../energy/chip-view';
import { storageOptionsOf } from '../energy/memory';
import { loadTechTable } from '../energy/tech-table';
import { loadData, sharedCoded, sharedDecoded, type TrainTestData } from '../data/load-data';
import type { DataConfig } from '../data/data-params';
import type { BudgetActivity } from '../energy/budget';
import { isTempName, jsonText, removeTempFiles, writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { LOCK_FILE, lockFolder } from '../store/folder-lock';
import { checkFolderWritable, makeFolder } from '../store/writable';
import { toCsv, type CsvCell } from '../report/csv';
import { createEngine } from '../train/engine-factory';
import { ChipEngine } from '../chip/chip-engine';
import { mapRunNetwork, prepareRunEnergy } from '../energy/run-report';
import type { NetworkSnapshot } from '../learning/engine';
import { encodeSnapshot } from '../store/weights-file';
import { RUN_FILES, timestampName } from '../train/run-folder';
import { checkDataFitsNetwork, type TrainIo } from '../train/train-run';
import { UserError } from '../util/errors';
import { INTERRUPTED_EXIT, pointCommand, trainCommand, type TaskOutcome } from './executor';
import { ARCH_FILES, archOnlyBlocker, checkGivenWeights, sharedTrainingConfig } from './arch-only';
import { estimateExperiment } from './estimate';
import { checkAxes, gridPoints, parseGridAxis, pointOverrides, type GridAxis } from './grid';
import { LocalPool } from './local-pool';
import { pointSetsWithFiles } from './point-files';
import { seedSummaryCsv } from './seed-summary';
import { CREATING_MARKER, POINT_FILES, SWEEP_FILES, pointDir, pointError, pointName, pointState, readSpec, tail, writeInSweep, type SweepSpec } from './sweep-folder';
import { SweepProgress, progressText } from './sweep-progress';
import { cancelJobs, checkSlurmCommands, lastJobOf, lastTrainJob, queuedTasks, readSubmissions, submitArray, submitTraining, taskLog, trainLog, type SlurmOptions } from './slurm';

/** Exit code of a sweep that ran to the end but in which some points failed. */
export const SWEEP_FAILED_EXIT = 3;

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
  /** Points run at once by the local pool (default: the number of cores). */
  workers?: number;
  /** Where the points run: "local" (default) or "slurm"; a resumed sweep keeps its own unless one is given. */
  executor?: string;
  /** sbatch options for --executor slurm. */
  slurm?: SlurmOptions;
  /** With Slurm: wait until the submitted points have left the queue, then collect them. */
  wait?: boolean;
  /** Budget-only: price every point with the analytic estimate instead of training it. */
  estimate?: boolean;
  /** Architecture-only sweep with these weights (a weights.bin or checkpoint.bin): no training at all. */
  weights?: string;
  /** Train every point even when every axis is a chip, tech or mapping key (for the training energy on each chip). */
  trainEach?: boolean;
}

/** Programmatic controls (tests stop a sweep at a chosen moment). */
export interface SweepControl {
  /** Polled while points run, and asked as each point starts and ends; true acts like Ctrl-C. */
  shouldStop?: () => boolean;
  /** Told when a point is handed to a worker, before it runs (so a test can stop a chosen point after its first sample). */
  onPointStart?: (index: number) => void;
}

/** One finished point. */
export interface SweepRow {
  point: number;
  values: unknown[];
  runDir: string;
  /** Null when the weights were given (an architecture-only sweep with --weights: nothing was trained). */
  trainAccuracy: number | null;
  testAccuracy: number;
  epochs: number;
  trainSeconds: number;
  weightsSha256: string;
  /** From the run's energy.json (null without one): energy per training sample and per inference, and inference latency. */
  energyPerTrainingSamplePJ: number | null;
  energyPerInferencePJ: number | null;
  latencyPerInferenceS: number | null;
  /** Chip area (tiles), mm^2, and SRAM bits provisioned on the chip (weights + counters), from the point's chip file and technology table. */
  chipAreaMm2: number;
  sramBits: number;
}

/** Chip area (mm^2) and provisioned SRAM bits of the chip and technology a run folder's resolved config names. */
function hardwareCost(runDir: string): { chipAreaMm2: number; sramBits: number } {
  const cfg = readJson(path.join(runDir, RUN_FILES.config)) as ExperimentConfig;
  const desc = loadChipFile(cfg.chip);
  const m = pointMapping(cfg, desc);
  const chip = energyChipOf(desc, m !== null && m.split);
  // On-change partial sums add registers whose number the mapping decides.
  const area = areaReport(chip, loadTechTable(cfg.tech), storageOptionsOf(cfg.learning, cfg.dynamics, m));
  const k = chip.params.core;
  return { chipAreaMm2: area.chipMm2, sramBits: (k.sram.capacityBits + k.sram.counterCapacityBits) * area.tiles };
}

/** The point's network mapped onto its chip (a split layer's flits carry the kind bit; on-change partial sums add registers); null when it does not fit (float points). */
function pointMapping(cfg: ExperimentConfig, desc: ChipDescription): Mapping | null {
  try {
    return mapRunNetwork({ model: cfg, chip: desc, mapping: cfg.mapping, configFile: 'config.json' });
  } catch (e) {
    if (e instanceof UserError) return null;
    throw e;
  }
}

/** A point that failed, with the error it kept. */
export interface FailedPoint {
  point: number;
  message: string;
}

/** How a sweep ended ('submitted': points are in a Slurm queue; `--resume` collects them). */
export interface SweepSummary {
  status: 'finished' | 'interrupted' | 'failed' | 'submitted';
  dir: string;
  rows: SweepRow[];
  failed: FailedPoint[];
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

function rowOf(k: number, values: unknown[], runDir: string): SweepRow {
  const results = readJson(path.join(runDir, RUN_FILES.results)) as {
    final: { epoch: number; trainAccuracy: number | null; testAccuracy: number };
    weightsSha256: string;
  };
  // An architecture-only point trained nothing: no timing.json.
  const timingFile = path.join(runDir, RUN_FILES.timing);
  const timing = fs.existsSync(timingFile) ? (readJson(timingFile) as { epochs: Array<{ trainSeconds: number }> }) : { epochs: [] };
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
    ...hardwareCost(runDir),
  };
}

/** Write sweep.csv, sweep-summary.csv and sweep-results.json from the finished points (any order in, point order out). */
function writeTables(dir: string, axes: readonly GridAxis[], finished: readonly SweepRow[]): void {
  const rows = [...finished].sort((a, b) => a.point - b.point);
  const header = ['point', ...axes.map((a) => a.key), 'train_accuracy', 'test_accuracy', 'epochs', 'train_seconds', 'energy_per_training_sample_pj', 'energy_per_inference_pj', 'latency_per_inference_s', 'chip_area_mm2', 'sram_bits', 'run_folder'];
  const cells = rows.map((r): CsvCell[] => [
    r.point,
    ...r.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
    r.trainAccuracy ?? '',
    r.testAccuracy,
    r.epochs,
    Number(r.trainSeconds.toFixed(3)),
    r.energyPerTrainingSamplePJ ?? '',
    r.energyPerInferencePJ ?? '',
    r.latencyPerInferenceS ?? '',
    r.chipAreaMm2,
    r.sramBits,
    path.basename(r.runDir),
  ]);
  writeFileAtomic(path.join(dir, SWEEP_FILES.csv), toCsv(header, cells));
  // A seed axis is never architecture-only: its points all have a training accuracy.
  const summary = seedSummaryCsv(axes, rows.map((r) => ({ ...r, trainAccuracy: r.trainAccuracy ?? Number.NaN })));
  if (summary !== null) writeFileAtomic(path.join(dir, SWEEP_FILES.summary), summary);
  writeJsonAtomic(
    path.join(dir, SWEEP_FILES.results),
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
      chipAreaMm2: r.chipAreaMm2,
      sramBits: r.sramBits,
    })),
  );
}

/**
 * SHA-256 over the bytes of the config file and of the chip file and technology table
 * it names (after the sweep's --set): a resumed sweep refuses to go on when any of them
 * changed since the sweep started.
 */
function inputsDigest(config: string, sets: readonly string[]): string {
  const exp = loadExperiment(config, sets);
  const h = createHash('sha256');
  for (const f of [exp.file, exp.config.chip, exp.config.tech]) h.update(f).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex');
}

function loadSpec(req: SweepRequest): { spec: SweepSpec; dir: string } {
  const dir = path.resolve(req.resume as string);
  if (req.config !== undefined || (req.sets ?? []).length > 0 || (req.grid ?? []).length > 0 || req.out !== undefined || req.epochs !== undefined || req.weights !== undefined || req.trainEach === true) {
    throw new UserError(`--resume ${req.resume}: a resumed sweep keeps its own config and grid; give only --workers, --executor (with its options) or --wait`);
  }
  const spec = readSpec(dir);
  spec.executor ??= { name: 'local' };
  if (!fs.existsSync(spec.config)) throw new UserError(`${path.join(dir, SWEEP_FILES.spec)}: the sweep's config ${spec.config} no longer exists`);
  if (inputsDigest(spec.config, spec.sets) !== spec.inputsSha256) {
    throw new UserError(`${spec.config}: the config (or the chip file or technology table it names) changed since the sweep in ${dir} started; restore it, or start a new sweep`);
  }
  return { spec, dir };
}

/** The full `--set` list of point `k`, writing its derived hardware files (if any) into `filesDir`. */
function setsOfPoint(spec: SweepSpec, k: number, values: readonly unknown[], filesDir: string): string[] {
  return pointSetsWithFiles(spec.config, spec.sets, pointOverrides(spec.axes, values), filesDir, pointName(k));
}

/** What a budget-only sweep's points share: the data sets loaded (by data section and seed) and the functional model's runs. */
interface EstimateShare {
  data: Map<string, TrainTestData>;
  activity: Map<string, BudgetActivity>;
}

function newShare(): EstimateShare {
  return { data: new Map(), activity: new Map() };
}

/** The data of `exp`, loaded once per data section and seed. */
function dataOf(exp: ReturnType<typeof loadExperiment>, share: EstimateShare): TrainTestData {
  const key = JSON.stringify([exp.config.data, exp.config.seed]);
  let data = share.data.get(key);
  if (data === undefined) {
    data = loadData(exp.config.data, exp.config.seed);
    share.data.set(key, data);
  }
  return data;
}

/** The figures a budget-only point records in its estimate.json. */
function estimateFigures(exp: ReturnType<typeof loadExperiment>, share: EstimateShare): Record<string, unknown> {
  const { report, chip } = estimateExperiment(exp, ESTIMATE_SAMPLES, { data: dataOf(exp, share), activityCache: share.activity });
  const k = chip.params.core;
  return {
    chip: exp.config.chip,
    tech: exp.config.tech,
    method: report.method,
    energyPerTrainingSamplePJ: report.training.energy.perSamplePJ,
    energyPerInferencePJ: report.inference.energy.perSamplePJ,
    latencyPerInferenceS: report.inference.energy.latencyPerSampleS,
    chipAreaMm2: report.area.chipMm2,
    sramBits: (k.sram.capacityBits + k.sram.counterCapacityBits) * report.area.tiles,
  };
}

/**
 * Check every point of the grid as `train` would (and the given weights against it),
 * before anything is written. A budget-only sweep's check is its estimate: the figures
 * come back, by point, to be written once the folder exists.
 */
function checkPoints(spec: SweepSpec, points: readonly unknown[][], weights: string | undefined): { snap: NetworkSnapshot | null; estimates: Map<number, Record<string, unknown>>; coded: Array<{ data: DataConfig; seed: number | string }> } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-sweep-check-'));
  let snap: NetworkSnapshot | null = null;
  const estimates = new Map<number, Record<string, unknown>>();
  const coded: Array<{ data: DataConfig; seed: number | string }> = [];
  const checked = new Set<string>();
  const share = newShare();
  try {
    points.forEach((p, k) => {
      const exp = loadExperiment(spec.config, setsOfPoint(spec, k, p, scratch));
      checkDataFitsNetwork(exp, dataOf(exp, share));
      coded.push({ data: exp.config.data, seed: exp.config.seed });
      if (spec.estimate === true) {
        // The estimate maps the network, checks its memory and loads the technology table; no engine is built.
        const { chip: _chip, tech: _tech, ...figures } = estimateFigures(exp, share);
        estimates.set(k, figures);
        return;
      }
      // The engine and the energy pricing depend on the seed only through random draws, which cannot fail:
      // points that differ only in their seed are checked once (a seed axis builds one engine, not one per point).
      const unseeded = JSON.stringify({ ...exp.config, seed: null });
      if (!checked.has(unseeded)) {
        checked.add(unseeded);
        const built = createEngine(exp.config, exp.label);
        // A chip on several threads (run.threads) stops its worker threads.
        if (built instanceof ChipEngine) built.close();
        // The technology table and the memory budget, which the run prices at its end.
        prepareRunEnergy(exp.config, exp.sourceOf('mapping'));
      }
      if (weights !== undefined && snap === null) snap = checkGivenWeights(weights, exp.config, exp.label);
    });
    return { snap, estimates, coded };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Create the sweep folder: sweep.json, derived hardware files, every point's resolved config (and an architecture-only sweep's training config or weights). */
function createSweepFolder(dir: string, spec: SweepSpec, points: readonly unknown[][], weights: NetworkSnapshot | null): void {
  makeFolder(dir, 'create the sweep folder');
  writeInSweep(dir, () => {
    writeFileAtomic(path.join(dir, CREATING_MARKER), '');
    if (spec.archOnly?.weights === 'train') {
      fs.mkdirSync(path.join(dir, ARCH_FILES.train));
      writeFileAtomic(path.join(dir, ARCH_FILES.train, POINT_FILES.config), jsonText(sharedTrainingConfig(spec.config, spec.sets)));
    }
    if (weights !== null) writeFileAtomic(path.join(dir, ARCH_FILES.weights), encodeSnapshot(weights));
    points.forEach((values, k) => {
      const exp = loadExperiment(spec.config, setsOfPoint(spec, k, values, path.join(dir, SWEEP_FILES.files)));
      fs.mkdirSync(pointDir(dir, k), { recursive: true });
      writeFileAtomic(path.join(pointDir(dir, k), POINT_FILES.config), jsonText(exp.config));
    });
    // sweep.json last: a folder without it is not a sweep yet, and is refused by --resume.
    writeJsonAtomic(path.join(dir, SWEEP_FILES.spec), spec);
    fs.rmSync(path.join(dir, CREATING_MARKER), { force: true });
  });
}

/**
 * Refuse a sweep --out folder that holds anything but a stale lock or temporary files, or
 * the leftovers of a sweep creation killed before its sweep.json (those are cleared).
 */
function checkSweepDirFree(dir: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return;
  const names = st.isDirectory() ? fs.readdirSync(dir).filter((n) => n !== LOCK_FILE && !isTempName(n)) : ['?'];
  if (names.length === 0) return;
  if (names.includes(CREATING_MARKER) && !names.includes(SWEEP_FILES.spec)) {
    writeInSweep(dir, () => {
      for (const n of names) if (n !== CREATING_MARKER) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
      fs.rmSync(path.join(dir, CREATING_MARKER), { force: true });
    });
    return;
  }
  const hint = names.includes(SWEEP_FILES.spec) ? 'it holds a sweep: continue it with --resume, or choose another --out' : 'it is not empty: choose another --out';
  throw new UserError(`${dir}: output folder already exists (${hint})`);
}

/** The default number of points run at once: the cores of this machine. */
export function defaultWorkers(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function describePoint(spec: SweepSpec, values: readonly unknown[]): string {
  return spec.axes.map((a, i) => `${a.key}=${JSON.stringify(values[i])}`).join(' ');
}

/** The executor a request asks for (undefined: keep the sweep's own, or local). */
function executorOf(req: SweepRequest): SweepSpec['executor'] | undefined {
  if (req.executor === undefined) {
    if (req.resume === undefined && req.slurm !== undefined && Object.keys(req.slurm).length > 0) throw new UserError('--partition, --time, --cpus-per-task and --sbatch apply to --executor slurm');
    return undefined;
  }
  if (req.executor === 'local') return { name: 'local' };
  if (req.executor === 'slurm') return { name: 'slurm', slurm: req.slurm ?? {} };
  throw new UserError(`--executor ${req.executor}: unknown executor (choose local or slurm)`);
}

/** Prepare (or reopen) the sweep folder of `req`: its spec, folder and points. */
function prepare(req: SweepRequest): { spec: SweepSpec; dir: string; points: unknown[][]; resuming: boolean; estimates?: Map<number, Record<string, unknown>>; coded?: Array<{ data: DataConfig; seed: number | string }> } {
  const executor = executorOf(req);
  if (executor?.name === 'slurm') checkSlurmCommands();
  if (req.resume !== undefined) {
    if (req.estimate === true) throw new UserError(`--resume ${req.resume}: a resumed sweep keeps its own method; give no --estimate`);
    const { spec, dir } = loadSpec(req);
    if (executor !== undefined && JSON.stringify(executor) !== JSON.stringify(spec.executor)) {
      spec.executor = executor;
      writeInSweep(dir, () => writeJsonAtomic(path.join(dir, SWEEP_FILES.spec), spec));
    }
    if (spec.executor.name === 'slurm') checkSlurmCommands();
    return { spec, dir, points: gridPoints(spec.axes), resuming: true };
  }
  const axes = (req.grid ?? []).map(parseGridAxis);
  checkAxes(axes);
  const base = loadExperiment(req.config);
  const sets = [...(req.sets ?? []), ...(req.epochs !== undefined ? [`run.epochs=${req.epochs}`] : [])];
  const probe = loadExperiment(base.file, sets);
  const blocker = archOnlyBlocker(axes, probe.config);
  if (req.weights !== undefined) {
    if (req.estimate === true || req.trainEach === true) throw new UserError(`--weights ${req.weights}: an architecture-only sweep runs inference with them; give no --estimate or --train-each`);
    if (blocker !== null) throw new UserError(`--weights ${req.weights}: only an architecture-only sweep (every axis a chip, tech or mapping key, no faults) reuses weights, but ${blocker}`);
  }
  const archOnly = req.weights !== undefined ? 'given' : blocker === null && req.estimate !== true && req.trainEach !== true ? 'train' : null;
  const spec: SweepSpec = {
    config: base.file,
    sets,
    axes,
    inputsSha256: inputsDigest(base.file, sets),
    executor: executor ?? { name: 'local' },
    ...(req.estimate === true ? { estimate: true } : {}),
    ...(archOnly !== null ? { archOnly: { weights: archOnly } } : {}),
  };
  const dir = req.out !== undefined ? path.resolve(req.out) : path.resolve(probe.config.run.outDir, `${base.name}-sweep-${timestampName(new Date())}`);
  checkFolderWritable(dir);
  checkSweepDirFree(dir);
  const points = gridPoints(axes);
  const { snap, estimates, coded } = checkPoints(spec, points, req.weights !== undefined ? path.resolve(req.weights) : undefined);
  createSweepFolder(dir, spec, points, snap);
  return { spec, dir, points, resuming: false, estimates, coded };
}

/** Run (or resume) a sweep on this machine's worker pool. */
export async function runSweep(req: SweepRequest, io: TrainIo, control: SweepControl = {}): Promise<SweepSummary> {
  const workers = req.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new UserError(`--workers: expected an integer >= 1, got ${workers}`);
  const started = process.hrtime.bigint();
  // A new local training sweep starts its threads first: they load the command modules while
  // this thread checks every point (a second worker cannot hide that start-up otherwise).
  const pool = new LocalPool(workers);
  if (req.resume === undefined && (req.executor === undefined || req.executor === 'local') && req.estimate !== true) pool.open();
  try {
    const { spec, dir, points, resuming, estimates, coded } = prepare(req);
    const lock = lockFolder(dir, 'bitspike sweep');
    try {
      if (resuming) {
        removeTempFiles(dir);
        // Killed between sweep.json and the marker's removal: the sweep is whole.
        fs.rmSync(path.join(dir, CREATING_MARKER), { force: true });
      }
      if (spec.estimate === true) return runEstimates(spec, dir, points, io, estimates ?? new Map(), started);
      if (spec.executor.name === 'slurm') return await runOnSlurm(spec, spec.executor.slurm, dir, points, req.wait === true, io);
      // The data the check decoded and coded goes to the threads in shared memory: no thread decodes or codes it again.
      pool.shared = { decoded: sharedDecoded(), coded: sharedCoded(coded ?? []) };
      return await runPoints(spec, dir, points, pool, io, control);
    } finally {
      lock.release();
    }
  } finally {
    await pool.close();
  }
}

async function runPoints(spec: SweepSpec, dir: string, points: unknown[][], pool: LocalPool, io: TrainIo, control: SweepControl): Promise<SweepSummary> {
  const workers = pool.workers;
  const finished = new Map<number, SweepRow>();
  const failed = new Map<number, string>();
  const todo: number[] = [];
  points.forEach((values, k) => {
    if (pointState(dir, k) === 'done') finished.set(k, rowOf(k, values as unknown[], pointDir(dir, k)));
    else todo.push(k);
  });
  io.out(
    `sweep of ${points.length} point(s) over ${spec.axes.map((a) => a.key).join(', ')}` +
      (finished.size > 0 ? ` (${finished.size} already finished)` : '') +
      `, ${Math.min(workers, Math.max(1, todo.length))} at once\nsweep folder: ${dir}\n`,
  );
  io.out(archLine(spec));
  writeInSweep(dir, () => writeTables(dir, spec.axes, [...finished.values()]));

  const counts = { total: points.length, done: finished.size, running: 0, failed: 0 };
  const progress = new SweepProgress(counts, workers, io.progressStream);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    progress.clear();
    if (interrupts === 1) io.err('stopping: the running points finish their current sample and write a checkpoint (Ctrl-C again to quit at once)\n');
    else process.exit(INTERRUPTED_EXIT);
    pool.stop();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const poll = setInterval(() => {
    if (!pool.stopping && control.shouldStop?.() === true) pool.stop();
  }, 20);
  let interrupted = 0;
  const label = (k: number): string => `point ${k + 1}/${points.length} ${describePoint(spec, points[k] as unknown[])}`;
  // A finished point's row, its line and the tables are made after the pool has handed
  // out the next point (setImmediate), so the worker that finished starts at once and this
  // thread reads and writes files meanwhile; rows come in the same order either way.
  const ready: number[] = [];
  let flushError: unknown = null;
  const flush = (): void => {
    if (ready.length === 0) return;
    progress.clear();
    for (const k of ready.splice(0)) {
      const row = rowOf(k, points[k] as unknown[], pointDir(dir, k));
      finished.set(k, row);
      const train = row.trainAccuracy === null ? 'inference' : `train ${(100 * row.trainAccuracy).toFixed(2)}%`;
      io.out(`${label(k)}: ${train}  test ${(100 * row.testAccuracy).toFixed(2)}%${spec.archOnly === undefined ? `  ${row.trainSeconds.toFixed(1)} s` : ''}\n`);
    }
    writeTables(dir, spec.axes, [...finished.values()]);
    progress.draw();
  };
  const onEnd = (o: TaskOutcome): void => {
    // Asked here too, before the pool hands out the next point.
    if (!pool.stopping && control.shouldStop?.() === true) pool.stop();
    counts.running--;
    progress.clear();
    if (o.code === 0 && pointState(dir, o.index) === 'done') {
      counts.done++;
      progress.finished();
      if (ready.push(o.index) === 1) {
        setImmediate(() => {
          try {
            flush();
          } catch (e) {
            // Thrown after the running points have ended (a stop starts no other).
            flushError ??= e;
            pool.stop();
          }
        });
      }
    } else if (o.code === INTERRUPTED_EXIT) {
      interrupted++;
    } else {
      const message = pointError(dir, o.index) ?? (o.message || `exit code ${o.code}`);
      failed.set(o.index, message);
      counts.failed++;
      progress.finished();
      io.err(`${label(o.index)}: failed: ${message}\n`);
    }
    progress.draw();
  };
  try {
    // An architecture-only sweep first trains its network once (or resumes that training).
    if (spec.archOnly?.weights === 'train' && todo.length > 0 && !fs.existsSync(path.join(dir, ARCH_FILES.train, RUN_FILES.results))) {
      const trained = await runSharedTrainingTask(pool, dir, io, counts, progress);
      if (trained !== null) {
        const message = `the shared training failed: ${trained} (${path.join(ARCH_FILES.train, POINT_FILES.error)})`;
        for (const k of todo) failed.set(k, message);
        todo.length = 0;
      }
    }
    await pool.run(
      todo.map((k) => ({ index: k, argv: pointCommand(dir, k) })),
      {
        onStart: (index) => {
          // Asked here too: a stop now still lets this point train one sample and write its checkpoint.
          control.onPointStart?.(index);
          if (!pool.stopping && control.shouldStop?.() === true) pool.stop();
          counts.running++;
          progress.draw();
        },
        onEnd,
      },
    );
  } finally {
    clearInterval(poll);
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
  try {
    if (flushError !== null) throw flushError;
    flush();
  } finally {
    progress.close();
  }
  const rows = [...finished.values()].sort((a, b) => a.point - b.point);
  const failures = [...failed].map(([point, message]) => ({ point, message })).sort((a, b) => a.point - b.point);
  if (pool.stopping && finished.size + failed.size < points.length) {
    io.err(`sweep interrupted: ${finished.size}/${points.length} point(s) finished${interrupted > 0 ? `, ${interrupted} stopped with a checkpoint` : ''}; resume with: bitspike sweep --resume ${dir}\n`);
    return { status: 'interrupted', dir, rows, failed: failures };
  }
  if (failures.length > 0 && failures.every((f) => f.message.startsWith('the shared training failed'))) {
    io.err(`${failures[0]?.message}; no point ran; retry with: bitspike sweep --resume ${dir}\n`);
    return { status: 'failed', dir, rows, failed: failures };
  }
  if (failures.length > 0) {
    io.err(`${failures.length} of ${points.length} point(s) failed (${failures.map((f) => pointName(f.point)).join(', ')}; each keeps its error in ${POINT_FILES.error}); retry them with: bitspike sweep --resume ${dir}\n`);
    return { status: 'failed', dir, rows, failed: failures };
  }
  io.out(`results in ${path.join(dir, SWEEP_FILES.csv)}\n`);
  return { status: 'finished', dir, rows, failed: [] };
}

/** What an architecture-only sweep says on its first lines ('' for other sweeps). */
function archLine(spec: SweepSpec): string {
  if (spec.archOnly === undefined) return '';
  const given = spec.archOnly.weights === 'given';
  return (
    `architecture-only sweep: every axis is a chip, tech or mapping key, so every point has the same weights (${given ? `given, ${ARCH_FILES.weights}` : `trained once in the functional model into ${ARCH_FILES.train}/`}); ` +
    `each point runs only the test pass${given ? '' : ' of every epoch'} on its own chip (no training energy per point; --train-each trains every point)\n`
  );
}

/** Run the shared training of an architecture-only sweep on the pool; null when it finished, else its error (a stop leaves the pool stopping). */
async function runSharedTrainingTask(pool: LocalPool, dir: string, io: TrainIo, counts: { running: number }, progress: SweepProgress): Promise<string | null> {
  io.out(`training the network once: ${path.join(dir, ARCH_FILES.train)}\n`);
  let error: string | null = null;
  await pool.run([{ index: -1, argv: trainCommand(dir) }], {
    onStart: () => {
      counts.running++;
      progress.draw();
    },
    onEnd: (o) => {
      counts.running--;
      progress.clear();
      const results = path.join(dir, ARCH_FILES.train, RUN_FILES.results);
      if (o.code === 0 && fs.existsSync(results)) {
        const r = readJson(results) as { final: { trainAccuracy: number; testAccuracy: number } };
        io.out(`shared training: train ${(100 * r.final.trainAccuracy).toFixed(2)}%  test ${(100 * r.final.testAccuracy).toFixed(2)}% (functional model)\n`);
      } else if (o.code !== INTERRUPTED_EXIT) {
        const f = path.join(dir, ARCH_FILES.train, POINT_FILES.error);
        error = fs.existsSync(f) ? (fs.readFileSync(f, 'utf8').split('\n')[0] ?? '') : o.message || `exit code ${o.code}`;
        io.err(`shared training failed: ${error}\n`);
      }
      progress.draw();
    },
  });
  return error;
}

/** Where the shared training of an architecture-only sweep on Slurm stands. */
type SlurmTraining = { state: 'done' } | { state: 'queued'; jobId: string; slurmState: string } | { state: 'failed'; jobId: string; message: string } | { state: 'fresh' };

/**
 * A sweep on Slurm: collect what the folder holds, show the points that are not done
 * (queued ones with their job id and state; failed ones with their job id, error and
 * the tail of their Slurm log), write the tables of the finished ones, and submit
 * the failed and never-submitted points as one new job array. An architecture-only
 * sweep that trains its network first submits the training as one job (unless it is
 * done or in the queue) and the array waits for it (afterok); its state is shown
 * first, and when it failed it is submitted again with the points that never ran.
 * With `wait`, poll the queue until the sweep's jobs have left it, then collect once
 * more (no second resubmission: what fails again is reported, and the sweep exits 3).
 */
async function runOnSlurm(spec: SweepSpec, options: SlurmOptions, dir: string, points: unknown[][], wait: boolean, io: TrainIo): Promise<SweepSummary> {
  const trainDir = path.join(dir, ARCH_FILES.train);
  const collect = (report: boolean): { rows: SweepRow[]; failed: FailedPoint[]; queued: number; fresh: number[]; doomed: Map<number, string>; training: SlurmTraining | null } => {
    const subs = readSubmissions(dir);
    const queue = queuedTasks(subs.map((s) => s.jobId));
    let training: SlurmTraining | null = null;
    if (spec.archOnly?.weights === 'train') {
      const job = lastTrainJob(subs);
      const inQueue = queue.get(-1);
      if (fs.existsSync(path.join(trainDir, RUN_FILES.results))) training = { state: 'done' };
      else if (inQueue !== undefined && inQueue.jobId === job) training = { state: 'queued', jobId: inQueue.jobId, slurmState: inQueue.state };
      else if (job === null) training = { state: 'fresh' };
      else {
        const log = trainLog(trainDir, job);
        const f = path.join(trainDir, POINT_FILES.error);
        const message = fs.existsSync(f) ? (fs.readFileSync(f, 'utf8').split('\n')[0] ?? '') : fs.existsSync(log) ? 'no result; see its Slurm log' : 'no result and no Slurm log (the job never started)';
        training = { state: 'failed', jobId: job, message };
      }
      if (report && training.state !== 'fresh') {
        const name = `shared training (${ARCH_FILES.train}/)`;
        if (training.state === 'done') io.out(`${name}: done\n`);
        else if (training.state === 'queued') io.out(`${name}: ${training.slurmState.toLowerCase()} (job ${training.jobId})\n`);
        else {
          const logTail = tail(trainLog(trainDir, training.jobId), 3);
          io.err(`${name}: failed (job ${training.jobId}): ${training.message}\n${logTail === '' ? '' : `${logTail.replace(/^/gm, '    ')}\n`}`);
        }
      }
    }
    const rows: SweepRow[] = [];
    const failed: FailedPoint[] = [];
    const fresh: number[] = [];
    // Points whose queued task waits for a training job that failed: Slurm cancels them (--kill-on-invalid-dep); they go again.
    const doomed = new Map<number, string>();
    let queued = 0;
    points.forEach((values, k) => {
      if (pointState(dir, k) === 'done') {
        rows.push(rowOf(k, values as unknown[], pointDir(dir, k)));
        return;
      }
      const inQueue = queue.get(k);
      const job = lastJobOf(subs, k);
      const after = subs.find((s) => s.jobId === job)?.after;
      if (inQueue !== undefined && training?.state === 'failed' && after === training.jobId) {
        doomed.set(k, inQueue.jobId);
      } else if (inQueue !== undefined) {
        queued++;
        const waits = inQueue.state === 'PENDING' && after !== undefined && training?.state === 'queued' ? `, waits for the training job ${after}` : '';
        if (report) io.out(`${pointName(k)} ${describePoint(spec, values)}: ${inQueue.state.toLowerCase()} (job ${inQueue.jobId}_${k}${waits})\n`);
      } else if (job === null) {
        fresh.push(k);
      } else {
        const log = taskLog(pointDir(dir, k), job, k);
        const never = after !== undefined ? `no result and no Slurm log: the task never started (it waited for the training job ${after})` : 'no result and no Slurm log (the task never started)';
        const message = pointError(dir, k) ?? (fs.existsSync(log) ? 'no result; see its Slurm log' : never);
        failed.push({ point: k, message });
        if (report) {
          const logTail = tail(log, 3);
          io.err(`${pointName(k)} ${describePoint(spec, values)}: failed (job ${job}_${k}): ${message}\n${logTail === '' ? '' : `${logTail.replace(/^/gm, '    ')}\n`}`);
        }
      }
    });
    writeInSweep(dir, () => writeTables(dir, spec.axes, rows));
    return { rows, failed, queued, fresh, doomed, training };
  };

  let state = collect(true);
  const toSubmit = [...state.failed.map((f) => f.point), ...state.fresh, ...state.doomed.keys()].sort((a, b) => a - b);
  const trainWord = state.training === null ? '' : `shared training ${{ done: 'done', queued: 'in the queue', failed: 'failed', fresh: 'not submitted' }[state.training.state]}, `;
  io.out(`sweep of ${points.length} point(s) on Slurm: ${trainWord}${state.rows.length} done, ${state.queued} in the queue, ${state.failed.length} failed\nsweep folder: ${dir}\n`);
  io.out(archLine(spec));
  if (toSubmit.length > 0) {
    let after: string | undefined;
    const t = state.training;
    if (t !== null && t.state === 'queued') after = t.jobId;
    else if (t !== null && t.state !== 'done') {
      const stale = [...new Set(state.doomed.values())];
      if (stale.length > 0) cancelJobs(stale);
      after = writeInSweep(dir, () => submitTraining(dir, trainDir, trainCommand(dir), options));
      io.out(`submitted the shared training as job ${after} (${ARCH_FILES.train}/)\n`);
    }
    const jobId = writeInSweep(dir, () => submitArray(dir, toSubmit.map((k) => ({ index: k, argv: pointCommand(dir, k) })), options, after));
    io.out(`submitted job array ${jobId}: ${toSubmit.length} point(s) (${toSubmit.map(pointName).join(', ')})${after !== undefined ? `, after the training job ${after}` : ''}\n`);
  }
  if (!wait) {
    if (toSubmit.length > 0 || state.queued > 0) {
      io.out(`collect the results with: bitspike sweep --resume ${dir}\n`);
      return { status: 'submitted', dir, rows: state.rows, failed: [] };
    }
    io.out(`results in ${path.join(dir, SWEEP_FILES.csv)}\n`);
    return { status: 'finished', dir, rows: state.rows, failed: [] };
  }
  // Wait for the sweep's jobs to leave the queue, drawing the progress line on a terminal.
  const started = Date.now();
  for (;;) {
    state = collect(false);
    const pending = points.length - state.rows.length - state.failed.length;
    if (state.queued === 0 && state.doomed.size === 0 && state.training?.state !== 'queued') break;
    if (io.progressStream.isTTY === true) {
      io.progressStream.write(`\r${progressText({ total: points.length, done: state.rows.length, running: pending, failed: state.failed.length }, state.rows.length, (Date.now() - started) / 1000, pending)}\x1b[K`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (io.progressStream.isTTY === true) io.progressStream.write('\r\x1b[K');
  state = collect(true);
  const t = state.training;
  if (t !== null && t.state === 'failed') {
    const message = `the shared training failed (job ${t.jobId}): ${t.message}`;
    io.err(`${message}; no point ran; resubmit it and the points with: bitspike sweep --resume ${dir}\n`);
    const bad = points.map((_, k) => k).filter((k) => pointState(dir, k) !== 'done');
    return { status: 'failed', dir, rows: state.rows, failed: bad.map((point) => ({ point, message })) };
  }
  if (state.failed.length > 0 || state.fresh.length > 0) {
    const bad = [...state.failed, ...state.fresh.map((point) => ({ point, message: 'never submitted' }))].sort((a, b) => a.point - b.point);
    io.err(`${bad.length} of ${points.length} point(s) failed (${bad.map((f) => pointName(f.point)).join(', ')}); resubmit them with: bitspike sweep --resume ${dir}\n`);
    return { status: 'failed', dir, rows: state.rows, failed: bad };
  }
  io.out(`results in ${path.join(dir, SWEEP_FILES.csv)}\n`);
  return { status: 'finished', dir, rows: state.rows, failed: [] };
}

/** Samples per phase the budget-only estimate runs through the functional model (as `bitspike budget` by default). */
export const ESTIMATE_SAMPLES = 8;

/**
 * A budget-only sweep: every point priced by the analytic estimate (src/explore/
 * estimate.ts) in this process, its figures kept in pNNN/estimate.json; the tables
 * have the energy, latency, area and SRAM columns and no accuracy (nothing is trained).
 */
function runEstimates(spec: SweepSpec, dir: string, points: unknown[][], io: TrainIo, priced: ReadonlyMap<number, Record<string, unknown>>, started: bigint): SweepSummary {
  io.out(`budget-only sweep of ${points.length} point(s) over ${spec.axes.map((a) => a.key).join(', ')}: the analytic estimate (${ESTIMATE_SAMPLES} samples per phase, initial weights), no training\nsweep folder: ${dir}\n`);
  const share = newShare();
  const rows = points.map((values, k) => {
    const file = path.join(pointDir(dir, k), POINT_FILES.estimate);
    if (!fs.existsSync(file)) {
      // Priced while the grid was checked (the same figures), or now on a resume.
      const exp = loadExperiment(path.join(pointDir(dir, k), POINT_FILES.config));
      const before = priced.get(k);
      const figures = before !== undefined ? { chip: exp.config.chip, tech: exp.config.tech, ...before } : estimateFigures(exp, share);
      writeInSweep(dir, () => writeJsonAtomic(file, figures));
    }
    const e = readJson(file) as Record<string, number>;
    return { point: k, values, e };
  });
  const keys = ['energyPerTrainingSamplePJ', 'energyPerInferencePJ', 'latencyPerInferenceS', 'chipAreaMm2', 'sramBits'];
  const header = ['point', ...spec.axes.map((a) => a.key), 'energy_per_training_sample_pj', 'energy_per_inference_pj', 'latency_per_inference_s', 'chip_area_mm2', 'sram_bits', 'point_folder'];
  writeInSweep(dir, () => {
    writeFileAtomic(path.join(dir, SWEEP_FILES.csv), toCsv(header, rows.map((r): CsvCell[] => [r.point, ...r.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), ...keys.map((k) => r.e[k] as number), pointName(r.point)])));
    writeJsonAtomic(path.join(dir, SWEEP_FILES.results), rows.map((r) => ({ point: r.point, values: Object.fromEntries(spec.axes.map((a, i) => [a.key, r.values[i]])), method: 'estimate', ...Object.fromEntries(keys.map((k) => [k, r.e[k]])) })));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.out(`${points.length} point(s) priced in ${seconds.toFixed(2)} s; results in ${path.join(dir, SWEEP_FILES.csv)}\n`);
  return { status: 'finished', dir, rows: [], failed: [] };
}
