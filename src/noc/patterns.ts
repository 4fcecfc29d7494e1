/**
 * Synthetic traffic patterns (after BookSim / Dally & Towles ch. 3), on a W x H
 * mesh with node n = y * W + x:
 *   uniform        destination uniform over all W*H nodes (itself included, as BookSim)
 *   transpose      (x, y) -> (y, x); square meshes only
 *   bitcomplement  (x, y) -> (W-1-x, H-1-y) (the bit complement of the address when W, H are powers of two)
 *   hotspot        with probability `hotspotFraction` the hotspot node, otherwise uniform
 */
import type { RandomBuffer } from './random-buffer';

/** Pattern names accepted by `bitspike noc --pattern`. */
export const PATTERNS = ['uniform', 'transpose', 'bitcomplement', 'hotspot'] as const;
/** A traffic pattern name. */
export type PatternName = (typeof PATTERNS)[number];

/** What a pattern needs to know. */
export interface PatternSpec {
  pattern: PatternName;
  width: number;
  height: number;
  /** Hotspot node (hotspot pattern). */
  hotspot: number;
  /** Share of packets sent to the hotspot (hotspot pattern), in [0, 1]. */
  hotspotFraction: number;
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
    case 'hotspot':
      return (_src, rng) => (rng.chance(s.hotspotFraction) ? s.hotspot : rng.below(n));
  }
}

/** A problem with the spec (e.g. transpose on a non-square mesh), or null. */
export function checkPattern(s: PatternSpec): string | null {
  if (s.pattern === 'transpose' && s.width !== s.height) {
    return `transpose needs a square mesh, got ${s.width}x${s.height}`;
  }
  if (s.pattern === 'hotspot' && !(s.hotspot >= 0 && s.hotspot < s.width * s.height)) {
    return `hotspot node ${s.hotspot} is outside the ${s.width}x${s.height} mesh`;
  }
  return null;
}
