/**
 * Float EP reference: the same layered network and the same phases as the integer
 * model, with float weights and states and the hard-sigmoid "prototypical" dynamics of
 * Scellier & Bengio 2017 / Laborieux et al. 2021. It answers "what does binarisation cost".
 *   s_l <- clip(W_l s_{l-1} + W_{l+1}^T s_{l+1} + b_l, 0, 1)        (synchronous, s_0 = x clamped)
 *   s_L <- clip(W_L s_{L-1} + b_L + beta*(y - s_L), 0, 1)          (nudged phases)
 *   one-sided: dW_l = lr_l/beta     * (s_l^b s_{l-1}^b' - s_l^0 s_{l-1}^0')
 *   symmetric: dW_l = lr_l/(2 beta) * (s_l^+ s_{l-1}^+' - s_l^- s_{l-1}^-')   (biases alike)
 * Readout: argmax over classes of the summed output states after the free phase.
 * It implements only runSample (float weights have no integer snapshot and it counts no
 * hardware events); float32 storage, float64 arithmetic in the sums.
 */
import { rngStream } from '../util/rng';
import type { NetworkParams } from '../learning/params';
import { readout } from '../learning/readout';
import type { FloatParams } from './float-params';

/** The float EP network. */
export class FloatEpNetwork {
  readonly sizes: number[];
  private readonly p: FloatParams;
  private readonly classes: number;
  /** Wt[l-1]: weights of layer l stored pre-major, Wt[j * n_l + i] = W_l[i][j]. */
  readonly Wt: Float32Array[] = [];
  /** b[l-1]: biases of layer l. */
  readonly b: Float32Array[] = [];
  /** s[l]: states of layer l (s[0] = input). */
  private s: Float32Array[] = [];
  private sNext: Float32Array[] = [];
  private readonly sA: Float32Array[] = [];
  private readonly sB: Float32Array[] = [];
  private readonly sFree: Float32Array[] = [];
  private readonly inputTerm: Float32Array;
  private readonly lr: number[];

  constructor(network: NetworkParams, p: FloatParams, seed: number | string) {
    this.p = p;
    this.classes = network.classes;
    this.sizes = [network.inputs, ...network.hidden, network.classes * p.replicas];
    const rng = rngStream(seed, 'weights');
    for (let l = 1; l < this.sizes.length; l++) {
      const n = this.sizes[l] as number;
      const m = this.sizes[l - 1] as number;
      const a = p.initGain / Math.sqrt(m);
      const W = new Float32Array(m * n);
      for (let k = 0; k < W.length; k++) W[k] = (2 * rng.next() - 1) * a;
      this.Wt.push(W);
      const bias = new Float32Array(n);
      for (let k = 0; k < n; k++) bias[k] = (2 * rng.next() - 1) * a;
      this.b.push(bias);
    }
    for (const n of this.sizes) {
      this.s.push(new Float32Array(n));
      this.sNext.push(new Float32Array(n));
      this.sA.push(new Float32Array(n));
      this.sB.push(new Float32Array(n));
      this.sFree.push(new Float32Array(n));
    }
    this.inputTerm = new Float32Array(this.sizes[1] as number);
    this.lr = this.sizes.slice(1).map((_, i) => (p.lr.length === 1 ? p.lr[0] : p.lr[i]) as number);
  }

  /** Present one sample (pixel values in [0, 1]); learn with beta sign `betaSign`; returns the prediction. */
  runSample(x: Float32Array, label: number, learn: boolean, betaSign: 1 | -1): number {
    const L = this.sizes.length - 1;
    (this.s[0] as Float32Array).set(x);
    (this.sNext[0] as Float32Array).set(x);
    for (let l = 1; l <= L; l++) (this.s[l] as Float32Array).fill(0);
    this.computeInputTerm();
    this.phase(this.p.freeSteps, label, 0);
    const prediction = readout(this.s[this.sizes.length - 1] as Float32Array, this.classes, this.p.replicas);
    if (!learn) return prediction;
    const beta = this.p.beta * (this.p.symmetric || this.p.randomSign ? betaSign : 1);
    copyAll(this.s, this.sB);
    if (this.p.symmetric) {
      copyAll(this.s, this.sFree);
      this.phase(this.p.nudgedSteps, label, beta);
      copyAll(this.s, this.sA);
      copyAll(this.sFree, this.s);
      this.phase(this.p.nudgedSteps, label, -beta);
      copyAll(this.s, this.sB);
      this.update(1 / (2 * beta));
    } else {
      this.phase(this.p.nudgedSteps, label, beta);
      copyAll(this.s, this.sA);
      this.update(1 / beta);
    }
    return prediction;
  }

  private computeInputTerm(): void {
    const n = this.sizes[1] as number;
    const m = this.sizes[0] as number;
    const W = this.Wt[0] as Float32Array;
    const x = this.s[0] as Float32Array;
    const t = this.inputTerm;
    t.set(this.b[0] as Float32Array);
    for (let j = 0; j < m; j++) {
      const v = x[j] as number;
      if (v === 0) continue;
      const base = j * n;
      for (let i = 0; i < n; i++) t[i] = (t[i] as number) + v * (W[base + i] as number);
    }
  }

  private phase(steps: number, label: number, beta: number): void {
    const L = this.sizes.length - 1;
    const rep = this.p.replicas;
    for (let t = 0; t < steps; t++) {
      for (let l = 1; l <= L; l++) {
        const n = this.sizes[l] as number;
        const out = this.sNext[l] as Float32Array;
        if (l === 1) out.set(this.inputTerm);
        else {
          out.set(this.b[l - 1] as Float32Array);
          const prev = this.s[l - 1] as Float32Array;
          const W = this.Wt[l - 1] as Float32Array;
          for (let j = 0; j < prev.length; j++) {
            const v = prev[j] as number;
            if (v === 0) continue;
            const base = j * n;
            for (let i = 0; i < n; i++) out[i] = (out[i] as number) + v * (W[base + i] as number);
          }
        }
        if (l < L) {
          const next = this.s[l + 1] as Float32Array;
          const nn = next.length;
          const W = this.Wt[l] as Float32Array;
          for (let i = 0; i < n; i++) {
            let acc = 0;
            const base = i * nn;
            for (let k = 0; k < nn; k++) acc += (W[base + k] as number) * (next[k] as number);
            out[i] = (out[i] as number) + acc;
          }
        }
        const cur = this.s[l] as Float32Array;
        for (let i = 0; i < n; i++) {
          let h = out[i] as number;
          if (beta !== 0 && l === L) h += beta * ((Math.floor(i / rep) === label ? 1 : 0) - (cur[i] as number));
          out[i] = h < 0 ? 0 : h > 1 ? 1 : h;
        }
      }
      const tmp = this.s;
      this.s = this.sNext;
      this.sNext = tmp;
      (this.s[0] as Float32Array).set(this.sNext[0] as Float32Array);
    }
  }

  private update(scale: number): void {
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) {
      const c = this.lr[l - 1]! * scale;
      const n = this.sizes[l] as number;
      const m = this.sizes[l - 1] as number;
      const W = this.Wt[l - 1] as Float32Array;
      const aPost = this.sA[l] as Float32Array;
      const bPost = this.sB[l] as Float32Array;
      const aPre = this.sA[l - 1] as Float32Array;
      const bPre = this.sB[l - 1] as Float32Array;
      for (let j = 0; j < m; j++) {
        const pa = c * (aPre[j] as number);
        const pb = c * (bPre[j] as number);
        if (pa === 0 && pb === 0) continue;
        const base = j * n;
        for (let i = 0; i < n; i++) W[base + i] = (W[base + i] as number) + pa * (aPost[i] as number) - pb * (bPost[i] as number);
      }
      const bias = this.b[l - 1] as Float32Array;
      for (let i = 0; i < n; i++) bias[i] = (bias[i] as number) + c * ((aPost[i] as number) - (bPost[i] as number));
    }
  }
}

function copyAll(from: Float32Array[], to: Float32Array[]): void {
  for (let l = 0; l < from.length; l++) (to[l] as Float32Array).set(from[l] as Float32Array);
}
