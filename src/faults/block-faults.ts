/**
 * The faults of one NeuronBlock (layer l, rows [rowStart, rowStart + rows)) as sparse
 * lists of positions in its own arrays, applied after every write of its SRAM
 * (loading a network, a learning phase) and to every spike it computes.
 */
import type { NetworkFaults } from './fault-map';

/** Where a block sits and how its arrays are laid out. */
export interface BlockLayout {
  layer: number;
  rowStart: number;
  rows: number;
  /** Words per row of the forward / backward weight segments. */
  prevWords: number;
  nextWords: number;
  /** Learning registers per row of the forward / backward segments. */
  prevStride: number;
  nextStride: number;
  /** Learning-register width of W_l / W_{l+1}. */
  fwdBits: number;
  bwdBits: number;
  /** True for the output layer (no backward segment). */
  isOutput: boolean;
}

/** Stuck cells of one block, as (index, mask or bit, value) triples into its arrays. */
export class BlockFaults {
  /** (word index in wFwd, bit mask, value) */
  private readonly wFwd: Int32Array;
  private readonly wBwd: Int32Array;
  /** (register index, bit, value) */
  private readonly rFwd: Int32Array;
  private readonly rBwd: Int32Array;
  private readonly fwdBits: number;
  private readonly bwdBits: number;
  /** Spike bits of local rows stuck at 1 / at 0 (null when none). */
  readonly on: Uint32Array | null;
  readonly off: Uint32Array | null;

  constructor(map: NetworkFaults, b: BlockLayout) {
    const lo = b.rowStart;
    const hi = b.rowStart + b.rows;
    const fwd = map.layers[b.layer - 1];
    const wF: number[] = [];
    const rF: number[] = [];
    if (fwd !== undefined) {
      for (let k = 0; k < fwd.weights.length; k += 3) {
        const row = fwd.weights[k] as number;
        if (row < lo || row >= hi) continue;
        const col = fwd.weights[k + 1] as number;
        wF.push((row - lo) * b.prevWords + (col >>> 5), 1 << (col & 31), fwd.weights[k + 2] as number);
      }
      for (let k = 0; k < fwd.registers.length; k += 4) {
        const row = fwd.registers[k] as number;
        if (row < lo || row >= hi) continue;
        rF.push((row - lo) * b.prevStride + (fwd.registers[k + 1] as number), fwd.registers[k + 2] as number, fwd.registers[k + 3] as number);
      }
    }
    // The backward segment of row i holds column i of W_{l+1}: faults of W_{l+1} whose column is one of our rows.
    const bwd = b.isOutput ? undefined : map.layers[b.layer];
    const wB: number[] = [];
    const rB: number[] = [];
    if (bwd !== undefined) {
      for (let k = 0; k < bwd.weights.length; k += 3) {
        const col = bwd.weights[k + 1] as number;
        if (col < lo || col >= hi) continue;
        const row = bwd.weights[k] as number;
        wB.push((col - lo) * b.nextWords + (row >>> 5), 1 << (row & 31), bwd.weights[k + 2] as number);
      }
      for (let k = 0; k < bwd.registers.length; k += 4) {
        const col = bwd.registers[k + 1] as number;
        if (col < lo || col >= hi) continue;
        rB.push((col - lo) * b.nextStride + (bwd.registers[k] as number), bwd.registers[k + 2] as number, bwd.registers[k + 3] as number);
      }
    }
    this.wFwd = Int32Array.from(wF);
    this.wBwd = Int32Array.from(wB);
    this.rFwd = Int32Array.from(rF);
    this.rBwd = Int32Array.from(rB);
    this.fwdBits = b.fwdBits;
    this.bwdBits = b.bwdBits;
    this.on = localBits(map.neuronOn[b.layer - 1], lo, b.rows);
    this.off = localBits(map.neuronOff[b.layer - 1], lo, b.rows);
  }

  /** True when the block has no fault at all. */
  get empty(): boolean {
    return this.wFwd.length + this.wBwd.length + this.rFwd.length + this.rBwd.length === 0 && this.on === null && this.off === null;
  }

  /** Force the stuck weight cells and learning-register bits to their stuck values (after any write). */
  applyMemory(wFwd: Uint32Array, wBwd: Uint32Array, synFwd: Int8Array, synBwd: Int8Array): void {
    stickWords(wFwd, this.wFwd);
    stickWords(wBwd, this.wBwd);
    stickRegisters(synFwd, this.rFwd, this.fwdBits);
    stickRegisters(synBwd, this.rBwd, this.bwdBits);
  }

  /** Force the stuck spike outputs of local rows in `spikes`. */
  applySpikes(spikes: Uint32Array): void {
    const on = this.on;
    const off = this.off;
    for (let k = 0; k < spikes.length; k++) {
      let v = spikes[k] as number;
      if (off !== null) v &= ~(off[k] as number);
      if (on !== null) v |= on[k] as number;
      spikes[k] = v;
    }
  }
}

function stickWords(w: Uint32Array, f: Int32Array): void {
  for (let k = 0; k < f.length; k += 3) {
    const i = f[k] as number;
    const m = f[k + 1] as number;
    w[i] = f[k + 2] === 1 ? (w[i] as number) | m : (w[i] as number) & ~m;
  }
}

/** Registers are signed two's-complement values of `bits` bits, kept in an Int8Array. */
function stickRegisters(r: Int8Array, f: Int32Array, bits: number): void {
  const sh = 32 - bits;
  for (let k = 0; k < f.length; k += 3) {
    const i = f[k] as number;
    const m = 1 << (f[k + 1] as number);
    const u = f[k + 2] === 1 ? (r[i] as number) | m : (r[i] as number) & ~m;
    r[i] = (u << sh) >> sh;
  }
}

/** Bits [lo, lo + n) of a layer vector as a local vector, or null when none is set. */
function localBits(v: Uint32Array | undefined, lo: number, n: number): Uint32Array | null {
  if (v === undefined) return null;
  const out = new Uint32Array((n + 31) >>> 5);
  let any = 0;
  for (let i = 0; i < n; i++) {
    const g = lo + i;
    if (((v[g >>> 5] as number) >>> (g & 31)) & 1) {
      out[i >>> 5] = (out[i >>> 5] as number) | (1 << (i & 31));
      any = 1;
    }
  }
  return any ? out : null;
}
