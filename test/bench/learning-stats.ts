/**
 * Cost of the learning statistics (per-layer learning counts in the blocks, output
 * errors, the learning curve in the trainer): training CPU per sample of this build
 * against a build of the commit before them, in one process, alternating the two
 * (A B, B A, ...) so that the load of the machine falls on both alike; each side keeps its
 * best run. configs/mnist-default.json, epoch 1 (fresh network), seed 1, functional and
 * cycle mode. The earlier build is a folder named by BITSPIKE_BEFORE holding that
 * commit's compiled dist/ and build/wasm (docs/training-results.md §6 says how to make one); without
 * it, only this build is timed.
 */
import * as path from 'path';
import { cpuSeconds, printTable } from './bench-util';

interface Side {
  name: string;
  root: string;
}

type Mode = 'functional' | 'cycle';

/** CPU seconds per training sample of one epoch of `n` samples (test pass of 1 sample) with the modules under `root`/dist. */
async function trainCpu(root: string, mode: Mode, n: number): Promise<number> {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { loadExperiment } = require(path.join(root, 'dist/src/config/experiment')) as typeof import('../../src/config/experiment');
  const { loadData } = require(path.join(root, 'dist/src/data/load-data')) as typeof import('../../src/data/load-data');
  const { createEngine, feedData } = require(path.join(root, 'dist/src/train/engine-factory')) as typeof import('../../src/train/engine-factory');
  const { Trainer } = require(path.join(root, 'dist/src/train/trainer')) as typeof import('../../src/train/trainer');
  const exp = loadExperiment(path.join(root, 'configs/mnist-default.json'), [`run.mode=${mode}`, `data.trainLimit=${n}`, 'data.testLimit=1']);
  const cfg = exp.config;
  const data = feedData(cfg, loadData(cfg.data, cfg.seed));
  const trainer = new Trainer(createEngine(cfg, exp.file), data, { seed: cfg.seed, epochs: 1, randomBetaSign: cfg.learning.randomSign, checkpointEvery: 0, classes: cfg.network.classes });
  const c0 = cpuSeconds();
  await trainer.run();
  return (cpuSeconds() - c0) / n;
}

async function main(): Promise<void> {
  const after: Side = { name: 'with statistics (this build)', root: path.resolve(__dirname, '../../..') };
  const beforeRoot = process.env['BITSPIKE_BEFORE'];
  const sides: Side[] = beforeRoot ? [{ name: 'before (BITSPIKE_BEFORE)', root: path.resolve(beforeRoot) }, after] : [after];
  if (!beforeRoot) console.log('BITSPIKE_BEFORE not set: timing this build only (no ratio)');
  const plan: Array<[Mode, number, number]> = [
    ['functional', 3000, 6],
    ['cycle', 300, 4],
  ];
  const rows: string[][] = [];
  for (const [mode, n, rounds] of plan) {
    const best = sides.map(() => Infinity);
    for (let r = 0; r < rounds; r++) {
      // A B, then B A: neither side always runs first.
      const order = r % 2 === 0 ? sides.map((_, s) => s) : sides.map((_, s) => sides.length - 1 - s);
      for (const s of order) best[s] = Math.min(best[s] as number, await trainCpu((sides[s] as Side).root, mode, n));
    }
    sides.forEach((side, s) => rows.push([`${mode}, ${n} samples x ${rounds} rounds`, side.name, ((best[s] as number) * 1e3).toFixed(2)]));
    if (sides.length === 2) rows.push([`${mode}`, 'ratio with / before', ((best[1] as number) / (best[0] as number)).toFixed(3)]);
  }
  printTable(['run (mnist-default, epoch 1, seed 1)', 'build', 'CPU ms / training sample (best)'], rows);
}

void main();
