/**
 * Numbers as people read them: a value with an SI prefix chosen so that 1 <= |m| < 1000
 * and three significant digits (12.3 pJ, 4.56 µs, 1.05 Mbit), a percentage with two
 * decimals, a count with thousands separators.
 */

const PREFIXES: ReadonlyArray<readonly [number, string]> = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
  [1e-12, 'p'],
  [1e-15, 'f'],
];

/** `v` (in base units) with an SI prefix and `unit`, three significant digits: si(1.234e-11, 'J') = "12.3 pJ". */
export function si(v: number, unit: string): string {
  if (!Number.isFinite(v)) return `${v} ${unit}`;
  if (v === 0) return `0 ${unit}`;
  const a = Math.abs(v);
  const [f, p] = PREFIXES.find(([f]) => a >= f * 0.9995) ?? (PREFIXES[PREFIXES.length - 1] as readonly [number, string]);
  return `${Number((v / f).toPrecision(3))} ${p}${unit}`;
}

/** A fraction as a percentage with two decimals: 0.92123 -> "92.12 %". */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)} %`;
}

/** An integer count with thousands separators: 1234567 -> "1,234,567". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
