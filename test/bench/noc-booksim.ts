/**
 * Validation against BookSim2's iq_router (docs/noc-validation.md): for 4x4 and 8x8
 * meshes, 1 and 2 VCs, buffer depths 4 and 8, uniform, transpose, bit-complement and
 * hotspot (BookSim's: every packet to the hotspot, here the centre node) traffic,
 * single-flit packets, BookSim's default stage delays (routing, VC allocation, switch
 * allocation and crossbar 1 cycle each) and credit_delay 1:
 *   - zero-load latency: both simulators at 0.002 flits/node/cycle; BookSim's formula
 *     (H+1)(rd+alloc+st+1)+2 at its own mean hop count, and ours at the exact mean;
 *   - saturation: the offered rate at which mean latency reaches 3x zero-load, found by
 *     bisection (8 steps) in both simulators with the same criterion (a BookSim run
 *     that reports "unstable" counts as saturated), beside the channel-load bound.
 * BookSim2 is never part of the repository: build it elsewhere and point BOOKSIM at
 * the binary. Without it this prints a note and exits. Also times both simulators
 * side by side on 8x8 uniform at 0.1 (CPU seconds per simulated cycle).
 * Run: BOOKSIM=/path/to/booksim npm run bench -- noc-booksim [k=4|8] [vcs=1|2] [depth=4|8]
 * [pattern=NAME] [seed=N] [multiflit] [hotspotset] [speed]; `hotspotset` makes the rows of
 * BookSim's hotspot with a set of four nodes (hotspotSet); `multiflit` makes the rows of 4-flit packets
 * (BookSim packet_size 4; ours 32-bit packets of 8-bit flits, rates in flits), with
 * zero-load measured at 0.01 flits/node/cycle. BOOKSIM_CACHE=file keeps BookSim's
 * results by configuration text (it is deterministic for a seed) for later runs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IQ_DEFAULTS, iqRouterNoc, iqZeroLoadLatency, type IqRouterConfig } from '../../src/noc/booksim';
import { channelLoadBound } from '../../src/noc/channel-load';
import type { PatternName, PatternSpec } from '../../src/noc/patterns';
import { runTraffic } from '../../src/noc/traffic';
import { cpuSeconds } from './bench-util';

const BOOKSIM = process.env['BOOKSIM'] ?? '';

interface Point {
  latency: number;
  hops: number;
  unstable: boolean;
  accepted: number;
}

const BOOKSIM_TRAFFIC: Record<string, string> = { uniform: 'uniform', transpose: 'transpose', bitcomplement: 'bitcomp', hotspot: 'hotspot' };

/**
 * The hotspot set of the `hotspotset` rows: four nodes, the centres of the mesh's
 * quadrants ((1,1), (3,1), (1,3), (3,3) on 4x4; (2,2), (6,2), (2,6), (6,6) on 8x8).
 */
function hotspotSet(k: number): number[] {
  const a = k / 4;
  const b = (3 * k) / 4;
  return [a * k + a, a * k + b, b * k + a, b * k + b];
}

function centre(k: number): number {
  return Math.floor(k / 2) * k + Math.floor(k / 2);
}

/** Seed of both simulators (argument seed=N, default 1). */
let SEED = 1;

/** Flits per packet of the run (1, or 4 for the multi-flit rows). */
let FLITS = 1;

/** BookSim runs already made, by configuration text (BOOKSIM_CACHE=file keeps them across runs; BookSim is deterministic for a seed). */
const CACHE_FILE = process.env['BOOKSIM_CACHE'] ?? '';
const cache: Record<string, { latency: number | null; hops: number; accepted: number }> = CACHE_FILE !== '' && fs.existsSync(CACHE_FILE) ? JSON.parse(fs.readFileSync(CACHE_FILE, 'utf8')) : {};

// BookSim's hotspot parameters are a list whose first element is the node list and the
// optional second the rates (TrafficPattern::New): a set is hotspot({{a,b,c}}); with
// hotspot({a,b,c}) a is the only node and b its rate.
function booksimConfig(k: number, c: IqRouterConfig, pattern: string, rate: number): string {
  const traffic = pattern === 'hotspot' ? `hotspot({${centre(k)}})` : pattern === 'hotspotset' ? `hotspot({{${hotspotSet(k).join(',')}}})` : BOOKSIM_TRAFFIC[pattern];
  return [
    'topology = mesh;',
    `k = ${k};`,
    'n = 2;',
    'routing_function = dor;',
    'router = iq;',
    `num_vcs = ${c.vcs};`,
    `vc_buf_size = ${c.bufferDepth};`,
    'wait_for_tail_credit = 0;',
    'vc_allocator = separable_input_first;',
    'sw_allocator = separable_input_first;',
    'alloc_iters = 1;',
    `credit_delay = ${c.creditDelay};`,
    `routing_delay = ${c.routingDelay};`,
    `vc_alloc_delay = ${c.vcAllocDelay};`,
    `sw_alloc_delay = ${c.swAllocDelay};`,
    `st_final_delay = ${c.stFinalDelay};`,
    `speculative = ${c.speculative ? 1 : 0};`,
    'input_speedup = 1;',
    'output_speedup = 1;',
    'internal_speedup = 1.0;',
    `traffic = ${traffic};`,
    `packet_size = ${FLITS};`,
    'sim_type = latency;',
    // injection_rate counts packets per node and cycle; `rate` is in flits.
    `injection_rate = ${rate / FLITS};`,
    `seed = ${SEED};`,
    '',
  ].join('\n');
}

/** Last value of `name` in BookSim's overall statistics. */
function stat(out: string, name: string): number {
  const i = out.lastIndexOf('====== Overall Traffic Statistics ======');
  const m = new RegExp(`${name} = ([0-9.eE+-]+)`).exec(out.slice(Math.max(0, i)));
  return m ? Number(m[1]) : NaN;
}

function booksim(k: number, c: IqRouterConfig, pattern: string, rate: number): Point {
  const text = booksimConfig(k, c, pattern, rate);
  const hit = cache[text];
  if (hit !== undefined) return { latency: hit.latency ?? Infinity, hops: hit.hops, unstable: hit.latency === null, accepted: hit.accepted };
  const p = booksimRun(text);
  cache[text] = { latency: p.unstable ? null : p.latency, hops: p.hops, accepted: p.accepted };
  if (CACHE_FILE !== '') fs.writeFileSync(CACHE_FILE, JSON.stringify(cache));
  return p;
}

function booksimRun(text: string): Point {
  const file = path.join(os.tmpdir(), `bitspike-booksim-${process.pid}.cfg`);
  fs.writeFileSync(file, text);
  const r = spawnSync(BOOKSIM, [file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const out = r.stdout ?? '';
  if (out.includes('Simulation unstable')) fs.rmSync(file, { force: true });
  if (out.includes('Simulation unstable')) return { latency: Infinity, hops: NaN, unstable: true, accepted: NaN };
  // BookSim's main returns -1 after a successful run: judge by its output.
  if (!out.includes('====== Overall Traffic Statistics ======')) throw new Error(`booksim failed (status ${r.status}): ${r.stderr}`);
  fs.rmSync(file, { force: true });
  return { latency: stat(out, 'Packet latency average'), hops: stat(out, 'Hops average') - 1, unstable: false, accepted: stat(out, 'Accepted flit rate average') };
}

/** Our pattern of a row (hotspot: the centre node; hotspotset: the four nodes of hotspotSet, equal shares; both fraction 1 as BookSim's). */
function spec(k: number, pattern: string): PatternSpec {
  if (pattern === 'hotspotset') return { pattern: 'hotspot', width: k, height: k, hotspot: hotspotSet(k)[0] as number, hotspots: hotspotSet(k), hotspotFraction: 1 };
  return { pattern: pattern as PatternName, width: k, height: k, hotspot: centre(k), hotspotFraction: 1 };
}

function ours(k: number, c: IqRouterConfig, pattern: string, rate: number): Point {
  const r = runTraffic({
    ...spec(k, pattern),
    rate,
    warmup: 3000,
    measure: 10000,
    drain: 10000,
    seed: SEED,
    // Multi-flit rows: 32-bit packets of 8-bit flits.
    ...(FLITS > 1 ? { packetBits: 8 * FLITS } : {}),
    noc: { ...iqRouterNoc(c), flitWidth: FLITS > 1 ? 8 : 0 },
  });
  return { latency: r.latencyMean, hops: r.hopsMean, unstable: r.unstable, accepted: r.accepted };
}

/** Offered rate at which mean latency reaches 3x t0 (bisection, 8 steps over [0, hi]). */
function saturation(run: (rate: number) => Point, t0: number, hi: number): number {
  let lo = 0;
  let up = hi;
  for (let i = 0; i < 8; i++) {
    const mid = (lo + up) / 2;
    const p = run(Number(mid.toFixed(5)));
    if (p.unstable || p.latency >= 3 * t0) up = mid;
    else lo = mid;
  }
  return (lo + up) / 2;
}

function main(): void {
  if (BOOKSIM === '' || !fs.existsSync(BOOKSIM)) {
    process.stdout.write('noc-booksim: BOOKSIM is not set to a BookSim2 binary; skipping the comparison (BookSim2 is never part of the repository).\n');
    return;
  }
  const args = process.argv.slice(2);
  if (args.includes('speed')) {
    speed();
    return;
  }
  // Filters: k=4|8, vcs=1|2, depth=4|8, pattern=NAME (also the old forms `4`, `8`, `NAME`);
  // `multiflit`: 4-flit packets (BookSim packet_size 4), 2 VCs, uniform and transpose.
  const seedArg = args.find((a) => a.startsWith('seed='));
  if (seedArg !== undefined) SEED = Number(seedArg.slice(5));
  const multi = args.includes('multiflit');
  // `hotspotset`: BookSim's hotspot with a set of four nodes (every packet to one of them, equal shares).
  const hsSet = args.includes('hotspotset');
  if (multi) FLITS = 4;
  const want = (key: string, v: string | number): boolean => {
    const given = args.filter((a) => a.startsWith(`${key}=`)).map((a) => a.slice(key.length + 1));
    const bare = args.filter((a) => !a.includes('=') && a !== 'multiflit' && a !== 'hotspotset');
    if (given.length > 0 && !given.includes(`${v}`)) return false;
    if (key === 'k' && bare.some((a) => a === '4' || a === '8') && !bare.includes(`${v}`)) return false;
    if (key === 'pattern' && bare.some((a) => a in BOOKSIM_TRAFFIC) && !bare.includes(`${v}`)) return false;
    return true;
  };
  const zeroRate = multi ? 0.01 : 0.002;
  process.stdout.write('| mesh | VCs | depth | pattern | bound | T0 BookSim (formula at its hops) | T0 ours (formula) | T0 BookSim measured | T0 ours measured | sat. BookSim | sat. ours | diff |\n');
  process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|---|\n');
  for (const k of [4, 8]) {
    for (const vcs of multi ? [2] : [1, 2]) {
      for (const depth of [4, 8]) {
        const patterns = multi ? ['uniform', 'transpose'] : hsSet ? ['hotspotset'] : ['uniform', 'transpose', 'bitcomplement', 'hotspot'];
        for (const pattern of patterns) {
          if (!want('k', k) || !want('vcs', vcs) || !want('depth', depth) || !want('pattern', pattern)) continue;
          const c: IqRouterConfig = { ...IQ_DEFAULTS, vcs, bufferDepth: depth };
          const b0 = booksim(k, c, pattern, zeroRate);
          const o0 = ours(k, c, pattern, zeroRate);
          const tb = iqZeroLoadLatency(c, b0.hops, FLITS);
          const to = iqZeroLoadLatency(c, o0.hops, FLITS);
          const bound = channelLoadBound(spec(k, pattern)).bound;
          const hi = Math.min(1, bound * 1.1);
          const sb = saturation((r) => booksim(k, c, pattern, r), b0.latency, hi);
          const so = saturation((r) => ours(k, c, pattern, r), o0.latency, hi);
          const f = (v: number): string => v.toFixed(3);
          process.stdout.write(
            `| ${k}x${k} | ${vcs} | ${depth} | ${pattern} | ${f(bound)} | ${tb.toFixed(2)} | ${to.toFixed(2)} | ${b0.latency.toFixed(2)} | ${o0.latency.toFixed(2)} | ${f(sb)} | ${f(so)} | ${(((so - sb) / sb) * 100).toFixed(1)}% |\n`,
          );
        }
      }
    }
  }
  if (args.length === 0) speed();
}

/**
 * Speed side by side, alternating BookSim and ours 5 times: 8x8 uniform at 0.1
 * flits/node/cycle, 2 VCs of depth 4, 4-flit packets (BookSim packet_size = 4 at
 * injection_rate 0.025 packets; ours 32-bit packets of 8-bit flits). BookSim's
 * speed is the cycles it simulated ("Time taken is N cycles") over its process's CPU
 * time; ours the same number of cycles over CPU time.
 */
function speed(): void {
  const c: IqRouterConfig = { ...IQ_DEFAULTS, vcs: 2, bufferDepth: 4 };
  const file = path.join(os.tmpdir(), `bitspike-booksim-speed-${process.pid}.cfg`);
  fs.writeFileSync(file, booksimConfig(8, c, 'uniform', 0.025).replace('packet_size = 1;', 'packet_size = 4;'));
  const rb: number[] = [];
  const ro: number[] = [];
  let cycles = 0;
  let flits = 0;
  for (let i = 0; i < 5; i++) {
    // BookSim's own "Total run time" is wall time; the CPU time of its process (bash's
    // time, user + system) is what compares with ours on a shared machine.
    const res = spawnSync('bash', ['-c', 'TIMEFORMAT="cpu %U %S"; time "$0" "$1"', BOOKSIM, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const out = res.stdout ?? '';
    cycles = Number(/Time taken is (\d+) cycles/.exec(out)?.[1]);
    const m = /cpu ([0-9.]+) ([0-9.]+)/.exec(res.stderr ?? '');
    rb.push(cycles / (Number(m?.[1]) + Number(m?.[2])));
    const t = cpuSeconds();
    const r = runTraffic({
      pattern: 'uniform',
      width: 8,
      height: 8,
      hotspot: 0,
      hotspotFraction: 0,
      rate: 0.1,
      warmup: cycles - 100,
      measure: 100,
      drain: 0,
      seed: 1,
      packetBits: 32,
      noc: { ...iqRouterNoc(c), flitWidth: 8 },
    });
    ro.push(r.cycles / (cpuSeconds() - t));
    flits = r.flitsDelivered;
  }
  fs.rmSync(file, { force: true });
  const med = (a: number[]): number => a.slice().sort((x, y) => x - y)[2] as number;
  process.stdout.write(
    `\nspeed, 8x8 uniform 0.1 flits/node/cycle, 2 VCs x 4, 4-flit packets, ${cycles} cycles (median of 5, alternating): ` +
      `BookSim2 ${Math.round(med(rb))} cycles/s, ours ${Math.round(med(ro))} cycles/s (${Math.round((med(ro) * flits) / cycles)} flits/s), ratio ${(med(ro) / med(rb)).toFixed(2)}x\n`,
  );
}

main();
