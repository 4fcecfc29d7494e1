/**
 * Architecture-only sweeps. When every swept key is a chip, technology or mapping key
 * (`chip`, `chip.*`, `tech`, `tech.*`, `mapping`, `mapping.*`) and no fault is injected, every point learns the same
 * weights: the model's integers depend on the network, dynamics, learning rule and
 * seed, not on the chip that computes them (the cycle model is bit-exact with the
 * functional model for every mapping and router setting). Such a sweep trains the
 * network once, in the functional model, into FOLDER/train/, keeping the weights after
 * every epoch (or takes the weights given with --weights, copied to FOLDER/weights.bin),
 * and each point only runs the test passes on its own chip (the point's run.mode
 * engine: the cycle-accurate chip for run.mode "cycle"). A point repeats the test pass
 * of every epoch with that epoch's weights, so its test accuracy, energy per inference
 * and inference latency are the ones a full training of the point reports (which
 * prices the test passes of all epochs); it has no training energy (nothing trains on
 * its chip).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChipEngine } from '../chip/chip-engine';
import { writeChipRunFiles } from '../chip/chip-report';
import { loadExperiment, type ExperimentConfig } from '../config/experiment';
import { loadData } from '../data/load-data';
import { prepareRunEnergy, subtractCounters } from '../energy/run-report';
import { deadRoutesOn, faultsOn } from '../faults/params';
import type { NetworkSnapshot } from '../learning/engine';
import { emptySnapshot } from '../learning/init';
import { layerSizes } from '../learning/params';
import type { CounterSnapshot } from '../sim/counter-catalog';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { decodeCheckpoint, type Checkpoint } from '../store/checkpoint';
import { checkSnapshotWidths, decodeSnapshot, encodeSnapshot } from '../store/weights-file';
import { addCounters, noCounters } from '../train/counters-sum';
import { createEngine, feedData } from '../train/engine-factory';
import { RUN_FILES, confusionCsv } from '../train/run-folder';
import { checkDataFitsNetwork, runTraining, type TrainIo } from '../train/train-run';
import { UserError } from '../util/errors';
import { stopRequested } from '../util/stop-request';
import type { GridAxis } from './grid';
import { POINT_FILES } from './sweep-folder';

/** Files of an architecture-only sweep folder. */
export const ARCH_FILES = {
  /** The shared training run (a run folder with its point.json). */
  train: 'train',
  /** The weights given with --weights. */
  weights: 'weights.bin',
} as const;

/** Where an architecture-only sweep's weights come from: its own training (train/) or the file given with --weights. */
export type ArchWeights = 'train' | 'given';

/** The weights after epoch `e` (1-based) of the shared training, in train/. */
export function epochWeightsFile(dir: string, e: number): string {
  return path.join(dir, ARCH_FILES.train, `epoch-${String(e).padStart(3, '0')}.weights.bin`);
}

/** Whether a grid key changes only the hardware or where the network sits on it (chip file, technology table, mapping). */
export function isArchKey(key: string): boolean {
  return ['chip', 'tech', 'mapping'].some((k) => key === k || key.startsWith(`${k}.`));
}

/** Why the points of a sweep over `axes` from `cfg` cannot share one training (null: they can). */
export function archOnlyBlocker(axes: readonly GridAxis[], cfg: ExperimentConfig): string | null {
  const other = axes.find((a) => !isArchKey(a.key));
  if (other !== undefined) return `the axis ${other.key} is not a chip, tech or mapping key`;
  if (cfg.run.precision === 'float') return 'run.precision "float" runs no chip';
  if (faultsOn(cfg.faults)) return 'faults are injected, and where stuck cells fall depends on the chip\'s SRAM words';
  if (deadRoutesOn(cfg.faults)) return 'dead routers or links are set, and what a neuron sees through them depends on the chip\'s mapping';
  return null;
}

/** The config of the shared training: the sweep's config and --set, in the functional model (the same weights, much faster). */
export function sharedTrainingConfig(config: string, sets: readonly string[]): ExperimentConfig {
  return loadExperiment(config, [...sets, 'run.mode=functional']).config;
}

/** Read the weights given with --weights (a weights.bin or checkpoint.bin), refusing ones that do not fit the network of `cfg`. */
export function checkGivenWeights(file: string, cfg: ExperimentConfig, label: string): NetworkSnapshot {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new UserError(`${file}: cannot read the weights file`);
  }
  const snap = Buffer.from(bytes.subarray(0, 8)).toString('latin1') === 'BSPKCKPT' ? decodeCheckpoint(bytes, file).snapshot : decodeSnapshot(bytes, file);
  const want = layerSizes(cfg.network).join('-');
  if (snap.layers.join('-') !== want) throw new UserError(`${file}: the weights are for a ${snap.layers.join('-')} network but ${label} describes ${want}`);
  const built = createEngine(cfg, label);
  const widths = built.snapshot().widths;
  // A chip on several threads (run.threads) stops its worker threads.
  if (built instanceof ChipEngine) built.close();
  checkSnapshotWidths(snap, widths, file);
  return snap;
}

/** Run (or resume) the shared training in `tdir`, writing the weights of every finished epoch beside the run's files. */
export async function runSharedTraining(dir: string, tdir: string, io: TrainIo, own: readonly string[], resume: boolean): Promise<'finished' | 'interrupted'> {
  const keep = (c: Checkpoint): void => {
    // The checkpoint at an epoch's end (phase train, sample 0): written before the checkpoint, so a resume that redoes the epoch rewrites the same bytes.
    if (c.position.phase === 'train' && c.position.sample === 0 && c.position.epoch > 0) writeFileAtomic(epochWeightsFile(dir, c.position.epoch), encodeSnapshot(c.snapshot));
  };
  const summary = resume
    ? await runTraining({ resume: tdir }, io, { noResumeHint: true, onCheckpoint: keep })
    : await runTraining({ config: path.join(tdir, POINT_FILES.config), out: tdir, outMayHold: own }, io, { noResumeHint: true, onCheckpoint: keep });
  return summary.status;
}

/** The weights each test pass uses, the training accuracy of the last epoch (null with given weights) and the final weights' digest. */
interface Passes {
  snapshots: NetworkSnapshot[];
  trainAccuracy: number | null;
  weightsSha256: string;
  source: string;
}

function passesOf(dir: string, weights: ArchWeights): Passes {
  if (weights === 'given') {
    const file = path.join(dir, ARCH_FILES.weights);
    const bytes = fs.readFileSync(file);
    const snap = decodeSnapshot(bytes, file);
    return { snapshots: [snap], trainAccuracy: null, weightsSha256: createHash('sha256').update(encodeSnapshot(snap)).digest('hex'), source: ARCH_FILES.weights };
  }
  const tdir = path.join(dir, ARCH_FILES.train);
  const resultsFile = path.join(tdir, RUN_FILES.results);
  if (!fs.existsSync(resultsFile)) throw new UserError(`${tdir}: the shared training has not finished (run the sweep with --resume)`);
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { final: { epoch: number; trainAccuracy: number }; weightsSha256: string };
  const snapshots: NetworkSnapshot[] = [];
  for (let e = 1; e <= results.final.epoch; e++) {
    const f = epochWeightsFile(dir, e);
    if (!fs.existsSync(f)) throw new UserError(`${f}: missing (the shared training keeps the weights of every epoch); remove ${tdir} and resume the sweep to train again`);
    snapshots.push(decodeSnapshot(fs.readFileSync(f), f));
  }
  return { snapshots, trainAccuracy: results.final.trainAccuracy, weightsSha256: results.weightsSha256, source: `${ARCH_FILES.train}/` };
}

/**
 * Run the test passes of an architecture-only point on its own chip: one pass per
 * epoch of the shared training (with that epoch's weights), or one with the given
 * weights. Writes the point's resolved config, energy.json (inference only),
 * counters.json, confusion.csv, the chip's per-core and per-link files (cycle model)
 * and results.json last. A stop request ends it with nothing written (it starts over).
 */
export function runInferencePoint(dir: string, weights: ArchWeights, pdir: string, io: TrainIo): 'finished' | 'interrupted' {
  const exp = loadExperiment(path.join(pdir, POINT_FILES.config));
  const cfg = exp.config;
  const passes = passesOf(dir, weights);
  const data = feedData(cfg, loadData(cfg.data, cfg.seed));
  for (const w of checkDataFitsNetwork(exp, data)) io.err(`warning: ${w}\n`);
  // Test passes only: the chip holds no learning registers.
  const engine = createEngine(cfg, exp.label, { inferenceOnly: true });
  const finishEnergy = prepareRunEnergy(cfg, exp.sourceOf('mapping'));
  // An inference-only chip has no snapshot of its own: its widths are the experiment's declared ones.
  const widths = engine instanceof ChipEngine ? emptySnapshot({ network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning }, false).widths : engine.snapshot().widths;
  const test = data.test;
  io.out(`inference on ${cfg.run.mode === 'cycle' ? 'the cycle-accurate chip' : 'the functional model'} ${cfg.chip}: ${passes.snapshots.length} test pass(es) of ${test.count} samples with the weights of ${passes.source}\n`);
  const C = cfg.network.classes;
  const confusion = new Int32Array(C * C);
  let inference: CounterSnapshot = noCounters();
  let correct = 0;
  const mode = { learn: false } as const;
  for (const snap of passes.snapshots) {
    checkSnapshotWidths(snap, widths, passes.source);
    engine.restore(snap);
    const before = engine.counters();
    correct = 0;
    confusion.fill(0);
    for (let j = 0; j < test.count; j++) {
      const label = test.labels[j] as number;
      const r = engine.runSample(test.rows[j] as Uint32Array, label, mode);
      if (r.prediction === label) correct++;
      if (r.prediction >= 0 && r.prediction < C) confusion[label * C + r.prediction]++;
      if (stopRequested()) {
        if (engine instanceof ChipEngine) engine.abort();
        return 'interrupted';
      }
    }
    inference = addCounters(inference, subtractCounters(engine.counters(), before));
  }
  const testAccuracy = correct / test.count;
  writeJsonAtomic(path.join(pdir, RUN_FILES.config), cfg);
  writeFileAtomic(path.join(pdir, 'confusion.csv'), confusionCsv(confusion));
  writeJsonAtomic(path.join(pdir, 'counters.json'), inference);
  if (engine instanceof ChipEngine) writeChipRunFiles(pdir, engine);
  const energyText = finishEnergy(inference, pdir, inference);
  // Last: a point folder with results.json is finished.
  writeJsonAtomic(path.join(pdir, RUN_FILES.results), {
    method: 'inference',
    weights: passes.source,
    passes: passes.snapshots.length,
    final: { epoch: weights === 'given' ? 0 : passes.snapshots.length, trainAccuracy: passes.trainAccuracy, testAccuracy, testSamples: test.count, testCorrect: correct },
    weightsSha256: passes.weightsSha256,
  });
  io.out(`${energyText}test accuracy: ${(100 * testAccuracy).toFixed(2)}% (${correct}/${test.count})\n`);
  return 'finished';
}
