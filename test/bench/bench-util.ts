/**
 * Small benchmark harness: CPU time from process.cpuUsage() (user + system, in
 * seconds), because wall time on this shared machine varies up to 2x. Each
 * measurement warms the function up, then times batches until a CPU budget is spent
 * and keeps the fastest batch (noise only ever adds time).
 */
import * as path from 'path';
import { rngStream } from '../../src/util/rng';

/** An older build to compare against: a built checkout (BENCH_BEFORE) and a loader of its compiled modules. */
export interface OlderBuild {
  /** The checkout's folder as given. */
  dir: string;
  /** A compiled module of that build by its path under dist/ (e.g. 'src/chip/chip-engine.js'). */
  load<T = Record<string, unknown>>(rel: string): T;
}

/**
 * The build named by BENCH_BEFORE for an A/B bench, or null after a one-line message
 * naming what it must be (exit code 2).
 */
export function olderBuild(bench: string, what: string): OlderBuild | null {
  const dir = process.env['BENCH_BEFORE'];
  if (dir === undefined) {
    console.error(`${bench}: set BENCH_BEFORE to a built checkout of ${what} (see the header of test/bench/${bench}.ts)`);
    process.exitCode = 2;
    return null;
  }
  return { dir, load: <T>(rel: string) => require(path.join(path.resolve(dir), 'dist', rel)) as T };
}

/** CPU seconds (user + system) spent by this process so far. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Seconds of CPU per call of `fn`: best of batches of `perBatch` calls within `budget` CPU seconds. */
export function secondsPerCall(fn: () => void, perBatch: number, budget = 1.5): number {
  for (let i = 0; i < Math.max(2, perBatch >> 2); i++) fn();
  let best = Infinity;
  const start = cpuSeconds();
  let batches = 0;
  while (batches < 3 || cpuSeconds() - start < budget) {
    const t0 = cpuSeconds();
    for (let i = 0; i < perBatch; i++) fn();
    const dt = (cpuSeconds() - t0) / perBatch;
    if (dt > 0 && dt < best) best = dt;
    batches++;
    if (batches >= 50) break;
  }
  return best;
}

/** Format a rate with an SI prefix (e.g. 1.2e11 -> "120 G"). */
export function si(x: number): string {
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [f, u] of units) if (x >= f) return `${(x / f).toPrecision(3)} ${u}`;
  return x.toPrecision(3);
}

/** Print rows as an aligned text table. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Fill `v` with random words from the seeded stream `name`. */
export function fillWords(v: Uint32Array, name: string): void {
  const rng = rngStream(1, `bench:${name}`);
  for (let i = 0; i < v.length; i++) v[i] = rng.uint32();
}
