/**
 * One chip on 1 and on 2 threads (run.threads, src/chip/parallel): the filled 64x64
 * TrueNorth-like chip of chip-filled-64.ts built twice in this process, once per
 * thread count, running the same inference samples alternately (1 2 1 2 ...), so that
 * load from other processes falls on both alike. Prints, per thread count, the wall
 * and CPU (all threads of the process) milliseconds per step of each sample, their
 * medians and the wall speed-up, the synchronisation rounds per step and the wall
 * microseconds per round the driving thread spent in barriers (waiting for the other
 * region included), and checks that both give the same cycles and predictions.
 * BENCH_SAMPLES (default 6) samples per thread count after one warm-up each.
 */
import { performance } from 'perf_hooks';
import { filled64 } from './chip-filled-64';
import { cpuSeconds } from './bench-util';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 6);
const THREADS = Number(process.env['BENCH_THREADS'] ?? 2);

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

function main(): void {
  const t0 = performance.now();
  const one = filled64(1);
  const t1 = performance.now();
  const many = filled64(THREADS);
  const t2 = performance.now();
  console.log(`set-up: 1 thread ${((t1 - t0) / 1000).toFixed(1)} s wall, ${THREADS} threads ${((t2 - t1) / 1000).toFixed(1)} s wall`);
  const engines = [one.engine, many.engine];
  const inputs = one.inputs;
  for (const e of engines) e.runSample(inputs[0] as Uint32Array, 0, { learn: false });
  const wall: number[][] = [[], []];
  const cpu: number[][] = [[], []];
  let rounds = 0;
  let barrierMs = 0;
  let steps = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const input = inputs[(i + 1) % 2] as Uint32Array;
    const got: number[][] = [];
    for (let k = 0; k < 2; k++) {
      const e = engines[k]!;
      const s0 = e.chip.steps;
      const r0 = e.syncStats;
      const w0 = performance.now();
      const c0 = cpuSeconds();
      const p = e.runSample(input, 0, { learn: false }).prediction;
      const dc = cpuSeconds() - c0;
      const dw = performance.now() - w0;
      const n = e.chip.steps - s0;
      wall[k]!.push(dw / n);
      cpu[k]!.push((1000 * dc) / n);
      got.push([p, e.chip.time, e.lastSample.free]);
      if (k === 1) {
        rounds += e.syncStats.rounds - r0.rounds;
        barrierMs += e.syncStats.barrierMs - r0.barrierMs;
        steps += n;
      }
    }
    if (JSON.stringify(got[0]) !== JSON.stringify(got[1])) throw new Error(`sample ${i}: 1 thread gave ${JSON.stringify(got[0])}, ${THREADS} threads ${JSON.stringify(got[1])}`);
    console.log(`sample ${i}: 1 thread ${wall[0]![i]!.toFixed(1)} ms wall (${cpu[0]![i]!.toFixed(1)} CPU) per step; ${THREADS} threads ${wall[1]![i]!.toFixed(1)} ms wall (${cpu[1]![i]!.toFixed(1)} CPU); same cycles and prediction`);
  }
  const w1 = median(wall[0]!);
  const wn = median(wall[1]!);
  console.log(`median over ${SAMPLES} samples each (alternating): 1 thread ${w1.toFixed(1)} ms wall / ${median(cpu[0]!).toFixed(1)} ms CPU per step; ${THREADS} threads ${wn.toFixed(1)} ms wall / ${median(cpu[1]!).toFixed(1)} ms CPU per step; wall speed-up ${(w1 / wn).toFixed(2)}x`);
  console.log(`${THREADS} threads: ${(rounds / steps).toFixed(0)} synchronisation rounds per step, ${((1000 * barrierMs) / rounds).toFixed(1)} us per round in the driving thread's barrier (waiting included)`);
  many.engine.close();
}

if (require.main === module) main();
