/**
 * A synapse slice: the weights of a range of fan-in columns [colStart, colEnd) of a
 * block of rows of layer l, when the layer's fan-in is split over several cores
 * (src/map). Columns [0, n_{l-1}) are the forward segment (weights from layer l-1),
 * columns [n_{l-1}, n_{l-1} + n_{l+1}) the backward copy of W_{l+1}^T. Per step it
 * computes each row's partial dot products over its columns (the same AND/XNOR
 * popcount arithmetic as NeuronBlock, additive over columns):
 *   dotF_i = sum_{j in slice} w_ij x_j ,  dotB_i = sum_{k in slice} w_ki x_k
 * and the neuron's home adds the partial sums of every slice, which equals the whole
 * row's product exactly. In the learning phase it applies the layer's PlasticityRule to
 * its columns from the post-synaptic spikes of both phases (sent by the home core).
 */
import { RegisterPlanes, firstOrderMasks, matVecAnd, matVecXnor, newTally, plasticityMasks, wordsFor } from '../kernels';
import type { PlasticityTally } from '../kernels';
import { BlockCounts } from './block-counts';
import { LearnCounts } from './learn-counts';
import type { NetworkSnapshot } from './engine';
import { ruleForLayer } from './neuron-block';
import { firstOrderContrast, layerSizes } from './params';
import type { ModelParams } from './params';
import type { PlasticityRule, SynapseSite } from './rules/rule';
import { flipLearnReads } from '../faults/read-flips';
import type { ReadFlips } from '../faults/read-flips';
import { BlockFaults } from '../faults/block-faults';
import type { NetworkFaults } from '../faults/fault-map';

/** Where a slice sits: rows [rowStart, rowStart + rows) of layer l, fan-in columns [colStart, colEnd). */
export interface SlicePlace {
  layer: number;
  rowStart: number;
  rows: number;
  colStart: number;
  colEnd: number;
  /** Index of the slice's segment in its layer's cuts (the key of its rows' read flips); default 0. */
  segment?: number;
}

/** The weights and learning registers of a column range of a block of rows. */
export class SynapseSlice {
  readonly layer: number;
  readonly rowStart: number;
  readonly rows: number;
  readonly colStart: number;
  readonly colEnd: number;
  /** Forward columns: neurons [f0, f0 + nF) of layer l-1; backward: neurons [b0, b0 + nB) of layer l+1. */
  readonly f0: number;
  readonly nF: number;
  readonly b0: number;
  readonly nB: number;
  /** SRAM words of one row of the slice: ceil((colEnd - colStart) / wordBits). */
  readonly rowSramWords: number;
  readonly wFwd: Uint32Array;
  readonly wBwd: Uint32Array;
  /** Learning registers of the forward / backward columns, bit-sliced at the rule's width. */
  readonly synFwd: RegisterPlanes;
  readonly synBwd: RegisterPlanes;
  /** False when built for inference only: synFwd and synBwd hold no rows. */
  readonly hasRegisters: boolean;
  /** Partial dot products of the last step, per row (the read's: transient flips included). */
  readonly dotF: Int32Array;
  readonly dotB: Int32Array;
  /** Partial dot products of the stored weights (the cache; the same arrays as dotF/dotB without read flips). */
  private readonly rawF: Int32Array;
  private readonly rawB: Int32Array;
  private readonly reads: ReadFlips | null;
  private readonly segment: number;
  private readonly wordBits: number;
  readonly counts = new BlockCounts();

  private readonly fWords: number;
  private readonly bWords: number;
  private readonly binary: boolean;
  /** learning.contrast "first-order": learn() needs the free-phase spikes too. */
  readonly firstOrder: boolean;
  private readonly fwdRule: PlasticityRule;
  private readonly bwdRule: PlasticityRule | null;
  private readonly lastF: Uint32Array;
  private readonly lastB: Uint32Array;
  private fValid = false;
  private bValid = false;
  private readonly inc: Uint32Array;
  private readonly dec: Uint32Array;
  private readonly tally: PlasticityTally = newTally();
  /** Tally of the backward segment, kept apart so that learnCounts counts each synapse once (in its forward copy). */
  private readonly bwdTally: PlasticityTally = newTally();
  /** Learning statistics of the slice's forward synapses (its rows' spikes are counted by their home block). */
  readonly learnCounts = new LearnCounts();
  /** Where the rule's updates land: global row, and the global column of the segment's first synapse (the stochastic rule hashes positions). */
  private readonly fSite: SynapseSite;
  private readonly bSite: SynapseSite;

  /** Stuck SRAM cells of the slice's columns (null: none). */
  private readonly faults: BlockFaults | null;

  /** `registers` false: built for inference only, no learning registers (learn and save refuse). */
  constructor(p: ModelParams, place: SlicePlace, wordBits: number, reads: ReadFlips | null = null, faults: NetworkFaults | null = null, registers = true) {
    const sizes = layerSizes(p.network);
    const L = sizes.length - 1;
    const l = place.layer;
    const nPrev = sizes[l - 1] as number;
    const nNext = l < L ? (sizes[l + 1] as number) : 0;
    if (!(place.colStart >= 0 && place.colEnd > place.colStart && place.colEnd <= nPrev + nNext)) {
      throw new RangeError(`columns [${place.colStart}, ${place.colEnd}) do not fit the fan-in ${nPrev + nNext} of layer ${l}`);
    }
    this.layer = l;
    this.rowStart = place.rowStart;
    this.rows = place.rows;
    this.colStart = place.colStart;
    this.colEnd = place.colEnd;
    this.f0 = place.colStart;
    this.nF = Math.max(0, Math.min(place.colEnd, nPrev) - place.colStart);
    this.b0 = Math.max(place.colStart, nPrev) - nPrev;
    this.nB = Math.max(0, place.colEnd - Math.max(place.colStart, nPrev));
    this.rowSramWords = Math.ceil((place.colEnd - place.colStart) / wordBits);
    this.fWords = wordsFor(this.nF);
    this.bWords = wordsFor(this.nB);
    const r = this.rows;
    this.wFwd = new Uint32Array(r * this.fWords);
    this.wBwd = new Uint32Array(r * this.bWords);
    this.rawF = new Int32Array(r);
    this.rawB = new Int32Array(r);
    this.reads = reads;
    this.dotF = reads === null ? this.rawF : new Int32Array(r);
    this.dotB = reads === null ? this.rawB : new Int32Array(r);
    this.segment = place.segment ?? 0;
    this.wordBits = wordBits;
    this.binary = p.dynamics.encoding === 'binary';
    this.firstOrder = firstOrderContrast(p.learning);
    this.fwdRule = ruleForLayer(p, l);
    this.bwdRule = this.nB > 0 ? ruleForLayer(p, l + 1) : null;
    this.hasRegisters = registers;
    this.synFwd = new RegisterPlanes(registers ? r : 0, this.nF, this.fwdRule.synapseBits);
    this.synBwd = new RegisterPlanes(registers ? r : 0, this.nB, this.bwdRule !== null ? this.bwdRule.synapseBits : 1);
    this.lastF = new Uint32Array(Math.max(1, this.fWords));
    this.lastB = new Uint32Array(Math.max(1, this.bWords));
    // The segment's columns start at pre-synaptic neuron f0 of layer l-1 and at b0 of layer l+1.
    this.fSite = { layer: l, row: 0, transposed: false, sampleKey: 0, epoch: 0, colBase: this.f0 };
    this.bSite = { layer: l + 1, row: 0, transposed: true, sampleKey: 0, epoch: 0, colBase: this.b0 };
    const maxWords = Math.max(1, this.fWords, this.bWords);
    this.inc = new Uint32Array(maxWords);
    this.dec = new Uint32Array(maxWords);
    const bf =
      faults === null
        ? null
        : new BlockFaults(faults, {
            layer: l,
            rowStart: this.rowStart,
            rows: r,
            prevWords: this.fWords,
            nextWords: this.bWords,
            fwdRegisters: this.synFwd,
            bwdRegisters: this.synBwd,
            isOutput: this.nB === 0,
            fwdCols: { start: this.f0, count: this.nF },
            bwdCols: { start: this.b0, count: this.nB },
          });
    this.faults = bf === null || bf.empty ? null : bf;
  }

  /** Force the slice's stuck cells after a write of its SRAM (as NeuronBlock does for whole rows). */
  private stick(): void {
    if (this.faults !== null) this.faults.applyMemory(this.wFwd, this.wBwd, this.synFwd.words, this.synBwd.words);
  }

  /** Width of one synapse's learning register, in bits. */
  get synapseBits(): number {
    return this.fwdRule.synapseBits;
  }

  /** Partial sums (forward, backward) a row sends: 1 or 2. */
  get parts(): number {
    return (this.nF > 0 ? 1 : 0) + (this.nB > 0 ? 1 : 0);
  }

  /**
   * One step: partial dot products of every row from this slice's input bits (`prev`:
   * the nF forward bits from bit 0; `next`: the nB backward bits from bit 0; tail bits zero).
   */
  partial(prev: Uint32Array, next: Uint32Array): void {
    if (this.nF > 0 && !(this.fValid && same(prev, this.lastF, this.fWords))) {
      for (let k = 0; k < this.fWords; k++) this.lastF[k] = prev[k] as number;
      this.matVec(this.wFwd, this.nF, this.lastF, this.rawF);
      this.fValid = true;
    }
    if (this.nB > 0 && !(this.bValid && same(next, this.lastB, this.bWords))) {
      for (let k = 0; k < this.bWords; k++) this.lastB[k] = next[k] as number;
      this.matVec(this.wBwd, this.nB, this.lastB, this.rawB);
      this.bValid = true;
    }
    if (this.reads !== null) this.flipReads();
    const c = this.counts;
    const rows = this.rows;
    c.weightSramReads += rows * this.rowSramWords;
    c.xnorWords += rows * this.rowSramWords;
    c.synapticOps += rows * (this.nF + this.nB);
    c.accumulatorAdds += rows * this.rowSramWords;
  }

  /** This step's reads with their transient flips (as NeuronBlock's): the slice's segment is the read of its rows here. */
  private flipReads(): void {
    const rf = this.reads as ReadFlips;
    const rows = this.rows;
    for (let r = 0; r < rows; r++) {
      this.dotF[r] = this.rawF[r] as number;
      this.dotB[r] = this.rawB[r] as number;
    }
    const span = this.colEnd - this.colStart;
    const binary = this.binary;
    const c = this.counts;
    for (let r = 0; r < rows; r++) {
      const n = rf.draw(this.layer, this.rowStart + r, this.segment, this.rowSramWords * this.wordBits);
      c.sramReadFlips += n + rf.corrected;
      c.sramReadFlipsCorrected += rf.corrected;
      const pos = rf.positions;
      for (let i = 0; i < n; i++) {
        const p = pos[i] as number;
        if (p >= span) continue;
        if (p < this.nF) {
          const w = ((this.wFwd[r * this.fWords + (p >>> 5)] as number) >>> (p & 31)) & 1;
          const x = ((this.lastF[p >>> 5] as number) >>> (p & 31)) & 1;
          this.dotF[r] = (this.dotF[r] as number) + (binary ? (x === 0 ? 0 : w === 1 ? -2 : 2) : w === x ? -2 : 2);
        } else {
          const k = p - this.nF;
          const w = ((this.wBwd[r * this.bWords + (k >>> 5)] as number) >>> (k & 31)) & 1;
          const x = ((this.lastB[k >>> 5] as number) >>> (k & 31)) & 1;
          this.dotB[r] = (this.dotB[r] as number) + (binary ? (x === 0 ? 0 : w === 1 ? -2 : 2) : w === x ? -2 : 2);
        }
      }
    }
  }

  /** Row being learned (the key of its synapses' learning-read flips). */
  private learnRow = 0;

  /**
   * Learning-phase read flips of one segment of row learnRow (as NeuronBlock's): the synapse
   * is (layer, post = this row, pre = colBase + j) forward, (layer, post = colBase + j, pre = this row) backward.
   */
  private learnReads(layer: number, colBase: number, fixedIsPost: boolean, n: number, w: Uint32Array, wOff: number, regs: RegisterPlanes, r: number, bits: number): number {
    const rf = this.reads as ReadFlips;
    const f = flipLearnReads(rf, layer, this.rowStart + this.learnRow, fixedIsPost, colBase, this.inc, this.dec, n, w, wOff, regs.words, regs.rowOffset(r), regs.planeStride, bits);
    const c = this.counts;
    c.sramReadFlips += f + rf.corrected;
    c.sramReadFlipsCorrected += rf.corrected;
    c.learnReadFlips += f + rf.corrected;
    return f;
  }

  private matVec(W: Uint32Array, nBits: number, x: Uint32Array, out: Int32Array): void {
    if (this.binary) matVecAnd(W, this.rows, nBits, x, out);
    else matVecXnor(W, this.rows, nBits, x, out);
  }

  /**
   * Learning phase of the slice: post-synaptic spikes of phase A and B (local row r at
   * bit r), pre-synaptic bits of both phases as in partial(); sampleKey is the trainer's
   * per-sample key (the stochastic rule's draws). Returns the rows whose words were read
   * and written (for the learning-phase cycles). The first-order contrast also reads the
   * free phase: postF (post-synaptic), prevF and nextF (pre-synaptic columns); epoch is
   * the trainer's 0-based epoch (rules with a schedule).
   */
  learn(
    postA: Uint32Array,
    postB: Uint32Array,
    prevA: Uint32Array,
    prevB: Uint32Array,
    nextA: Uint32Array,
    nextB: Uint32Array,
    betaSign: number,
    sampleKey = 0,
    postF: Uint32Array | null = null,
    prevF: Uint32Array | null = null,
    nextF: Uint32Array | null = null,
    epoch = 0,
  ): number {
    const first = this.firstOrder;
    if (first && (postF === null || (this.nF > 0 && prevF === null) || (this.nB > 0 && nextF === null))) throw new Error(`layer ${this.layer} slice: the first-order contrast needs the free-phase spikes`);
    if (!this.hasRegisters) throw new Error(`layer ${this.layer} slice rows ${this.rowStart}..: built for inference only, no learning registers to learn with`);
    this.fSite.sampleKey = sampleKey;
    this.bSite.sampleKey = sampleKey;
    this.fSite.epoch = epoch;
    this.bSite.epoch = epoch;
    const enc = this.binary ? 'binary' : 'spin';
    const tally = this.tally;
    tally.countersChanged = 0;
    tally.weightsFlipped = 0;
    tally.countersSaturated = 0;
    const bTally = this.bwdTally;
    bTally.countersChanged = 0;
    bTally.weightsFlipped = 0;
    bTally.countersSaturated = 0;
    const visitAll = this.fwdRule.visitsIdleRows || (this.bwdRule !== null && this.bwdRule.visitsIdleRows);
    let visited = 0;
    let learnFlips = 0;
    for (let r = 0; r < this.rows; r++) {
      const xa = ((postA[r >>> 5] as number) >>> (r & 31)) & 1;
      const xb = ((postB[r >>> 5] as number) >>> (r & 31)) & 1;
      const x0 = first ? ((((postF as Uint32Array)[r >>> 5] as number) >>> (r & 31)) & 1) : 0;
      if (first ? x0 === 0 && xa === xb && !visitAll : this.binary && xa === 0 && xb === 0 && !visitAll) continue;
      let nz = 0;
      this.learnRow = r;
      this.fSite.row = this.rowStart + r;
      this.bSite.row = this.rowStart + r;
      if (this.nF > 0) {
        const n = first
          ? firstOrderMasks(prevA, prevB, prevF as Uint32Array, this.nF, xa, xb, x0, betaSign, this.inc, this.dec, 0)
          : plasticityMasks(prevA, 0, prevB, 0, this.nF, xa, xb, betaSign, enc, this.inc, this.dec, 0);
        nz += n;
        if (n > 0 && this.reads !== null) learnFlips += this.learnReads(this.layer, this.f0, true, this.nF, this.wFwd, r * this.fWords, this.synFwd, r, this.fwdRule.synapseBits);
        if (n > 0 || visitAll) this.fwdRule.updateRow(this.wFwd, r * this.fWords, this.synFwd.words, this.synFwd.rowOffset(r), this.synFwd.planeStride, this.nF, this.inc, this.dec, 0, tally, this.fSite);
      }
      if (this.nB > 0) {
        const n = first
          ? firstOrderMasks(nextA, nextB, nextF as Uint32Array, this.nB, xa, xb, x0, betaSign, this.inc, this.dec, 0)
          : plasticityMasks(nextA, 0, nextB, 0, this.nB, xa, xb, betaSign, enc, this.inc, this.dec, 0);
        nz += n;
        if (n > 0 && this.reads !== null) learnFlips += this.learnReads(this.layer + 1, this.b0, false, this.nB, this.wBwd, r * this.bWords, this.synBwd, r, (this.bwdRule as PlasticityRule).synapseBits);
        if (n > 0 || visitAll) (this.bwdRule as PlasticityRule).updateRow(this.wBwd, r * this.bWords, this.synBwd.words, this.synBwd.rowOffset(r), this.synBwd.planeStride, this.nB, this.inc, this.dec, 0, bTally, this.bSite);
      }
      if (nz > 0 || visitAll) visited++;
    }
    const c = this.counts;
    const words = visited * this.rowSramWords;
    c.weightSramReads += words;
    c.weightSramWrites += words;
    c.counterSramReads += words * this.fwdRule.synapseBits;
    c.counterSramWrites += words * this.fwdRule.synapseBits;
    c.plasticityUpdates += tally.countersChanged + bTally.countersChanged;
    c.weightFlips += tally.weightsFlipped + bTally.weightsFlipped;
    this.learnCounts.weightFlips += tally.weightsFlipped;
    this.learnCounts.counterSaturations += tally.countersSaturated;
    this.stick();
    if (tally.weightsFlipped > 0 || bTally.weightsFlipped > 0 || visitAll || learnFlips > 0) {
      this.fValid = false;
      this.bValid = false;
    }
    return visited;
  }

  /** Load the slice's columns from a canonical snapshot (forward from W_l, backward from W_{l+1} transposed). */
  load(s: NetworkSnapshot): void {
    const l = this.layer;
    const nPrev = s.layers[l - 1] as number;
    const pw = wordsFor(nPrev);
    const W = s.weights[l - 1] as Uint32Array;
    const H = s.synapseState[l - 1] as Int32Array;
    this.wFwd.fill(0);
    this.wBwd.fill(0);
    for (let i = 0; i < this.rows; i++) {
      const g = this.rowStart + i;
      for (let j = 0; j < this.nF; j++) {
        const src = this.f0 + j;
        if (((W[g * pw + (src >>> 5)] as number) >>> (src & 31)) & 1) this.wFwd[i * this.fWords + (j >>> 5)] = (this.wFwd[i * this.fWords + (j >>> 5)] as number) | (1 << (j & 31));
      }
      if (this.hasRegisters) this.synFwd.writeRow(i, H, g * nPrev + this.f0, 1);
    }
    if (this.nB > 0) {
      const Wn = s.weights[l] as Uint32Array;
      const Hn = s.synapseState[l] as Int32Array;
      const nCur = s.layers[l] as number;
      const cw = wordsFor(nCur);
      for (let i = 0; i < this.rows; i++) {
        const g = this.rowStart + i;
        for (let k = 0; k < this.nB; k++) {
          const src = this.b0 + k;
          if (((Wn[src * cw + (g >>> 5)] as number) >>> (g & 31)) & 1) this.wBwd[i * this.bWords + (k >>> 5)] = (this.wBwd[i * this.bWords + (k >>> 5)] as number) | (1 << (k & 31));
        }
        if (this.hasRegisters) this.synBwd.writeRow(i, Hn, this.b0 * nCur + g, nCur);
      }
    }
    this.stick();
    this.fValid = false;
    this.bValid = false;
  }

  /** Write the slice's forward columns into a canonical snapshot (the backward copy is checked, not written). */
  save(s: NetworkSnapshot): void {
    if (!this.hasRegisters) throw new Error(`layer ${this.layer} slice rows ${this.rowStart}..: built for inference only, no learning registers to save`);
    const l = this.layer;
    const nPrev = s.layers[l - 1] as number;
    const pw = wordsFor(nPrev);
    const W = s.weights[l - 1] as Uint32Array;
    const H = s.synapseState[l - 1] as Int32Array;
    for (let i = 0; i < this.rows; i++) {
      const g = this.rowStart + i;
      for (let j = 0; j < this.nF; j++) {
        const dst = this.f0 + j;
        const bit = ((this.wFwd[i * this.fWords + (j >>> 5)] as number) >>> (j & 31)) & 1;
        const w = g * pw + (dst >>> 5);
        W[w] = bit ? (W[w] as number) | (1 << (dst & 31)) : (W[w] as number) & ~(1 << (dst & 31));
      }
      this.synFwd.readRow(i, H, g * nPrev + this.f0);
    }
  }

  /** Bit of the backward copy of (row i, layer l+1 neuron b0 + k). */
  backwardBit(i: number, k: number): number {
    return ((this.wBwd[i * this.bWords + (k >>> 5)] as number) >>> (k & 31)) & 1;
  }

  /** Learning register of the backward copy of (row i, layer l+1 neuron b0 + k). */
  backwardSynapse(i: number, k: number): number {
    return this.synBwd.get(i, k);
  }
}

/**
 * Copy bits [from, from + n) of `src` into `dst` from bit 0 (wordsFor(n) words, tail
 * bits zero): how a core hands a slice its columns of an axon register.
 */
export function extractBits(src: Uint32Array, from: number, n: number, dst: Uint32Array): void {
  const nw = (n + 31) >>> 5;
  const w0 = from >>> 5;
  const sh = from & 31;
  if (sh === 0) {
    for (let k = 0; k < nw; k++) dst[k] = src[w0 + k] ?? 0;
  } else {
    for (let k = 0; k < nw; k++) dst[k] = (((src[w0 + k] ?? 0) >>> sh) | ((src[w0 + k + 1] ?? 0) << (32 - sh))) >>> 0;
  }
  if ((n & 31) !== 0 && nw > 0) dst[nw - 1] = ((dst[nw - 1] as number) & ((1 << (n & 31)) - 1)) >>> 0;
}

function same(a: Uint32Array, b: Uint32Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
}
