/**
 * Speed of the VC router (one process, CPU time, configurations alternated A B C A B C
 * so that load from other processes falls on all alike; medians of 5 timed runs after
 * 2 warm-up rounds), 8x8 mesh, uniform traffic at 0.1 flits/node/cycle, 20,000 cycles:
 *   A  the single-lane router (1 VC, single-flit packets): its dedicated loop;
 *   B  the same configuration run through the VC router (same results, property-tested);
 *   C  2 VCs of depth 4, separable input-first VC allocation, 4-flit packets
 *      (32-bit packets, 8-bit flits), so 0.025 packets/node/cycle.
 * Reports simulated cycles/s and flits/s. BookSim2 speed side by side: npm run bench -- noc-booksim.
 * Run: npm run bench -- noc-vc
 */
import { runTraffic, type TrafficOptions } from '../../src/noc/traffic';
import { cpuSeconds, printTable, si } from './bench-util';

const BASE: TrafficOptions = {
  pattern: 'uniform',
  width: 8,
  height: 8,
  hotspot: 0,
  hotspotFraction: 0,
  rate: 0.1,
  warmup: 19900,
  measure: 100,
  drain: 0,
  seed: 1,
  noc: { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 100000 },
};

const CONFIGS: [string, TrafficOptions][] = [
  ['A single-lane loop', BASE],
  ['B single-lane config on the VC router', { ...BASE, forceVcRouter: true }],
  ['C 2 VCs x 4, separable, 4-flit packets', { ...BASE, packetBits: 32, noc: { ...BASE.noc, vcs: 2, flitWidth: 8, vcAllocator: 'separable-input-first' } }],
];

function main(): void {
  const times: number[][] = CONFIGS.map(() => []);
  const last: { cycles: number; flits: number }[] = [];
  for (let round = 0; round < 7; round++) {
    CONFIGS.forEach(([, o], i) => {
      const t = cpuSeconds();
      const r = runTraffic(o);
      const dt = cpuSeconds() - t;
      if (round >= 2) (times[i] as number[]).push(dt);
      last[i] = { cycles: r.cycles, flits: r.flitsDelivered };
    });
  }
  const med = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1] as number;
  const a = med(times[0] as number[]);
  printTable(
    ['configuration', 'cycles', 'flits', 'CPU s (median of 5)', 'cycles/s', 'flits/s', 'CPU vs A'],
    CONFIGS.map(([name], i) => {
      const m = med(times[i] as number[]);
      const l = last[i] as { cycles: number; flits: number };
      return [name, String(l.cycles), String(l.flits), m.toFixed(3), si(l.cycles / m), si(l.flits / m), `${(m / a).toFixed(2)}x`];
    }),
  );
}

main();
