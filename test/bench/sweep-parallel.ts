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
 * ends with one summary line per size. On Linux it also reads the CPU time of every
 * thread (/proc/self/task/<tid>/stat, sampled every 20 ms): this thread's before the first
 * point starts, and each pool thread's (start-up and points); their sum along the critical
 * path, main + the busiest pool thread, is what the sweep would take on cores of its own,
 * so the ratio of those "CPU paths" estimates an idle machine's speed-up even when other
 * work shares the cores (it leaves out waiting for the disk). Process start-up and the first decode of the
 * digits are not in the figures (the sweeps run in this process, one after another;
 * the first run of each size also pays the JIT of the main thread, so the best of each
 * setting is compared).
 * Run: npm run bench -- sweep-parallel      (PAIRS=5 for more samples; SIZES=2000 for the short points only)
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSweep } from '../../src/explore/sweep';
import { printTable } from './bench-util';

const PAIRS = Number(process.env['PAIRS'] ?? 3);
/** Training samples a point (0: the whole training set). */
const SIZES = (process.env['SIZES'] ?? '2000,0').split(',').map(Number);
/** 0: leave out the comparison with separate processes. */
const CEILING = process.env['CEILING'] !== '0';
const cli = path.resolve(__dirname, '../../src/cli/main.js');

/** CPU milliseconds (user + system) of each thread of this process, by thread id; empty where /proc is not there. */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const f = (fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      out.set(Number(tid), ((Number(f[11]) + Number(f[12])) * 1000) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** Samples the CPU time of the threads that start after it is made (the sweep's pool threads), and of this thread. */
class ThreadSampler {
  private readonly before = threadCpu();
  private readonly seen = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly mainAtStart: number;
  mainBeforeFirst: number | null = null;
  constructor() {
    this.mainAtStart = this.before.get(process.pid) ?? 0;
    this.timer = setInterval(() => this.sample(), 20);
  }
  private sample(): void {
    for (const [tid, ms] of threadCpu()) if (!this.before.has(tid)) this.seen.set(tid, ms);
  }
  firstPoint(): void {
    this.mainBeforeFirst ??= (threadCpu().get(process.pid) ?? 0) - this.mainAtStart;
  }
  /** Stop sampling; returns this thread's CPU before the first point, in all, and each pool thread's (ms). */
  stop(): { mainBefore: number; main: number; pool: number[] } {
    clearInterval(this.timer);
    this.sample();
    return { mainBefore: this.mainBeforeFirst ?? 0, main: (threadCpu().get(process.pid) ?? 0) - this.mainAtStart, pool: [...this.seen.values()].filter((ms) => ms > 0).sort((a, b) => b - a) };
  }
}

interface SizeResult {
  label: string;
  /** Separate processes two at a time against one at a time (best walls), and each process's CPU side by side over alone (means). */
  ceiling?: { speedUp: number; cpuFactor: number } | undefined;
  speedUp: number;
  pairRatios: number[];
  maxLoad: number;
  cpuPathRatio: number;
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
  const bestPath = new Map<number, number>();
  const walls: number[] = [];
  let maxLoad = 0;
  let reference: Buffer | null = null;
  for (const [i, workers] of order.entries()) {
    const out = path.join(dir, `t${trainLimit}-run${i}-w${workers}`);
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let firstStart = 0;
    const sampler = new ThreadSampler();
    const s = await runSweep({ config, grid: ['seed=1,2,3,4,5,6,7,8'], out, workers }, io, {
      onPointStart: () => {
        firstStart ||= Number(process.hrtime.bigint() - t0) / 1e9;
        sampler.firstPoint();
      },
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const threads = sampler.stop();
    const cpuPath = (threads.mainBefore + (threads.pool[0] ?? 0)) / 1000;
    bestPath.set(workers, Math.min(bestPath.get(workers) ?? Infinity, cpuPath));
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
    const poolCpu = threads.pool.slice(0, workers).map((ms) => (ms / 1000).toFixed(2)).join(' + ');
    rows.push([String(i + 1), String(workers), wall.toFixed(2), firstStart.toFixed(2), cpu.toFixed(2), (cpu / wall).toFixed(2), pair, (threads.mainBefore / 1000).toFixed(2), poolCpu, cpuPath.toFixed(2), load.toFixed(1)]);
  }
  const label = trainLimit === 0 ? 'whole training set (7,996 samples)' : `${trainLimit.toLocaleString('en-US')} training samples`;
  // CPU s counts every thread of this process; CPU s / wall s is the number of cores the sweep had (near 2 with --workers 2 on an idle 2-core machine).
  console.log(`\n8 points of ${label}, --workers 1 and 2 alternated, ${PAIRS} of each:`);
  printTable(['run', 'workers', 'wall s', 'first start s', 'CPU s (all threads)', 'CPU s / wall s', 'pair ratio', 'main CPU s to 1st', 'pool thread CPU s', 'CPU path s', 'load avg (1 min)'], rows);
  const b1 = best.get(1) as number;
  const b2 = best.get(2) as number;
  console.log(`best of ${PAIRS} (wall): --workers 1 ${b1.toFixed(2)} s, --workers 2 ${b2.toFixed(2)} s; sweep-results.json identical in all ${order.length} runs`);
  const pairRatios = walls.flatMap((w, i) => (i % 2 === 1 ? [(walls[i - 1] as number) / w] : []));
  const p1 = bestPath.get(1) as number;
  const p2 = bestPath.get(2) as number;
  console.log(`CPU path (this thread before the first point + the busiest pool thread), best of ${PAIRS}: --workers 1 ${p1.toFixed(2)} s, --workers 2 ${p2.toFixed(2)} s`);
  const ceiling = CEILING ? await processCeiling(dir, config, label) : undefined;
  return { label, speedUp: b1 / b2, pairRatios, maxLoad, cpuPathRatio: p2 > 0 ? p1 / p2 : Number.NaN, ceiling };
}

/** Run `bitspike train` on `config` with `seed` in a fresh process; resolves with its CPU seconds (read at its exit). */
function trainProcess(dir: string, config: string, seed: number, tag: string): Promise<number> {
  const pre = path.join(dir, 'cpu-at-exit.js');
  if (!fs.existsSync(pre)) fs.writeFileSync(pre, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`CPU ${(u.user + u.system) / 1e6}\\n`); });\n");
  const out = path.join(dir, `proc-${tag}-${seed}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', pre, cli, 'train', '--config', config, '--out', out, '--set', `seed=${seed}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += String(b)));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.rmSync(out, { recursive: true, force: true });
      const m = /CPU ([0-9.]+)/.exec(err);
      if (code !== 0 || m === null) reject(new Error(`train seed ${seed} failed (${code}): ${err}`));
      else resolve(Number(m[1]));
    });
  });
}

/**
 * The same 8 points as 8 separate `bitspike train` processes, one at a time and two at a
 * time (what `xargs -P 2` would do), alternated PAIRS times: nothing is shared between
 * two processes but the machine, so their ratio is what two cores give this work here,
 * and each process's CPU time side by side over alone is what sharing the machine costs
 * (caches, memory, the host); neither depends on the pool. Both pay each process's
 * start-up (modules, digits), which a pool thread does not.
 */
async function processCeiling(dir: string, config: string, label: string): Promise<{ speedUp: number; cpuFactor: number }> {
  const rows: string[][] = [];
  const best = new Map<number, number>();
  const cpu = new Map<number, number[]>();
  for (let i = 0; i < 2 * PAIRS; i++) {
    const lanes = i % 2 === 0 ? 1 : 2;
    let next = 1;
    const t0 = process.hrtime.bigint();
    const lane = async (): Promise<void> => {
      while (next <= 8) {
        const seed = next++;
        const c = await trainProcess(dir, config, seed, `${i}`);
        cpu.set(lanes, [...(cpu.get(lanes) ?? []), c]);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    best.set(lanes, Math.min(best.get(lanes) ?? Infinity, wall));
    rows.push([String(i + 1), String(lanes), wall.toFixed(2), (os.loadavg()[0] as number).toFixed(1)]);
  }
  console.log(`\nThe same 8 points of ${label} as 8 separate \`bitspike train\` processes, one and two at a time alternated, ${PAIRS} of each:`);
  printTable(['run', 'at a time', 'wall s', 'load avg (1 min)'], rows);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const c1 = mean(cpu.get(1) ?? []);
  const c2 = mean(cpu.get(2) ?? []);
  const b1 = best.get(1) as number;
  const b2 = best.get(2) as number;
  console.log(`best of ${PAIRS} (wall): one at a time ${b1.toFixed(2)} s, two at a time ${b2.toFixed(2)} s (${(b1 / b2).toFixed(2)}x); CPU per process (mean of ${8 * PAIRS}): alone ${c1.toFixed(2)} s, side by side ${c2.toFixed(2)} s (${(c2 / c1).toFixed(2)}x)`);
  return { speedUp: b1 / b2, cpuFactor: c2 / c1 };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-bench-sweep-'));
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await sizeRun(dir, size));
  fs.rmSync(dir, { recursive: true, force: true });
  const cores = os.availableParallelism();
  console.log(`\nSPEED-UP of --workers 2 over --workers 1 on ${cores} cores (goal 1.8x; best wall time of ${PAIRS} alternated runs each):`);
  for (const r of results) {
    console.log(`  ${r.label.padEnd(36)} ${r.speedUp.toFixed(2)}x   (pairs: ${r.pairRatios.map((x) => `${x.toFixed(2)}x`).join(' ')}; highest load avg ${r.maxLoad.toFixed(1)})`);
  }
  console.log('Estimate from CPU time along the critical path (does not depend on load; leaves out waiting for the disk and sharing caches):');
  for (const r of results) console.log(`  ${r.label.padEnd(36)} ${Number.isNaN(r.cpuPathRatio) ? 'n/a (no /proc)' : `${r.cpuPathRatio.toFixed(2)}x`}`);
  if (CEILING) {
    console.log('The same points as separate processes, two at a time over one at a time (best wall), and CPU per process side by side over alone:');
    for (const r of results) if (r.ceiling) console.log(`  ${r.label.padEnd(36)} ${r.ceiling.speedUp.toFixed(2)}x   (CPU per process ${r.ceiling.cpuFactor.toFixed(2)}x)`);
  }
  const busiest = Math.max(...results.map((r) => r.maxLoad));
  if (busiest > 0.5 * cores) console.log(`  note: the load average reached ${busiest.toFixed(1)} on ${cores} cores: other work shared the cores, so these ratios understate an idle machine's`);
}

void main();
