/**
 * One `bitspike train` invocation: load and check everything that can be wrong
 * (config, data, network vs data, engine) before the run folder exists; then train,
 * checkpointing at every epoch end (and every run.checkpointEvery samples); on
 * Ctrl-C (SIGINT) or SIGTERM stop after the current sample with a checkpoint; on resume, continue from
 * the run folder's checkpoint to the same bits an uninterrupted run ends with.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadExperiment, type Experiment } from '../config/experiment';
import { loadData, type TrainTestData } from '../data/load-data';
import { codedWidth, codingText } from '../data/encode';
import { squareSide } from '../data/shift';
import type { DataConfig } from '../data/data-params';
import { layerSizes } from '../learning/params';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { formatTable } from '../report/table';
import { ProgressBar } from '../report/progress';
import { UserError, userError } from '../util/errors';
import { checkThreadCount } from '../chip/parallel/thread-count';
import { stopRequested } from '../util/stop-request';
import { decodeCheckpoint, type Checkpoint } from '../store/checkpoint';
import { checkSnapshotWidths } from '../store/weights-file';
import { removeTempFiles } from '../store/atomic-write';
import { firstDifference } from '../store/config-identity';
import { lockFolder, type FolderLock } from '../store/folder-lock';
import { checkFileWritable, checkFolderWritable } from '../store/writable';
import { prepareRunEnergy } from '../energy/run-report';
import { ChipEngine } from '../chip/chip-engine';
import { writeChipRunFiles } from '../chip/chip-report';
import { createEngine, faultLine, feedData, readFlipLine } from './engine-factory';
import {
  checkRunDirFree,
  defaultRunDir,
  makeRunDir,
  RUN_FILES,
  runFolderState,
  runIdentity,
  signalText,
  writeCheckpointFiles,
  writeFinalFiles,
} from './run-folder';
import { Trainer, type TrainerHooks, type TrainerOptions } from './trainer';

/** What the user asked for on the command line. */
export interface TrainRequest {
  /** Config file (undefined: the default config). */
  config?: string;
  /** "key.path=value" overrides. */
  sets?: readonly string[];
  epochs?: number;
  precision?: 'binary' | 'float';
  mode?: 'functional' | 'cycle';
  /** Exact run folder (default: run.outDir/<config>-<seed>-<time>). */
  out?: string;
  /** Run folder to resume. */
  resume?: string;
  /** Files the --out folder may already hold (a sweep point's own files); anything else there is refused. */
  outMayHold?: readonly string[];
}

/** Where text goes. */
export interface TrainIo {
  /** Ordinary output (results). */
  out: (s: string) => void;
  /** The stream the progress bar draws on. */
  progressStream: { write(s: string): boolean; isTTY?: boolean };
  /** Messages about the run (interrupt notice). */
  err: (s: string) => void;
}

/** How a training invocation ended. */
export interface TrainSummary {
  status: 'finished' | 'interrupted';
  runDir: string;
  checkpoint: Checkpoint;
  /** A stop was asked for (Ctrl-C, SIGTERM, shouldStop): a finished run got it during its final writes. */
  signalled: boolean;
}

/** Extra controls for programmatic use (tests stop a run at a chosen sample). */
export interface TrainControl {
  shouldStop?: () => boolean;
  onProgress?: TrainerHooks['onProgress'];
  /** Print no resume hint after an interruption (a sweep prints its own). */
  noResumeHint?: boolean;
  /** Text in front of the progress bar's label (e.g. "point 2/6"). */
  progressPrefix?: string;
  /** Told of every checkpoint before it is written (an architecture-only sweep keeps each epoch's weights). */
  onCheckpoint?: (c: Checkpoint) => void;
}

/** Whether the trainer draws the sign of beta per sample: `float.randomSign` for float runs, `learning.randomSign` otherwise. */
export function randomBetaSignOf(cfg: { run: { precision: string }; learning: { randomSign: boolean }; float: { randomSign: boolean } }): boolean {
  return cfg.run.precision === 'float' ? cfg.float.randomSign : cfg.learning.randomSign;
}

/**
 * Refuse data that does not fit the network (input width, classes, a split that lacks
 * classes the network has); returns warnings for limited subsets too small to hold
 * every class (the caller prints them).
 */
export function checkDataFitsNetwork(exp: Experiment, data: TrainTestData): string[] {
  const net = exp.config.network;
  const dc = exp.config.data;
  if (data.train.features !== net.inputs) {
    const how = dc.coding === 'threshold' || dc.coding === 'rate' ? '' : `, ${data.train.features / dc.codeBits} pixels x ${dc.codeBits} (${codingText(dc)})`;
    throw userError(exp.sourceOf('network.inputs'), 'network.inputs', `is ${net.inputs} but the data has ${data.train.features} bits per sample (${data.train.name}${how})`);
  }
  if (dc.shift > 0) {
    const pixels = data.grey.train.features;
    const side = squareSide(pixels);
    if (side === null) throw userError(exp.sourceOf('data.shift'), 'data.shift', `moves square images, but the images have ${pixels} pixels (not a square)`);
    if (dc.shift >= side) throw userError(exp.sourceOf('data.shift'), 'data.shift', `is ${dc.shift} but the images are ${side} x ${side} pixels: a shift must stay below ${side}`);
  }
  if (data.classes > net.classes) {
    throw userError(exp.sourceOf('network.classes'), 'network.classes', `is ${net.classes} but the data has labels up to ${data.classes - 1}`);
  }
  const warnings: string[] = [];
  for (const split of ['train', 'test'] as const) {
    const cov = data.coverage[split];
    const file = dc.dataset === 'idx' ? (split === 'train' ? dc.trainLabels : dc.testLabels) : `mnist package (${split} split)`;
    if (cov.available.length < net.classes) {
      throw userError(
        exp.sourceOf('network.classes'),
        'network.classes',
        `is ${net.classes} but ${file} holds only ${cov.available.length} class(es) (labels ${cov.available.join(', ')}): accuracy over fewer classes than the network has means nothing`,
      );
    }
    if (cov.used.length < net.classes) {
      const key = split === 'train' ? 'data.trainLimit' : 'data.testLimit';
      const limit = split === 'train' ? dc.trainLimit : dc.testLimit;
      warnings.push(`${exp.sourceOf(key)}: ${key}: ${limit} sample(s) hold ${cov.used.length} of the network's ${net.classes} classes; use at least ${net.classes} for a meaningful accuracy`);
    }
  }
  return warnings;
}

/**
 * The trainer's shift option for rows `fed` (coded bits, or grey bytes for the float
 * reference) of images of `pixels` pixels; null when data.shift is 0. Call after
 * checkDataFitsNetwork (which refuses images that are not square).
 */
export function shiftOption(dc: DataConfig, fed: TrainTestData, pixels: number): NonNullable<TrainerOptions['shift']> | null {
  if (dc.shift === 0) return null;
  const side = squareSide(pixels) as number;
  const grey = fed.train.features === 8 * pixels && fed.train.features !== codedWidth(dc, pixels);
  const planes = grey ? 1 : codedWidth(dc, pixels) / pixels;
  return {
    max: dc.shift,
    share: dc.shiftShare,
    geometry: { width: side, height: side, planes, bitsPerPixel: grey ? 8 : 1, words: fed.train.words, frames: fed.train.frames },
  };
}

function overridesFor(req: TrainRequest): string[] {
  const sets = [...(req.sets ?? [])];
  if (req.epochs !== undefined) sets.push(`run.epochs=${req.epochs}`);
  if (req.precision !== undefined) sets.push(`run.precision=${req.precision}`);
  if (req.mode !== undefined) sets.push(`run.mode=${req.mode}`);
  return sets;
}

/** A run folder to continue: its config, where to start (null: from the beginning) and its lock. */
interface Resumed {
  exp: Experiment;
  checkpoint: Checkpoint | null;
  dir: string;
  lock: FolderLock;
}

function loadResume(req: TrainRequest): Resumed {
  const dir = path.resolve(req.resume as string);
  if (req.config !== undefined || (req.sets ?? []).length > 0 || req.precision !== undefined || req.mode !== undefined || req.out !== undefined) {
    throw new UserError(`--resume ${req.resume}: a resumed run keeps its own config; only --epochs may be given with --resume`);
  }
  const state = runFolderState(dir);
  if (state === 'absent' || state === 'empty' || state === 'other') {
    throw new UserError(`${dir}: not a resumable run folder (${state === 'absent' ? 'no such folder' : `no ${RUN_FILES.config}`}); start a new run with --out instead`);
  }
  const lock = lockFolder(dir, 'bitspike train');
  try {
    const configFile = path.join(dir, RUN_FILES.config);
    const ckptFile = path.join(dir, RUN_FILES.checkpoint);
    const exp = loadExperiment(configFile, req.epochs !== undefined ? [`run.epochs=${req.epochs}`] : []);
    // Stopped before its first checkpoint: the run starts over from its config.
    if (!fs.existsSync(ckptFile)) return { exp, checkpoint: null, dir, lock };
    const checkpoint = decodeCheckpoint(fs.readFileSync(ckptFile), ckptFile);
    const finished = fs.existsSync(path.join(dir, RUN_FILES.results));
    if (checkpoint.position.epoch >= exp.config.run.epochs && finished) {
      throw new UserError(
        `${dir}: the run already finished ${checkpoint.position.epoch} epoch(s); pass --epochs N with N > ${checkpoint.position.epoch} to train further`,
      );
    }
    if (checkpoint.config) {
      const now = runIdentity(exp.config);
      const diff = now.hash === checkpoint.config.hash ? null : firstDifference(checkpoint.config.keys, now.keys);
      if (diff !== null) {
        throw new UserError(
          `${ckptFile}: written under a different config: ${diff.key} is ${diff.a} there but ${diff.b} in ${configFile}; resume refused (start a new run instead)`,
        );
      }
    }
    return { exp, checkpoint, dir, lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** Run (or resume) a training run and report it. */
export async function runTraining(req: TrainRequest, io: TrainIo, control: TrainControl = {}): Promise<TrainSummary> {
  const resumed = req.resume !== undefined ? loadResume(req) : undefined;
  let lock: FolderLock | undefined = resumed?.lock;
  try {
    return await trainLocked(req, io, control, resumed, (l) => (lock = l));
  } finally {
    lock?.release();
  }
}

async function trainLocked(req: TrainRequest, io: TrainIo, control: TrainControl, resumed: Resumed | undefined, locked: (l: FolderLock) => void): Promise<TrainSummary> {
  const exp = resumed?.exp ?? loadExperiment(req.config, overridesFor(req));
  const cfg = exp.config;
  const dir = resumed?.dir ?? (req.out !== undefined ? path.resolve(req.out) : defaultRunDir(path.resolve(cfg.run.outDir), exp.name, cfg.seed, new Date()));
  if (!resumed) {
    checkRunDirFree(dir, req.outMayHold);
    checkFolderWritable(dir);
    // Trace outputs named relative go into the run folder.
    if (cfg.trace.vcd.path !== '') cfg.trace.vcd.path = path.resolve(dir, cfg.trace.vcd.path);
    if (cfg.trace.packets.path !== '') cfg.trace.packets.path = path.resolve(dir, cfg.trace.packets.path);
  }
  for (const t of [cfg.trace.vcd.path, cfg.trace.packets.path]) if (t !== '') checkFileWritable(t, dir);
  const data = loadData(cfg.data, cfg.seed);
  const warnings = checkDataFitsNetwork(exp, data);
  checkThreadCount(cfg.run.threads, cfg.trace, exp.sourceOf('run'));
  const engine = createEngine(cfg, exp.label);
  const finishEnergy = prepareRunEnergy(cfg, exp.sourceOf('mapping'));
  const fed = feedData(cfg, data);
  const trainer = new Trainer(engine, fed, {
    shift: shiftOption(cfg.data, fed, data.grey.train.features),
    seed: cfg.seed,
    epochs: cfg.run.epochs,
    // The float reference draws (or not) the sign of its beta by its own section.
    randomBetaSign: randomBetaSignOf(cfg),
    checkpointEvery: cfg.run.checkpointEvery,
    curveEvery: cfg.run.curveEvery,
    classes: cfg.network.classes,
  });
  const start = resumed?.checkpoint ?? trainer.initialCheckpoint();
  if (resumed?.checkpoint) {
    const now = engine.snapshot();
    const want = now.layers.join('-');
    const got = start.snapshot.layers.join('-');
    if (got !== want) {
      throw new UserError(`${path.join(dir, RUN_FILES.checkpoint)}: the checkpoint holds a ${got} network but ${path.join(dir, RUN_FILES.config)} describes ${want}`);
    }
    checkSnapshotWidths(start.snapshot, now.widths, path.join(dir, RUN_FILES.checkpoint));
  }

  // Everything that can be refused has been checked: the run folder may now appear.
  if (!resumed) {
    makeRunDir(dir);
    locked(lockFolder(dir, 'bitspike train'));
    checkRunDirFree(dir, req.outMayHold); // again under the lock: another process may have started here since the first check
    // An empty folder may still hold the temporary files of a process killed before it wrote anything.
    removeTempFiles(dir);
    // Hardware derived by --set chip.* / tech.* is kept with the run that simulated it, before the config names it.
    for (const d of exp.derived) {
      const kept = path.join(dir, `${d.kind}.json`);
      writeFileAtomic(kept, fs.readFileSync(d.file));
      cfg[d.kind] = kept;
    }
    writeJsonAtomic(path.join(dir, RUN_FILES.config), cfg);
  } else {
    // Leftovers of a killed process (we hold the lock: nobody else writes here).
    removeTempFiles(dir);
    // A resume with --epochs changes the run's length: its resolved config says so.
    if (req.epochs !== undefined) writeJsonAtomic(path.join(dir, RUN_FILES.config), cfg);
    // Extending a finished run: until it finishes again, the folder is resumable, not finished.
    fs.rmSync(path.join(dir, RUN_FILES.results), { force: true });
  }
  const identity = runIdentity(cfg);
  // The cycle-accurate chip writes its traces into the run folder, which now exists.
  if (engine instanceof ChipEngine) engine.attachTraces(cfg.trace);

  const bar = new ProgressBar({ stream: io.progressStream, when: cfg.run.progress });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      bar.clear();
      io.err('second Ctrl-C: exiting without a checkpoint for the current sample\n');
      process.exit(130);
    }
  };
  // Ctrl-C, and the SIGTERM a job scheduler sends before it kills a job; installed until the last file is written.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const layers = layerSizes(cfg.network);
    for (const w of warnings) io.err(`warning: ${w}\n`);
    io.out(
      `${resumed ? 'resuming' : 'training'} ${resumed ? path.basename(dir) : exp.name}: ${layers.join('-')} ${cfg.dynamics.encoding} ${cfg.learning.rule} rule, ` +
        `${cfg.run.mode}/${cfg.run.precision}, ${data.train.count} train / ${data.test.count} test samples, ` +
        `${cfg.run.epochs} epoch(s), seed ${cfg.seed}` +
        (resumed?.checkpoint ? ` from epoch ${start.position.epoch + 1} ${start.position.phase} sample ${start.position.sample}` : resumed ? ' from the start (no checkpoint yet)' : '') +
        `\nrun folder: ${dir}\n`,
    );
    const faults = faultLine(cfg);
    if (faults !== null) io.out(`${faults}\n`);
    // The running accuracy text is built by one closure, only when the bar redraws.
    let shownDone = 1;
    let shownCorrect = 0;
    const accuracyText = (): string => `acc ${percent(shownCorrect / shownDone)}`;
    let outcome;
    try {
      outcome = await trainer.run(start, {
        shouldStop: () => interrupts > 0 || stopRequested() || (control.shouldStop?.() ?? false),
        onProgress: (phase, done, total, correct, epoch) => {
          control.onProgress?.(phase, done, total, correct, epoch);
          if (bar.active) {
            if (done === 0) bar.start(`${control.progressPrefix ? `${control.progressPrefix} ` : ''}epoch ${epoch + 1} ${phase}`, total);
            else {
              shownDone = done;
              shownCorrect = correct;
              bar.update(done, accuracyText);
            }
          }
        },
        onCheckpoint: (c) => {
          control.onCheckpoint?.(c);
          writeCheckpointFiles(dir, { ...c, config: identity });
        },
        onEpoch: (r, t, layerCounts) => {
          bar.clear();
          const signal = signalText(layerCounts, layers, r.trainSamples);
          io.out(
            `epoch ${r.epoch}: train ${percent(r.trainAccuracy)}  test ${percent(r.testAccuracy)}  ` +
              (signal !== '' ? `${signal}  ` : '') +
              `${t.trainSeconds.toFixed(2)} s train (${(r.trainSamples / Math.max(t.trainSeconds, 1e-9)).toFixed(1)} samples/s)\n`,
          );
        },
      });
    } catch (e) {
      if (engine instanceof ChipEngine) engine.abort();
      throw e;
    } finally {
      bar.clear();
    }
    const checkpoint: Checkpoint = { ...outcome.checkpoint, config: identity };
    if (outcome.status === 'interrupted') {
      if (engine instanceof ChipEngine) engine.abort();
      writeCheckpointFiles(dir, checkpoint);
      const p = checkpoint.position;
      io.err(
        `interrupted at epoch ${p.epoch + 1}, ${p.phase} sample ${p.sample}; checkpoint written.\n` +
          (control.noResumeHint ? '' : `resume with: bitspike train --resume ${dir}\n`),
      );
      return { status: 'interrupted', runDir: dir, checkpoint, signalled: true };
    }
    let energyText = '';
    writeFinalFiles(dir, cfg, checkpoint, outcome.confusion, () => {
      if (engine instanceof ChipEngine) writeChipRunFiles(dir, engine);
      energyText = finishEnergy(checkpoint.counters, dir, checkpoint.inferenceCounters);
    });
    const history = checkpoint.position.history;
    const timings = checkpoint.timings;
    io.out(
      formatTable(
        ['epoch', 'train acc', 'test acc', 'train s', 'samples/s'],
        history.map((r) => {
          const t = timings.find((x) => x.epoch === r.epoch);
          const sec = t?.trainSeconds ?? 0;
          return [r.epoch, percent(r.trainAccuracy), percent(r.testAccuracy), Number(sec.toFixed(2)), Number((sec > 0 ? r.trainSamples / sec : 0).toFixed(1))];
        }),
      ),
    );
    const last = history[history.length - 1];
    if (last) io.out(`test accuracy: ${percent(last.testAccuracy)} (${last.testCorrect}/${last.testSamples})\n`);
    const flips = readFlipLine(cfg, checkpoint.counters);
    if (flips !== null) io.out(`${flips}\n`);
    io.out(energyText);
    io.out(`results in ${dir}\n`);
    // A signal that arrived during the final writes waited for them; the caller (a sweep) stops after this run.
    const stopAsked = interrupts > 0 || (control.shouldStop?.() ?? false);
    if (interrupts > 0) io.err('stop requested during the final writes: the run finished first\n');
    return { status: 'finished', runDir: dir, checkpoint, signalled: stopAsked };
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    // The chip's other threads (run.threads > 1) end with the run.
    if (engine instanceof ChipEngine) engine.close();
  }
}
