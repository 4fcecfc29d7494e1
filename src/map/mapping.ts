/**
 * Network -> cores. A layer l >= 1 of n_l neurons is cut into pieces (contiguous
 * row ranges); each piece sits on one core. A neuron of layer l reads
 * fanIn_l = n_{l-1} + n_{l+1} axons (n_{L+1} = 0), so its SRAM row holds
 * W_l = ceil(fanIn_l / wordBits) words. A core's axon register holds one segment per
 * source layer that any of its pieces reads (shared between pieces), so a spike
 * needs exactly one packet per destination core.
 *
 * Fan-in splitting: a layer whose fanIn_l exceeds core.axons (or that the config
 * splits) is cut column-wise into S segments [c_k, c_{k+1}) of the concatenated fan-in
 * (layer below, then layer above); each piece then takes S cores: segment 0 on the
 * piece's home core (which also holds the neurons' states), segments 1..S-1 on
 * partial-sum cores that send integer partial sums to the home core.
 */
import BitSet from 'bitset';
import { userError } from '../util/errors';
import type { CoreParams } from '../hw/params';
import type { LayerSplit, MappingParams, PartialSumPolicy, PlacementEntry } from './params';
import { bitsFor, partialSumFlits } from '../hw/packet';

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
  /** Synapse segments of the piece's rows when its layer is split (segment 0 on this core), else empty. */
  slices: Slice[];
}

/** Columns [colStart, colEnd) of the concatenated fan-in of a piece's rows, held by one core. */
export interface Slice {
  layer: number;
  /** First neuron of the layer (the piece's rows). */
  first: number;
  count: number;
  /** Segment index k (0 = on the home core). */
  segment: number;
  /** Fan-in columns: [0, n_{l-1}) forward, [n_{l-1}, fanIn_l) backward (layer l+1). */
  colStart: number;
  colEnd: number;
  /** Core holding the segment, and the home core holding the neurons. */
  core: number;
  home: number;
  /** First local row of the segment in its core. */
  row: number;
}

/** What one core holds. */
export interface CoreMap {
  id: number;
  x: number;
  y: number;
  /** Pieces in ascending local row order. */
  pieces: Piece[];
  /** Synapse segments of split layers held here (the home's segment 0 included), ascending local row. */
  slices: Slice[];
  /** Source layers whose spikes this core receives, ascending. */
  sourceLayers: number[];
  /**
   * Per source layer, in sourceLayers order (index k for layer sourceLayers[k]): first axon of
   * that layer's segment. Indexed by the core's own source layers, not by all L + 1 layers, so
   * a deep network's mapping grows with its cores, not with cores x layers.
   */
  axonBase: Int32Array;
  /** Per source layer, in sourceLayers order: the received neurons [axonLo, axonHi) of that layer (the whole layer unless split). */
  axonLo: Int32Array;
  axonHi: Int32Array;
  axonsUsed: number;
  rowsUsed: number;
  /** Weight SRAM bits used (rows x words x wordBits). */
  weightBits: number;
  /** Counter SRAM bits used (weightBits x counterBits). */
  counterBits: number;
}

/**
 * Where the spikes of one source layer go: destination cores ascending; neuron j goes
 * to core d when lo[d] <= j < hi[d], at axon axonBase[d] + j.
 */
export interface FanOut {
  cores: Int32Array;
  axonBase: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
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
  /** Core ids that hold at least one piece or segment, ascending. */
  usedCores: number[];
  /** Per layer 0..L: segment boundaries 0 = c_0 < ... < c_S = fanIn_l (one segment = unsplit; layer 0: []). */
  cuts: number[][];
  /** True when some layer is split (the chip then runs a partial-sum phase per step). */
  split: boolean;
  /** Payload bits of a partial-sum packet. */
  partialSumBits: number;
  /** When a remote segment row sends its partial sum (mapping.partialSums). */
  partialSums: PartialSumPolicy;
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
  /** JSON paths of the split and the partial-sum width (default "mapping.split", "mapping.partialSumBits"). */
  splitPath?: string;
  partialSumPath?: string;
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

/**
 * Pieces per layer for "snake" (the fewest: ceil(n_l / neurons)) or "spread": then,
 * while tiles remain, one more piece for the layer whose pieces have the longest step
 * (rows per piece x R_l cycles per row), never more pieces than neurons.
 */
export function piecesPerLayer(layers: readonly number[], core: CoreParams, tiles: number, spread: boolean, segments?: readonly number[]): number[] {
  const fanIn = layerFanIn(layers);
  const seg = (l: number): number => (segments ? (segments[l] as number) : 1);
  const p = [0];
  const R = [0];
  for (let l = 1; l < layers.length; l++) {
    p.push(Math.ceil((layers[l] as number) / core.neurons));
    R.push(Math.max(1, Math.ceil(Math.ceil((fanIn[l] as number) / seg(l) / core.sram.wordBits) / core.sram.banks)));
  }
  if (!spread) return p;
  let used = 0;
  for (let l = 1; l < layers.length; l++) used += (p[l] as number) * seg(l);
  for (;;) {
    let best = -1;
    let bestCost = 0;
    for (let l = 1; l < layers.length; l++) {
      const n = layers[l] as number;
      if ((p[l] as number) >= n || used + seg(l) > tiles) continue;
      const cost = Math.ceil(n / (p[l] as number)) * (R[l] as number);
      if (cost > bestCost) {
        bestCost = cost;
        best = l;
      }
    }
    if (best < 0) break;
    p[best] = (p[best] as number) + 1;
    used += seg(best);
  }
  return p;
}


/** One tile's share of the network before rows are assigned: a piece (segment 0) or a partial-sum segment of one. */
interface Draft {
  layer: number;
  count: number;
  core: number;
  /** Segment index within the piece (0 = home). */
  segment: number;
}

/** Segment boundaries of a fan-in: S balanced segments, on word boundaries when that keeps every segment within maxLen axons. */
export function balancedCuts(fanIn: number, S: number, wordBits: number, maxLen = Infinity): number[] {
  const words = Math.ceil(fanIn / wordBits);
  const aligned = S <= words && Math.ceil(words / S) * wordBits <= maxLen;
  const lengths = aligned ? balancedSplit(words, S).map((w) => w * wordBits) : balancedSplit(fanIn, S);
  const cuts = [0];
  for (const len of lengths) cuts.push(Math.min(fanIn, (cuts[cuts.length - 1] as number) + len));
  cuts[cuts.length - 1] = fanIn;
  return cuts;
}

/** Partial-sum packets a slice [a, b) of a layer with nPrev forward columns sends per row per step: one per part it covers. */
export function slicePartsOf(a: number, b: number, nPrev: number): number {
  return (a < nPrev ? 1 : 0) + (b > nPrev ? 1 : 0);
}

/** Largest |partial sum| of a slice [a, b): its longer part (forward or backward) in axons. */
function slicePartMax(a: number, b: number, nPrev: number): number {
  return Math.max(Math.max(0, Math.min(b, nPrev) - a), Math.max(0, b - Math.max(a, nPrev)));
}

/** Bits of a signed register that holds every integer in [-m, m]. */
export function signedBitsFor(m: number): number {
  return bitsFor(m + 1) + 1;
}

/**
 * Segment boundaries of every layer: unsplit when the fan-in fits core.axons, else the
 * fewest segments of at most core.axons axons (on sram.wordBits boundaries when a word
 * fits), choosing among equal counts the cuts with the fewest partial-sum packets (a
 * cut at the forward/backward boundary saves the second packet of a straddling
 * segment). A forced split (mapping.split) is taken as given and checked.
 */
export function layerCuts(layers: readonly number[], core: CoreParams, split: MappingParams['split'], src: MapSources): number[][] {
  const L = layers.length - 1;
  const fanIn = layerFanIn(layers);
  const splitPath = src.splitPath ?? 'mapping.split';
  if (Array.isArray(split) && split.length !== L) {
    throw userError(src.configFile, splitPath, `expected one entry per layer l >= 1 (${L}), got ${split.length}`);
  }
  const wb = core.sram.wordBits;
  const segMax = wb <= core.axons ? Math.floor(core.axons / wb) * wb : core.axons;
  const out: number[][] = [[]];
  for (let l = 1; l <= L; l++) {
    const f = fanIn[l] as number;
    const nPrev = layers[l - 1] as number;
    const e = Array.isArray(split) ? (split[l - 1] as LayerSplit) : 'auto';
    const where = `${splitPath}[${l - 1}]`;
    if (Array.isArray(e)) {
      const sum = e.reduce((a, b) => a + b, 0);
      if (sum < f) {
        throw userError(src.configFile, where, `segments of ${sum} axons leave synapses ${sum}..${f - 1} of layer ${l}'s neurons (fan-in ${f} = ${nPrev} from layer ${l - 1}${l < L ? ` + ${layers[l + 1]} from layer ${l + 1}` : ''}) on no core`);
      }
      if (sum > f) throw userError(src.configFile, where, `segments of ${sum} axons exceed layer ${l}'s fan-in of ${f}: ${sum - f} too many`);
      const cuts = [0];
      for (const len of e) cuts.push((cuts[cuts.length - 1] as number) + len);
      out.push(cuts);
      continue;
    }
    if (typeof e === 'number') {
      if (e > f) throw userError(src.configFile, where, `${e} segments for a fan-in of ${f} axons leave ${e - f} segments without synapses`);
      out.push(balancedCuts(f, e, wb, core.axons));
      continue;
    }
    if (f <= core.axons) {
      out.push([0, f]);
      continue;
    }
    const S = Math.ceil(f / segMax);
    // Candidates with S segments: balanced over the whole row, or cut at the forward/backward boundary.
    const candidates: number[][] = [balancedCuts(f, S, wb, core.axons)];
    const nNext = f - nPrev;
    for (let sf = 1; sf < S && nNext > 0; sf++) {
      const fw = balancedCuts(nPrev, sf, wb, core.axons);
      const bw = balancedCuts(nNext, S - sf, wb, core.axons).map((c) => c + nPrev);
      const cuts = [...fw, ...bw.slice(1)];
      let ok = true;
      for (let k = 0; k + 1 < cuts.length; k++) if ((cuts[k + 1] as number) - (cuts[k] as number) > core.axons || cuts[k + 1] === cuts[k]) ok = false;
      if (ok) candidates.push(cuts);
    }
    let best = candidates[0] as number[];
    let bestParts = Infinity;
    for (const c of candidates) {
      let parts = 0;
      for (let k = 1; k + 1 < c.length; k++) parts += slicePartsOf(c[k] as number, c[k + 1] as number, nPrev);
      if (parts < bestParts) {
        bestParts = parts;
        best = c;
      }
    }
    out.push(best);
  }
  return out;
}


function snakeDrafts(layers: readonly number[], core: CoreParams, width: number, height: number, src: MapSources, spread: boolean, cuts: readonly number[][]): Draft[] {
  const drafts: Draft[] = [];
  const segs = cuts.map((c) => Math.max(1, c.length - 1));
  const pieces = piecesPerLayer(layers, core, width * height, spread, segs);
  let t = 0;
  for (let l = 1; l < layers.length; l++) {
    const n = layers[l] as number;
    const S = segs[l] as number;
    for (const count of balancedSplit(n, pieces[l] as number)) {
      for (let k = 0; k < S; k++) {
        if (t < width * height) {
          const { x, y } = snakeTile(t, width);
          drafts.push({ layer: l, count, core: y * width + x, segment: k });
        }
        t++;
      }
    }
  }
  if (t > width * height) {
    const splitLayers = segs.map((S, l) => (S > 1 ? `layer ${l} in ${S} segments` : '')).filter((x) => x !== '');
    const how = splitLayers.length > 0 ? ` even split (${splitLayers.join(', ')})` : '';
    throw userError(
      src.chipFile,
      'mesh',
      `the network needs ${t} cores${how} (layers ${layers.slice(1).join('-')} at core.neurons = ${core.neurons}, core.axons = ${core.axons}) but the ${width}x${height} mesh has ${width * height}: ${t - width * height} too many`,
    );
  }
  return drafts;
}

function explicitDrafts(layers: readonly number[], placement: PlacementEntry[][], width: number, height: number, src: MapSources, cuts: readonly number[][]): Draft[] {
  const L = layers.length - 1;
  if (placement.length !== L) {
    throw userError(src.configFile, src.placementPath, `expected one tile list per layer l >= 1 (${L}), got ${placement.length}`);
  }
  const drafts: Draft[] = [];
  for (let l = 1; l <= L; l++) {
    const tiles = placement[l - 1] as PlacementEntry[];
    const n = layers[l] as number;
    const S = Math.max(1, (cuts[l] as number[]).length - 1);
    const lp = `${src.placementPath}[${l - 1}]`;
    if (tiles.length % S !== 0) {
      const missing = S - (tiles.length % S);
      throw userError(src.configFile, lp, `layer ${l} is split into ${S} segments (one tile each per piece) but ${tiles.length} tiles leave segment(s) ${S - missing}..${S - 1} of its last piece's synapses on no core`);
    }
    const groups = tiles.length / S;
    const given = tiles.filter((e) => e.neurons !== undefined).length;
    if (given !== 0 && given !== tiles.length) {
      throw userError(src.configFile, lp, 'give "neurons" on every tile of the layer or on none');
    }
    const counts: number[] = [];
    if (given === 0) counts.push(...balancedSplit(n, groups));
    else {
      for (let g = 0; g < groups; g++) {
        const c = tiles[g * S]?.neurons as number;
        for (let k = 1; k < S; k++) {
          if (tiles[g * S + k]?.neurons !== c) throw userError(src.configFile, `${lp}[${g * S + k}].neurons`, `the ${S} tiles of a piece of split layer ${l} must hold the same neurons (${c})`);
        }
        counts.push(c);
      }
    }
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum !== n) {
      throw userError(src.configFile, lp, `tiles hold ${sum} neurons but layer ${l} has ${n}`);
    }
    if (counts.some((c) => c === 0)) {
      throw userError(src.configFile, lp, `${tiles.length} tiles for a layer of ${n} neurons leaves a tile empty`);
    }
    const seen = new Set<string>();
    tiles.forEach((e, t) => {
      const where = `${lp}[${t}]`;
      const key = `${e.x},${e.y}`;
      if (seen.has(key)) throw userError(src.configFile, where, `tile (${e.x}, ${e.y}) is listed twice for layer ${l}; give it one piece with more neurons`);
      seen.add(key);
      if (e.x >= width) throw userError(src.configFile, `${where}.x`, `tile x = ${e.x} is outside the ${width}x${height} mesh (x < ${width})`);
      if (e.y >= height) throw userError(src.configFile, `${where}.y`, `tile y = ${e.y} is outside the ${width}x${height} mesh (y < ${height})`);
      drafts.push({ layer: l, count: counts[Math.floor(t / S)] as number, core: e.y * width + e.x, segment: t % S });
    });
  }
  return drafts;
}

/** Resolve mapping.partialSumBits against the network's accumulator and the widest segment. */
function resolvePartialSumBits(layers: readonly number[], cuts: readonly number[][], mapping: MappingParams, accumulatorBits: number, src: MapSources): number {
  const path = src.partialSumPath ?? 'mapping.partialSumBits';
  const given = mapping.partialSumBits ?? 'auto';
  const bits = given === 'auto' ? accumulatorBits : given;
  if (bits > accumulatorBits) {
    throw userError(src.configFile, path, `a partial sum of ${bits} bits is wider than the accumulator it is added into (dynamics.accumulatorBits = ${accumulatorBits}): ${bits - accumulatorBits} bits too many`);
  }
  for (let l = 1; l < cuts.length; l++) {
    const c = cuts[l] as number[];
    if (c.length <= 2) continue;
    for (let k = 0; k + 1 < c.length; k++) {
      const m = slicePartMax(c[k] as number, c[k + 1] as number, layers[l - 1] as number);
      const need = signedBitsFor(m);
      if (need > bits) {
        const what = given === 'auto' ? `dynamics.accumulatorBits = ${bits}` : `${bits} bits`;
        throw userError(src.configFile, path, `segment ${k} of layer ${l} sums up to ${m} axons, a signed partial sum of ${need} bits, but ${what} holds it: ${need - bits} bits short`);
      }
    }
  }
  return bits;
}

/**
 * Map `layers` (input first) onto a width x height mesh of `core`s, or throw a
 * UserError saying what does not fit and by how much. `counterBits` is the width of
 * one stored synapse learning state (the network's, at most the core's);
 * `accumulatorBits` the network's accumulator (the bound of a partial sum).
 */
export function mapNetwork(
  layers: readonly number[],
  core: CoreParams,
  mesh: { width: number; height: number; io?: { x: number; y: number } },
  mapping: MappingParams,
  src: MapSources,
  counterBits = core.counterBits,
  accumulatorBits = core.accumulatorBits,
): Mapping {
  const L = layers.length - 1;
  const { width, height } = mesh;
  const fanIn = layerFanIn(layers);
  const rowWords = fanIn.map((f) => Math.ceil(f / core.sram.wordBits));
  const cuts = layerCuts(layers, core, mapping.split ?? 'auto', src);
  for (let l = 1; l <= L; l++) {
    const f = fanIn[l] as number;
    const c = cuts[l] as number[];
    if (c.length === 2 && f > core.axons) {
      const above = l < L ? ` + ${layers[l + 1]} from layer ${l + 1}` : '';
      throw userError(
        src.chipFile,
        'core.axons',
        `layer ${l} (${src.configFile}: ${src.layerPath ? src.layerPath(l) : `${src.layersPath}[${l}]`}) needs a fan-in of ${f} axons (${layers[l - 1]} from layer ${l - 1}${above}) but a core has ${core.axons}: ${f - core.axons} too many, and ${src.splitPath ?? 'mapping.split'} keeps it on one core`,
      );
    }
  }
  const partialSumBits = resolvePartialSumBits(layers, cuts, mapping, accumulatorBits, src);
  const pl = mapping.placement;
  let drafts =
    pl === 'snake' || pl === 'spread' || pl === 'traffic' ? snakeDrafts(layers, core, width, height, src, pl === 'spread', cuts) : explicitDrafts(layers, pl, width, height, src, cuts);
  if (pl === 'traffic') drafts = trafficPlacement(core, layers, cuts, drafts, width, height, partialSumBits, mesh.io ? mesh.io.y * width + mesh.io.x : 0);
  return { ...assemble(layers, core, mesh, drafts, cuts, rowWords, fanIn, partialSumBits, counterBits, src), partialSums: mapping.partialSums ?? 'every-step' };
}

function assemble(
  layers: readonly number[],
  core: CoreParams,
  mesh: { width: number; height: number },
  drafts: readonly Draft[],
  cuts: number[][],
  rowWords: number[],
  fanIn: number[],
  partialSumBits: number,
  counterBits: number,
  src: MapSources,
): Mapping {
  const L = layers.length - 1;
  const { width, height } = mesh;
  const wb = core.sram.wordBits;
  // Tiles that hold nothing share empty axon tables (never written): set-up and memory grow
  // with the mapped network, not with the mesh.
  const noAxons = new Int32Array(0);
  const noRange = new Int32Array(0);
  // Likewise empty lists, frozen so that nothing can add to a list it shares; a tile gets lists of its own when something lands on it.
  const noPieces = Object.freeze([]) as unknown as Piece[];
  const noSlices = Object.freeze([]) as unknown as Slice[];
  const noSources = Object.freeze([]) as unknown as number[];
  const cores: CoreMap[] = [];
  for (let id = 0; id < width * height; id++) {
    cores.push({
      id,
      x: id % width,
      y: Math.floor(id / width),
      pieces: noPieces,
      slices: noSlices,
      sourceLayers: noSources,
      axonBase: noAxons,
      axonLo: noRange,
      axonHi: noRange,
      axonsUsed: 0,
      rowsUsed: 0,
      weightBits: 0,
      counterBits: 0,
    });
  }
  const layerPieces: Piece[][] = [];
  for (let l = 0; l <= L; l++) layerPieces.push([]);
  const nextFirst = new Array<number>(L + 1).fill(0);
  let current: Piece | null = null;
  for (const d of drafts) {
    const c = cores[d.core] as CoreMap;
    if (c.pieces === noPieces) {
      c.pieces = [];
      c.slices = [];
    }
    const lc = cuts[d.layer] as number[];
    const S = lc.length - 1;
    if (d.segment === 0) {
      current = { layer: d.layer, first: nextFirst[d.layer] as number, count: d.count, core: d.core, row: c.rowsUsed, slices: [] };
      nextFirst[d.layer] = (nextFirst[d.layer] as number) + d.count;
      c.pieces.push(current);
      (layerPieces[d.layer] as Piece[]).push(current);
    }
    const piece = current as Piece;
    if (S > 1) {
      const a = lc[d.segment] as number;
      const b = lc[d.segment + 1] as number;
      const slice: Slice = { layer: d.layer, first: piece.first, count: d.count, segment: d.segment, colStart: a, colEnd: b, core: d.core, home: piece.core, row: c.rowsUsed };
      piece.slices.push(slice);
      c.slices.push(slice);
      c.weightBits += d.count * Math.ceil((b - a) / wb) * wb;
    } else {
      c.weightBits += d.count * (rowWords[d.layer] as number) * wb;
    }
    c.rowsUsed += d.count;
  }
  // Received ranges: per core and source layer, the hull of what its pieces and segments read.
  const receivers: BitSet.BitSet[] = [];
  for (let s = 0; s <= L; s++) receivers.push(new BitSet());
  for (const c of cores) {
    if (c.pieces.length === 0 && c.slices.length === 0) continue;
    // Source layer -> [lo, hi) received; a core reads a few layers, so no per-layer array.
    const range = new Map<number, [number, number]>();
    const need = (s: number, a: number, b: number): void => {
      if (b <= a) return;
      const r = range.get(s);
      if (r === undefined) range.set(s, [a, b]);
      else {
        r[0] = Math.min(r[0], a);
        r[1] = Math.max(r[1], b);
      }
    };
    for (const p of c.pieces) {
      if (p.slices.length > 0) continue;
      need(p.layer - 1, 0, layers[p.layer - 1] as number);
      if (p.layer < L) need(p.layer + 1, 0, layers[p.layer + 1] as number);
    }
    for (const sl of c.slices) {
      const nPrev = layers[sl.layer - 1] as number;
      need(sl.layer - 1, sl.colStart, Math.min(sl.colEnd, nPrev));
      if (sl.layer < L) need(sl.layer + 1, Math.max(sl.colStart, nPrev) - nPrev, sl.colEnd - nPrev);
    }
    const sources = [...range.keys()].sort((a, b) => a - b);
    c.axonBase = new Int32Array(sources.length);
    c.axonLo = new Int32Array(sources.length);
    c.axonHi = new Int32Array(sources.length);
    c.sourceLayers = [];
    for (const [k, s] of sources.entries()) {
      const [lo, hi] = range.get(s) as [number, number];
      c.sourceLayers.push(s);
      c.axonBase[k] = c.axonsUsed;
      c.axonLo[k] = lo;
      c.axonHi[k] = hi;
      c.axonsUsed += hi - lo;
      (receivers[s] as BitSet.BitSet).set(c.id);
    }
    c.counterBits = c.weightBits * counterBits;
    const where = `tile (${c.x}, ${c.y}) = core ${c.id}`;
    const what = [
      ...c.pieces.filter((p) => p.slices.length === 0).map((p) => `layer ${p.layer} neurons ${p.first}..${p.first + p.count - 1}`),
      ...c.slices.map((q) => `layer ${q.layer} neurons ${q.first}..${q.first + q.count - 1} synapses ${q.colStart}..${q.colEnd - 1}`),
    ].join(', ');
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
    const ids: number[] = set.toArray();
    const at = (id: number): CoreMap => cores[id] as CoreMap;
    const slot = ids.map((id) => at(id).sourceLayers.indexOf(s));
    return {
      cores: Int32Array.from(ids),
      axonBase: Int32Array.from(ids.map((id, d) => (at(id).axonBase[slot[d] as number] as number) - (at(id).axonLo[slot[d] as number] as number))),
      lo: Int32Array.from(ids.map((id, d) => at(id).axonLo[slot[d] as number] as number)),
      hi: Int32Array.from(ids.map((id, d) => at(id).axonHi[slot[d] as number] as number)),
    };
  });
  const usedCores = cores.filter((c) => c.pieces.length > 0 || c.slices.length > 0).map((c) => c.id);
  const split = cuts.some((c) => c.length > 2);
  return { layers: layers.slice(), width, height, cores, layerPieces, fanout, fanIn, rowWords, usedCores, cuts, split, partialSumBits, partialSums: 'every-step' };
}

/** Traffic of one step between two places: weight packets (or flits) over an edge. */
interface Edge {
  a: number;
  /** Other draft index, or -1 for the I/O port's tile. */
  b: number;
  w: number;
}

/** Flits of a partial-sum packet for a mesh and core (see src/hw/packet.ts). */
function psumFlitsFor(width: number, height: number, core: { axons: number; neurons: number }, partialSumBits: number): number {
  return partialSumFlits(width, height, core.axons, core.neurons, partialSumBits);
}

/**
 * Per step, the upper-bound traffic between the drafts of a placement: every neuron of
 * a piece of layer s to every draft that reads it (one packet each), the input layer
 * from the I/O port, and the partial sums of every segment k >= 1 to its home
 * (rows x parts x flits). Positions do not enter: the edges stay valid while drafts move.
 */
function draftEdges(layers: readonly number[], cuts: readonly number[][], drafts: readonly Draft[], psumFlits: number): Edge[] {
  const L = layers.length - 1;
  // Rows and columns each draft reads: per source layer s, [lo, hi).
  const first: number[] = [];
  const home: number[] = [];
  const nextFirst = new Array<number>(L + 1).fill(0);
  let h = -1;
  drafts.forEach((d, i) => {
    if (d.segment === 0) {
      h = i;
      first.push(nextFirst[d.layer] as number);
      nextFirst[d.layer] = (nextFirst[d.layer] as number) + d.count;
    } else first.push(first[h] as number);
    home.push(h);
  });
  const reads = (i: number): Array<[number, number, number]> => {
    const d = drafts[i] as Draft;
    const c = cuts[d.layer] as number[];
    const nPrev = layers[d.layer - 1] as number;
    const out: Array<[number, number, number]> = [];
    if (c.length <= 2) {
      out.push([d.layer - 1, 0, nPrev]);
      if (d.layer < L) out.push([d.layer + 1, 0, layers[d.layer + 1] as number]);
      return out;
    }
    const a = c[d.segment] as number;
    const b = c[d.segment + 1] as number;
    if (a < nPrev) out.push([d.layer - 1, a, Math.min(b, nPrev)]);
    if (b > nPrev) out.push([d.layer + 1, Math.max(a, nPrev) - nPrev, b - nPrev]);
    return out;
  };
  // Homes (segment 0 drafts) by layer.
  const homes: number[][] = [];
  for (let l = 0; l <= L; l++) homes.push([]);
  drafts.forEach((d, i) => {
    if (d.segment === 0) (homes[d.layer] as number[]).push(i);
  });
  const edges: Edge[] = [];
  drafts.forEach((d, i) => {
    for (const [s, lo, hi] of reads(i)) {
      if (s === 0) {
        edges.push({ a: i, b: -1, w: hi - lo });
        continue;
      }
      for (const j of homes[s] as number[]) {
        const f = first[j] as number;
        const n = (drafts[j] as Draft).count;
        const w = Math.min(hi, f + n) - Math.max(lo, f);
        if (w > 0 && j !== i) edges.push({ a: j, b: i, w });
      }
    }
    if (d.segment > 0) {
      const c = cuts[d.layer] as number[];
      const parts = slicePartsOf(c[d.segment] as number, c[d.segment + 1] as number, layers[d.layer - 1] as number);
      edges.push({ a: i, b: home[i] as number, w: d.count * parts * psumFlits });
    }
  });
  return edges;
}

/** Manhattan hops between tiles a and b of a width-wide mesh. */
/**
 * Router-to-router links of the XY multicast tree from router `src` to the routers
 * `dsts` on a mesh `width` wide (the union of their XY routes): the row segments
 * east and west of the source, then in each destination column the vertical span
 * from the source's row. One unicast packet per destination crosses sum of hops.
 */
export function xyTreeLinks(src: number, dsts: ArrayLike<number>, width: number): number {
  const sx = src % width;
  const sy = (src - sx) / width;
  let east = 0;
  let west = 0;
  const colN = new Map<number, number>();
  const colS = new Map<number, number>();
  for (let k = 0; k < dsts.length; k++) {
    const d = dsts[k] as number;
    const dx = d % width;
    const dy = (d - dx) / width;
    east = Math.max(east, dx - sx);
    west = Math.max(west, sx - dx);
    colN.set(dx, Math.max(colN.get(dx) ?? 0, sy - dy));
    colS.set(dx, Math.max(colS.get(dx) ?? 0, dy - sy));
  }
  let links = east + west;
  for (const v of colN.values()) links += v;
  for (const v of colS.values()) links += v;
  return links;
}

/** Neurons [first, end) of a source layer grouped by destination set: the cores of fan-out `f` whose range holds them. */
export function destinationGroups(f: FanOut, first: number, end: number): Array<{ count: number; dsts: number[] }> {
  const cuts = new Set<number>([first, end]);
  for (let k = 0; k < f.cores.length; k++) for (const x of [f.lo[k]!, f.hi[k]!]) if (x > first && x < end) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Array<{ count: number; dsts: number[] }> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const dsts: number[] = [];
    for (let k = 0; k < f.cores.length; k++) if (f.lo[k]! <= a && b <= f.hi[k]!) dsts.push(f.cores[k]!);
    out.push({ count: b - a, dsts });
  }
  return out;
}

function hops(a: number, b: number, width: number): number {
  return Math.abs((a % width) - (b % width)) + Math.abs(Math.floor(a / width) - Math.floor(b / width));
}

/**
 * "traffic" placement: start from snake's tiles and move drafts (one per tile) while
 * the hop-weighted traffic sum_edges w x hops falls: each pass tries, for every draft,
 * every tile within two hops (a swap when occupied); deterministic, at most 50 passes.
 */
function trafficPlacement(core: CoreParams, layers: readonly number[], cuts: readonly number[][], drafts: Draft[], width: number, height: number, partialSumBits: number, io = 0): Draft[] {
  const flits = psumFlitsFor(width, height, core, partialSumBits);
  const edges = draftEdges(layers, cuts, drafts, flits);
  const n = drafts.length;
  const adj: Edge[][] = [];
  for (let i = 0; i < n; i++) adj.push([]);
  for (const e of edges) {
    (adj[e.a] as Edge[]).push(e);
    if (e.b >= 0) (adj[e.b] as Edge[]).push(e);
  }
  const pos = drafts.map((d) => d.core);
  const at = new Int32Array(width * height).fill(-1);
  pos.forEach((t, i) => {
    at[t] = i;
  });
  const where = (i: number): number => (i < 0 ? io : (pos[i] as number));
  const local = (i: number): number => {
    let c = 0;
    for (const e of adj[i] as Edge[]) c += e.w * hops(where(e.a), where(e.b), width);
    return c;
  };
  // Edges between i and j, counted in both local sums.
  const shared = (i: number, j: number): number => {
    let c = 0;
    for (const e of adj[i] as Edge[]) if ((e.a === i && e.b === j) || (e.a === j && e.b === i)) c += e.w * hops(where(e.a), where(e.b), width);
    return c;
  };
  for (let pass = 0; pass < 50; pass++) {
    let improved = false;
    for (let i = 0; i < n; i++) {
      const t0 = pos[i] as number;
      const x0 = t0 % width;
      const y0 = Math.floor(t0 / width);
      let bestT = -1;
      let bestGain = 0;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const x = x0 + dx;
          const y = y0 + dy;
          if ((dx === 0 && dy === 0) || x < 0 || y < 0 || x >= width || y >= height) continue;
          const t = y * width + x;
          const j = at[t] as number;
          const before = local(i) + (j >= 0 ? local(j) - shared(i, j) : 0);
          pos[i] = t;
          if (j >= 0) pos[j] = t0;
          const after = local(i) + (j >= 0 ? local(j) - shared(i, j) : 0);
          pos[i] = t0;
          if (j >= 0) pos[j] = t;
          const gain = before - after;
          if (gain > bestGain) {
            bestGain = gain;
            bestT = t;
          }
        }
      }
      if (bestT >= 0) {
        const j = at[bestT] as number;
        pos[i] = bestT;
        at[bestT] = i;
        at[t0] = j;
        if (j >= 0) pos[j] = t0;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return drafts.map((d, i) => ({ ...d, core: pos[i] as number }));
}

/** Hop-weighted traffic of a mapping, per step (upper bound: every neuron sends once). */
export interface MappingTraffic {
  /** Packets (flits for partial sums) per step. */
  packets: number;
  /** Sum over packets of the XY hops they travel. */
  hopPackets: number;
  /** Of which partial-sum flits to home cores. */
  partialSumFlits: number;
}

/**
 * Traffic of a mapping with the I/O port at tile `io` (see MappingTraffic). `multicast`
 * (noc.multicast "tree"): a neuron with two or more destination cores sends one packet,
 * whose hop-weighted count is its XY tree's links (xyTreeLinks).
 */
export function mappingTraffic(m: Mapping, core: { axons: number; neurons: number }, io: { x: number; y: number }, multicast = false): MappingTraffic {
  const L = m.layers.length - 1;
  const ioTile = io.y * m.width + io.x;
  const flits = psumFlitsFor(m.width, m.height, core, m.partialSumBits);
  let packets = 0;
  let hopPackets = 0;
  let psum = 0;
  for (let s = 0; s <= L; s++) {
    const f = m.fanout[s] as FanOut;
    if (multicast) {
      const sources = s === 0 ? [{ core: ioTile, first: 0, count: m.layers[0] as number }] : (m.layerPieces[s] as Piece[]);
      for (const p of sources) {
        for (const g of destinationGroups(f, p.first, p.first + p.count)) {
          if (g.dsts.length >= 2) {
            packets += g.count;
            hopPackets += g.count * xyTreeLinks(p.core, g.dsts, m.width);
          } else if (g.dsts.length === 1) {
            packets += g.count;
            hopPackets += g.count * hops(p.core, g.dsts[0] as number, m.width);
          }
        }
      }
      continue;
    }
    for (let d = 0; d < f.cores.length; d++) {
      const r = f.cores[d] as number;
      const lo = f.lo[d] as number;
      const hi = f.hi[d] as number;
      if (s === 0) {
        packets += hi - lo;
        hopPackets += (hi - lo) * hops(ioTile, r, m.width);
        continue;
      }
      for (const p of m.layerPieces[s] as Piece[]) {
        const w = Math.min(hi, p.first + p.count) - Math.max(lo, p.first);
        if (w <= 0) continue;
        packets += w;
        hopPackets += w * hops(p.core, r, m.width);
      }
    }
  }
  for (const c of m.cores) {
    for (const sl of c.slices) {
      if (sl.core === sl.home) continue;
      const w = sl.count * slicePartsOf(sl.colStart, sl.colEnd, m.layers[sl.layer - 1] as number) * flits;
      psum += w;
      packets += w;
      hopPackets += w * hops(sl.core, sl.home, m.width);
    }
  }
  return { packets, hopPackets, partialSumFlits: psum };
}
