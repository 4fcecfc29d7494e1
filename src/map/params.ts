/**
 * The `mapping` section of an experiment config: how the network's layers are
 * placed on the mesh. Default "snake": layers in order, each split into balanced
 * pieces, one piece per core along a boustrophedon through the mesh starting at
 * (0, 0). "spread": the same path, but layers are cut into more pieces, up to every
 * tile of the mesh, to shorten the slowest core's step. "traffic": snake's pieces,
 * placed to minimise hop-weighted traffic. Explicit: one list of tiles per layer l >= 1.
 * A layer whose fan-in is split over S segments takes S tiles per piece (docs/mapping.md).
 */
import type { SectionParam } from '../config/param';

/** One tile of an explicit placement: the tile and, optionally, how many neurons of the layer it holds. */
export interface PlacementEntry {
  x: number;
  y: number;
  neurons?: number;
}

/** How the fan-in of one layer is split: "auto" (by the mapper), a segment count, or segment lengths in axons. */
export type LayerSplit = 'auto' | number | number[];

/** Validated mapping section. */
export interface MappingParams {
  /** "snake", "spread", "traffic", or per layer l >= 1 (index l-1) the tiles that hold it. */
  placement: 'snake' | 'spread' | 'traffic' | PlacementEntry[][];
  /** Fan-in split per layer l >= 1 (index l-1), or "auto" for every layer (default). */
  split?: 'auto' | LayerSplit[];
  /** Payload bits of a partial-sum packet; "auto" = the network's accumulatorBits (default). */
  partialSumBits?: 'auto' | number;
  /** When a remote segment row sends its partial sum: every step (default) or only when it changed. */
  partialSums?: PartialSumPolicy;
}

/** When a remote segment row sends its partial sum to the home core (docs/mapping.md). */
export type PartialSumPolicy = 'every-step' | 'on-change';

function checkEntry(e: unknown, where: string): string | null {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return `${where}: expected {"x": int, "y": int, "neurons"?: int}`;
  const o = e as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'x' && k !== 'y' && k !== 'neurons') return `${where}.${k}: unknown key (known keys: x, y, neurons)`;
  }
  for (const k of ['x', 'y'] as const) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `${where}.${k}: expected an integer >= 0, got ${JSON.stringify(v)}`;
  }
  if (o['neurons'] !== undefined) {
    const v = o['neurons'];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return `${where}.neurons: expected an integer >= 1, got ${JSON.stringify(v)}`;
  }
  return null;
}

/** Shape check of the split value (sums against the fan-in are checked when mapping). */
export function checkSplit(v: unknown): string | null {
  if (v === 'auto') return null;
  if (!Array.isArray(v)) return `expected "auto" or an array (one per layer l >= 1) of "auto", a segment count or a list of segment lengths, got ${JSON.stringify(v)}`;
  for (let l = 0; l < v.length; l++) {
    const e: unknown = v[l];
    if (e === 'auto') continue;
    if (typeof e === 'number') {
      if (!Number.isInteger(e) || e < 1) return `[${l}]: expected a segment count >= 1, got ${JSON.stringify(e)}`;
      continue;
    }
    if (!Array.isArray(e) || e.length === 0) return `[${l}]: expected "auto", a segment count or a non-empty list of segment lengths, got ${JSON.stringify(e)}`;
    for (let k = 0; k < e.length; k++) {
      const n: unknown = e[k];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return `[${l}][${k}]: expected a segment length >= 1 (axons), got ${JSON.stringify(n)}`;
    }
  }
  return null;
}

/** Shape check of the partial-sum width. */
export function checkPartialSumBits(v: unknown): string | null {
  if (v === 'auto') return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 2 || v > 32) return `expected "auto" or an integer in 2..32, got ${JSON.stringify(v)}`;
  return null;
}

/** Shape check of the placement value (ranges against the mesh are checked when mapping). */
export function checkPlacement(v: unknown): string | null {
  if (v === 'snake' || v === 'spread' || v === 'traffic') return null;
  if (!Array.isArray(v)) return `expected "snake", "spread", "traffic" or an array (one per layer l >= 1) of arrays of {"x", "y", "neurons"?}, got ${JSON.stringify(v)}`;
  for (let l = 0; l < v.length; l++) {
    const tiles: unknown = v[l];
    if (!Array.isArray(tiles) || tiles.length === 0) return `[${l}]: expected a non-empty array of tiles`;
    for (let t = 0; t < tiles.length; t++) {
      const bad = checkEntry(tiles[t], `[${l}][${t}]`);
      if (bad) return bad;
    }
  }
  return null;
}

/** Declaration of the `mapping` config section. */
export const MAPPING_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'placement of the network on the mesh',
  fields: {
    placement: {
      kind: 'json',
      default: 'snake',
      doc: '"snake" (layers in order along a boustrophedon from tile (0,0), balanced pieces of at most core.neurons), "spread" (the same path, layers cut into more pieces to use up to every tile and shorten the slowest core), "traffic" (snake\'s pieces on the tiles that minimise hops x packets per step) or per layer l>=1 a list of {x, y, neurons?} (a split layer: S tiles per piece, home first)',
      check: checkPlacement,
    },
    split: {
      kind: 'json',
      default: 'auto',
      doc: 'fan-in split over partial-sum cores: "auto" (split only layers whose fan-in exceeds core.axons, into the fewest segments) or per layer l>=1 "auto", a segment count, or a list of segment lengths in axons summing to the fan-in (layer below + layer above)',
      check: checkSplit,
    },
    partialSumBits: {
      kind: 'json',
      default: 'auto',
      unit: 'bits',
      doc: 'payload of a partial-sum packet: "auto" = dynamics.accumulatorBits, or an integer 2..32 (at most the accumulator, at least what a segment\'s sum needs)',
      check: checkPartialSumBits,
    },
    partialSums: {
      kind: 'enum',
      values: ['every-step', 'on-change'],
      default: 'every-step',
      doc: 'when a remote segment row of a split layer sends its partial sum to the home core: "every-step" (every step, no extra registers) or "on-change" (only when it differs from the value it last sent since the sample\'s reset; the home keeps the last received sum of every remote segment row in a register of partialSumBits bits and adds the stored sums every step)',
    },
  },
};
