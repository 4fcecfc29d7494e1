/**
 * `bitspike run`: inference on the test set with the cycle-accurate chip, from a
 * checkpoint or weights file (or the seeded initial network), writing a run folder:
 *   config.resolved.json  the validated config
 *   results.json          accuracy and the chip timing summary (deterministic)
 *   samples.csv           per test sample: label, prediction, free-phase and total cycles
 *   cores.csv             per core: what it holds, active/stall/idle cycles, utilisation, packets
 *   links.csv             per router: link flits and bits, contention
 *   link-loads.csv        per directed router-to-router link: flits, bits, flits per cycle
 *   chip-timing.json      the chip timing summary (as in results.json), with latency percentiles
 *   sample-cycles.csv     per sample: free, nudged, learning and total cycles
 *   counters.json         every counter of the chip (core.<id>, router.<id>, io, chip)
 * Everything that can be refused (config, chip, mapping, data, weights) is checked
 * before the folder is created; each file is written atomically.
 */
import { checkHostMemory } from '../train/host-memory';
import * as fs from 'fs';
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { ChipEngine } from '../chip/chip-engine';
import { loadChipFile } from '../hw/chip-file';
import { chipTimingSummary, writeChipRunFiles } from '../chip/chip-report';
import { loadExperiment } from '../config/experiment';
import { prepareRunEnergy } from '../energy/run-report';
import { resolveTechFile } from '../energy/tech-table';
import { loadData } from '../data/load-data';
import { withCodingNote } from '../data/encode';
import type { NetworkSnapshot } from '../learning/engine';
import { layerSizes } from '../learning/params';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { toCsv } from '../report/csv';
import type { CsvCell } from '../report/csv';
import { ProgressBar } from '../report/progress';
import { emptySnapshot } from '../learning/init';
import { checkSnapshotWidths, readSnapshotFile } from '../store/weights-file';
import { decodeCheckpoint } from '../store/checkpoint';
import { checkDataFitsNetwork } from '../train/train-run';
import { faultLine, faultSummary, readFlipCounts, readFlipLine, testSampleMode } from '../train/engine-factory';
import { checkRunDirFree, defaultRunDir, makeRunDir } from '../train/run-folder';
import { lockFolder } from '../store/folder-lock';
import { checkFileWritable, checkFolderWritable } from '../store/writable';
import { UserError } from '../util/errors';
import { checkThreadCount } from '../chip/parallel/thread-count';
import { out } from './output';

/** What the user asked for. */
export interface RunRequest {
  config?: string;
  sets?: readonly string[];
  /** checkpoint.bin or weights.bin of a training run. */
  weights?: string;
  /** Test samples to run (default: the whole test set, or data.testLimit). */
  limit?: number;
  out?: string;
}

/** Outcome of an inference run. */
export interface RunSummary {
  runDir: string;
  accuracy: number;
  samples: number;
}

/**
 * Read a checkpoint or a weights file into a snapshot (a bad file is a UserError naming
 * it); a weights file is read a piece at a time (readSnapshotFile), with `registers`
 * false without its learning registers.
 */
export function readWeights(file: string, registers = true): NetworkSnapshot {
  let magic: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(8);
      fs.readSync(fd, head, 0, 8, 0);
      magic = head.toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    throw new UserError(`${file}: cannot read the weights file`);
  }
  if (magic === 'BSPKCKPT') return decodeCheckpoint(fs.readFileSync(file), file).snapshot;
  return readSnapshotFile(file, file, { registers });
}

/** Run inference on the test set with the chip and write the run folder. */
export function runInference(req: RunRequest, io: { out: (s: string) => void; err?: (s: string) => void; progressStream: { write(s: string): boolean; isTTY?: boolean } }): RunSummary {
  const exp = loadExperiment(req.config, req.sets ?? []);
  const cfg = exp.config;
  const chipDesc = loadChipFile(cfg.chip);
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults };
  const dir = req.out !== undefined ? path.resolve(req.out) : defaultRunDir(path.resolve(cfg.run.outDir), `${exp.name}-run`, cfg.seed, new Date());
  // Trace outputs named relative go into the run folder.
  if (cfg.trace.vcd.path !== '') cfg.trace.vcd.path = path.resolve(dir, cfg.trace.vcd.path);
  if (cfg.trace.packets.path !== '') cfg.trace.packets.path = path.resolve(dir, cfg.trace.packets.path);
  checkRunDirFree(dir);
  checkFolderWritable(dir);
  for (const t of [cfg.trace.vcd.path, cfg.trace.packets.path]) if (t !== '') checkFileWritable(t, dir);
  checkHostMemory(cfg, chipDesc, exp.label, { inferenceOnly: true });
  const threads = cfg.run.threads;
  checkThreadCount(threads, cfg.trace, exp.sourceOf('run'));
  let engine: ChipEngine;
  try {
    engine = new ChipEngine(model, chipDesc, cfg.seed, { mapping: cfg.mapping, configFile: exp.sourceOf('mapping'), threads, inferenceOnly: true });
  } catch (e) {
    throw withCodingNote(e, cfg.data, cfg.network.inputs);
  }
  const finishEnergy = prepareRunEnergy(cfg, exp.sourceOf('mapping'));
  if (req.weights !== undefined) {
    const file = path.resolve(req.weights);
    // The chip runs inference only: it needs no learning registers.
    const snap = readWeights(file, false);
    const want = layerSizes(cfg.network).join('-');
    if (snap.layers.join('-') !== want) throw new UserError(`${file}: the weights are for a ${snap.layers.join('-')} network but the config describes ${want}`);
    checkSnapshotWidths(snap, emptySnapshot(model, false).widths, file);
    engine.restore(snap);
  }
  const data = loadData(cfg.data, cfg.seed);
  for (const w of checkDataFitsNetwork(exp, data)) (io.err ?? ((t: string) => process.stderr.write(t)))(`warning: ${w}\n`);
  const test = data.test;
  if (req.limit !== undefined && (!Number.isInteger(req.limit) || req.limit < 1)) throw new UserError(`--limit: expected a positive integer, got ${req.limit}`);
  const n = Math.min(test.count, req.limit ?? test.count);

  makeRunDir(dir);
  const lock = lockFolder(dir, 'bitspike run');
  try {
    checkRunDirFree(dir); // again under the lock: another process may have started here since the first check
    writeJsonAtomic(path.join(dir, 'config.resolved.json'), cfg);
    return inferOnChip(req, io, { exp, chipDesc, engine, finishEnergy, dir, n, test });
  } finally {
    engine.close();
    lock.release();
  }
}

interface Prepared {
  exp: ReturnType<typeof loadExperiment>;
  chipDesc: ReturnType<typeof loadChipFile>;
  engine: ChipEngine;
  finishEnergy: ReturnType<typeof prepareRunEnergy>;
  dir: string;
  n: number;
  test: ReturnType<typeof loadData>['test'];
}

function inferOnChip(req: RunRequest, io: { out: (s: string) => void; progressStream: { write(s: string): boolean; isTTY?: boolean } }, p: Prepared): RunSummary {
  const { exp, chipDesc, engine, finishEnergy, dir, n, test } = p;
  const cfg = exp.config;
  engine.attachTraces(cfg.trace);
  io.out(
    `inference ${exp.name}: ${layerSizes(cfg.network).join('-')} on chip ${chipDesc.params.name} (${chipDesc.params.mesh.width}x${chipDesc.params.mesh.height}, ${engine.chip.usedCoreIds.length} cores used), ` +
      `${n} test samples, weights ${req.weights ?? `initial (seed ${cfg.seed})`}\nrun folder: ${dir}\n`,
  );
  const faults = faultLine(cfg);
  if (faults !== null) io.out(`${faults}\n`);
  const bar = new ProgressBar({ stream: io.progressStream, when: cfg.run.progress });
  bar.start('inference', n);
  const rows: CsvCell[][] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = test.labels[i] as number;
    const { prediction } = engine.runSample(test.rows[i] as Uint32Array, label, testSampleMode(i));
    if (prediction === label) correct++;
    rows.push([i, label, prediction, engine.lastSample.free, engine.lastSample.total]);
    if (bar.active) bar.update(i + 1, `acc ${((100 * correct) / (i + 1)).toFixed(2)}%`);
  }
  bar.clear();
  const timing = chipTimingSummary(engine);
  const accuracy = n > 0 ? correct / n : 0;
  writeFileAtomic(path.join(dir, 'samples.csv'), toCsv(['sample', 'label', 'prediction', 'freeCycles', 'totalCycles'], rows));
  writeChipRunFiles(dir, engine);
  writeJsonAtomic(path.join(dir, 'counters.json'), engine.counters());
  const energyText = finishEnergy(engine.counters(), dir);
  // Last, so that a folder with results.json has every file.
  writeJsonAtomic(path.join(dir, 'results.json'), {
    config: exp.name,
    layers: layerSizes(cfg.network),
    weights: req.weights !== undefined ? path.basename(req.weights) : null,
    samples: n,
    correct,
    accuracy,
    timing,
    ...(faults !== null ? { faults: faultSummary(cfg) } : {}),
    ...(cfg.faults.readFlipRate > 0 ? { readFlips: readFlipCounts(engine.counters()) } : {}),
  });
  const flips = readFlipLine(cfg, engine.counters());
  io.out(
    energyText +
      `test accuracy: ${(100 * accuracy).toFixed(2)}% (${correct}/${n})\n` +
      (flips !== null ? `${flips}\n` : '') +
      `cycles per inference: ${timing.inference.free.toFixed(1)} = ${(timing.inferenceLatencySeconds * 1e6).toFixed(3)} us at ${(timing.clockHz / 1e6).toFixed(1)} MHz; ` +
      `throughput ${timing.inferenceThroughputPerSecond.toFixed(1)} samples/s; mean core utilisation ${(100 * timing.meanCoreUtilisation).toFixed(1)}%\n` +
      `results in ${dir}\n`,
  );
  return { runDir: dir, accuracy, samples: n };
}

interface RunArgs {
  config?: string;
  set?: string[];
  weights?: string;
  limit?: number;
  out?: string;
  tech?: string;
}

/** The run command. */
export const command: CommandModule<object, RunArgs> = {
  command: 'run [config]',
  describe: 'inference on the test set with the cycle-accurate chip; writes cycles, utilisation, traffic and counters to a run folder',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (JSON; default configs/mnist-default.json)' })
      .option('weights', { type: 'string', describe: 'checkpoint.bin or weights.bin of a training run (default: the seeded initial network)' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set key.path=value (repeatable)' })
      .option('limit', { type: 'number', describe: 'run only the first N test samples' })
      .option('out', { type: 'string', describe: 'run folder to create (default: runs/<config>-run-<seed>-<time>)' })
      .option('tech', { type: 'string', describe: 'technology table for energy.json: a file or a name in hw/tech (= --set tech=FILE)' })
      .example('$0 run --weights runs/mnist-default-1-20260101-120000/weights.bin --limit 200', 'cycle-accurate inference on 200 test digits') as unknown as Argv<RunArgs>,
  handler: (a) => {
    runInference(
      {
        ...(a.config !== undefined ? { config: a.config } : {}),
        sets: [...(a.set ?? []), ...(a.tech !== undefined ? [`tech=${resolveTechFile(a.tech)}`] : [])],
        ...(a.weights !== undefined ? { weights: a.weights } : {}),
        ...(a.limit !== undefined ? { limit: a.limit } : {}),
        ...(a.out !== undefined ? { out: a.out } : {}),
      },
      { out, progressStream: process.stderr },
    );
  },
};
