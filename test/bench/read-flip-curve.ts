/**
 * Accuracy against the rate of transient SRAM read flips (faults.readFlipRate) on the
 * default experiment (configs/mnist-default.json, functional model = the chip's bits):
 *   inference only:  train fault-free (BENCH_EPOCHS, default 10), then run the whole test
 *                    set with flipping reads, without and with SECDED;
 *   training:        train with flipping reads from the start and test with them; this is
 *                    costly at high rates (every flipped bit is drawn), so it trains on
 *                    BENCH_FLIP_TRAIN samples (default 1000, stratified) for BENCH_FLIP_EPOCHS
 *                    epochs (default 2), and the rate-0 row is the fault-free run of that budget;
 *                    every read flips, the learning phase's weight and register reads too.
 * BENCH_RATES (comma list) picks the rates (default 0,1e-5,1e-4,1e-3,1e-2,1e-1).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile } from '../../src/hw/chip-file';
import { loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { sampleReadKey } from '../../src/faults/read-flips';
import { decodeSnapshot } from '../../src/store/weights-file';
import { runTraining } from '../../src/train/train-run';
import type { NetworkSnapshot } from '../../src/learning/engine';
import { cpuSeconds, printTable } from './bench-util';

const EPOCHS = Number(process.env['BENCH_EPOCHS'] ?? 10);
const FLIP_TRAIN = Number(process.env['BENCH_FLIP_TRAIN'] ?? 1000);
const FLIP_EPOCHS = Number(process.env['BENCH_FLIP_EPOCHS'] ?? 2);
const RATES = (process.env['BENCH_RATES'] ?? '0,1e-5,1e-4,1e-3,1e-2,1e-1').split(',').map(Number);
const quiet = { out: (): void => undefined, err: (): void => undefined, progressStream: { write: (): boolean => true, isTTY: false } };

async function train(dir: string, epochs: number, sets: string[]): Promise<{ test: number; weights: NetworkSnapshot; cpu: number }> {
  const out = path.join(dir, `run-${epochs}-${sets.join('_').replace(/[^a-z0-9.=_-]/gi, '')}`);
  const c0 = cpuSeconds();
  const r = await runTraining({ sets: ['run.mode=functional', 'run.progress=never', ...sets], epochs, out }, quiet);
  const last = r.checkpoint.position.history[r.checkpoint.position.history.length - 1]!;
  return { test: last.testAccuracy, weights: decodeSnapshot(fs.readFileSync(path.join(out, 'weights.bin')), 'weights.bin'), cpu: cpuSeconds() - c0 };
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-read-flip-curve-'));
  const t0 = cpuSeconds();
  const cfg = loadExperiment(undefined).config;
  const wordBits = loadChipFile(cfg.chip).params.core.sram.wordBits;
  const data = loadData(cfg.data, cfg.seed);
  const clean = await train(tmp, EPOCHS, []);
  const evaluate = (rate: number, ecc: 'none' | 'secded'): { acc: number; flipped: number; left: number; readBits: number } => {
    const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: { ...cfg.faults, readFlipRate: rate } };
    const e = new FunctionalEngine(model, cfg.seed, { wordBits, ecc });
    e.restore(clean.weights);
    let ok = 0;
    for (let i = 0; i < data.test.count; i++) if (e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false, readKey: sampleReadKey('test', 0, i) }).prediction === data.test.labels[i]) ok++;
    const c = e.counters().components['core.all']!.counts;
    const flipped = c['sramReadFlips'] ?? 0;
    return { acc: ok / data.test.count, flipped, left: flipped - (c['sramReadFlipsCorrected'] ?? 0), readBits: (c['weightSramReads'] ?? 0) * wordBits };
  };
  const rows: string[][] = [];
  for (const rate of RATES) {
    const inf = evaluate(rate, 'none');
    const infEcc = evaluate(rate, 'secded');
    const learned = await train(tmp, FLIP_EPOCHS, [`data.trainLimit=${FLIP_TRAIN}`, `faults.readFlipRate=${rate}`]);
    rows.push([
      rate === 0 ? '0' : rate.toExponential(0),
      inf.readBits > 0 ? (inf.flipped / inf.readBits).toExponential(2) : '0',
      (100 * inf.acc).toFixed(2),
      String(infEcc.left),
      (100 * infEcc.acc).toFixed(2),
      (100 * learned.test).toFixed(2),
      learned.cpu.toFixed(0),
    ]);
    console.log(rows[rows.length - 1]!.join(' | '));
  }
  console.log('');
  console.log(
    `default experiment (${[cfg.network.inputs, ...cfg.network.hidden, cfg.network.classes * cfg.network.replicas].join('-')}), ${data.test.count} test samples, ${wordBits}-bit SRAM words; ` +
      `inference on weights trained fault-free for ${EPOCHS} epochs (${(100 * clean.test).toFixed(2)}%); training with flips: ${FLIP_TRAIN} train samples, ${FLIP_EPOCHS} epochs`,
  );
  printTable(['read flip rate', 'measured flips per read bit', 'inference only %', 'flipped bits left after SECDED', 'inference, SECDED %', `trained with flips (${FLIP_TRAIN} x ${FLIP_EPOCHS}) %`, 'training CPU s'], rows);
  console.log(`CPU ${(cpuSeconds() - t0).toFixed(1)} s`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
