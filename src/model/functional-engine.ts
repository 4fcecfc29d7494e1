/**
 * The functional (untimed) model of the chip: the integer EP network with one
 * NeuronBlock per layer. One sample:
 *   reset; T1 free steps (label = -1); store free state; readout;
 *   one-sided:  T2 steps nudged with beta*betaSign;   learn(A = nudged, B = free, betaSign)
 *   symmetric:  T2 steps at +beta*betaSign, keep spikes; restore free state;
 *               T2 steps at -beta*betaSign;            learn(A = first, B = second, betaSign)
 * Steps are synchronous: every block computes from the spikes committed by the previous
 * step, then all blocks commit. The input layer is clamped to the sample's bits, or,
 * when the input row holds several frames (rate coding), to the frame of each step
 * (src/learning/input-frames.ts).
 * Readout: argmax over classes of the summed output states at the end of the free phase
 * (ties go to the lowest class).
 */
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { Engine, NetworkSnapshot, SampleMode, SampleResult } from '../learning/engine';
import { emptySnapshot, initialSnapshot } from '../learning/init';
import { BlockCounts } from '../learning/block-counts';
import { addLearnCounts, outputErrors } from '../learning/learn-counts';
import { NeuronBlock, blockWasmBytes, networkFaults, resetSpikeVectors } from '../learning/neuron-block';
import type { EccMode } from '../faults/fault-map';
import { ReadFlips, readFlipsOn } from '../faults/read-flips';
import type { BlockPlace } from '../learning/neuron-block';
import { checkModelParams, layerSizes } from '../learning/params';
import { readout } from '../learning/readout';
import { frameCount, inputFrame } from '../learning/input-frames';
import type { ModelParams } from '../learning/params';
import { WasmKernels, wordsFor } from '../kernels';

/** Options of the functional model that come from the chip description. */
export interface FunctionalOptions {
  /** SRAM word width in bits (sram.wordBits of the chip file) used for the SRAM counters. */
  wordBits?: number;
  /** Split each layer into blocks of at most this many rows (as the chip's cores do); default: one block per layer. */
  blockRows?: number;
  /** Run the mat-vec products in the WebAssembly kernels (default true; identical results). */
  wasm?: boolean;
  /** Error-correcting code of the SRAM words (sram.ecc of the chip file), for the fault map; default none. */
  ecc?: EccMode;
  /**
   * Dead routes of the chip (src/map/dead-routes.ts blockViews): per layer l >= 1 its
   * pieces in row order, each with the input bits it can see; replaces blockRows.
   */
  views?: readonly (readonly InputView[])[];
  /**
   * Per layer l (index l, input first): the segment boundaries of a split fan-in, as the
   * chip's mapping cuts it (src/map layerCuts); only the SRAM counters depend on them.
   */
  cuts?: readonly (readonly number[])[];
}

/** A row range of a layer and the input spikes that reach it (null: all); readout false: its states never reach the readout. */
export interface InputView {
  layer: number;
  rowStart: number;
  rows: number;
  prevSeen: Uint32Array | null;
  nextSeen: Uint32Array | null;
  readout: boolean;
  /** Synapses that may learn (NeuronBlock.restrictLearning); null: all. */
  prevLearn: Uint32Array | null;
  nextLearn: Uint32Array | null;
}

/** Scratch of a block with a restricted view: its masked inputs for a step and for learning. */
interface Masked {
  view: InputView;
  prev: Uint32Array;
  next: Uint32Array;
  prevA: Uint32Array;
  prevB: Uint32Array;
  nextA: Uint32Array;
  nextB: Uint32Array;
  prevF: Uint32Array;
  nextF: Uint32Array;
}

/** The integer EP network run without time: fast path for accuracy and oracle for the chip. */
export class FunctionalEngine implements Engine {
  readonly params: ModelParams;
  readonly layers: number[];
  /** blocks[l-1]: the blocks of layer l in row order (one block unless options.blockRows splits it). */
  readonly blocks: NeuronBlock[][];
  /** Current spikes of every layer (cur[0] = the clamped input), assembled from the blocks. */
  private readonly cur: Uint32Array[];
  /** Layer spikes at the end of the free phase and of the first nudged phase. */
  private readonly freeVec: Uint32Array[];
  private readonly nudgedVec: Uint32Array[];
  private readonly outStates: Int32Array;
  private readonly empty = new Uint32Array(1);
  /** Per block (same shape as blocks): its restricted view, or null when it sees every input. */
  private readonly masked: (Masked | null)[][];
  /** Spikes after a reset per layer: what an axon that never receives keeps. */
  private readonly resetVec: Uint32Array[];
  private samples = 0;
  /** The current sample's input row and its number of frames. */
  private input: Uint32Array = new Uint32Array(0);
  private frames = 1;
  private steps = 0;
  private learningPhases = 0;
  /** Transient read flips of every block (null: none): the sample's read key and the step index within the sample. */
  private readonly reads: ReadFlips | null;
  private sampleStep = 0;
  /** Called at the start of every step with the layer spikes it reads (cur[0] = the clamped input frame); the budget's on-change partial-sum count uses it. */
  stepObserver: ((cur: readonly Uint32Array[]) => void) | null = null;

  constructor(params: ModelParams, seed: number | string, options: FunctionalOptions = {}) {
    checkModelParams(params, 'config');
    this.params = params;
    this.layers = layerSizes(params.network);
    const wordBits = options.wordBits ?? 64;
    const maxRows = options.blockRows ?? Infinity;
    const places: BlockPlace[][] = [];
    for (let l = 1; l < this.layers.length; l++) {
      const n = this.layers[l] as number;
      const row: BlockPlace[] = [];
      const views = options.views?.[l - 1];
      if (views !== undefined) for (const v of views) row.push({ layer: l, rowStart: v.rowStart, rows: v.rows });
      else for (let start = 0; start < n; start += Math.min(maxRows, n)) row.push({ layer: l, rowStart: start, rows: Math.min(maxRows, n - start) });
      places.push(row);
    }
    let kernels: WasmKernels | null = null;
    if (options.wasm ?? true) {
      let bytes = 1 << 16;
      for (const row of places) for (const pl of row) bytes += blockWasmBytes(params, pl);
      kernels = WasmKernels.create(bytes);
    }
    const faults = networkFaults(params, wordBits, options.ecc ?? 'none');
    const reads = readFlipsOn(params.faults) ? new ReadFlips(params.faults, wordBits, options.ecc ?? 'none') : null;
    this.reads = reads;
    this.blocks = places.map((row) => row.map((pl) => new NeuronBlock(params, pl, wordBits, kernels, faults, options.cuts?.[pl.layer] !== undefined ? { cuts: options.cuts[pl.layer] as readonly number[], reads } : { reads })));
    this.resetVec = resetSpikeVectors(params, faults);
    this.masked = places.map((row, i) =>
      row.map((_pl, k) => {
        const view = options.views?.[i]?.[k];
        if (view === undefined) return null;
        (this.blocks[i]?.[k] as NeuronBlock).restrictLearning(view.prevLearn, view.nextLearn);
        if (view.prevSeen === null && view.nextSeen === null && view.readout) return null;
        const pw = wordsFor(this.layers[i] as number);
        const nw = i + 2 < this.layers.length ? wordsFor(this.layers[i + 2] as number) : 1;
        return { view, prev: new Uint32Array(pw), next: new Uint32Array(nw), prevA: new Uint32Array(pw), prevB: new Uint32Array(pw), nextA: new Uint32Array(nw), nextB: new Uint32Array(nw), prevF: new Uint32Array(pw), nextF: new Uint32Array(nw) };
      }),
    );
    this.cur = this.layers.map((n) => new Uint32Array(wordsFor(n)));
    this.freeVec = this.layers.map((n) => new Uint32Array(wordsFor(n)));
    this.nudgedVec = this.layers.map((n) => new Uint32Array(wordsFor(n)));
    this.outStates = new Int32Array(this.layers[this.layers.length - 1] as number);
    this.restore(initialSnapshot(params, seed));
  }

  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    const inWords = wordsFor(this.layers[0] as number);
    this.frames = frameCount(input.length, inWords);
    this.input = input;
    (this.cur[0] as Uint32Array).set(input.subarray(0, inWords));
    const d = this.params.dynamics;
    for (const layer of this.blocks) for (const b of layer) b.reset();
    this.gather();
    this.samples++;
    this.sampleStep = 0;
    if (this.reads !== null) this.reads.sampleKey = mode.readKey ?? 0;
    this.phase(d.freeSteps, -1, 1, false);
    const prediction = this.predict();
    if (!mode.learn) return { prediction };
    let outputErrs = 0;
    const { replicas } = this.params.network;
    for (const b of this.blocks[this.blocks.length - 1] as NeuronBlock[]) outputErrs += outputErrors(b.spikes, b.rowStart, b.rows, label, replicas);
    for (const layer of this.blocks) for (const b of layer) b.storeFree();
    copyVectors(this.cur, this.freeVec);
    const sign = mode.betaSign;
    if (this.params.learning.symmetric) {
      this.phase(d.nudgedSteps, label, sign, true);
      for (const layer of this.blocks) for (const b of layer) b.storeNudged();
      copyVectors(this.cur, this.nudgedVec);
      for (const layer of this.blocks) for (const b of layer) b.restoreFree();
      copyVectors(this.freeVec, this.cur);
      this.phase(d.nudgedSteps, label, -sign, true);
      this.learn(this.nudgedVec, this.cur, true, sign, mode.plasticityKey ?? 0, mode.epoch ?? 0);
    } else {
      this.phase(d.nudgedSteps, label, sign, true);
      this.learn(this.cur, this.freeVec, false, sign, mode.plasticityKey ?? 0, mode.epoch ?? 0);
    }
    return { prediction, outputErrors: outputErrs };
  }

  learningCounts(into: Float64Array): void {
    into.fill(0);
    this.forEachBlock((b) => addLearnCounts(into, b.layer, b.learnCounts));
  }

  /** Readout of the current output states (argmax of replica sums, ties to the lowest class). */
  private predict(): number {
    const out = this.blocks[this.blocks.length - 1] as NeuronBlock[];
    const views = this.masked[this.masked.length - 1] as (Masked | null)[];
    for (let k = 0; k < out.length; k++) {
      const b = out[k] as NeuronBlock;
      // Rows whose readout packets cannot reach the I/O port add nothing to the class sums.
      if (views[k]?.view.readout === false) this.outStates.fill(0, b.rowStart, b.rowStart + b.rows);
      else this.outStates.set(b.state, b.rowStart);
    }
    return readout(this.outStates, this.params.network.classes, this.params.network.replicas);
  }

  private forEachBlock(f: (b: NeuronBlock) => void): void {
    for (const layer of this.blocks) for (const b of layer) f(b);
  }

  /** Copy every block's committed spikes into the layer vectors. */
  private gather(): void {
    for (let l = 1; l < this.layers.length; l++) {
      const v = this.cur[l] as Uint32Array;
      for (const b of this.blocks[l - 1] as NeuronBlock[]) copyBits(b.spikes, v, b.rowStart, b.rows);
    }
  }

  /** Run `steps` synchronous steps of a free or nudged phase; label >= 0 nudges the output layer with sign betaSign. */
  private phase(steps: number, label: number, betaSign: number, nudged: boolean): void {
    const L = this.blocks.length;
    const F = this.frames;
    const inWords = (this.cur[0] as Uint32Array).length;
    for (let t = 0; t < steps; t++) {
      if (this.reads !== null) this.reads.step = this.sampleStep;
      this.sampleStep++;
      if (F > 1) {
        const f = inputFrame(nudged, t, this.params.dynamics.freeSteps, F) * inWords;
        (this.cur[0] as Uint32Array).set(this.input.subarray(f, f + inWords));
      }
      if (this.stepObserver !== null) this.stepObserver(this.cur);
      for (let l = 1; l <= L; l++) {
        const prev = this.cur[l - 1] as Uint32Array;
        const next = l === L ? this.empty : (this.cur[l + 1] as Uint32Array);
        const blocks = this.blocks[l - 1] as NeuronBlock[];
        const views = this.masked[l - 1] as (Masked | null)[];
        for (let k = 0; k < blocks.length; k++) {
          const m = views[k] as Masked | null;
          if (m === null) (blocks[k] as NeuronBlock).step(prev, next, label, betaSign);
          else (blocks[k] as NeuronBlock).step(this.see(m.prev, prev, m.view.prevSeen, l - 1), l === L ? next : this.see(m.next, next, m.view.nextSeen, l + 1), label, betaSign);
        }
      }
      for (const layer of this.blocks) for (const b of layer) b.commit();
      this.gather();
    }
    this.steps += steps;
  }

  /** Learning phase of every block from phase A and phase B layer spikes (and the free phase's, for the first-order contrast). */
  private learn(a: Uint32Array[], bv: Uint32Array[], symmetric: boolean, sign: number, key: number, epoch: number): void {
    const L = this.blocks.length;
    const f = this.freeVec;
    for (let l = 1; l <= L; l++) {
      const nextA = l === L ? this.empty : (a[l + 1] as Uint32Array);
      const nextB = l === L ? this.empty : (bv[l + 1] as Uint32Array);
      const nextF = l === L ? this.empty : (f[l + 1] as Uint32Array);
      const blocks = this.blocks[l - 1] as NeuronBlock[];
      const views = this.masked[l - 1] as (Masked | null)[];
      for (let k = 0; k < blocks.length; k++) {
        const blk = blocks[k] as NeuronBlock;
        const postA = symmetric ? blk.nudgedSpikes : blk.spikes;
        const postB = symmetric ? blk.spikes : blk.freeSpikes;
        const m = views[k] as Masked | null;
        if (m === null) blk.learn(postA, postB, a[l - 1] as Uint32Array, bv[l - 1] as Uint32Array, nextA, nextB, sign, key, f[l - 1] as Uint32Array, nextF, epoch);
        else {
          const pA = this.see(m.prevA, a[l - 1] as Uint32Array, m.view.prevSeen, l - 1);
          const pB = this.see(m.prevB, bv[l - 1] as Uint32Array, m.view.prevSeen, l - 1);
          const pF = this.see(m.prevF, f[l - 1] as Uint32Array, m.view.prevSeen, l - 1);
          const nA = l === L ? nextA : this.see(m.nextA, nextA, m.view.nextSeen, l + 1);
          const nB = l === L ? nextB : this.see(m.nextB, nextB, m.view.nextSeen, l + 1);
          const nF = l === L ? nextF : this.see(m.nextF, nextF, m.view.nextSeen, l + 1);
          blk.learn(postA, postB, pA, pB, nA, nB, sign, key, pF, nF, epoch);
        }
      }
    }
    this.learningPhases++;
  }

  /** What a block with view `seen` of layer `layer` holds: v where it arrives, the reset spikes where it never does. */
  private see(dst: Uint32Array, v: Uint32Array, seen: Uint32Array | null, layer: number): Uint32Array {
    if (seen === null) return v;
    const r = this.resetVec[layer] as Uint32Array;
    for (let k = 0; k < seen.length; k++) dst[k] = ((v[k] as number) & (seen[k] as number)) | ((r[k] as number) & ~(seen[k] as number));
    return dst;
  }

  counters(): CounterSnapshot {
    const total = new BlockCounts();
    this.forEachBlock((b) => total.add(b.counts));
    return {
      components: {
        chip: { kind: 'chip', counts: { samples: this.samples, steps: this.steps, learningPhases: this.learningPhases } },
        // The functional model has no cores: one component holds the totals over all of them.
        'core.all': { kind: 'core', counts: total.toRecord() },
      },
    };
  }

  snapshot(): NetworkSnapshot {
    const s = emptySnapshot(this.params);
    (s.spikes[0] as Uint32Array).set(this.cur[0] as Uint32Array);
    this.forEachBlock((b) => b.save(s));
    return s;
  }

  restore(s: NetworkSnapshot): void {
    const expect = this.layers.join('-');
    if (s.layers.join('-') !== expect) throw new RangeError(`snapshot layers ${s.layers.join('-')} do not match network ${expect}`);
    (this.cur[0] as Uint32Array).set((s.spikes[0] as Uint32Array).subarray(0, (this.cur[0] as Uint32Array).length));
    this.forEachBlock((b) => b.load(s));
    this.gather();
  }
}

function copyVectors(from: Uint32Array[], to: Uint32Array[]): void {
  for (let l = 0; l < from.length; l++) (to[l] as Uint32Array).set(from[l] as Uint32Array);
}

/** Copy bits [0, n) of `src` to bits [at, at + n) of `dst`. */
function copyBits(src: Uint32Array, dst: Uint32Array, at: number, n: number): void {
  if ((at & 31) === 0) {
    const w = n >>> 5;
    const base = at >>> 5;
    for (let k = 0; k < w; k++) dst[base + k] = src[k] as number;
    for (let i = w << 5; i < n; i++) setBitTo(dst, at + i, ((src[i >>> 5] as number) >>> (i & 31)) & 1);
    return;
  }
  for (let i = 0; i < n; i++) setBitTo(dst, at + i, ((src[i >>> 5] as number) >>> (i & 31)) & 1);
}

function setBitTo(v: Uint32Array, i: number, bit: number): void {
  const m = 1 << (i & 31);
  v[i >>> 5] = bit ? (v[i >>> 5] as number) | m : (v[i >>> 5] as number) & ~m;
}
