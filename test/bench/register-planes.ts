/**
 * Learning registers in memory, this build (bit-sliced, RegisterPlanes) against an earlier
 * build (a folder named by BITSPIKE_BEFORE holding that commit's compiled dist/ and
 * build/wasm; docs/performance.md says how to make one):
 *  1. Memory, each run in a fresh process: bytes of the learning registers of every block
 *     and slice (both copies of every synapse), and the process's peak resident set
 *     (maxRSS) and its resident set at the end after a garbage collection, for (a) the default experiment (configs/mnist-default.json) training
 *     BENCH_MEM_SAMPLES samples in cycle and in functional mode and (b) the filled 64x64
 *     TrueNorth-like chip of chip-filled-64 (128-(4,095 x 128)-30, one layer per core)
 *     training BENCH_TN_SAMPLES samples, and (c) the default experiment on that chip
 *     (fan-in split over its 256-axon cores), cycle mode, BENCH_TN_SAMPLES samples.
 *  2. CPU per training sample of the default experiment, epoch 1, seed 1, functional and
 *     cycle, in one process, alternating the two builds (A B, then B A), best run of each.
 * Without BITSPIKE_BEFORE only this build is measured.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { cpuSeconds, printTable } from './bench-util';

type Mode = 'functional' | 'cycle';

interface Side {
  name: string;
  root: string;
}

/** Anything that holds learning registers: Int8Array (earlier builds) or RegisterPlanes; both have byteLength. */
interface Holder {
  synFwd: { byteLength: number };
  synBwd: { byteLength: number };
}

/** Bytes of learning registers held by an engine of either kind. */
function registerBytes(engine: unknown): number {
  const e = engine as { chip?: { active: Array<{ blocks: Holder[]; slices: Holder[] }> }; blocks?: Holder[][] };
  const holders: Holder[] = [];
  if (e.chip !== undefined) for (const c of e.chip.active) holders.push(...c.blocks, ...c.slices);
  else if (e.blocks !== undefined) for (const l of e.blocks) holders.push(...l);
  return holders.reduce((a, h) => a + h.synFwd.byteLength + h.synBwd.byteLength, 0);
}

/* eslint-disable @typescript-eslint/no-var-requires */
function mods(root: string) {
  return {
    experiment: require(path.join(root, 'dist/src/config/experiment')) as typeof import('../../src/config/experiment'),
    data: require(path.join(root, 'dist/src/data/load-data')) as typeof import('../../src/data/load-data'),
    factory: require(path.join(root, 'dist/src/train/engine-factory')) as typeof import('../../src/train/engine-factory'),
    trainer: require(path.join(root, 'dist/src/train/trainer')) as typeof import('../../src/train/trainer'),
  };
}

/** Train `n` samples of the default experiment with the build under `root`; CPU seconds per sample and the engine. */
async function trainDefault(root: string, mode: Mode, n: number, sets: string[] = []): Promise<{ perSample: number; engine: unknown }> {
  const m = mods(root);
  const exp = m.experiment.loadExperiment(path.join(root, 'configs/mnist-default.json'), [`run.mode=${mode}`, `data.trainLimit=${n}`, 'data.testLimit=1', ...sets]);
  const cfg = exp.config;
  const data = m.factory.feedData(cfg, m.data.loadData(cfg.data, cfg.seed));
  const engine = m.factory.createEngine(cfg, exp.file);
  const trainer = new m.trainer.Trainer(engine, data, { seed: cfg.seed, epochs: 1, randomBetaSign: cfg.learning.randomSign, checkpointEvery: 0, classes: cfg.network.classes });
  const c0 = cpuSeconds();
  await trainer.run();
  return { perSample: (cpuSeconds() - c0) / n, engine };
}

/** Child process: one memory measurement, printed as JSON on the last line. */
async function child(root: string, kind: string): Promise<void> {
  let engine: unknown;
  let perSample = 0;
  if (kind === 'truenorth') {
    const { filled64 } = require(path.join(root, 'dist/test/bench/chip-filled-64')) as typeof import('./chip-filled-64');
    const f = filled64();
    engine = f.engine;
    const n = Number(process.env['BENCH_TN_SAMPLES'] ?? 2);
    const c0 = cpuSeconds();
    for (let i = 0; i < n; i++) f.engine.runSample(f.inputs[i % 2]!, i % 10, { learn: true, betaSign: 1 });
    perSample = (cpuSeconds() - c0) / n;
  } else if (kind === 'truenorth-split') {
    const r = await trainDefault(root, 'cycle', Number(process.env['BENCH_TN_SAMPLES'] ?? 2), [`chip=${path.join(root, 'hw/chips/truenorth-like.json')}`]);
    engine = r.engine;
    perSample = r.perSample;
  } else {
    const r = await trainDefault(root, kind as Mode, Number(process.env['BENCH_MEM_SAMPLES'] ?? 300));
    engine = r.engine;
    perSample = r.perSample;
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  // Resident set once the garbage of set-up (the initial snapshot) is collected, the engine alive.
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ registers: registerBytes(engine), peakRss, rss, perSample }));
}

function measureIn(side: Side, kind: string): { registers: number; peakRss: number; rss: number; perSample: number } {
  const args = ['--max-old-space-size=8000', '--expose-gc', __filename, 'child', side.root, kind];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${side.name} ${kind}: exit ${r.status}\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as { registers: number; peakRss: number; rss: number; perSample: number };
}

const MiB = (b: number): string => (b / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(process.argv[3] as string, process.argv[4] as string);
  const after: Side = { name: 'bit-sliced (this build)', root: path.resolve(__dirname, '../../..') };
  const beforeRoot = process.env['BITSPIKE_BEFORE'];
  const sides: Side[] = beforeRoot ? [{ name: 'before (BITSPIKE_BEFORE)', root: path.resolve(beforeRoot) }, after] : [after];
  if (!beforeRoot) console.log('BITSPIKE_BEFORE not set: measuring this build only (no ratio)');
  const kinds = (process.env['BENCH_KINDS'] ?? 'cycle,functional,truenorth,truenorth-split').split(',').filter((k) => k !== '');
  const mem: string[][] = [];
  for (const kind of kinds) {
    for (const side of sides) {
      const m = measureIn(side, kind);
      mem.push([kind, side.name, m.registers.toLocaleString('en'), MiB(m.registers), MiB(m.peakRss), MiB(m.rss), (m.perSample * 1e3).toFixed(2)]);
    }
  }
  printTable(['run', 'build', 'register bytes', 'register MiB', 'peak RSS MiB', 'RSS after gc MiB', 'CPU ms / training sample (one run)'], mem);
  const plan: Array<[Mode, number, number]> = [
    ['functional', Number(process.env['BENCH_FN_SAMPLES'] ?? 3000), Number(process.env['BENCH_ROUNDS'] ?? 4)],
    ['cycle', Number(process.env['BENCH_CY_SAMPLES'] ?? 300), Number(process.env['BENCH_ROUNDS'] ?? 4)],
  ];
  const rows: string[][] = [];
  for (const [mode, n, rounds] of plan) {
    if (n === 0) continue;
    const best = sides.map(() => Infinity);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? sides.map((_, s) => s) : sides.map((_, s) => sides.length - 1 - s);
      for (const s of order) best[s] = Math.min(best[s] as number, (await trainDefault((sides[s] as Side).root, mode, n)).perSample);
    }
    sides.forEach((side, s) => rows.push([`${mode}, ${n} samples x ${rounds} rounds`, side.name, ((best[s] as number) * 1e3).toFixed(3)]));
    if (sides.length === 2) rows.push([mode, 'ratio this / before', ((best[1] as number) / (best[0] as number)).toFixed(3)]);
  }
  printTable(['training (mnist-default, epoch 1, seed 1)', 'build', 'CPU ms / training sample (best)'], rows);
}

void main();
