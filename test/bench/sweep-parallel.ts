/**
 * Parallel sweeps: wall time of one 8-point sweep (784-256-10 network, functional
 * model, 1 epoch, 500 test samples a point; grid seed=1..8) with --workers 1 and with
 * --workers 2, alternated A B A B (two of each) in this one process so that load from
 * other work on the machine falls on both alike, for two point sizes: 2,000 training
 * samples (about a quarter of a second of training a point) and the whole 7,996-sample
 * training set. Every pool thread pays a fixed start-up (thread, module loading and
 * JIT compilation, decoding the digits once), so short points show how much of it a
 * second worker cannot hide. Reports each run's wall and CPU seconds, the best of
 * each, the speed-up best(1) / best(2), and checks that every run's sweep-results.json
 * is the same bytes.
 * Run: npm run bench -- sweep-parallel
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSweep } from '../../src/explore/sweep';
import { printTable } from './bench-util';

async function sizeRun(dir: string, trainLimit: number): Promise<void> {
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
  const order = [1, 2, 1, 2];
  const rows: string[][] = [];
  const best = new Map<number, number>();
  let reference: Buffer | null = null;
  for (const [i, workers] of order.entries()) {
    const out = path.join(dir, `t${trainLimit}-run${i}-w${workers}`);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const s = await runSweep({ config, grid: ['seed=1,2,3,4,5,6,7,8'], out, workers }, io);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (s.status !== 'finished') throw new Error(`sweep ${out} ended ${s.status}`);
    const bytes = fs.readFileSync(path.join(out, 'sweep-results.json'));
    reference ??= bytes;
    if (!bytes.equals(reference)) throw new Error(`${out}: sweep-results.json differs from the first run's`);
    best.set(workers, Math.min(best.get(workers) ?? Infinity, wall));
    rows.push([String(i + 1), String(workers), wall.toFixed(2), cpu.toFixed(2), (cpu / wall).toFixed(2), os.loadavg()[0]!.toFixed(1)]);
  }
  // CPU s counts every thread of this process: when it is far below workers x wall, other work had the cores.
  // CPU s / wall s is the number of cores the sweep actually had: near 2 with --workers 2 on an idle 2-core machine.
  console.log(`\n8 points of ${trainLimit === 0 ? 'the whole training set (7,996 samples)' : `${trainLimit} training samples`}:`);
  printTable(['run', 'workers', 'wall s', 'CPU s (all threads)', 'CPU s / wall s', 'load avg (1 min)'], rows);
  const b1 = best.get(1) as number;
  const b2 = best.get(2) as number;
  console.log(`best of 2 (wall): --workers 1 ${b1.toFixed(2)} s, --workers 2 ${b2.toFixed(2)} s; speed-up ${(b1 / b2).toFixed(2)}x on ${os.availableParallelism()} cores (goal 1.8x); sweep-results.json identical in all ${order.length} runs`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-bench-sweep-'));
  await sizeRun(dir, 2000);
  await sizeRun(dir, 0);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
