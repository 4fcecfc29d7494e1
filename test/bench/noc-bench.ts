/**
 * NoC benchmarks (each configuration in a fresh process, CPU time):
 *   1. simulated cycles/s and flits delivered/s of an 8x8 mesh under uniform
 *      traffic at 0.1 flits/node/cycle;
 *   2. scaling from 2x2 to 16x16 at low load: CPU time should follow the number
 *      of kernel events, not cycles x routers (idle routers cost nothing);
 *   3. steady-state allocation: garbage collections counted during a long run
 *      after warm-up (zero means the steady state allocates nothing measurable).
 * Run: npm run bench -- noc   (or node dist/test/bench/noc-bench.js after npm run build)
 */
import { spawnSync } from 'child_process';
import { PerformanceObserver } from 'perf_hooks';
import { runTraffic, type TrafficOptions } from '../../src/noc/traffic';
import { cpuSeconds, printTable, si } from './bench-util';

interface Point {
  k: number;
  rate: number;
  cycles: number;
  cpu: number;
  events: number;
  flits: number;
  gcs: number;
}

const NOC = { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 100000 };

/** Mostly warm-up, so the latency sample list (which grows with measured packets) stays small. */
function options(k: number, rate: number, cycles: number): TrafficOptions {
  return { pattern: 'uniform', width: k, height: k, hotspot: 0, hotspotFraction: 0, rate, warmup: cycles - 100, measure: 100, drain: 0, seed: 1, noc: NOC };
}

/**
 * Child: warm up (a busy 8x8 run so the hot code is optimised, then the same
 * configuration: a first run pays JIT compilation, up to 8x the steady cost on
 * small meshes), then time one more run and count the garbage collections during it.
 */
async function child(k: number, rate: number, cycles: number): Promise<Point> {
  runTraffic(options(8, 0.1, 20000));
  runTraffic(options(k, rate, cycles));
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  const t0 = cpuSeconds();
  const r = runTraffic(options(k, rate, cycles));
  const cpu = cpuSeconds() - t0;
  // GC entries are delivered asynchronously: let the event loop run before counting.
  await new Promise((resolve) => setTimeout(resolve, 100));
  obs.disconnect();
  return { k, rate, cycles: r.cycles, cpu, events: r.events, flits: r.flitsDelivered, gcs };
}

function spawnPoint(k: number, rate: number, cycles: number): Point {
  const res = spawnSync(process.execPath, [__filename, 'child', String(k), String(rate), String(cycles)], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`benchmark child failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Point;
}

function parent(): void {
  console.log('NoC: 8x8 mesh, uniform traffic at 0.1 flits/node/cycle (fresh process, CPU time)');
  const p = spawnPoint(8, 0.1, 100000);
  printTable(
    ['mesh', 'cycles', 'CPU s', 'cycles/s', 'flits/s', 'events/s', 'GCs'],
    [[`8x8`, String(p.cycles), p.cpu.toFixed(2), si(p.cycles / p.cpu), si(p.flits / p.cpu), si(p.events / p.cpu), String(p.gcs)]],
  );

  console.log('\nScaling at low load (0.01 flits/node/cycle): CPU time per simulated cycle vs events per cycle and vs routers');
  const rows: string[][] = [];
  const pts: Point[] = [];
  // Cycles chosen so every run executes at least ~10^6 events (CPU time well above timer noise).
  const plan: [number, number][] = [
    [2, 4_000_000],
    [4, 1_000_000],
    [8, 400_000],
    [16, 100_000],
  ];
  for (const [k, cycles] of plan) {
    const q = spawnPoint(k, 0.01, cycles);
    pts.push(q);
    rows.push([
      `${k}x${k}`,
      String(k * k),
      String(q.cycles),
      (q.events / q.cycles).toFixed(2),
      q.cpu.toFixed(3),
      `${((q.cpu / q.cycles) * 1e6).toFixed(3)} us`,
      `${((q.cpu / q.events) * 1e9).toFixed(0)} ns`,
      String(q.gcs),
    ]);
  }
  printTable(['mesh', 'routers', 'cycles', 'events/cycle', 'CPU s', 'CPU/cycle', 'CPU/event', 'GCs'], rows);
  const a = pts[0] as Point;
  const b = pts[pts.length - 1] as Point;
  console.log(
    `2x2 -> 16x16 per simulated cycle: routers x${(b.k * b.k) / (a.k * a.k)}, ` +
      `events x${(b.events / b.cycles / (a.events / a.cycles)).toFixed(1)}, CPU x${(b.cpu / b.cycles / (a.cpu / a.cycles)).toFixed(1)}`,
  );
  console.log(
    `minor GCs per timed run: ${pts.map((q) => `${q.gcs} (${si(q.events)} events)`).join(', ')}; ` +
      'a count that does not grow with the events comes from setting up the run and collecting the warm-up, not from the steady state',
  );
}

if (process.argv[2] === 'child') {
  const [k, rate, cycles] = process.argv.slice(3).map(Number) as [number, number, number];
  void child(k, rate, cycles).then((p) => process.stdout.write(JSON.stringify(p)));
} else {
  parent();
}
