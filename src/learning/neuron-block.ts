/**
 * A block of neurons: a contiguous range of rows of one layer l, in hardware row format.
 * It is the unit both models compute with: the functional model uses one block per
 * layer, the chip one block per (core, layer) piece. Every per-row quantity depends only
 * on that row's own data and on the previous step's spikes, so splitting a layer into
 * blocks cannot change any bit.
 *
 * One step of row i (all integers; registers in ./registers.ts):
 *   dotF = sum_j w_ij x_j over layer l-1        (binary: 2*popcount(w AND x) - popcount(x);
 *   dotB = sum_k w_ki x_k over layer l+1         spin: n - 2*popcount(w XOR x))
 *   P  = sat_A(kFwd*dotF) ; P = sat_A(P + kBwd*dotB) ; P = sat_A(P + bias_i) ; P = sat_A(P + offset)
 *   P  = sat_A(P + beta * (y_i*Smax - Sref_i))   (output layer, nudged phases; beta = 2^k as a shift)
 *   D  = sat_A(P - S_i) >> stateShift ;  S_i <- clip(S_i + D, 0, Smax)
 *   x_i = (S_i >= 2^(stateBits-1))               (the state's top bit)
 * sat_A saturates to the signed accumulatorBits register; Smax = 2^stateBits - 1.
 * Learning (once per training sample, phases A = nudged, B = free or -beta):
 *   c_ij = sgn(beta) * (x_i^A x_j^A - x_i^B x_j^B) (halved for +-1 spins, so c is in {-1, 0, +1}),
 *   or with learning.contrast "first-order" ({0,1} spikes, x^0 = free phase)
 *   c_ij = sgn(beta) * sign(x_i^0 (x_j^A - x_j^B) + x_j^0 (x_i^A - x_i^B))
 *   for the forward and the backward segment, applied by the layer's PlasticityRule; bias_i += biasStep*sgn(beta)*(x_i^A - x_i^B),
 *   then homeostasis: bias_i += homeoUp if the free phase ended with x_i = 0, bias_i -= homeoDown if with x_i = 1 (saturating).
 * The backward segment is this block's own copy of W_{l+1}^T with its own learning
 * registers; because c is symmetric in (i, j), both copies stay identical.
 */
import {
  RegisterPlanes,
  counterStride,
  matVecAnd,
  matVecXnor,
  firstOrderMasks,
  newTally,
  plasticityMasks,
  popcount32,
  wordsFor,
} from '../kernels';
import type { PlasticityTally, WasmKernels } from '../kernels';
import type { NetworkSnapshot } from './engine';
import { LearnCounts } from './learn-counts';
import { BlockCounts } from './block-counts';
import { betaShift, firstOrderContrast, layerSizes, perLayerValue } from './params';
import type { ModelParams } from './params';
import { createRule } from './rules';
import type { PlasticityRule, RuleSettings, SynapseSite } from './rules';
import { register, saturate } from './registers';
import { BlockFaults } from '../faults/block-faults';
import { faultMap } from '../faults/fault-map';
import type { EccMode, NetworkFaults } from '../faults/fault-map';
import { faultsOn } from '../faults/params';
import { flipLearnReads } from '../faults/read-flips';
import type { ReadFlips } from '../faults/read-flips';

/** Where a block sits: layer l >= 1 of the network, rows [rowStart, rowStart + rows). */
export interface BlockPlace {
  layer: number;
  rowStart: number;
  rows: number;
}

/** The plasticity rule of weight layer `layer` (1-based: W_layer connects layer-1 to layer). */
export function ruleForLayer(p: ModelParams, layer: number): PlasticityRule {
  return createRule(p.learning as unknown as RuleSettings, layer);
}

/** The fault map of `p.faults` for cores with SRAM words of `wordBits` and code `ecc`; null when fault-free. */
export function networkFaults(p: ModelParams, wordBits: number, ecc: EccMode): NetworkFaults | null {
  if (!faultsOn(p.faults)) return null;
  const layers = layerSizes(p.network);
  const synapseBits = layers.slice(1).map((_n, i) => ruleForLayer(p, i + 1).synapseBits);
  return faultMap(p.faults, { layers, synapseBits, wordBits, ecc });
}

/**
 * Spikes of every layer right after a reset, input first: the input register is
 * cleared, the others follow resetState (a state at max spikes), then stuck spike
 * outputs of `faults` hold. The chip loads these into its axon registers.
 */
export function resetSpikeVectors(p: ModelParams, faults: NetworkFaults | null): Uint32Array[] {
  const resetOn = p.dynamics.resetState === 'max' && p.dynamics.stateBits >= 1;
  return layerSizes(p.network).map((n, l) => {
    const v = new Uint32Array(wordsFor(n));
    if (l > 0 && resetOn) for (let i = 0; i < n; i++) v[i >>> 5] = (v[i >>> 5] as number) | (1 << (i & 31));
    if (faults !== null && l > 0) {
      const on = faults.neuronOn[l - 1] as Uint32Array;
      const off = faults.neuronOff[l - 1] as Uint32Array;
      for (let k = 0; k < v.length; k++) v[k] = ((v[k] as number) & ~(off[k] as number)) | (on[k] as number);
    }
    return v;
  });
}

/** Bytes of WebAssembly memory a block of `place` needs (weights, dot products, input copies). */
export function blockWasmBytes(p: ModelParams, place: BlockPlace): number {
  const sizes = layerSizes(p.network);
  const prevWords = wordsFor(sizes[place.layer - 1] as number);
  const nextWords = place.layer + 1 < sizes.length ? wordsFor(sizes[place.layer + 1] as number) : 0;
  const align = 16 * 6; // six allocations, each rounded up to 16 bytes
  return 4 * (place.rows * (prevWords + nextWords) + 2 * place.rows + prevWords + nextWords) + align;
}

/**
 * How a block's rows are laid out in hardware when the layer's fan-in is split
 * (src/map): `cuts` = segment boundaries 0 = c_0 < ... < c_S = nPrev + nNext of the
 * concatenated row; each segment is its own SRAM row of ceil(len / wordBits) words, and
 * the learning phase reads and writes a segment only when it has a contribution.
 * `remote`: the weights live in SynapseSlices elsewhere; the block holds the neurons
 * and steps from summed partial dot products (stepFromSums).
 */
export interface BlockLayout {
  cuts?: readonly number[];
  remote?: boolean;
  /** Transient read flips of the engine (faults.readFlipRate; src/faults/read-flips.ts), shared by all its blocks; absent: none. */
  reads?: ReadFlips | null;
  /** False: the block is built for inference only and holds no learning registers (learn and save refuse); default true. */
  registers?: boolean;
}

/** Rows of a block, with forward and backward weight segments, learning registers, states and spikes. */
export class NeuronBlock {
  readonly layer: number;
  readonly rowStart: number;
  readonly rows: number;
  /** Fan-in from layer l-1 (bits of the forward segment). */
  readonly nPrev: number;
  /** Fan-in from layer l+1 (bits of the backward segment; 0 for the output layer). */
  readonly nNext: number;
  readonly isOutput: boolean;
  /** 32-bit words per row of the forward / backward segment. */
  readonly prevWords: number;
  readonly nextWords: number;
  /** Learning registers per row of the forward / backward segment (padded to whole words). */
  readonly prevStride: number;
  readonly nextStride: number;
  /** SRAM words of one row, W_i = ceil((nPrev + nNext) / wordBits) (summed over segments when split). */
  readonly rowSramWords: number;
  /** The weights live in SynapseSlices (split layer on the chip): step from sums, learn biases only. */
  readonly remote: boolean;
  /** Segment boundaries of a split row and each segment's SRAM words (one segment when unsplit). */
  private readonly cuts: Int32Array;
  private readonly segWords: Int32Array;
  private readonly segHit: Uint8Array;

  /** Forward weights: rows x prevWords; bit j of row i set = w_ij = +1. */
  readonly wFwd: Uint32Array;
  /** Backward weights (copy of W_{l+1}^T): rows x nextWords. */
  readonly wBwd: Uint32Array;
  /** Learning registers of the forward / backward segments (counter H or hidden weight h), bit-sliced at the rule's width. */
  readonly synFwd: RegisterPlanes;
  readonly synBwd: RegisterPlanes;
  /** False when built for inference only: synFwd and synBwd hold no rows. */
  readonly hasRegisters: boolean;
  /** Integer biases (signed biasBits registers), all zero when biases are off. */
  readonly bias: Int32Array;
  /** Neuron states S (unsigned stateBits registers). */
  readonly state: Int32Array;
  /** Spike bits of the last committed step, local row r at bit r. */
  spikes: Uint32Array;
  /** Spike bits computed by the current step, visible after commit(). */
  private spikesNext: Uint32Array;
  /** States and spikes stored at the end of the free phase. */
  readonly freeState: Int32Array;
  readonly freeSpikes: Uint32Array;
  /** Spikes stored at the end of the first nudged phase (symmetric nudging). */
  readonly nudgedSpikes: Uint32Array;
  /** Event counts of this block. */
  readonly counts = new BlockCounts();

  private readonly binary: boolean;
  private readonly kFwd: number;
  private readonly kBwd: number;
  private readonly offset: number;
  private readonly accMin: number;
  private readonly accMax: number;
  private readonly sMax: number;
  private readonly sHalf: number;
  private readonly stateShift: number;
  private readonly resetValue: number;
  private readonly useBias: boolean;
  private readonly biasMin: number;
  /** Width of a bias register (bits written per bias update). */
  private readonly biasBits: number;
  private readonly biasMax: number;
  private readonly biasStep: number;
  /** Homeostasis of this layer: bias += homeoUp after a free phase without a spike, -= homeoDown after one with. */
  private readonly homeoUp: number;
  private readonly homeoDown: number;
  private readonly betaShift: number;
  private readonly nudgeFromFree: boolean;
  /** learning.contrast "first-order": contributions from the free phase and the phases' differences. */
  private readonly firstOrder: boolean;
  private readonly replicas: number;
  /** No partial sum of P can leave the accumulator range: the saturations are provably no-ops. */
  private readonly cannotSaturate: boolean;
  private readonly fwdRule: PlasticityRule;
  private readonly bwdRule: PlasticityRule | null;

  // Scratch and caches (allocated once; the hot loops do not allocate).
  /** Per row, the forward / backward dot products of the last step (read by the RTL co-simulation). */
  readonly dotFwd: Int32Array;
  readonly dotBwd: Int32Array;
  private readonly lastPrev: Uint32Array;
  private readonly lastNext: Uint32Array;
  private fwdValid = false;
  private bwdValid = false;
  /** The last step changed no state: with the same inputs and nudge, the next step is identical. */
  private settled = false;
  /** rowFixed/rowSats/settled describe the previous step of the current phase. */
  private settledValid = false;
  private lastNudgeKey = -1;
  private lastSats = 0;
  /** Per row: the last step left the state unchanged (1), and the saturations it counted. */
  private readonly rowFixed: Uint8Array;
  private readonly rowSats: Uint8Array;
  private readonly inc: Uint32Array;
  private readonly dec: Uint32Array;
  private readonly tally: PlasticityTally = newTally();
  /** Tally of the backward copies (W_{l+1} transposed), kept apart so that learnCounts counts each synapse once. */
  private readonly bwdTally: PlasticityTally = newTally();
  /** Learning statistics of this block's rows (forward synapses and own spikes). */
  readonly learnCounts = new LearnCounts();
  /** Sites handed to the rules, refilled per row (forward segment: W_l; backward copy: W_{l+1}). */
  private readonly fwdSite: SynapseSite;
  private readonly bwdSite: SynapseSite;
  private readonly wasm: WasmKernels | null;
  /** Synapses the learning phase may change (bit j of layer l-1 / l+1), null: all (see restrictLearning). */
  private learnPrev: Uint32Array | null = null;
  private learnNext: Uint32Array | null = null;
  /** Stuck cells and spike outputs of these rows (null: fault-free). */
  private readonly faults: BlockFaults | null;
  /** Transient read flips (null: none) and the dot products the dynamics use (the read's, flips included). */
  private readonly reads: ReadFlips | null;
  private readonly wordBits: number;
  private readonly dynF: Int32Array;
  private readonly dynB: Int32Array;

  /**
   * `kernels`: optional WebAssembly kernels; the weights, dot products and input copies
   * then live in their memory and the mat-vec products run there (same results).
   * `faults`: the network's fault map (src/faults), applied to these rows; null = none.
   */
  constructor(p: ModelParams, place: BlockPlace, wordBits: number, kernels: WasmKernels | null = null, faults: NetworkFaults | null = null, layout: BlockLayout = {}) {
    const sizes = layerSizes(p.network);
    const L = sizes.length - 1;
    if (!Number.isInteger(place.layer) || place.layer < 1 || place.layer > L) throw new RangeError(`layer ${place.layer} is not in 1..${L}`);
    const n = sizes[place.layer] as number;
    if (place.rowStart < 0 || place.rows < 1 || place.rowStart + place.rows > n) {
      throw new RangeError(`rows [${place.rowStart}, ${place.rowStart + place.rows}) do not fit layer ${place.layer} of ${n} neurons`);
    }
    if (!Number.isInteger(wordBits) || wordBits < 1) throw new RangeError(`wordBits must be a positive integer, got ${wordBits}`);
    this.layer = place.layer;
    this.rowStart = place.rowStart;
    this.rows = place.rows;
    this.nPrev = sizes[place.layer - 1] as number;
    this.isOutput = place.layer === L;
    this.nNext = this.isOutput ? 0 : (sizes[place.layer + 1] as number);
    this.prevWords = wordsFor(this.nPrev);
    this.nextWords = wordsFor(this.nNext);
    this.prevStride = counterStride(this.nPrev);
    this.nextStride = this.nNext > 0 ? counterStride(this.nNext) : 0;
    const fan = this.nPrev + this.nNext;
    const cuts = layout.cuts ?? [0, fan];
    if (cuts.length < 2 || cuts[0] !== 0 || cuts[cuts.length - 1] !== fan || cuts.some((c, k) => k > 0 && c <= (cuts[k - 1] as number))) {
      throw new RangeError(`cuts ${JSON.stringify(cuts)} must rise strictly from 0 to the fan-in ${fan}`);
    }
    this.cuts = Int32Array.from(cuts);
    this.segWords = new Int32Array(cuts.length - 1);
    for (let k = 0; k + 1 < cuts.length; k++) this.segWords[k] = Math.ceil(((cuts[k + 1] as number) - (cuts[k] as number)) / wordBits);
    this.segHit = new Uint8Array(cuts.length - 1);
    this.rowSramWords = this.segWords.reduce((a, b) => a + b, 0);
    this.remote = layout.remote === true;

    const d = p.dynamics;
    this.binary = d.encoding === 'binary';
    this.kFwd = perLayerValue(d.kFwd, place.layer - 1);
    this.kBwd = this.isOutput ? 0 : perLayerValue(d.kBwd, place.layer - 1);
    this.offset = perLayerValue(d.offset, place.layer - 1);
    const acc = register(d.accumulatorBits, true);
    this.accMin = acc.min;
    this.accMax = acc.max;
    const st = register(d.stateBits, false);
    this.sMax = st.max;
    this.sHalf = 2 ** (d.stateBits - 1);
    this.stateShift = d.stateShift;
    this.resetValue = d.resetState === 'max' ? this.sMax : 0;
    this.useBias = d.bias;
    const b = register(d.biasBits, true);
    this.biasMin = b.min;
    this.biasBits = d.biasBits;
    this.biasMax = b.max;
    this.biasStep = p.learning.biasStep;
    this.homeoUp = d.bias ? perLayerValue(p.learning.homeoUp, place.layer - 1) : 0;
    this.homeoDown = d.bias ? perLayerValue(p.learning.homeoDown, place.layer - 1) : 0;
    this.betaShift = betaShift(p.learning.beta);
    this.nudgeFromFree = p.learning.nudgeReference === 'free';
    this.firstOrder = firstOrderContrast(p.learning);
    this.replicas = p.network.replicas;
    // Largest |partial sum| of the accumulator: every term at its extreme, plus the state.
    const nudgeMax = this.isOutput ? this.sMax * Math.max(1, 2 ** this.betaShift) : 0;
    const bound =
      Math.abs(this.kFwd) * this.nPrev +
      Math.abs(this.kBwd) * this.nNext +
      (this.useBias ? Math.max(-this.biasMin, this.biasMax) : 0) +
      Math.abs(this.offset) +
      nudgeMax +
      this.sMax;
    this.cannotSaturate = bound <= this.accMax;
    this.fwdRule = ruleForLayer(p, place.layer);
    this.bwdRule = this.isOutput ? null : ruleForLayer(p, place.layer + 1);
    this.fwdSite = { layer: place.layer, row: 0, transposed: false, sampleKey: 0, epoch: 0, colBase: 0 };
    this.bwdSite = { layer: place.layer + 1, row: 0, transposed: true, sampleKey: 0, epoch: 0, colBase: 0 };

    const r = this.rows;
    this.wasm = kernels;
    const words = (n: number): Uint32Array => (kernels ? kernels.allocWords(n) : new Uint32Array(n));
    const ints = (n: number): Int32Array => (kernels ? kernels.allocInt32(n) : new Int32Array(n));
    const own = this.remote ? 0 : r;
    this.wFwd = words(own * this.prevWords);
    this.wBwd = words(own * this.nextWords);
    this.hasRegisters = layout.registers !== false;
    const regRows = this.hasRegisters ? own : 0;
    this.synFwd = new RegisterPlanes(regRows, this.nPrev, this.fwdRule.synapseBits);
    this.synBwd = new RegisterPlanes(regRows, this.nNext, this.bwdRule !== null ? this.bwdRule.synapseBits : 1);
    this.bias = new Int32Array(r);
    this.state = new Int32Array(r);
    const rw = wordsFor(r);
    this.spikes = new Uint32Array(rw);
    this.spikesNext = new Uint32Array(rw);
    this.freeState = new Int32Array(r);
    this.freeSpikes = new Uint32Array(rw);
    this.nudgedSpikes = new Uint32Array(rw);
    this.rowFixed = new Uint8Array(r);
    this.rowSats = new Uint8Array(r);
    this.dotFwd = ints(r);
    this.dotBwd = ints(r);
    this.wordBits = wordBits;
    // Remote rows get their sums from the slices, which apply their own read flips.
    this.reads = layout.reads !== undefined && layout.reads !== null && !this.remote ? layout.reads : null;
    this.dynF = this.reads === null ? this.dotFwd : new Int32Array(r);
    this.dynB = this.reads === null ? this.dotBwd : new Int32Array(r);
    this.lastPrev = words(this.prevWords);
    this.lastNext = words(this.nextWords);
    const maxWords = Math.max(this.prevWords, this.nextWords);
    this.inc = new Uint32Array(maxWords);
    this.dec = new Uint32Array(maxWords);
    const bf =
      faults === null
        ? null
        : new BlockFaults(faults, {
            layer: this.layer,
            rowStart: this.rowStart,
            rows: this.rows,
            prevWords: this.prevWords,
            nextWords: this.nextWords,
            fwdRegisters: this.synFwd,
            bwdRegisters: this.synBwd,
            isOutput: this.isOutput,
          });
    this.faults = bf === null || bf.empty ? null : bf;
  }

  /**
   * Freeze the synapses to neurons whose spikes do not reach both copies of the synapse
   * (dead routes, src/map/dead-routes.ts): bit j of `prev` / `next` is 1 where synapse j of
   * the forward / backward segment may learn; null = all. Both copies then stay equal.
   */
  restrictLearning(prev: Uint32Array | null, next: Uint32Array | null): void {
    this.learnPrev = prev;
    this.learnNext = next;
  }

  /** Width of one synapse's learning register (forward segment), in bits. */
  get synapseBits(): number {
    return this.fwdRule.synapseBits;
  }

  /**
   * True when the last step moved no state: another step with the same inputs and
   * nudge computes nothing new (step() then only counts), so a caller may know in
   * advance that it changes no spike.
   */
  get settledNow(): boolean {
    return this.settled && this.settledValid;
  }

  /** Start a sample: every state to the reset value, spikes to match. */
  reset(): void {
    this.settled = false;
    this.settledValid = false;
    this.state.fill(this.resetValue);
    this.spikes.fill(0);
    if (this.resetValue >= this.sHalf) {
      for (let r = 0; r < this.rows; r++) (this.spikes as Uint32Array)[r >>> 5] |= 1 << (r & 31);
    }
    if (this.faults !== null) this.faults.applySpikes(this.spikes);
  }

  /** Forget the cached dot products (after any change of weights). */
  invalidate(): void {
    this.settled = false;
    this.settledValid = false;
    this.fwdValid = false;
    this.bwdValid = false;
  }

  /**
   * Compute one step of every row from the previous step's spikes of layer l-1 (`prev`,
   * nPrev bits) and l+1 (`next`, nNext bits; ignored for the output layer). `label` >= 0
   * nudges the output layer towards that class with sign `betaSign`; -1 = no nudge.
   * States update in place; the new spikes become visible at commit().
   */
  step(prev: Uint32Array, next: Uint32Array, label: number, betaSign: number): void {
    // The dot products depend only on the weights and the input vectors: recompute them
    // only when an input changed (the clamped input layer is constant over a sample).
    // The counts below are those of the hardware, which recomputes every step.
    const prevSame = this.fwdValid && sameWords(prev, this.lastPrev, this.prevWords);
    if (!prevSame) {
      copyWords(this.lastPrev, prev, this.prevWords);
      this.matVec(this.wFwd, this.nPrev, this.lastPrev, this.dotFwd);
      this.fwdValid = true;
    }
    const hasNext = this.nNext > 0;
    const nextSame = !hasNext || (this.bwdValid && sameWords(next, this.lastNext, this.nextWords));
    if (!nextSame) {
      copyWords(this.lastNext, next, this.nextWords);
      this.matVec(this.wBwd, this.nNext, this.lastNext, this.dotBwd);
      this.bwdValid = true;
    }
    if (this.reads !== null) {
      // Every step reads every row afresh: its flips differ from the last step's, so nothing is skipped.
      this.flipReads();
      this.dynamics(false, label, betaSign);
      return;
    }
    this.dynamics(prevSame && nextSame, label, betaSign);
  }

  /**
   * This step's reads with their transient flips: dynF/dynB = the stored weights' dot
   * products plus, per flipped bit of a row's read words, the change of its synapse's
   * term (binary: x_j * (w_j ? -2 : +2); spin: w_j == x_j ? -2 : +2; padding bits change nothing).
   */
  private flipReads(): void {
    const rf = this.reads as ReadFlips;
    const dynF = this.dynF;
    const dynB = this.dynB;
    const rows = this.rows;
    for (let r = 0; r < rows; r++) {
      dynF[r] = this.dotFwd[r] as number;
      dynB[r] = this.dotBwd[r] as number;
    }
    const cuts = this.cuts;
    const segs = this.segWords.length;
    const nPrev = this.nPrev;
    const binary = this.binary;
    const c = this.counts;
    for (let r = 0; r < rows; r++) {
      const g = this.rowStart + r;
      for (let k = 0; k < segs; k++) {
        const base = cuts[k] as number;
        const end = cuts[k + 1] as number;
        const n = rf.draw(this.layer, g, k, (this.segWords[k] as number) * this.wordBits);
        c.sramReadFlips += n + rf.corrected;
        c.sramReadFlipsCorrected += rf.corrected;
        const pos = rf.positions;
        for (let i = 0; i < n; i++) {
          const col = base + (pos[i] as number);
          if (col >= end) continue;
          if (col < nPrev) {
            const w = ((this.wFwd[r * this.prevWords + (col >>> 5)] as number) >>> (col & 31)) & 1;
            const x = ((this.lastPrev[col >>> 5] as number) >>> (col & 31)) & 1;
            dynF[r] = (dynF[r] as number) + (binary ? (x === 0 ? 0 : w === 1 ? -2 : 2) : w === x ? -2 : 2);
          } else {
            const j = col - nPrev;
            const w = ((this.wBwd[r * this.nextWords + (j >>> 5)] as number) >>> (j & 31)) & 1;
            const x = ((this.lastNext[j >>> 5] as number) >>> (j & 31)) & 1;
            dynB[r] = (dynB[r] as number) + (binary ? (x === 0 ? 0 : w === 1 ? -2 : 2) : w === x ? -2 : 2);
          }
        }
      }
    }
  }

  /**
   * One step of a remote block from the summed partial dot products of its rows
   * (dotF over layer l-1, dotB over layer l+1; the partial-sum cores' sums), with the
   * arithmetic of step().
   */
  stepFromSums(dotF: Int32Array, dotB: Int32Array, label: number, betaSign: number): void {
    const r = this.rows;
    let same = this.fwdValid;
    for (let i = 0; same && i < r; i++) if (dotF[i] !== this.dotFwd[i] || dotB[i] !== this.dotBwd[i]) same = false;
    if (!same) {
      for (let i = 0; i < r; i++) {
        this.dotFwd[i] = dotF[i] as number;
        this.dotBwd[i] = dotB[i] as number;
      }
      this.fwdValid = true;
    }
    this.dynamics(same, label, betaSign);
  }

  /** The neuron dynamics of step() over the current dot products; `inputsSame`: they equal the last step's. */
  private dynamics(inputsSame: boolean, label: number, betaSign: number): void {
    const hasNext = this.nNext > 0;
    const nudgeKey = this.isOutput && label >= 0 ? 2 * label + (betaSign < 0 ? 1 : 0) : -1;
    // With the same inputs and nudge as the last step, a row whose state did not move
    // then computes exactly what it computed then: it is skipped (and still counted).
    const sameInputs = this.settledValid && inputsSame && nudgeKey === this.lastNudgeKey;
    if (sameInputs && this.settled) {
      this.spikesNext.set(this.spikes);
      this.countStep(this.lastSats, 0, nudgeKey >= 0);
      return;
    }
    this.lastNudgeKey = nudgeKey;
    this.settledValid = true;
    const nudge = nudgeKey >= 0;
    const lo = this.accMin;
    const hi = this.accMax;
    const sMax = this.sMax;
    const sHalf = this.sHalf;
    const shift = this.stateShift;
    const kF = this.kFwd;
    const kB = this.kBwd;
    const useBias = this.useBias;
    const offset = this.offset;
    const state = this.state;
    const dotF = this.dynF;
    const dotB = this.dynB;
    const bias = this.bias;
    const ref = this.nudgeFromFree ? this.freeState : this.state;
    // Rows [yLo, yHi) of this block are the replicas of class `label` (target y = 1).
    const yLo = nudge ? label * this.replicas - this.rowStart : 0;
    const yHi = nudge ? yLo + this.replicas : 0;
    // beta = 2^bs as a shift: multiply by 2^bs, or floor-divide by 2^-bs (arithmetic right shift).
    const bs = this.betaShift;
    const mul = bs >= 0 ? 2 ** bs : 1;
    const div = bs >= 0 ? 1 : 2 ** -bs;
    const sgn = betaSign < 0 ? -1 : 1;
    const out = this.spikesNext;
    out.set(this.spikes);
    const fixed = this.rowFixed;
    const rowSats = this.rowSats;
    let sats = 0;
    let changed = 0;
    let moved = 0;
    const rows = this.rows;
    if (this.cannotSaturate) {
      // Same arithmetic as below without the saturation tests, which cannot fire here.
      for (let r = 0; r < rows; r++) {
        if (sameInputs && fixed[r] === 1) continue;
        let a = kF * (dotF[r] as number) + offset;
        if (hasNext) a += kB * (dotB[r] as number);
        if (useBias) a += bias[r] as number;
        const s = state[r] as number;
        if (nudge) {
          const e = (r >= yLo && r < yHi ? sMax : 0) - (ref[r] as number);
          a += sgn * (div === 1 ? e * mul : Math.floor(e / div));
        }
        const ns = saturate(s + ((a - s) >> shift), 0, sMax);
        state[r] = ns;
        if (ns !== s) {
          moved++;
          fixed[r] = 0;
        } else fixed[r] = 1;
        const m = 1 << (r & 31);
        if (ns >= sHalf) out[r >>> 5] = (out[r >>> 5] as number) | m;
        else out[r >>> 5] = (out[r >>> 5] as number) & ~m;
      }
    } else for (let r = 0; r < rows; r++) {
      if (sameInputs && fixed[r] === 1) {
        sats += rowSats[r] as number;
        continue;
      }
      let rs = 0;
      let a = kF * (dotF[r] as number);
      let v = saturate(a, lo, hi);
      if (v !== a) rs++;
      if (hasNext) {
        a = v + kB * (dotB[r] as number);
        v = saturate(a, lo, hi);
        if (v !== a) rs++;
      }
      if (useBias) {
        a = v + (bias[r] as number);
        v = saturate(a, lo, hi);
        if (v !== a) rs++;
      }
      if (offset !== 0) {
        a = v + offset;
        v = saturate(a, lo, hi);
        if (v !== a) rs++;
      }
      const s = state[r] as number;
      if (nudge) {
        const e = (r >= yLo && r < yHi ? sMax : 0) - (ref[r] as number);
        const n = div === 1 ? e * mul : Math.floor(e / div);
        a = v + sgn * n;
        v = saturate(a, lo, hi);
        if (v !== a) rs++;
      }
      a = v - s;
      v = saturate(a, lo, hi);
      if (v !== a) rs++;
      const ns = saturate(s + (v >> shift), 0, sMax);
      state[r] = ns;
      if (ns !== s) {
        moved++;
        fixed[r] = 0;
      } else fixed[r] = 1;
      rowSats[r] = rs;
      sats += rs;
      const m = 1 << (r & 31);
      if (ns >= sHalf) out[r >>> 5] = (out[r >>> 5] as number) | m;
      else out[r >>> 5] = (out[r >>> 5] as number) & ~m;
    }
    if (this.faults !== null) this.faults.applySpikes(out);
    const cur = this.spikes;
    for (let k = 0; k < out.length; k++) changed += popcount32((out[k] as number) ^ (cur[k] as number));
    this.settled = moved === 0;
    this.lastSats = sats;
    this.countStep(sats, changed, nudge);
  }

  /** out = W x over this block's rows (x and out are the block's own buffers). */
  private matVec(W: Uint32Array, nBits: number, x: Uint32Array, out: Int32Array): void {
    const k = this.wasm;
    if (k !== null) {
      if (this.binary) k.matVecAnd(W, this.rows, nBits, x, out);
      else k.matVecXnor(W, this.rows, nBits, x, out);
    } else if (this.binary) matVecAnd(W, this.rows, nBits, x, out);
    else matVecXnor(W, this.rows, nBits, x, out);
  }

  /** Count the hardware events of one step of every row (the hardware recomputes every step). */
  private countStep(sats: number, changed: number, nudge: boolean): void {
    const c = this.counts;
    const rows = this.rows;
    const hasNext = this.nNext > 0;
    // A remote block's words are read and added by its SynapseSlices.
    const words = this.remote ? 0 : this.rowSramWords;
    c.weightSramReads += rows * words;
    c.xnorWords += rows * words;
    if (!this.remote) c.synapticOps += rows * (this.nPrev + this.nNext);
    // One add per word popcount, plus the state term, the feedback, bias, offset and nudge terms.
    const terms = 1 + (hasNext ? 1 : 0) + (this.useBias ? 1 : 0) + (this.offset !== 0 ? 1 : 0) + (nudge ? 1 : 0);
    c.accumulatorAdds += rows * (words + terms);
    c.accumulatorSaturations += sats;
    c.stateUpdates += rows;
    c.spikes += changed;
  }

  /** Make the spikes of the last step() visible (synchronous update: all blocks step, then all commit). */
  commit(): void {
    const t = this.spikes;
    this.spikes = this.spikesNext;
    this.spikesNext = t;
  }

  /** Store states and spikes at the end of the free phase (one SRAM word per neuron). */
  storeFree(): void {
    this.freeState.set(this.state);
    this.freeSpikes.set(this.spikes);
    this.counts.freeStateWrites += this.rows;
  }

  /** Return to the stored free state (start of the -beta phase of symmetric nudging). */
  restoreFree(): void {
    this.settled = false;
    this.settledValid = false;
    this.state.set(this.freeState);
    this.spikes.set(this.freeSpikes);
  }

  /** Keep the current spikes as the first nudged phase's (symmetric nudging). */
  storeNudged(): void {
    this.nudgedSpikes.set(this.spikes);
  }

  /**
   * Learning phase of every row: phase A (nudged) against phase B (free, or the -beta
   * phase): own spikes postA/postB (local rows), layer l-1 spikes prevA/prevB, layer l+1
   * spikes nextA/nextB (ignored for the output layer). betaSign is the sign of phase A's beta;
   * sampleKey is the trainer's per-sample key for rules that draw random numbers.
   * With the first-order contrast, prevF/nextF are the free-phase spikes of layers l-1
   * and l+1 (the own free spikes are the block's freeSpikes). epoch is the trainer's
   * 0-based epoch (read by rules with a schedule: the counter rule's thetaGrowth).
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
    prevF: Uint32Array | null = null,
    nextF: Uint32Array | null = null,
    epoch = 0,
  ): void {
    if (!this.hasRegisters) throw new Error(`layer ${this.layer} rows ${this.rowStart}..: built for inference only, no learning registers to learn with`);
    const first = this.firstOrder;
    if (first && !this.remote && (prevF === null || (this.nNext > 0 && nextF === null))) throw new Error(`layer ${this.layer}: the first-order contrast needs the free-phase spikes of the neighbouring layers`);
    const enc = this.binary ? 'binary' : 'spin';
    const fSite = this.fwdSite;
    const bSite = this.bwdSite;
    fSite.sampleKey = sampleKey;
    bSite.sampleKey = sampleKey;
    fSite.epoch = epoch;
    bSite.epoch = epoch;
    const tally = this.tally;
    tally.countersChanged = 0;
    tally.weightsFlipped = 0;
    tally.countersSaturated = 0;
    const bTally = this.bwdTally;
    bTally.countersChanged = 0;
    bTally.weightsFlipped = 0;
    bTally.countersSaturated = 0;
    let diffs = 0;
    const hasNext = this.nNext > 0;
    const visitAll = this.fwdRule.visitsIdleRows || (this.bwdRule !== null && this.bwdRule.visitsIdleRows);
    const learnBias = this.useBias && this.biasStep > 0;
    const homeo = this.homeoUp > 0 || this.homeoDown > 0;
    const free = this.freeSpikes;
    let visited = 0;
    let words = 0;
    let learnFlips = 0;
    const split = this.segWords.length > 1;
    for (let r = 0; r < this.rows; r++) {
      const xa = ((postA[r >>> 5] as number) >>> (r & 31)) & 1;
      const xb = ((postB[r >>> 5] as number) >>> (r & 31)) & 1;
      diffs += xa ^ xb;
      if (learnBias && xa !== xb) {
        const step = betaSign * this.biasStep * (xa - xb);
        this.bias[r] = saturate((this.bias[r] as number) + step, this.biasMin, this.biasMax);
      }
      if (homeo) {
        const xf = ((free[r >>> 5] as number) >>> (r & 31)) & 1;
        this.bias[r] = saturate((this.bias[r] as number) + (xf === 1 ? -this.homeoDown : this.homeoUp), this.biasMin, this.biasMax);
      }
      if (this.remote) continue;
      const x0 = ((free[r >>> 5] as number) >>> (r & 31)) & 1;
      // {0,1} encoding: a neuron silent in both phases has c = 0 on its whole row (first
      // order: a neuron silent in the free phase whose phases agree).
      if (first ? x0 === 0 && xa === xb && !visitAll : this.binary && xa === 0 && xb === 0 && !visitAll) continue;
      let nzF = first
        ? firstOrderMasks(prevA, prevB, prevF as Uint32Array, this.nPrev, xa, xb, x0, betaSign, this.inc, this.dec, 0)
        : plasticityMasks(prevA, 0, prevB, 0, this.nPrev, xa, xb, betaSign, enc, this.inc, this.dec, 0);
      if (nzF > 0 && this.learnPrev !== null) nzF = keepOnly(this.inc, this.dec, this.learnPrev, this.prevWords);
      let nzB = 0;
      fSite.row = this.rowStart + r;
      bSite.row = this.rowStart + r;
      if (split) this.markSegments(0, nzF);
      if (nzF > 0 || visitAll) {
        const sf = this.synFwd;
        if (this.reads !== null && nzF > 0) learnFlips += this.learnReads(this.layer, this.rowStart + r, true, this.nPrev, this.wFwd, r * this.prevWords, sf, r, this.fwdRule.synapseBits);
        this.fwdRule.updateRow(this.wFwd, r * this.prevWords, sf.words, sf.rowOffset(r), sf.planeStride, this.nPrev, this.inc, this.dec, 0, tally, fSite);
      }
      if (hasNext) {
        nzB = first
          ? firstOrderMasks(nextA, nextB, nextF as Uint32Array, this.nNext, xa, xb, x0, betaSign, this.inc, this.dec, 0)
          : plasticityMasks(nextA, 0, nextB, 0, this.nNext, xa, xb, betaSign, enc, this.inc, this.dec, 0);
        if (nzB > 0 && this.learnNext !== null) nzB = keepOnly(this.inc, this.dec, this.learnNext, this.nextWords);
        if (split) this.markSegments(this.nPrev, nzB);
        if (nzB > 0 || visitAll) {
          if (this.reads !== null && nzB > 0) learnFlips += this.learnReads(this.layer + 1, this.rowStart + r, false, this.nNext, this.wBwd, r * this.nextWords, this.synBwd, r, (this.bwdRule as PlasticityRule).synapseBits);
          (this.bwdRule as PlasticityRule).updateRow(
            this.wBwd,
            r * this.nextWords,
            this.synBwd.words,
            this.synBwd.rowOffset(r),
            this.synBwd.planeStride,
            this.nNext,
            this.inc,
            this.dec,
            0,
            bTally,
            bSite,
          );
        }
      }
      if (nzF > 0 || nzB > 0 || visitAll) visited++;
      if (split) {
        // Split rows: each segment is read and written only when it has a contribution.
        for (let k = 0; k < this.segHit.length; k++) {
          if (visitAll || this.segHit[k] === 1) words += this.segWords[k] as number;
          this.segHit[k] = 0;
        }
      }
    }
    // Stuck cells keep their value whatever the rule wrote (the flip is still counted: the write happened).
    if (this.faults !== null) this.faults.applyMemory(this.wFwd, this.wBwd, this.synFwd.words, this.synBwd.words);
    const c = this.counts;
    if (!split) words = visited * this.rowSramWords;
    c.weightSramReads += words;
    c.weightSramWrites += words;
    c.counterSramReads += words * this.fwdRule.synapseBits;
    c.counterSramWrites += words * this.fwdRule.synapseBits;
    c.plasticityUpdates += tally.countersChanged + bTally.countersChanged;
    // Bias writes: one per row whose phases differ (EP term), one per row (homeostasis).
    c.biasBitWrites += ((learnBias ? diffs : 0) + (homeo ? this.rows : 0)) * this.biasBits;
    c.weightFlips += tally.weightsFlipped + bTally.weightsFlipped;
    const lc = this.learnCounts;
    lc.weightFlips += tally.weightsFlipped;
    lc.counterSaturations += tally.countersSaturated;
    lc.spikeDiffs += diffs;
    if (tally.weightsFlipped > 0 || bTally.weightsFlipped > 0 || visitAll || learnFlips > 0) this.invalidate();
  }

  /**
   * Transient flips of the learning phase's read of one row segment (the synapses with a
   * contribution in inc/dec), applied before the rule reads and writes them back; counted.
   * `fixed` is this row's neuron: the post-synaptic one of the forward segment, the
   * pre-synaptic one of the backward copy.
   */
  private learnReads(layer: number, fixed: number, fixedIsPost: boolean, n: number, w: Uint32Array, wOff: number, regs: RegisterPlanes, r: number, bits: number): number {
    const rf = this.reads as ReadFlips;
    const f = flipLearnReads(rf, layer, fixed, fixedIsPost, 0, this.inc, this.dec, n, w, wOff, regs.words, regs.rowOffset(r), regs.planeStride, bits);
    const c = this.counts;
    c.sramReadFlips += f + rf.corrected;
    c.sramReadFlipsCorrected += rf.corrected;
    c.learnReadFlips += f + rf.corrected;
    return f;
  }
  /** Mark the segments whose columns of the part starting at column `base` hold a bit of the current inc/dec masks. */
  private markSegments(base: number, nonzero: number): void {
    if (nonzero === 0) return;
    const cuts = this.cuts;
    const n = base === 0 ? this.nPrev : this.nNext;
    for (let k = 0; k < this.segHit.length; k++) {
      const a = Math.max(0, (cuts[k] as number) - base);
      const b = Math.min(n, (cuts[k + 1] as number) - base);
      if (b > a && anyBit(this.inc, this.dec, a, b)) this.segHit[k] = 1;
    }
  }

  /**
   * Load this block's rows from a canonical snapshot: forward rows from W_l, the backward
   * copy from W_{l+1} transposed, learning registers, biases, states and spikes.
   */
  load(s: NetworkSnapshot): void {
    const l = this.layer;
    const W = s.weights[l - 1] as Uint32Array;
    const H = s.synapseState[l - 1] as Int32Array;
    for (let i = 0; i < this.rows && !this.remote; i++) {
      const g = this.rowStart + i;
      this.wFwd.set(W.subarray(g * this.prevWords, (g + 1) * this.prevWords), i * this.prevWords);
      if (this.hasRegisters) this.synFwd.writeRow(i, H, g * this.nPrev, 1);
    }
    if (this.nNext > 0 && !this.remote) {
      const Wn = s.weights[l] as Uint32Array;
      const Hn = s.synapseState[l] as Int32Array;
      const nCur = s.layers[l] as number;
      const curWords = wordsFor(nCur);
      this.wBwd.fill(0);
      for (let i = 0; i < this.rows; i++) {
        const g = this.rowStart + i;
        for (let k = 0; k < this.nNext; k++) {
          const bit = ((Wn[k * curWords + (g >>> 5)] as number) >>> (g & 31)) & 1;
          if (bit) this.wBwd[i * this.nextWords + (k >>> 5)] = (this.wBwd[i * this.nextWords + (k >>> 5)] as number) | (1 << (k & 31));
        }
        if (this.hasRegisters) this.synBwd.writeRow(i, Hn, g, nCur);
      }
    }
    const B = s.biases[l - 1] as Int32Array;
    const S = s.states[l - 1] as Int32Array;
    const X = s.spikes[l] as Uint32Array;
    this.spikes.fill(0);
    for (let i = 0; i < this.rows; i++) {
      const g = this.rowStart + i;
      this.bias[i] = B.length > 0 ? (B[g] as number) : 0;
      this.state[i] = S[g] as number;
      if (((X[g >>> 5] as number) >>> (g & 31)) & 1) this.spikes[i >>> 5] = (this.spikes[i >>> 5] as number) | (1 << (i & 31));
    }
    if (this.faults !== null) {
      this.faults.applyMemory(this.wFwd, this.wBwd, this.synFwd.words, this.synBwd.words);
      this.faults.applySpikes(this.spikes);
    }
    this.invalidate();
  }

  /** Write this block's rows (forward copy, registers, biases, states, spikes) into a canonical snapshot. */
  save(s: NetworkSnapshot): void {
    if (!this.hasRegisters) throw new Error(`layer ${this.layer} rows ${this.rowStart}..: built for inference only, no learning registers to save`);
    const l = this.layer;
    const W = s.weights[l - 1] as Uint32Array;
    const H = s.synapseState[l - 1] as Int32Array;
    const B = s.biases[l - 1] as Int32Array;
    const S = s.states[l - 1] as Int32Array;
    const X = s.spikes[l] as Uint32Array;
    for (let i = 0; i < this.rows; i++) {
      const g = this.rowStart + i;
      if (!this.remote) {
        W.set(this.wFwd.subarray(i * this.prevWords, (i + 1) * this.prevWords), g * this.prevWords);
        this.synFwd.readRow(i, H, g * this.nPrev);
      }
      if (B.length > 0) B[g] = this.bias[i] as number;
      S[g] = this.state[i] as number;
      const bit = ((this.spikes[i >>> 5] as number) >>> (i & 31)) & 1;
      X[g >>> 5] = bit ? (X[g >>> 5] as number) | (1 << (g & 31)) : (X[g >>> 5] as number) & ~(1 << (g & 31));
    }
  }

  /** Bit j of the backward copy of row i (for checks that both copies agree). */
  backwardBit(i: number, j: number): number {
    return ((this.wBwd[i * this.nextWords + (j >>> 5)] as number) >>> (j & 31)) & 1;
  }

  /** Learning register of the backward copy of synapse (row i, layer l+1 neuron j). */
  backwardSynapse(i: number, j: number): number {
    return this.synBwd.get(i, j);
  }
}

/** inc &= keep, dec &= keep over n words; returns the synapses left with a contribution. */
function keepOnly(inc: Uint32Array, dec: Uint32Array, keep: Uint32Array, n: number): number {
  let nz = 0;
  for (let k = 0; k < n; k++) {
    const m = keep[k] as number;
    const a = (inc[k] as number) & m;
    const b = (dec[k] as number) & m;
    inc[k] = a;
    dec[k] = b;
    nz += popcount32(a | b);
  }
  return nz;
}

/** True when inc or dec has a set bit in [from, to). */
function anyBit(inc: Uint32Array, dec: Uint32Array, from: number, to: number): boolean {
  const w0 = from >>> 5;
  const w1 = (to - 1) >>> 5;
  for (let w = w0; w <= w1; w++) {
    let m = ((inc[w] as number) | (dec[w] as number)) >>> 0;
    if (w === w0) m = (m >>> (from & 31)) << (from & 31);
    if (w === w1 && (to & 31) !== 0) m &= (1 << (to & 31)) - 1;
    if (m !== 0) return true;
  }
  return false;
}

/** Copy the first n words of src into dst (no subarray view: the step loop must not allocate). */
function copyWords(dst: Uint32Array, src: Uint32Array, n: number): void {
  for (let k = 0; k < n; k++) dst[k] = src[k] as number;
}

/** True when the first n words of a and b are equal. */
function sameWords(a: Uint32Array, b: Uint32Array, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
}
