/**
 * Naive oracle of the integer EP network, written straight from the equations of
 * docs/learning.md with one loop per synapse, plain number arrays, one symmetric weight
 * matrix per layer and no kernels, caches or row formats. The tests hold the
 * FunctionalEngine (blocks, kernels, double-stored symmetric weights) to it bit for bit.
 */
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { layerSizes, perLayerValue } from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { ruleDefinition } from '../../../src/learning/rules';
import type { RuleSettings } from '../../../src/learning/rules';

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The oracle network. */
export class NaiveEp {
  readonly sizes: number[];
  /** W[l][i][j] in {+1, -1}: weight from neuron j of layer l-1 to neuron i of layer l (l >= 1). */
  W: number[][][] = [];
  H: number[][][] = [];
  bias: number[][] = [];
  S: number[][] = [];
  /** x[l][i] in {0, 1}: spike bits (layer 0 = input). */
  x: number[][] = [];
  /** The trainer's per-sample key handed to the rules (set before run()). */
  sampleKey = 0;
  /** The trainer's 0-based epoch handed to the rules (set before run()). */
  epoch = 0;

  constructor(private readonly p: ModelParams, snap: NetworkSnapshot) {
    this.sizes = layerSizes(p.network);
    for (let l = 1; l < this.sizes.length; l++) {
      const n = this.sizes[l]!;
      const m = this.sizes[l - 1]!;
      const words = Math.ceil(m / 32);
      const Wl: number[][] = [];
      const Hl: number[][] = [];
      for (let i = 0; i < n; i++) {
        const wr: number[] = [];
        const hr: number[] = [];
        for (let j = 0; j < m; j++) {
          wr.push(((snap.weights[l - 1]![i * words + (j >>> 5)]! >>> (j & 31)) & 1) === 1 ? 1 : -1);
          hr.push(snap.synapseState[l - 1]![i * m + j]!);
        }
        Wl.push(wr);
        Hl.push(hr);
      }
      this.W[l] = Wl;
      this.H[l] = Hl;
      this.bias[l] = Array.from({ length: n }, (_, i) => (snap.biases[l - 1]!.length ? snap.biases[l - 1]![i]! : 0));
    }
  }

  private act(b: number): number {
    return this.p.dynamics.encoding === 'binary' ? b : 2 * b - 1;
  }

  /** One synchronous step; label >= 0 nudges with sign `sign`. */
  step(label: number, sign: number, free: number[][]): void {
    const d = this.p.dynamics;
    const L = this.sizes.length - 1;
    const accMax = 2 ** (d.accumulatorBits - 1) - 1;
    const accMin = -(2 ** (d.accumulatorBits - 1));
    const sat = (v: number): number => clamp(v, accMin, accMax);
    const sMax = 2 ** d.stateBits - 1;
    const k = Math.log2(this.p.learning.beta);
    const newX: number[][] = [this.x[0]!];
    const newS: number[][] = [[]];
    for (let l = 1; l <= L; l++) {
      newS[l] = [];
      newX[l] = [];
      for (let i = 0; i < this.sizes[l]!; i++) {
        let dotF = 0;
        for (let j = 0; j < this.sizes[l - 1]!; j++) dotF += this.W[l]![i]![j]! * this.act(this.x[l - 1]![j]!);
        let P = sat(perLayerValue(d.kFwd, l - 1) * dotF);
        if (l < L) {
          let dotB = 0;
          for (let q = 0; q < this.sizes[l + 1]!; q++) dotB += this.W[l + 1]![q]![i]! * this.act(this.x[l + 1]![q]!);
          P = sat(P + perLayerValue(d.kBwd, l - 1) * dotB);
        }
        if (d.bias) P = sat(P + this.bias[l]![i]!);
        if (perLayerValue(d.offset, l - 1) !== 0) P = sat(P + perLayerValue(d.offset, l - 1));
        const s = this.S[l]![i]!;
        if (l === L && label >= 0) {
          const y = Math.floor(i / this.p.network.replicas) === label ? sMax : 0;
          const ref = this.p.learning.nudgeReference === 'free' ? free[l]![i]! : s;
          P = sat(P + sign * Math.floor((y - ref) * 2 ** k));
        }
        const D = sat(P - s);
        const ns = clamp(s + Math.floor(D / 2 ** d.stateShift), 0, sMax);
        newS[l]![i] = ns;
        newX[l]![i] = ns >= 2 ** (d.stateBits - 1) ? 1 : 0;
      }
    }
    this.S = newS;
    this.x = newX;
  }

  /** Per weight layer l (at (l-1)*3): weight flips, clipped register updates, neurons whose spikes differ between the phases (Engine.learningCounts). */
  learnCounts: number[] = [];
  /** Output errors of the last learning sample (SampleResult.outputErrors). */
  lastOutputErrors = 0;

  /** One sample; returns the free-phase prediction. */
  run(input: number[], label: number, learn: boolean, sign: number): number {
    const d = this.p.dynamics;
    const L = this.sizes.length - 1;
    const reset = d.resetState === 'max' ? 2 ** d.stateBits - 1 : 0;
    this.x = [input.slice()];
    this.S = [[]];
    for (let l = 1; l <= L; l++) {
      this.S[l] = new Array(this.sizes[l]!).fill(reset);
      this.x[l] = new Array(this.sizes[l]!).fill(reset >= 2 ** (d.stateBits - 1) ? 1 : 0);
    }
    for (let t = 0; t < d.freeSteps; t++) this.step(-1, 1, []);
    const { classes, replicas } = this.p.network;
    let best = 0;
    let bestSum = -Infinity;
    for (let c = 0; c < classes; c++) {
      let sum = 0;
      for (let r = 0; r < replicas; r++) sum += this.S[L]![c * replicas + r]!;
      if (sum > bestSum) {
        bestSum = sum;
        best = c;
      }
    }
    if (!learn) return best;
    // Output errors: output neurons whose free-phase spike differs from the label's target code.
    this.lastOutputErrors = 0;
    for (let i = 0; i < this.sizes[L]!; i++) this.lastOutputErrors += (this.x[L]![i]! ? 1 : 0) !== (Math.floor(i / replicas) === label ? 1 : 0) ? 1 : 0;
    const freeS = this.S.map((a) => a.slice());
    const freeX = this.x.map((a) => a.slice());
    let xa: number[][];
    let xb: number[][];
    if (this.p.learning.symmetric) {
      for (let t = 0; t < d.nudgedSteps; t++) this.step(label, sign, freeS);
      xa = this.x.map((a) => a.slice());
      this.S = freeS.map((a) => a.slice());
      this.x = freeX.map((a) => a.slice());
      for (let t = 0; t < d.nudgedSteps; t++) this.step(label, -sign, freeS);
      xb = this.x;
    } else {
      for (let t = 0; t < d.nudgedSteps; t++) this.step(label, sign, freeS);
      xa = this.x;
      xb = freeX;
    }
    this.learn(xa, xb, sign, freeX);
    return best;
  }

  private learn(xa: number[][], xb: number[][], sign: number, free: number[][]): void {
    const lp = this.p.learning;
    const rule = ruleDefinition(lp.rule);
    const settings = lp as unknown as RuleSettings;
    const d = this.p.dynamics;
    const spin = d.encoding === 'spin';
    const firstOrder = lp.contrast === 'first-order';
    for (let l = 1; l < this.sizes.length; l++) {
      for (let i = 0; i < this.sizes[l]!; i++) {
        for (let j = 0; j < this.sizes[l - 1]!; j++) {
          // First order ({0,1} spikes): the product rule around the free state, sign-clipped.
          const diff = firstOrder
            ? Math.sign(free[l]![i]! * (xa[l - 1]![j]! - xb[l - 1]![j]!) + free[l - 1]![j]! * (xa[l]![i]! - xb[l]![i]!))
            : this.act(xa[l]![i]!) * this.act(xa[l - 1]![j]!) - this.act(xb[l]![i]!) * this.act(xb[l - 1]![j]!);
          const c = sign * (spin ? diff / 2 : diff);
          const h0 = this.H[l]![i]![j]!;
          const w0 = this.W[l]![i]![j]! > 0 ? 1 : 0;
          const [w, h, saturated] = rule.referenceUpdate(settings, { layer: l, post: i, pre: j, sampleKey: this.sampleKey, epoch: this.epoch }, w0, h0, c);
          const at = (l - 1) * 3;
          if (w !== w0) this.learnCounts[at]!++;
          if (saturated) this.learnCounts[at + 1]!++;
          this.W[l]![i]![j] = w === 1 ? 1 : -1;
          this.H[l]![i]![j] = h;
        }
        if (xa[l]![i]! !== xb[l]![i]!) this.learnCounts[(l - 1) * 3 + 2]!++;
        if (d.bias && lp.biasStep > 0) {
          const bMax = 2 ** (d.biasBits - 1) - 1;
          this.bias[l]![i] = clamp(this.bias[l]![i]! + sign * lp.biasStep * (xa[l]![i]! - xb[l]![i]!), -bMax - 1, bMax);
        }
        // Homeostasis: up after a silent free phase, down after a spiking one (after the EP term).
        const up = d.bias ? (lp.homeoUp.length === 1 ? lp.homeoUp[0]! : lp.homeoUp[l - 1]!) : 0;
        const down = d.bias ? (lp.homeoDown.length === 1 ? lp.homeoDown[0]! : lp.homeoDown[l - 1]!) : 0;
        if (up > 0 || down > 0) {
          const bMax = 2 ** (d.biasBits - 1) - 1;
          this.bias[l]![i] = clamp(this.bias[l]![i]! + (free[l]![i]! ? -down : up), -bMax - 1, bMax);
        }
      }
    }
  }

  /** Weights, learning registers, biases, states and spikes in the canonical snapshot format. */
  toSnapshot(): NetworkSnapshot {
    const layers = this.sizes.slice();
    const s: NetworkSnapshot = { layers, states: [], spikes: [], weights: [], synapseState: [], biases: [] };
    const packBits = (bits: number[]): Uint32Array => {
      const v = new Uint32Array(Math.ceil(bits.length / 32));
      bits.forEach((b, i) => {
        if (b) v[i >>> 5]! |= 1 << (i & 31);
      });
      return v;
    };
    s.spikes.push(packBits(this.x[0]!));
    for (let l = 1; l < layers.length; l++) {
      const n = layers[l]!;
      const m = layers[l - 1]!;
      const words = Math.ceil(m / 32);
      const W = new Uint32Array(n * words);
      const H = new Int32Array(n * m);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          if (this.W[l]![i]![j] === 1) W[i * words + (j >>> 5)]! |= 1 << (j & 31);
          H[i * m + j] = this.H[l]![i]![j]!;
        }
      }
      s.weights.push(W);
      s.synapseState.push(H);
      s.biases.push(this.p.dynamics.bias ? Int32Array.from(this.bias[l]!) : new Int32Array(0));
      s.states.push(Int32Array.from(this.S[l]!));
      s.spikes.push(packBits(this.x[l]!));
    }
    return s;
  }
}
