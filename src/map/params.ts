/**
 * The `mapping` section of an experiment config: how the network's layers are
 * placed on the mesh. Default "snake": layers in order, each split into balanced
 * pieces, one piece per core along a boustrophedon through the mesh starting at
 * (0, 0). "spread": the same path, but layers are cut into more pieces, up to every
 * tile of the mesh, to shorten the slowest core's step. Explicit: one list of tiles
 * per layer l >= 1.
 */
import type { SectionParam } from '../config/param';

/** One tile of an explicit placement: the tile and, optionally, how many neurons of the layer it holds. */
export interface PlacementEntry {
  x: number;
  y: number;
  neurons?: number;
}

/** Validated mapping section. */
export interface MappingParams {
  /** "snake", "spread", or per layer l >= 1 (index l-1) the tiles that hold it. */
  placement: 'snake' | 'spread' | PlacementEntry[][];
}

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

/** Shape check of the placement value (ranges against the mesh are checked when mapping). */
export function checkPlacement(v: unknown): string | null {
  if (v === 'snake' || v === 'spread') return null;
  if (!Array.isArray(v)) return `expected "snake", "spread" or an array (one per layer l >= 1) of arrays of {"x", "y", "neurons"?}, got ${JSON.stringify(v)}`;
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
      doc: '"snake" (layers in order along a boustrophedon from tile (0,0), balanced pieces of at most core.neurons), "spread" (the same path, layers cut into more pieces to use up to every tile and shorten the slowest core) or per layer l>=1 a list of {x, y, neurons?}',
      check: checkPlacement,
    },
  },
};
