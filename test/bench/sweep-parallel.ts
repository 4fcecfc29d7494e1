/**
 * Parallel sweeps: wall time of one 8-point sweep (784-256-10 network, functional
 * model, 1 epoch, 500 test samples a point; grid seed=1..8) with --workers 1 and with
 * --workers 2, alternated A B A B (PAIRS of each) in this one process so that load from
 * other work on the machine falls on both alike, for two point sizes: 2,000 training
 * samples (about half a second a point) and the whole 7,996-sample training set. What a
 * second worker cannot hide is serial: the check of the points before the first one
 * starts (column "first start s") and each pool thread's start-up (thread, module
 * loading, JIT compilation), which both settings pay once. Reports each run's wall and
 * CPU seconds, the ratio of each A B pair, the best of each setting and the speed-up
 * best(1) / best(2), checks that every run's sweep-results.json is the same bytes, and
 * ends with one summary line per size. Process start-up and the first decode of the
 * digits are not in the figures (the sweeps run in this process, one after another;
 * the first run of each size also pays the JIT of the main thread, so the best of each
 * setting is compared).
 * Run: npm run bench -- sweep-parallel      (PAIRS=5 for more samples)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSweep } from '../../src/explore/sweep';
import { printTable } from './bench-util';

const PAIRS = Number(process.env['PAIRS'] ?? 3);

interface SizeResult {
  label: string;
  speedUp: number;
  pairRatios: number[];
  maxLoad: number;
}

async function sizeRun(dir: string, trainLimit: number): Promise<SizeResult> {
  const config = path.join(dir, `bench-${trainLimit}.json`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      seed: 1,
      network: { inputs: 784, hidden: [256], classes: 10, replicas: 1 },
      dynamics: { freeSteps: 8, nudgedSteps: 4 },
      data: { trainLimit, testLimit: 500 },
      run: { epochs: 1, mode: 'functional', progress: 'never' },
    }),
  );
  const io = { out: () => undefined, err: (s: string) => void process.stderr.write(s), progressStream: { write: () => true, isTTY: false } };
  const order = Array.from({ length: 2 * PAIRS }, (_, i) => (i % 2 === 0 ? 1 : 2));
  const rows: string[][] = [];
  const best = new Map<number, number>();
  const walls: number[] = [];
  let maxLoad = 0;
  let reference: Buffer | null = null;
  for (const [i, workers] of order.entries()) {
    const out = path.join(dir, `t${trainLimit}-run${i}-w${workers}`);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let firstStart = 0;
    const s = await runSweep({ config, grid: ['seed=1,2,3,4,5,6,7,8'], out, workers }, io, {
      onPointStart: () => void (firstStart ||= Number(process.hrtime.bigint() - t0) / 1e9),
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (s.status !== 'finished') throw new Error(`sweep ${out} ended ${s.status}`);
    const bytes = fs.readFileSync(path.join(out, 'sweep-results.json'));
    reference ??= bytes;
    if (!bytes.equals(reference)) throw new Error(`${out}: sweep-results.json differs from the first run's`);
    fs.rmSync(out, { recursive: true, force: true });
    best.set(workers, Math.min(best.get(workers) ?? Infinity, wall));
    walls.push(wall);
    const load = os.loadavg()[0] as number;
    maxLoad = Math.max(maxLoad, load);
    const pair = workers === 2 ? `${((walls[i - 1] as number) / wall).toFixed(2)}x` : '';
    rows.push([String(i + 1), String(workers), wall.toFixed(2), firstStart.toFixed(2), cpu.toFixed(2), (cpu / wall).toFixed(2), pair, load.toFixed(1)]);
  }
  const label = trainLimit === 0 ? 'whole training set (7,996 samples)' : `${trainLimit.toLocaleString('en-US')} training samples`;
  // CPU s counts every thread of this process; CPU s / wall s is the number of cores the sweep had (near 2 with --workers 2 on an idle 2-core machine).
  console.log(`\n8 points of ${label}, --workers 1 and 2 alternated, ${PAIRS} of each:`);
  printTable(['run', 'workers', 'wall s', 'first start s', 'CPU s (all threads)', 'CPU s / wall s', 'pair ratio', 'load avg (1 min)'], rows);
  const b1 = best.get(1) as number;
  const b2 = best.get(2) as number;
  console.log(`best of ${PAIRS} (wall): --workers 1 ${b1.toFixed(2)} s, --workers 2 ${b2.toFixed(2)} s; sweep-results.json identical in all ${order.length} runs`);
  const pairRatios = walls.flatMap((w, i) => (i % 2 === 1 ? [(walls[i - 1] as number) / w] : []));
  return { label, speedUp: b1 / b2, pairRatios, maxLoad };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-bench-sweep-'));
  const results = [await sizeRun(dir, 2000), await sizeRun(dir, 0)];
  fs.rmSync(dir, { recursive: true, force: true });
  const cores = os.availableParallelism();
  console.log(`\nSPEED-UP of --workers 2 over --workers 1 on ${cores} cores (goal 1.8x; best wall time of ${PAIRS} alternated runs each):`);
  for (const r of results) {
    console.log(`  ${r.label.padEnd(36)} ${r.speedUp.toFixed(2)}x   (pairs: ${r.pairRatios.map((x) => `${x.toFixed(2)}x`).join(' ')}; highest load avg ${r.maxLoad.toFixed(1)})`);
  }
  const busiest = Math.max(...results.map((r) => r.maxLoad));
  if (busiest > 0.5 * cores) console.log(`  note: the load average reached ${busiest.toFixed(1)} on ${cores} cores: other work shared the cores, so these ratios understate an idle machine's`);
}

void main();
