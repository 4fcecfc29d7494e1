/**
 * Cycle mode vs functional mode on the default experiment (configs/mnist-default.json,
 * or the declared defaults when absent) with the default chip: the same training and
 * inference samples through both engines, CPU seconds per sample, the slowdown
 * (goal: <= 3x), then the same from a network trained for BENCH_STEADY_EPOCHS epochs (steady state), simulated cycles and kernel events per sample. Both engines must end
 * bit-identical (checked).
 */
import * as fs from 'fs';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import type { ExperimentConfig } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import type { Engine } from '../../src/learning/engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { snapshotsEqual } from '../../src/store/weights-file';
import { cpuSeconds, printTable } from './bench-util';

const TRAIN = Number(process.env['BENCH_TRAIN'] ?? 40);
const TEST = Number(process.env['BENCH_TEST'] ?? 40);
/** Steady-state part: epochs of functional training first (0 = skip), then samples per engine. */
const STEADY_EPOCHS = Number(process.env['BENCH_STEADY_EPOCHS'] ?? 4);
const STEADY = Number(process.env['BENCH_STEADY'] ?? 1050);

function main(): void {
  const file = fs.existsSync(defaultConfigFile()) ? defaultConfigFile() : undefined;
  const exp = file !== undefined ? loadExperiment(file) : loadExperiment(writeDefaultConfig());
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const chip = loadChipFile(cfg.chip);
  const data = loadData({ ...cfg.data, trainLimit: TRAIN, testLimit: TEST }, 1);
  const f = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  const c = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
  const run = (e: Engine, from: number, to: number): number => {
    const t0 = cpuSeconds();
    for (let i = from; i < to; i++) e.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: i % 3 === 0 ? -1 : 1 });
    for (let i = from; i < to; i++) e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false });
    return cpuSeconds() - t0;
  };
  // Warm-up on the first 5 samples, then alternate halves so drift hits both equally.
  run(f, 0, 5);
  run(c, 0, 5);
  const events0 = c.chip.kernel.eventsExecuted;
  const cycles0 = c.chip.time;
  const half = Math.floor((TRAIN - 5) / 2) + 5;
  let tf = run(f, 5, half);
  let tc = run(c, 5, half);
  tc += run(c, half, TRAIN);
  tf += run(f, half, TRAIN);
  const same = snapshotsEqual(f.snapshot(), c.snapshot());
  const n = 2 * (TRAIN - 5);
  const events = (c.chip.kernel.eventsExecuted - events0) / n;
  const cycles = (c.chip.time - cycles0) / n;
  console.log(`config ${exp.name}: ${[cfg.network.inputs, ...cfg.network.hidden, cfg.network.classes * cfg.network.replicas].join('-')}, T1=${cfg.dynamics.freeSteps} T2=${cfg.dynamics.nudgedSteps}, chip ${chip.params.name} (${c.chip.active.length} cores), ${TRAIN - 5} train + ${TRAIN - 5} test samples per engine`);
  printTable(
    ['engine', 'CPU ms/sample', 'kernel events/sample', 'cycles/sample'],
    [
      ['functional', (1000 * tf / n).toFixed(3), '-', '-'],
      ['cycle (chip)', (1000 * tc / n).toFixed(3), events.toFixed(0), cycles.toFixed(0)],
    ],
  );
  console.log(`slowdown cycle/functional: ${(tc / tf).toFixed(2)}x (goal <= 3x); kernel events per CPU second: ${((events * n) / tc / 1e6).toFixed(2)} M`);
  console.log(`final snapshots bit-identical: ${same}`);
  if (!same) process.exitCode = 1;
  if (STEADY_EPOCHS > 0) steadyState(model, chip, cfg);
}

/**
 * Steady state: a functional model trained for STEADY_EPOCHS epochs on the whole
 * training set, loaded into fresh engines, then STEADY samples of training and of test
 * through both in alternating batches of 100 (the ratio a long run converges to).
 */
function steadyState(model: { network: ExperimentConfig['network']; dynamics: ExperimentConfig['dynamics']; learning: ExperimentConfig['learning'] }, chip: ReturnType<typeof loadChipFile>, cfg: ExperimentConfig): void {
  const data = loadData(cfg.data, cfg.seed);
  const trainer = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  const n = data.train.labels.length;
  for (let ep = 0; ep < STEADY_EPOCHS; ep++) for (let i = 0; i < n; i++) trainer.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: (i + ep) % 2 === 0 ? 1 : -1 });
  const trained = trainer.snapshot();
  const f = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  const c = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
  f.restore(trained);
  c.restore(trained);
  const count = Math.min(STEADY, n, data.test.labels.length);
  const run = (e: Engine, from: number, to: number): number => {
    const t0 = cpuSeconds();
    for (let i = from; i < to; i++) e.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: i % 3 === 0 ? -1 : 1 });
    for (let i = from; i < to; i++) e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false });
    return cpuSeconds() - t0;
  };
  run(f, 0, 50);
  run(c, 0, 50);
  let tf = 0;
  let tc = 0;
  for (let s = 50, k = 0; s < count; s += 100, k++) {
    const to = Math.min(count, s + 100);
    if (k % 2 === 0) {
      tf += run(f, s, to);
      tc += run(c, s, to);
    } else {
      tc += run(c, s, to);
      tf += run(f, s, to);
    }
  }
  const pairs = count - 50;
  console.log(`steady state (network trained ${STEADY_EPOCHS} epochs on ${n} samples; ${pairs} training + ${pairs} test samples per engine): functional ${((1000 * tf) / (2 * pairs)).toFixed(3)} ms, chip ${((1000 * tc) / (2 * pairs)).toFixed(3)} ms per sample, slowdown ${(tc / tf).toFixed(2)}x; bit-identical: ${snapshotsEqual(f.snapshot(), c.snapshot())}`);
}

/** configs/mnist-default.json is absent: use the declared defaults with the default chip. */
function writeDefaultConfig(): string {
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'declared-defaults.json');
  fs.writeFileSync(f, '{}');
  return f;
}

main();
