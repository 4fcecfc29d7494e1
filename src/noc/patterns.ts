/**
 * Synthetic traffic patterns (after BookSim / Dally & Towles ch. 3), on a W x H
 * mesh with node n = y * W + x:
 *   uniform        destination uniform over all W*H nodes (itself included, as BookSim)
 *   transpose      (x, y) -> (y, x); square meshes only
 *   bitcomplement  (x, y) -> (W-1-x, H-1-y) (the bit complement of the address when W, H are powers of two)
 *   hotspot        with probability `hotspotFraction` a hotspot node (uniform over the set
 *                  `hotspots`, else the single `hotspot`), otherwise uniform; with fraction 1
 *                  this is BookSim's hotspot({set}) with equal rates
 *   multicast      each message to `destinations` distinct nodes other than the source,
 *                  uniform (one tree packet with noc.multicast "tree", else one unicast packet each)
 */
import type { RandomBuffer } from './random-buffer';

/** Pattern names accepted by `bitspike noc --pattern`. */
export const PATTERNS = ['uniform', 'transpose', 'bitcomplement', 'hotspot', 'multicast'] as const;
/** A traffic pattern name. */
export type PatternName = (typeof PATTERNS)[number];

/** What a pattern needs to know. */
export interface PatternSpec {
  pattern: PatternName;
  width: number;
  height: number;
  /** Hotspot node (hotspot pattern). */
  hotspot: number;
  /** Hotspot set (hotspot pattern): when given, replaces `hotspot`; each member equally likely. */
  hotspots?: number[];
  /** Share of packets sent to the hotspot (hotspot pattern), in [0, 1]. */
  hotspotFraction: number;
  /** Destinations per message (multicast pattern). */
  destinations?: number;
}

/** Destination chooser of a pattern: node -> destination node. */
export type DestinationFn = (src: number, rng: RandomBuffer) => number;

/** Build the destination function of a pattern (the spec must be valid, see checkPattern). */
export function destinationFn(s: PatternSpec): DestinationFn {
  const n = s.width * s.height;
  const w = s.width;
  switch (s.pattern) {
    case 'uniform':
      return (_src, rng) => rng.below(n);
    case 'transpose':
      return (src) => (src % w) * w + Math.floor(src / w);
    case 'bitcomplement':
      return (src) => (s.height - 1 - Math.floor(src / w)) * w + (w - 1 - (src % w));
    case 'hotspot': {
      const set = hotspotSet(s);
      // One member: no draw for it, so a single-node set is the same stream as `hotspot`.
      if (set.length === 1) return (_src, rng) => (rng.chance(s.hotspotFraction) ? (set[0] as number) : rng.below(n));
      return (_src, rng) => (rng.chance(s.hotspotFraction) ? (set[rng.below(set.length)] as number) : rng.below(n));
    }
    case 'multicast':
      // The first destination of a message (the others come from multicastDestinations).
      return (src, rng) => {
        const d = rng.below(n - 1);
        return d >= src ? d + 1 : d;
      };
  }
}

/** The hotspot nodes of a spec: `hotspots`, or the single `hotspot`. */
export function hotspotSet(s: PatternSpec): number[] {
  return s.hotspots ?? [s.hotspot];
}

/** A problem with the spec (e.g. transpose on a non-square mesh), or null. */
export function checkPattern(s: PatternSpec): string | null {
  if (s.pattern === 'transpose' && s.width !== s.height) {
    return `transpose needs a square mesh, got ${s.width}x${s.height}`;
  }
  if (s.pattern === 'hotspot') {
    const set = hotspotSet(s);
    if (set.length === 0) return 'the hotspot set is empty';
    for (const h of set) if (!(Number.isInteger(h) && h >= 0 && h < s.width * s.height)) return `hotspot node ${h} is outside the ${s.width}x${s.height} mesh`;
    if (new Set(set).size !== set.length) return `the hotspot set lists a node twice: ${set.join(', ')}`;
  }
  if (s.pattern === 'multicast') {
    const k = s.destinations ?? 0;
    if (!(Number.isInteger(k) && k >= 1 && k <= s.width * s.height - 1)) {
      return `multicast needs 1 <= destinations <= ${s.width * s.height - 1} (nodes other than the source), got ${k}`;
    }
  }
  return null;
}

/**
 * Fill `out` with k distinct destinations other than `src`, uniform over the other
 * n - 1 nodes (a partial Fisher-Yates shuffle over `scratch`, which must hold n - 1 ints).
 */
export function multicastDestinations(src: number, n: number, k: number, rng: RandomBuffer, scratch: Int32Array, out: number[]): void {
  for (let i = 0; i < n - 1; i++) scratch[i] = i >= src ? i + 1 : i;
  out.length = 0;
  for (let i = 0; i < k; i++) {
    const j = i + rng.below(n - 1 - i);
    const t = scratch[j] as number;
    scratch[j] = scratch[i] as number;
    scratch[i] = t;
    out.push(t);
  }
}
