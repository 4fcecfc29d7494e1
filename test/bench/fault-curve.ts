/**
 * Accuracy against the rate of stuck weight cells on the default experiment
 * (configs/mnist-default.json, functional model = the chip's bits):
 *   inference only:  train fault-free, then run the test set on a chip with the faults
 *                    (without and with SECDED);
 *   on-chip learning: train on the faulty chip from the start, test on it (the rule
 *                    learns around its stuck cells).
 * Same die (faults.seed 1) at every rate. BENCH_EPOCHS (default 10) epochs per training.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile } from '../../src/hw/chip-file';
import { loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { networkFaults } from '../../src/learning/neuron-block';
import { decodeSnapshot } from '../../src/store/weights-file';
import { runTraining } from '../../src/train/train-run';
import type { NetworkSnapshot } from '../../src/learning/engine';
import { cpuSeconds, printTable } from './bench-util';

const EPOCHS = Number(process.env['BENCH_EPOCHS'] ?? 10);
const RATES = [0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 0.3, 0.5];
const DEAD = [0.01, 0.05, 0.1, 0.2];
const quiet = { out: (): void => undefined, err: (): void => undefined, progressStream: { write: (): boolean => true, isTTY: false } };

async function train(dir: string, sets: string[]): Promise<{ test: number; weights: NetworkSnapshot }> {
  const out = path.join(dir, `run-${sets.join('_').replace(/[^a-z0-9.=_-]/gi, '')}`);
  const r = await runTraining({ sets: ['run.mode=functional', 'run.progress=never', ...sets], epochs: EPOCHS, out }, quiet);
  const last = r.checkpoint.position.history[r.checkpoint.position.history.length - 1]!;
  return { test: last.testAccuracy, weights: decodeSnapshot(fs.readFileSync(path.join(out, 'weights.bin')), 'weights.bin') };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-fault-curve-'));
  const t0 = cpuSeconds();
  const cfg = loadExperiment(undefined).config;
  const wordBits = loadChipFile(cfg.chip).params.core.sram.wordBits;
  const data = loadData(cfg.data, cfg.seed);
  const clean = await train(tmp, []);
  const evaluate = (rate: number, ecc: 'none' | 'secded', weights: NetworkSnapshot): { acc: number; left: number } => {
    const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: { ...cfg.faults, weightStuckRate: rate } };
    const e = new FunctionalEngine(model, cfg.seed, { wordBits, ecc });
    e.restore(weights);
    let ok = 0;
    for (let i = 0; i < data.test.count; i++) if (e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction === data.test.labels[i]) ok++;
    const map = networkFaults(model, wordBits, ecc);
    return { acc: ok / data.test.count, left: map === null ? 0 : map.summary.weightFaults };
  };
  const rows: string[][] = [];
  for (const rate of RATES) {
    const inf = evaluate(rate, 'none', clean.weights);
    const infEcc = evaluate(rate, 'secded', clean.weights);
    const learned = rate === 0 ? clean : await train(tmp, [`faults.weightStuckRate=${rate}`]);
    rows.push([
      rate === 0 ? '0' : rate.toExponential(0),
      String(inf.left),
      (100 * inf.acc).toFixed(2),
      String(infEcc.left),
      (100 * infEcc.acc).toFixed(2),
      (100 * learned.test).toFixed(2),
    ]);
  }
  // Dead neurons (spike output stuck at 0): SECDED does not help, learning may route around them.
  const deadRows: string[][] = [];
  for (const rate of DEAD) {
    const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: { ...cfg.faults, neuronStuckOffRate: rate } };
    const e = new FunctionalEngine(model, cfg.seed, { wordBits });
    e.restore(clean.weights);
    let ok = 0;
    for (let i = 0; i < data.test.count; i++) if (e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction === data.test.labels[i]) ok++;
    const learned = await train(tmp, [`faults.neuronStuckOffRate=${rate}`]);
    const dead = networkFaults(model, wordBits, 'none')!.summary.neuronsStuckOff;
    deadRows.push([String(rate), String(dead), ((100 * ok) / data.test.count).toFixed(2), (100 * learned.test).toFixed(2)]);
  }
  console.log(`default experiment (${[cfg.network.inputs, ...cfg.network.hidden, cfg.network.classes * cfg.network.replicas].join('-')}), ${EPOCHS} epochs per training, ${data.test.count} test samples, die faults.seed ${cfg.faults.seed}, ${wordBits}-bit SRAM words`);
  printTable(['weight stuck rate', 'stuck synapses', 'inference only %', 'left after SECDED', 'inference, SECDED %', 'trained on the faulty chip %'], rows);
  console.log('');
  printTable(['neuron stuck-off rate', 'dead neurons', 'inference only %', 'trained on the faulty chip %'], deadRows);
  console.log(`CPU ${(cpuSeconds() - t0).toFixed(1)} s`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
