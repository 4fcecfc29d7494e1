/**
 * The functional (untimed) model of the chip: the integer EP network with one
 * NeuronBlock per layer. One sample:
 *   reset; T1 free steps (label = -1); store free state; readout;
 *   one-sided:  T2 steps nudged with beta*betaSign;   learn(A = nudged, B = free, betaSign)
 *   symmetric:  T2 steps at +beta*betaSign, keep spikes; restore free state;
 *               T2 steps at -beta*betaSign;            learn(A = first, B = second, betaSign)
 * Steps are synchronous: every block computes from the spikes committed by the previous
 * step, then all blocks commit. The input layer is clamped to the sample's bits.
 * Readout: argmax over classes of the summed output states at the end of the free phase
 * (ties go to the lowest class).
 */
import type { CounterSnapshot } from '../chip/counter-catalog';
import type { Engine, NetworkSnapshot, SampleMode, SampleResult } from '../learning/engine';
import { emptySnapshot, initialSnapshot } from '../learning/init';
import { BlockCounts } from '../learning/block-counts';
import { NeuronBlock } from '../learning/neuron-block';
import { checkModelParams, layerSizes } from '../learning/params';
import type { ModelParams } from '../learning/params';
import { wordsFor } from '../kernels';

/** Options of the functional model that come from the chip description. */
export interface FunctionalOptions {
  /** SRAM word width in bits (sram.wordBits of the chip file) used for the SRAM counters. */
  wordBits?: number;
}

/** Argmax over classes of summed replica states; ties go to the lowest class. */
export function readout(states: Int32Array, classes: number, replicas: number): number {
  let best = 0;
  let bestSum = -Infinity;
  for (let c = 0; c < classes; c++) {
    let sum = 0;
    for (let r = 0; r < replicas; r++) sum += states[c * replicas + r] as number;
    if (sum > bestSum) {
      bestSum = sum;
      best = c;
    }
  }
  return best;
}

/** The integer EP network run without time: fast path for accuracy and oracle for the chip. */
export class FunctionalEngine implements Engine {
  readonly params: ModelParams;
  readonly layers: number[];
  /** blocks[l-1] holds every row of layer l. */
  readonly blocks: NeuronBlock[];
  private readonly input: Uint32Array;
  private readonly empty = new Uint32Array(1);
  private samples = 0;
  private steps = 0;
  private learningPhases = 0;

  constructor(params: ModelParams, seed: number | string, options: FunctionalOptions = {}) {
    checkModelParams(params, 'config');
    this.params = params;
    this.layers = layerSizes(params.network);
    const wordBits = options.wordBits ?? 64;
    this.blocks = [];
    for (let l = 1; l < this.layers.length; l++) {
      this.blocks.push(new NeuronBlock(params, { layer: l, rowStart: 0, rows: this.layers[l] as number }, wordBits));
    }
    this.input = new Uint32Array(wordsFor(this.layers[0] as number));
    this.restore(initialSnapshot(params, seed));
  }

  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    const nIn = this.layers[0] as number;
    if (input.length < wordsFor(nIn)) throw new RangeError(`input has ${input.length} words, expected ${wordsFor(nIn)}`);
    this.input.set(input.subarray(0, wordsFor(nIn)));
    const d = this.params.dynamics;
    for (const b of this.blocks) b.reset();
    this.samples++;
    this.phase(d.freeSteps, -1, 1);
    const out = this.blocks[this.blocks.length - 1] as NeuronBlock;
    const prediction = readout(out.state, this.params.network.classes, this.params.network.replicas);
    if (!mode.learn) return { prediction };
    for (const b of this.blocks) b.storeFree();
    const sign = mode.betaSign;
    if (this.params.learning.symmetric) {
      this.phase(d.nudgedSteps, label, sign);
      for (const b of this.blocks) b.storeNudged();
      for (const b of this.blocks) b.restoreFree();
      this.phase(d.nudgedSteps, label, -sign);
      this.learn((b) => b.nudgedSpikes, (b) => b.spikes, sign);
    } else {
      this.phase(d.nudgedSteps, label, sign);
      this.learn((b) => b.spikes, (b) => b.freeSpikes, sign);
    }
    return { prediction };
  }

  /** Run `steps` synchronous steps; label >= 0 nudges the output layer with sign betaSign. */
  private phase(steps: number, label: number, betaSign: number): void {
    const blocks = this.blocks;
    const L = blocks.length;
    for (let t = 0; t < steps; t++) {
      for (let i = 0; i < L; i++) {
        const prev = i === 0 ? this.input : (blocks[i - 1] as NeuronBlock).spikes;
        const next = i === L - 1 ? this.empty : (blocks[i + 1] as NeuronBlock).spikes;
        (blocks[i] as NeuronBlock).step(prev, next, label, betaSign);
      }
      for (let i = 0; i < L; i++) (blocks[i] as NeuronBlock).commit();
    }
    this.steps += steps;
  }

  /** Learning phase of every block from phase A and phase B spikes. */
  private learn(a: (b: NeuronBlock) => Uint32Array, bOf: (b: NeuronBlock) => Uint32Array, sign: number): void {
    const blocks = this.blocks;
    const L = blocks.length;
    for (let i = 0; i < L; i++) {
      const blk = blocks[i] as NeuronBlock;
      const prevA = i === 0 ? this.input : a(blocks[i - 1] as NeuronBlock);
      const prevB = i === 0 ? this.input : bOf(blocks[i - 1] as NeuronBlock);
      const nextA = i === L - 1 ? this.empty : a(blocks[i + 1] as NeuronBlock);
      const nextB = i === L - 1 ? this.empty : bOf(blocks[i + 1] as NeuronBlock);
      blk.learn(a(blk), bOf(blk), prevA, prevB, nextA, nextB, sign);
    }
    this.learningPhases++;
  }

  counters(): CounterSnapshot {
    const total = new BlockCounts();
    for (const b of this.blocks) total.add(b.counts);
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
    (s.spikes[0] as Uint32Array).set(this.input);
    for (const b of this.blocks) b.save(s);
    return s;
  }

  restore(s: NetworkSnapshot): void {
    const expect = this.layers.join('-');
    if (s.layers.join('-') !== expect) throw new RangeError(`snapshot layers ${s.layers.join('-')} do not match network ${expect}`);
    this.input.set((s.spikes[0] as Uint32Array).subarray(0, this.input.length));
    for (const b of this.blocks) b.load(s);
  }
}
