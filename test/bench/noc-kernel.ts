/**
 * Event-kernel throughput (CPU time, events scheduled and executed per second)
 * with a steady population of pending events, each event rescheduling itself:
 *   - near delays (1..16 cycles): the bucket ring;
 *   - far delays (300..10000 cycles): the heap, then the ring.
 * Compare with PERF-NOTES: a bare ring of buckets reaches 147 M events/s at 10^3
 * pending and a typed-array heap 13.5 M (10^3) to 2.8 M (10^6); the kernel adds
 * handler dispatch and the ordering checks.
 * Run: npm run bench -- noc-kernel
 */
import { Kernel } from '../../src/sim/kernel';
import { cpuSeconds, printTable, si } from './bench-util';

function measure(pending: number, minDelay: number, span: number, total: number): number {
  const k = new Kernel();
  let left = total;
  // Delays from a fixed pseudo-random sequence (xorshift), so the run is repeatable.
  let x = 0x9e3779b9;
  const h = k.register((a) => {
    if (left-- <= 0) return;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    k.after(minDelay + ((x >>> 0) % span), a & 7, h, a, 0);
  });
  for (let i = 0; i < pending; i++) k.at(i % span, i & 7, h, i, 0);
  const t0 = cpuSeconds();
  k.run();
  return k.eventsExecuted / (cpuSeconds() - t0);
}

const rows: string[][] = [];
for (const pending of [1_000, 100_000]) {
  for (const [name, minDelay, span] of [
    ['near (1-16 cycles)', 1, 16],
    ['far (300-10300 cycles)', 300, 10_000],
  ] as const) {
    measure(pending, minDelay, span, 2_000_000); // warm-up
    const rate = measure(pending, minDelay, span, 10_000_000);
    rows.push([String(pending), name, `${si(rate)} events/s`]);
  }
}
printTable(['pending', 'delays', 'throughput'], rows);
