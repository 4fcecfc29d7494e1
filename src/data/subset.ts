/**
 * Limited subsets that keep every class: `data.trainLimit` / `data.testLimit` take N
 * samples stratified by class and drawn from a seeded stream, not the first N in file
 * order (IDX files are often sorted by class, where a prefix holds one class).
 *
 * Allocation (largest remainder, Hamilton): class c with m_c of the split's M samples
 * gets n_c = floor(N m_c / M) samples, and the N - sum n_c left over go one each to the
 * classes with the largest remainders N m_c mod M (ties to the lower class). Within a
 * class the n_c samples are the first n_c of a Fisher-Yates shuffle of its indices by
 * rngStream(seed, `subset/<split>/class-<c>`). The subset keeps file order.
 */
import { rngStream, shuffleInPlace } from '../util/rng';
import type { GreyImages } from './dataset';

/** Which classes a split holds, before and after its limit. */
export interface ClassCoverage {
  /** Distinct labels in the samples used, ascending. */
  used: number[];
  /** Distinct labels in the whole split, ascending. */
  available: number[];
}

/** Distinct labels of `labels`, ascending. */
export function distinctLabels(labels: Uint8Array): number[] {
  const seen = new Uint8Array(256);
  for (let i = 0; i < labels.length; i++) seen[labels[i] as number] = 1;
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (seen[c]) out.push(c);
  return out;
}

/** Samples per class for a subset of `limit` out of per-class counts `counts` (largest remainder). */
export function stratifiedCounts(counts: readonly number[], limit: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const n = counts.map((m) => Math.floor((limit * m) / total));
  let left = limit - n.reduce((a, b) => a + b, 0);
  const order = counts.map((m, c) => ({ c, rem: (limit * m) % total })).sort((a, b) => b.rem - a.rem || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if ((n[c] as number) < (counts[c] as number)) {
      n[c] = (n[c] as number) + 1;
      left--;
    }
  }
  return n;
}

/** `limit` samples of `images` stratified by class, drawn with `seed` (all of them when limit is 0 or at least the count). */
export function stratifiedSubset(images: GreyImages, limit: number, seed: number | string, split: string): GreyImages {
  if (limit <= 0 || limit >= images.count) return images;
  const byClass: number[][] = [];
  for (let i = 0; i < images.count; i++) {
    const c = images.labels[i] as number;
    (byClass[c] ??= []).push(i);
  }
  const want = stratifiedCounts(
    byClass.map((ix) => (ix === undefined ? 0 : ix.length)),
    limit,
  );
  const chosen = new Uint8Array(images.count);
  byClass.forEach((ix, c) => {
    if (ix === undefined || want[c] === 0) return;
    const pick = Int32Array.from(ix);
    shuffleInPlace(pick, rngStream(seed, `subset/${split}/class-${c}`));
    for (let k = 0; k < (want[c] as number); k++) chosen[pick[k] as number] = 1;
  });
  const f = images.features;
  const pixels = new Uint8Array(limit * f);
  const labels = new Uint8Array(limit);
  let n = 0;
  for (let i = 0; i < images.count; i++) {
    if (!chosen[i]) continue;
    pixels.set(images.pixels.subarray(i * f, (i + 1) * f), n * f);
    labels[n++] = images.labels[i] as number;
  }
  return { source: images.source, count: n, features: f, pixels, labels };
}
