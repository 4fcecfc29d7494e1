/**
 * Synchronisation cost of worker threads on this machine, the inputs to the estimate
 * of a region-parallel chip simulation in docs/performance.md. P participants (the
 * main thread and P - 1 workers) run R rounds of: write F flits (4 Int32 words each)
 * into a SharedArrayBuffer ring for the next participant, meet at a barrier (a shared
 * arrival counter and generation word; the last to arrive also publishes the minimum
 * of everyone's next-event cycle, as a conservative simulation's barrier must), read
 * the F flits the previous participant wrote. Two waits: spinning on the generation
 * word, and blocking in Atomics.wait. Prints wall microseconds per round (the round
 * is the unit a one-cycle lookahead needs per simulated cycle with events).
 * BENCH_WAIT=spin,block adds the spinning wait (slow on an oversubscribed machine),
 * BENCH_ROUNDS sets R (500).
 */
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { printTable } from './bench-util';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 500);
const RING = 4096;

interface Job {
  sab: SharedArrayBuffer;
  me: number;
  P: number;
  rounds: number;
  flits: number;
  spin: boolean;
}

/** Word layout: 0 arrivals, 1 generation, 2 published minimum, 16.. next-event cycles, then one ring per participant. */
function participant(j: Job): number {
  const a = new Int32Array(j.sab);
  const ringAt = (p: number): number => 64 + p * RING * 4;
  const out = ringAt(j.me);
  const inn = ringAt((j.me + j.P - 1) % j.P);
  let check = 0;
  for (let r = 0; r < j.rounds; r++) {
    for (let f = 0; f < j.flits; f++) {
      const o = out + ((r * j.flits + f) % RING) * 4;
      a[o] = r;
      a[o + 1] = f;
      a[o + 2] = j.me;
      a[o + 3] = r ^ f;
    }
    a[16 + j.me] = r + j.me;
    const gen = Atomics.load(a, 1);
    if (Atomics.add(a, 0, 1) === j.P - 1) {
      let min = 0x7fffffff;
      for (let p = 0; p < j.P; p++) min = Math.min(min, a[16 + p] as number);
      a[2] = min;
      Atomics.store(a, 0, 0);
      Atomics.add(a, 1, 1);
      if (!j.spin) Atomics.notify(a, 1);
    } else if (j.spin) {
      while (Atomics.load(a, 1) === gen);
    } else {
      while (Atomics.load(a, 1) === gen) Atomics.wait(a, 1, gen);
    }
    check += a[2] as number;
    for (let f = 0; f < j.flits; f++) check += a[inn + ((r * j.flits + f) % RING) * 4 + 3] as number;
  }
  return check;
}

async function measure(P: number, flits: number, spin: boolean): Promise<number> {
  const sab = new SharedArrayBuffer((64 + P * RING * 4) * 4);
  const workers = Array.from({ length: P - 1 }, (_, i) => new Worker(__filename, { workerData: { sab, me: i + 1, P, rounds: ROUNDS, flits, spin } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('online', r))));
  const t0 = process.hrtime.bigint();
  participant({ sab, me: 0, P, rounds: ROUNDS, flits, spin });
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  return wall / ROUNDS;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  // Warm-up: compile the round loop for every flit count before timing.
  for (const flits of [0, 16, 256]) await measure(1, flits, true);
  const waits = (process.env['BENCH_WAIT'] ?? 'block').split(',');
  for (const spin of [true, false]) {
    if (!waits.includes(spin ? 'spin' : 'block')) continue;
    for (const P of [1, 2, 4]) {
      const cells = [spin ? 'spin' : 'Atomics.wait', String(P)];
      for (const flits of [0, 16, 256]) cells.push((await measure(P, flits, spin)).toFixed(2));
      rows.push(cells);
      console.log(cells.join(' '));
    }
  }
  console.log(`${ROUNDS} barrier rounds per cell, wall time; each round every participant hands F flits to the next`);
  printTable(['wait', 'participants', 'us/round F=0', 'us/round F=16', 'us/round F=256'], rows);
}

if (isMainThread) void main();
else {
  participant(workerData as Job);
  parentPort?.close();
}
