/**
 * The fault map of a network on a die: which synapses have stuck weight cells or a
 * stuck learning-register bit, and which neurons' spike outputs are stuck, all in
 * logical coordinates (layer, neuron, synapse) so that the chip (one block per core
 * piece) and the functional model (one block per layer) apply exactly the same faults.
 *
 * A synapse w_ij of W_l is stored twice: in row i of layer l (forward segment) and in
 * row j of layer l-1 (backward segment, the transposed copy). A synapse fault hits both
 * copies, so they stay equal as the learning rule needs (docs/faults.md says what this
 * leaves out). With SECDED, a synapse fault is corrected when every SRAM word holding
 * one of its copies has exactly one faulty cell; a word with two or more faulty cells is
 * uncorrectable and keeps all of them.
 */
import { rngStream } from '../util/rng';
import type { Rng } from '../util/rng';
import type { FaultParams } from './params';

/** Error-correcting code of the SRAM words. */
export type EccMode = 'none' | 'secded';

/** Faults of weight layer W_l (l >= 1): flat tuples, sorted by (row, col). */
export interface LayerFaults {
  /** (row, col, value) per faulty weight synapse; value = the stuck bit. */
  weights: Int32Array;
  /** (row, col, bit, value) per faulty learning register: bit `bit` of the register stuck at `value`. */
  registers: Int32Array;
}

/** The whole map. */
export interface NetworkFaults {
  /** Per weight layer l >= 1 (index l-1). */
  layers: LayerFaults[];
  /** Per neuron layer l >= 1 (index l-1): spike stuck at 1 / at 0 (bit i = neuron i). */
  neuronOn: Uint32Array[];
  neuronOff: Uint32Array[];
  /** What the map holds, for reports. */
  summary: FaultSummary;
}

/** Counts of the map, before and after the error-correcting code. */
export interface FaultSummary {
  ecc: EccMode;
  synapses: number;
  weightFaultsDrawn: number;
  weightFaults: number;
  registerFaultsDrawn: number;
  registerFaults: number;
  neuronsStuckOn: number;
  neuronsStuckOff: number;
}

/**
 * Visit the sites 0..total-1 hit at `rate`: gaps between hits are geometric, so the
 * cost follows the number of faults, not of cells. Math.log is V8's fdlibm port, the
 * same on every machine.
 */
function drawSites(rng: Rng, total: number, rate: number, visit: (site: number) => void): void {
  if (rate <= 0 || total <= 0) return;
  if (rate >= 1) {
    for (let s = 0; s < total; s++) visit(s);
    return;
  }
  const lq = Math.log1p(-rate);
  let s = -1;
  for (;;) {
    s += 1 + Math.floor(Math.log(1 - rng.next()) / lq);
    if (s >= total) return;
    visit(s);
  }
}

/** What the map depends on besides the fault parameters. */
export interface FaultMapShape {
  /** Neurons per layer, input first. */
  layers: readonly number[];
  /** Bits of the learning register of each weight layer l >= 1 (index l-1). */
  synapseBits: readonly number[];
  /** SRAM word width of the cores. */
  wordBits: number;
  ecc: EccMode;
}

/** Draw the fault map of `f` for a network of shape `shape` (deterministic in f and shape). */
export function drawFaultMap(f: FaultParams, shape: FaultMapShape): NetworkFaults {
  const sizes = shape.layers;
  const L = sizes.length - 1;
  const layers: LayerFaults[] = [];
  let synapses = 0;
  for (let l = 1; l <= L; l++) {
    const rows = sizes[l] as number;
    const cols = sizes[l - 1] as number;
    synapses += rows * cols;
    const w: number[] = [];
    const wr = rngStream(f.seed, `faults/weights/layer-${l}`);
    drawSites(wr, rows * cols, f.weightStuckRate, (s) => w.push(Math.floor(s / cols), s % cols, wr.next() < 0.5 ? 0 : 1));
    const r: number[] = [];
    const rr = rngStream(f.seed, `faults/registers/layer-${l}`);
    const bits = shape.synapseBits[l - 1] as number;
    drawSites(rr, rows * cols, f.counterStuckRate, (s) => r.push(Math.floor(s / cols), s % cols, rr.below(bits), rr.next() < 0.5 ? 0 : 1));
    layers.push({ weights: Int32Array.from(w), registers: Int32Array.from(r) });
  }
  const neuronOn: Uint32Array[] = [];
  const neuronOff: Uint32Array[] = [];
  let on = 0;
  let off = 0;
  for (let l = 1; l <= L; l++) {
    const n = sizes[l] as number;
    const vOff = new Uint32Array((n + 31) >>> 5);
    const vOn = new Uint32Array((n + 31) >>> 5);
    drawSites(rngStream(f.seed, `faults/neurons-off/layer-${l}`), n, f.neuronStuckOffRate, (i) => {
      vOff[i >>> 5] = (vOff[i >>> 5] as number) | (1 << (i & 31));
      off++;
    });
    drawSites(rngStream(f.seed, `faults/neurons-on/layer-${l}`), n, f.neuronStuckOnRate, (i) => {
      const m = 1 << (i & 31);
      if (((vOff[i >>> 5] as number) & m) !== 0) return; // already stuck at 0
      vOn[i >>> 5] = (vOn[i >>> 5] as number) | m;
      on++;
    });
    neuronOn.push(vOn);
    neuronOff.push(vOff);
  }
  const drawnW = layers.reduce((a, x) => a + x.weights.length / 3, 0);
  const drawnR = layers.reduce((a, x) => a + x.registers.length / 4, 0);
  const kept = shape.ecc === 'secded' ? correctSecded(layers, shape) : layers;
  return {
    layers: kept,
    neuronOn,
    neuronOff,
    summary: {
      ecc: shape.ecc,
      synapses,
      weightFaultsDrawn: drawnW,
      weightFaults: kept.reduce((a, x) => a + x.weights.length / 3, 0),
      registerFaultsDrawn: drawnR,
      registerFaults: kept.reduce((a, x) => a + x.registers.length / 4, 0),
      neuronsStuckOn: on,
      neuronsStuckOff: off,
    },
  };
}

/**
 * SECDED: drop the synapse faults whose every copy sits in a word with exactly one
 * faulty cell. Row i of layer l is [forward segment: W_l row i | backward segment: W_{l+1}
 * column i], cut into words of wordBits; learning registers are bit-sliced, one such row
 * layout per register bit (as the counter SRAM reads them, docs/memory in energy-model.md).
 */
function correctSecded(layers: LayerFaults[], shape: FaultMapShape): LayerFaults[] {
  const sizes = shape.layers;
  const L = sizes.length - 1;
  const wb = shape.wordBits;
  // Word keys: (layer l, row, plane, word); plane -1 = weight SRAM, b >= 0 = register bit b.
  const count = new Map<string, number>();
  const cells = (l: number, row: number, col: number, plane: number): string[] => {
    const out = [`${l}:${row}:${plane}:${Math.floor(col / wb)}`];
    // The backward copy: row `col` of layer l-1 (a neuron layer >= 1), after its forward segment.
    if (l - 1 >= 1) out.push(`${l - 1}:${col}:${plane}:${Math.floor(((sizes[l - 2] as number) + row) / wb)}`);
    return out;
  };
  const each = (f: (l: number, keys: string[]) => void): void => {
    for (let l = 1; l <= L; l++) {
      const lf = layers[l - 1] as LayerFaults;
      for (let k = 0; k < lf.weights.length; k += 3) f(l, cells(l, lf.weights[k] as number, lf.weights[k + 1] as number, -1));
      for (let k = 0; k < lf.registers.length; k += 4) f(l, cells(l, lf.registers[k] as number, lf.registers[k + 1] as number, lf.registers[k + 2] as number));
    }
  };
  each((_l, keys) => {
    for (const key of keys) count.set(key, (count.get(key) ?? 0) + 1);
  });
  const uncorrectable = (keys: string[]): boolean => keys.some((key) => (count.get(key) as number) > 1);
  return layers.map((lf, i) => {
    const l = i + 1;
    const w: number[] = [];
    for (let k = 0; k < lf.weights.length; k += 3) {
      if (uncorrectable(cells(l, lf.weights[k] as number, lf.weights[k + 1] as number, -1))) w.push(lf.weights[k] as number, lf.weights[k + 1] as number, lf.weights[k + 2] as number);
    }
    const r: number[] = [];
    for (let k = 0; k < lf.registers.length; k += 4) {
      const bit = lf.registers[k + 2] as number;
      if (uncorrectable(cells(l, lf.registers[k] as number, lf.registers[k + 1] as number, bit))) {
        r.push(lf.registers[k] as number, lf.registers[k + 1] as number, bit, lf.registers[k + 3] as number);
      }
    }
    return { weights: Int32Array.from(w), registers: Int32Array.from(r) };
  });
}

/** SECDED check bits for a data word of `dataBits`: the Hamming bits r with 2^r >= dataBits + r + 1, plus one parity bit. */
export function secdedCheckBits(dataBits: number): number {
  let r = 1;
  while (2 ** r < dataBits + r + 1) r++;
  return r + 1;
}

const cache = new Map<string, NetworkFaults>();

/** drawFaultMap, remembered for the last few (fault parameters, shape): every core piece of a chip asks for the same map. */
export function faultMap(f: FaultParams, shape: FaultMapShape): NetworkFaults {
  const key = JSON.stringify([f, shape]);
  let m = cache.get(key);
  if (m === undefined) {
    m = drawFaultMap(f, shape);
    if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
    cache.set(key, m);
  }
  return m;
}
