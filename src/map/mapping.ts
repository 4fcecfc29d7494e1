/**
 * Network -> cores. A layer l >= 1 of n_l neurons is cut into pieces (contiguous
 * row ranges); each piece sits on one core. A neuron of layer l reads
 * fanIn_l = n_{l-1} + n_{l+1} axons (n_{L+1} = 0), so its SRAM row holds
 * W_l = ceil(fanIn_l / wordBits) words. A core's axon register holds one segment per
 * source layer that any of its pieces reads (shared between pieces), so a spike
 * needs exactly one packet per destination core.
 */
import BitSet from 'bitset';
import { userError } from '../util/errors';
import type { CoreParams } from '../chip/params';
import type { MappingParams, PlacementEntry } from './params';

/** A contiguous range of rows of one layer held by one core. */
export interface Piece {
  /** Layer index (>= 1; layer 0 is the input). */
  layer: number;
  /** First neuron of the layer in this piece. */
  first: number;
  /** Neurons in this piece. */
  count: number;
  /** Core id (y * mesh width + x). */
  core: number;
  /** First local row of the piece in its core. */
  row: number;
}

/** What one core holds. */
export interface CoreMap {
  id: number;
  x: number;
  y: number;
  /** Pieces in ascending local row order. */
  pieces: Piece[];
  /** Source layers whose spikes this core receives, ascending. */
  sourceLayers: number[];
  /** Per layer 0..L: first axon of that layer's segment, or -1 if not received. */
  axonBase: Int32Array;
  axonsUsed: number;
  rowsUsed: number;
  /** Weight SRAM bits used (rows x words x wordBits). */
  weightBits: number;
  /** Counter SRAM bits used (weightBits x counterBits). */
  counterBits: number;
}

/** Where the spikes of one source layer go: destination cores ascending, with the segment base there. */
export interface FanOut {
  cores: Int32Array;
  axonBase: Int32Array;
}

/** The full mapping of a network onto a mesh. */
export interface Mapping {
  /** Neurons per layer, input first. */
  layers: number[];
  width: number;
  height: number;
  /** One entry per tile of the mesh, by core id (unused tiles hold no pieces). */
  cores: CoreMap[];
  /** Per layer 0..L: its pieces in ascending first-neuron order (layer 0: none). */
  layerPieces: Piece[][];
  /** Per source layer 0..L: where its spikes go. */
  fanout: FanOut[];
  /** Per layer 0..L: fan-in bits of one neuron of that layer (layer 0: 0). */
  fanIn: number[];
  /** Per layer 0..L: SRAM words of one row of that layer (layer 0: 0). */
  rowWords: number[];
  /** Core ids that hold at least one piece, ascending. */
  usedCores: number[];
}

/** Where the inputs of a mapping came from, for error messages. */
export interface MapSources {
  chipFile: string;
  configFile: string;
  /** JSON path of the layer sizes in the config (e.g. "network"); layer l is named `${layersPath}[l]`. */
  layersPath: string;
  /** Optional exact JSON path of the size of layer l (e.g. "network.hidden[0]"), used instead. */
  layerPath?: (l: number) => string;
  /** JSON path of the placement in the config (e.g. "mapping.placement"). */
  placementPath: string;
}

/** Fan-in of one neuron of each layer: the layer below plus the layer above. */
export function layerFanIn(layers: readonly number[]): number[] {
  const L = layers.length - 1;
  const out = [0];
  for (let l = 1; l <= L; l++) out.push((layers[l - 1] as number) + (l < L ? (layers[l + 1] as number) : 0));
  return out;
}

/** Tile of position t along the boustrophedon through a width-wide mesh. */
export function snakeTile(t: number, width: number): { x: number; y: number } {
  const y = Math.floor(t / width);
  const k = t % width;
  return { x: y % 2 === 0 ? k : width - 1 - k, y };
}

/** Split n into p balanced parts (the first n mod p parts one larger). */
export function balancedSplit(n: number, p: number): number[] {
  const base = Math.floor(n / p);
  const extra = n % p;
  const out: number[] = [];
  for (let i = 0; i < p; i++) out.push(base + (i < extra ? 1 : 0));
  return out;
}

interface Draft {
  layer: number;
  count: number;
  core: number;
}

/**
 * Pieces per layer for "snake" (the fewest: ceil(n_l / neurons)) or "spread": then,
 * while tiles remain, one more piece for the layer whose pieces have the longest step
 * (rows per piece x R_l cycles per row), never more pieces than neurons.
 */
export function piecesPerLayer(layers: readonly number[], core: CoreParams, tiles: number, spread: boolean): number[] {
  const fanIn = layerFanIn(layers);
  const p = [0];
  const R = [0];
  for (let l = 1; l < layers.length; l++) {
    p.push(Math.ceil((layers[l] as number) / core.neurons));
    R.push(Math.max(1, Math.ceil(Math.ceil((fanIn[l] as number) / core.sram.wordBits) / core.sram.banks)));
  }
  if (!spread) return p;
  let used = p.reduce((a, b) => a + b, 0);
  while (used < tiles) {
    let best = -1;
    let bestCost = 0;
    for (let l = 1; l < layers.length; l++) {
      const n = layers[l] as number;
      if ((p[l] as number) >= n) continue;
      const cost = Math.ceil(n / (p[l] as number)) * (R[l] as number);
      if (cost > bestCost) {
        bestCost = cost;
        best = l;
      }
    }
    if (best < 0) break;
    p[best] = (p[best] as number) + 1;
    used++;
  }
  return p;
}

function snakeDrafts(layers: readonly number[], core: CoreParams, width: number, height: number, src: MapSources, spread: boolean): Draft[] {
  const drafts: Draft[] = [];
  const pieces = piecesPerLayer(layers, core, width * height, spread);
  let t = 0;
  for (let l = 1; l < layers.length; l++) {
    const n = layers[l] as number;
    for (const count of balancedSplit(n, pieces[l] as number)) {
      const { x, y } = snakeTile(t, width);
      drafts.push({ layer: l, count, core: y * width + x });
      t++;
    }
  }
  if (t > width * height) {
    throw userError(
      src.chipFile,
      'mesh',
      `the network needs ${t} cores (layers ${layers.slice(1).join('-')} at core.neurons = ${core.neurons}) but the ${width}x${height} mesh has ${width * height}: ${t - width * height} too many`,
    );
  }
  return drafts;
}

function explicitDrafts(layers: readonly number[], placement: PlacementEntry[][], width: number, height: number, src: MapSources): Draft[] {
  const L = layers.length - 1;
  if (placement.length !== L) {
    throw userError(src.configFile, src.placementPath, `expected one tile list per layer l >= 1 (${L}), got ${placement.length}`);
  }
  const drafts: Draft[] = [];
  for (let l = 1; l <= L; l++) {
    const tiles = placement[l - 1] as PlacementEntry[];
    const n = layers[l] as number;
    const given = tiles.filter((e) => e.neurons !== undefined).length;
    if (given !== 0 && given !== tiles.length) {
      throw userError(src.configFile, `${src.placementPath}[${l - 1}]`, 'give "neurons" on every tile of the layer or on none');
    }
    const counts = given === 0 ? balancedSplit(n, tiles.length) : tiles.map((e) => e.neurons as number);
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum !== n) {
      throw userError(src.configFile, `${src.placementPath}[${l - 1}]`, `tiles hold ${sum} neurons but layer ${l} has ${n}`);
    }
    if (counts.some((c) => c === 0)) {
      throw userError(src.configFile, `${src.placementPath}[${l - 1}]`, `${tiles.length} tiles for a layer of ${n} neurons leaves a tile empty`);
    }
    const seen = new Set<string>();
    tiles.forEach((e, t) => {
      const where = `${src.placementPath}[${l - 1}][${t}]`;
      const key = `${e.x},${e.y}`;
      if (seen.has(key)) throw userError(src.configFile, where, `tile (${e.x}, ${e.y}) is listed twice for layer ${l}; give it one piece with more neurons`);
      seen.add(key);
      if (e.x >= width) throw userError(src.configFile, `${where}.x`, `tile x = ${e.x} is outside the ${width}x${height} mesh (x < ${width})`);
      if (e.y >= height) throw userError(src.configFile, `${where}.y`, `tile y = ${e.y} is outside the ${width}x${height} mesh (y < ${height})`);
      drafts.push({ layer: l, count: counts[t] as number, core: e.y * width + e.x });
    });
  }
  return drafts;
}

/**
 * Map `layers` (input first) onto a width x height mesh of `core`s, or throw a
 * UserError saying what does not fit and by how much. `counterBits` is the width of
 * one stored synapse learning state (the network's, at most the core's).
 */
export function mapNetwork(
  layers: readonly number[],
  core: CoreParams,
  mesh: { width: number; height: number },
  mapping: MappingParams,
  src: MapSources,
  counterBits = core.counterBits,
): Mapping {
  const L = layers.length - 1;
  const { width, height } = mesh;
  const fanIn = layerFanIn(layers);
  const rowWords = fanIn.map((f) => Math.ceil(f / core.sram.wordBits));
  for (let l = 1; l <= L; l++) {
    const f = fanIn[l] as number;
    if (f > core.axons) {
      const above = l < L ? ` + ${layers[l + 1]} from layer ${l + 1}` : '';
      throw userError(
        src.chipFile,
        'core.axons',
        `layer ${l} (${src.configFile}: ${src.layerPath ? src.layerPath(l) : `${src.layersPath}[${l}]`}) needs a fan-in of ${f} axons (${layers[l - 1]} from layer ${l - 1}${above}) but a core has ${core.axons}: ${f - core.axons} too many`,
      );
    }
  }
  const pl = mapping.placement;
  const drafts = pl === 'snake' || pl === 'spread' ? snakeDrafts(layers, core, width, height, src, pl === 'spread') : explicitDrafts(layers, pl, width, height, src);

  // Tiles that hold nothing share one all -1 axonBase (never written): set-up and memory
  // grow with the mapped network, not with the mesh.
  const noAxons = new Int32Array(L + 1).fill(-1);
  const cores: CoreMap[] = [];
  for (let id = 0; id < width * height; id++) {
    cores.push({ id, x: id % width, y: Math.floor(id / width), pieces: [], sourceLayers: [], axonBase: noAxons, axonsUsed: 0, rowsUsed: 0, weightBits: 0, counterBits: 0 });
  }
  const layerPieces: Piece[][] = [];
  for (let l = 0; l <= L; l++) layerPieces.push([]);
  const nextFirst = new Array<number>(L + 1).fill(0);
  for (const d of drafts) {
    const c = cores[d.core] as CoreMap;
    if (c.axonBase === noAxons) c.axonBase = new Int32Array(L + 1).fill(-1);
    const piece: Piece = { layer: d.layer, first: nextFirst[d.layer] as number, count: d.count, core: d.core, row: c.rowsUsed };
    nextFirst[d.layer] = (nextFirst[d.layer] as number) + d.count;
    c.pieces.push(piece);
    c.rowsUsed += d.count;
    c.weightBits += d.count * (rowWords[d.layer] as number) * core.sram.wordBits;
    (layerPieces[d.layer] as Piece[]).push(piece);
  }
  // Destination sets: which cores receive each source layer (BitSet over core ids).
  const receivers: BitSet.BitSet[] = [];
  for (let s = 0; s <= L; s++) receivers.push(new BitSet());
  for (const c of cores) {
    if (c.pieces.length === 0) continue;
    const need = new BitSet();
    for (const p of c.pieces) {
      need.set(p.layer - 1);
      if (p.layer < L) need.set(p.layer + 1);
    }
    c.sourceLayers = need.toArray();
    for (const s of c.sourceLayers) {
      c.axonBase[s] = c.axonsUsed;
      c.axonsUsed += layers[s] as number;
      (receivers[s] as BitSet.BitSet).set(c.id);
    }
    c.counterBits = c.weightBits * counterBits;
    const where = `tile (${c.x}, ${c.y}) = core ${c.id}`;
    const what = c.pieces.map((p) => `layer ${p.layer} neurons ${p.first}..${p.first + p.count - 1}`).join(', ');
    if (c.rowsUsed > core.neurons) {
      throw userError(src.chipFile, 'core.neurons', `${where} holds ${c.rowsUsed} neurons (${what}) but a core has ${core.neurons}: ${c.rowsUsed - core.neurons} too many`);
    }
    if (c.axonsUsed > core.axons) {
      throw userError(src.chipFile, 'core.axons', `${where} receives ${c.axonsUsed} axons (layers ${c.sourceLayers.join(', ')} for ${what}) but a core has ${core.axons}: ${c.axonsUsed - core.axons} too many`);
    }
    if (c.weightBits > core.sram.capacityBits) {
      throw userError(src.chipFile, 'core.sram.capacityBits', `${where} needs ${c.weightBits} weight SRAM bits (${what}) but a core has ${core.sram.capacityBits}: ${c.weightBits - core.sram.capacityBits} too many`);
    }
    if (c.counterBits > core.sram.counterCapacityBits) {
      throw userError(src.chipFile, 'core.sram.counterCapacityBits', `${where} needs ${c.counterBits} counter SRAM bits (${what}) but a core has ${core.sram.counterCapacityBits}: ${c.counterBits - core.sram.counterCapacityBits} too many`);
    }
  }
  for (let l = 1; l <= L; l++) (layerPieces[l] as Piece[]).sort((a, b) => a.first - b.first);
  const fanout: FanOut[] = receivers.map((set, s) => {
    const ids = set.toArray();
    return { cores: Int32Array.from(ids), axonBase: Int32Array.from(ids.map((id: number) => (cores[id] as CoreMap).axonBase[s] as number)) };
  });
  const usedCores = cores.filter((c) => c.pieces.length > 0).map((c) => c.id);
  return { layers: layers.slice(), width, height, cores, layerPieces, fanout, fanIn, rowWords, usedCores };
}
