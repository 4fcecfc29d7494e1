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
  /** Where bit p of learning register (local row, column) lives in the forward / backward register storage. */
  fwdRegisters: RegisterBitSites;
  bwdRegisters: RegisterBitSites;
  /** True for the output layer (no backward segment). */
  isOutput: boolean;
  /**
   * A split layer's synapse slice holds only some columns of its rows: forward columns
   * [fwdCols.start, + count) of W_l and backward columns [bwdCols.start, + count) (rows of
   * W_{l+1}), stored from local column 0. Absent: whole rows.
   */
  fwdCols?: { start: number; count: number };
  bwdCols?: { start: number; count: number };
}

/** The register storage as fault injection sees it (kernels/bit-planes.ts RegisterPlanes): one bit per (row, column, bit). */
export interface RegisterBitSites {
  /** Word index of bit p of register (r, j) in the storage's words; the bit in that word is j & 31. */
  planeWordIndex(r: number, j: number, p: number): number;
}

/** Stuck cells of one block, as (word index, bit mask, value) triples into its arrays. */
export class BlockFaults {
  /** (word index in wFwd, bit mask, value) */
  private readonly wFwd: Int32Array;
  private readonly wBwd: Int32Array;
  /** (word index in the register planes, bit mask, value) */
  private readonly rFwd: Int32Array;
  private readonly rBwd: Int32Array;
  /** Spike bits of local rows stuck at 1 / at 0 (null when none). */
  readonly on: Uint32Array | null;
  readonly off: Uint32Array | null;

  constructor(map: NetworkFaults, b: BlockLayout) {
    const lo = b.rowStart;
    const hi = b.rowStart + b.rows;
    const fwd = map.layers[b.layer - 1];
    const f0 = b.fwdCols?.start ?? 0;
    const fEnd = b.fwdCols === undefined ? Infinity : f0 + b.fwdCols.count;
    const b0 = b.bwdCols?.start ?? 0;
    const bEnd = b.bwdCols === undefined ? Infinity : b0 + b.bwdCols.count;
    const wF: number[] = [];
    const rF: number[] = [];
    if (fwd !== undefined) {
      for (let k = 0; k < fwd.weights.length; k += 3) {
        const row = fwd.weights[k] as number;
        if (row < lo || row >= hi) continue;
        const c = fwd.weights[k + 1] as number;
        if (c < f0 || c >= fEnd) continue;
        const col = c - f0;
        wF.push((row - lo) * b.prevWords + (col >>> 5), 1 << (col & 31), fwd.weights[k + 2] as number);
      }
      for (let k = 0; k < fwd.registers.length; k += 4) {
        const row = fwd.registers[k] as number;
        if (row < lo || row >= hi) continue;
        const c = fwd.registers[k + 1] as number;
        if (c < f0 || c >= fEnd) continue;
        const col = c - f0;
        rF.push(b.fwdRegisters.planeWordIndex(row - lo, col, fwd.registers[k + 2] as number), 1 << (col & 31), fwd.registers[k + 3] as number);
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
        const rw = bwd.weights[k] as number;
        if (rw < b0 || rw >= bEnd) continue;
        const row = rw - b0;
        wB.push((col - lo) * b.nextWords + (row >>> 5), 1 << (row & 31), bwd.weights[k + 2] as number);
      }
      for (let k = 0; k < bwd.registers.length; k += 4) {
        const col = bwd.registers[k + 1] as number;
        if (col < lo || col >= hi) continue;
        const rw = bwd.registers[k] as number;
        if (rw < b0 || rw >= bEnd) continue;
        const row = rw - b0;
        rB.push(b.bwdRegisters.planeWordIndex(col - lo, row, bwd.registers[k + 2] as number), 1 << (row & 31), bwd.registers[k + 3] as number);
      }
    }
    this.wFwd = Int32Array.from(wF);
    this.wBwd = Int32Array.from(wB);
    this.rFwd = Int32Array.from(rF);
    this.rBwd = Int32Array.from(rB);
    this.on = localBits(map.neuronOn[b.layer - 1], lo, b.rows);
    this.off = localBits(map.neuronOff[b.layer - 1], lo, b.rows);
  }

  /** True when the block has no fault at all. */
  get empty(): boolean {
    return this.wFwd.length + this.wBwd.length + this.rFwd.length + this.rBwd.length === 0 && this.on === null && this.off === null;
  }

  /** Force the stuck weight cells and learning-register bits to their stuck values (after any write). */
  applyMemory(wFwd: Uint32Array, wBwd: Uint32Array, synFwd: Uint32Array, synBwd: Uint32Array): void {
    stickWords(wFwd, this.wFwd);
    stickWords(wBwd, this.wBwd);
    // Registers are bit-planes: a stuck register bit is a stuck bit of one plane word.
    stickWords(synFwd, this.rFwd);
    stickWords(synBwd, this.rBwd);
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
  // An inference-only block holds no learning registers (empty storage): nothing to stick.
  if (w.length === 0) return;
  for (let k = 0; k < f.length; k += 3) {
    const i = f[k] as number;
    const m = f[k + 1] as number;
    w[i] = f[k + 2] === 1 ? (w[i] as number) | m : (w[i] as number) & ~m;
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
