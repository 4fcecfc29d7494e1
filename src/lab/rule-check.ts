/**
 * The rule check: for one network and a set of samples, the weight update of the chip's
 * integer rule, of the float EP reference and the true gradients (BPTT over the free
 * phase of the float dynamics; the straight-through estimate for the binary network),
 * compared pairwise per weight layer, for each nudge strength beta and for one-sided
 * and symmetric nudging.
 *
 * The four update vectors of weight layer l (one entry per synapse):
 *   chip  register change dH of the functional model (bit-identical to the chip) after one
 *         learning sample from the given state, scaled by 1/beta (one-sided) or 1/(2 beta)
 *         (symmetric) so that it estimates the same quantity as float EP (the integer
 *         contribution c is beta times EP's (x^A x^A' - x^B x^B') / beta with binary x);
 *   ep    dW of the float EP reference (src/model/float-ep.ts, lr = 1) on the latent
 *         network W_l = kFwd_l/Smax * w_l, b_l = (offset_l + bias_l)/Smax, same input;
 *   bptt  -dC/dW of the float dynamics by BPTT over its free phase (./float-bptt.ts);
 *   ste   -dC/dW of the binary network by the straight-through estimate.
 * Each pair gets sign agreement (among synapses both move), cosine similarity and
 * relative magnitude |a|/|b| of the updates summed over the samples, and the mean
 * per-sample cosine. The integer beta is the power of two nearest in log scale.
 * Every sample starts from the same given state (updates are not applied in between).
 */
import type { NetworkSnapshot } from '../learning/engine';
import { BETA_SHIFT_LIMIT, layerSizes, perLayerValue } from '../learning/params';
import type { ModelParams } from '../learning/params';
import { FunctionalEngine } from '../model/functional-engine';
import { FloatEpNetwork } from '../model/float-ep';
import type { FloatParams } from '../model/float-params';
import { binarySteGrad, floatBpttGrad } from './float-bptt';
import type { BinaryNetView } from './float-bptt';

/** The update vectors the check compares. */
export const UPDATE_KINDS = ['chip', 'ep', 'bptt', 'ste'] as const;
/** One of UPDATE_KINDS. */
export type UpdateKind = (typeof UPDATE_KINDS)[number];
/** Every pair of update vectors, in report order. */
export const PAIRS: ReadonlyArray<readonly [UpdateKind, UpdateKind]> = [
  ['ep', 'bptt'],
  ['chip', 'ep'],
  ['chip', 'bptt'],
  ['chip', 'ste'],
  ['ep', 'ste'],
  ['bptt', 'ste'],
];

/** Nudging mode of a check point. */
export type Nudging = 'one-sided' | 'symmetric';

/** What to check. */
export interface RuleCheckRequest {
  model: ModelParams;
  /** The float reference's steps (freeSteps, nudgedSteps); beta, symmetric and lr are set by the check. */
  float: FloatParams;
  /** The network state every sample starts from. */
  snapshot: NetworkSnapshot;
  /** Samples: packed input bits and labels. */
  inputs: readonly Uint32Array[];
  labels: ArrayLike<number>;
  betas: readonly number[];
  nudgings: readonly Nudging[];
  /** FunctionalEngine options (SRAM word width for the event counts). */
  wordBits?: number;
  /** The trainer's 0-based epoch the samples learn in (a rule's schedule, learning.thetaGrowth, reads it); default 0. */
  epoch?: number;
}

/** Agreement of one pair on one weight layer at one (beta, nudging). */
export interface PairRow {
  beta: number;
  intBeta: number;
  nudging: Nudging;
  /** Weight layer, 1-based. */
  layer: number;
  a: UpdateKind;
  b: UpdateKind;
  /** Fraction of the synapses that both updates move whose directions agree (null if none). */
  signAgreement: number | null;
  /** Cosine of the summed updates (null if either is zero). */
  cosine: number | null;
  /** Mean per-sample cosine over the samples where both updates are non-zero (null if none). */
  cosinePerSample: number | null;
  /** |a| / |b| of the summed updates (null if b is zero). */
  relativeMagnitude: number | null;
}

/** What the chip's rule did on one weight layer at one (beta, nudging), summed over samples. */
export interface ChipRow {
  beta: number;
  intBeta: number;
  nudging: Nudging;
  layer: number;
  synapses: number;
  /** Synapse-samples whose learning register moved up / down, and weight flips. */
  registersUp: number;
  registersDown: number;
  weightFlips: number;
}

/** The result of a rule check. */
export interface RuleCheckResult {
  samples: number;
  pairs: PairRow[];
  chip: ChipRow[];
}

/** The power of two nearest to beta in log scale, within the integer model's shift range. */
export function integerBeta(beta: number): number {
  const k = Math.max(-BETA_SHIFT_LIMIT, Math.min(BETA_SHIFT_LIMIT, Math.round(Math.log2(beta))));
  return 2 ** k;
}

/** Running mean of the per-sample cosine of one pair on one layer. */
class PairAcc {
  cosSum = 0;
  cosCount = 0;
  /** Add one sample's cosine from its dot product and squared norms. */
  add(ab: number, aa: number, bb: number): void {
    if (aa > 0 && bb > 0) {
      this.cosSum += ab / Math.sqrt(aa * bb);
      this.cosCount++;
    }
  }
}

/** Sign agreement, cosine and relative magnitude of two summed update vectors. */
export function compareVectors(a: Float64Array, b: Float64Array): { signAgreement: number | null; cosine: number | null; relativeMagnitude: number | null } {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let both = 0;
  let agree = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    ab += x * y;
    aa += x * x;
    bb += y * y;
    if (x !== 0 && y !== 0) {
      both++;
      if (x > 0 === y > 0) agree++;
    }
  }
  return {
    signAgreement: both > 0 ? agree / both : null,
    cosine: aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : null,
    relativeMagnitude: bb > 0 ? Math.sqrt(aa / bb) : null,
  };
}

/** The latent float weights (pre-major, like FloatEpNetwork.Wt) and biases of a binary snapshot. */
export function latentWeights(p: ModelParams, s: NetworkSnapshot): { Wt: Float32Array[]; b: Float32Array[]; signs: Int8Array[]; bias: Float64Array[] } {
  const sizes = layerSizes(p.network);
  const sMax = 2 ** p.dynamics.stateBits - 1;
  const Wt: Float32Array[] = [];
  const b: Float32Array[] = [];
  const signs: Int8Array[] = [];
  const bias: Float64Array[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const n = sizes[l] as number;
    const m = sizes[l - 1] as number;
    const words = (m + 31) >>> 5;
    const a = perLayerValue(p.dynamics.kFwd, l - 1) / sMax;
    const W = s.weights[l - 1] as Uint32Array;
    const sg = new Int8Array(n * m);
    const wt = new Float32Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const bit = ((W[i * words + (j >>> 5)] as number) >>> (j & 31)) & 1;
        sg[j * n + i] = bit ? 1 : -1;
        wt[j * n + i] = bit ? a : -a;
      }
    }
    const off = perLayerValue(p.dynamics.offset, l - 1);
    const B = s.biases[l - 1] as Int32Array;
    const bl = new Float64Array(n);
    for (let i = 0; i < n; i++) bl[i] = (off + (B.length > 0 ? (B[i] as number) : 0)) / sMax;
    Wt.push(wt);
    b.push(Float32Array.from(bl));
    signs.push(sg);
    bias.push(bl);
  }
  return { Wt, b, signs, bias };
}

/** Unpack n bits of a packed row into 0/1 numbers. */
function unpack(v: Uint32Array, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = ((v[i >>> 5] as number) >>> (i & 31)) & 1;
  return x;
}

interface Point {
  beta: number;
  intBeta: number;
  nudging: Nudging;
  engine: FunctionalEngine;
  ep: FloatEpNetwork;
  /** Summed update vectors per kind and layer. */
  sums: { chip: Float64Array[]; ep: Float64Array[] };
  acc: PairAcc[][];
  chip: ChipRow[];
}

/** Run the rule check. */
export function ruleCheck(req: RuleCheckRequest): RuleCheckResult {
  const p = req.model;
  const sizes = layerSizes(p.network);
  const L = sizes.length - 1;
  const lens = sizes.slice(1).map((n, l) => n * (sizes[l] as number));
  const zeros = (): Float64Array[] => lens.map((k) => new Float64Array(k));
  const latent = latentWeights(p, req.snapshot);
  const sMax = 2 ** p.dynamics.stateBits - 1;
  const view: BinaryNetView = {
    sizes,
    signs: latent.signs,
    fwd: sizes.slice(1).map((_, l) => perLayerValue(p.dynamics.kFwd, l) / sMax),
    bwd: sizes.slice(1).map((_, l) => (l + 1 < L ? perLayerValue(p.dynamics.kBwd, l) / sMax : 0)),
    bias: latent.bias,
    gamma: 2 ** -p.dynamics.stateShift,
    threshold: 2 ** (p.dynamics.stateBits - 1) / sMax,
    reset: p.dynamics.resetState === 'max' ? 1 : 0,
    spin: p.dynamics.encoding === 'spin',
    replicas: p.network.replicas,
  };
  const points: Point[] = [];
  for (const nudging of req.nudgings) {
    for (const beta of req.betas) {
      const intBeta = integerBeta(beta);
      const symmetric = nudging === 'symmetric';
      const model: ModelParams = { ...p, learning: { ...p.learning, beta: intBeta, symmetric } };
      const engine = new FunctionalEngine(model, 0, req.wordBits !== undefined ? { wordBits: req.wordBits } : {});
      const fp: FloatParams = { ...req.float, replicas: p.network.replicas, beta, symmetric, randomSign: false, lr: [1] };
      const ep = new FloatEpNetwork(p.network, fp, 0);
      const sums = { chip: zeros(), ep: zeros() };
      const acc = PAIRS.map(() => sizes.slice(1).map(() => new PairAcc()));
      const chip = sizes.slice(1).map((_, l) => ({ beta, intBeta, nudging, layer: l + 1, synapses: lens[l] as number, registersUp: 0, registersDown: 0, weightFlips: 0 }));
      points.push({ beta, intBeta, nudging, engine, ep, sums, acc, chip });
    }
  }
  const before = req.snapshot;
  // The true gradients do not depend on beta: summed once, shared by every point.
  const sumBptt = zeros();
  const sumSte = zeros();
  // Per-sample update vectors of the current point, overwritten entry by entry.
  const chipVec = zeros();
  const epVec = zeros();
  for (let sIdx = 0; sIdx < req.inputs.length; sIdx++) {
    const input = req.inputs[sIdx] as Uint32Array;
    const label = req.labels[sIdx] as number;
    const x = unpack(input, sizes[0] as number);
    const bptt = floatBpttGrad(sizes, latent.Wt, latent.b, x, label, p.network.replicas, req.float.freeSteps).map(negate);
    const ste = binarySteGrad(view, x, label, p.dynamics.freeSteps).map(negate);
    const norms = bptt.map((bv, l) => [dot(bv, bv), dot(ste[l] as Float64Array, ste[l] as Float64Array)]);
    const bsDot = bptt.map((bv, l) => dot(bv, ste[l] as Float64Array));
    for (const pt of points) {
      // The chip's rule from the given state.
      pt.engine.restore(before);
      pt.engine.runSample(input, label, { learn: true, betaSign: 1, epoch: req.epoch ?? 0 });
      const after = pt.engine.snapshot();
      const scale = 1 / (pt.nudging === 'symmetric' ? 2 * pt.intBeta : pt.intBeta);
      for (let l = 1; l <= L; l++) {
        const n = sizes[l] as number;
        const m = sizes[l - 1] as number;
        const words = (m + 31) >>> 5;
        const H0 = before.synapseState[l - 1] as Int32Array;
        const H1 = after.synapseState[l - 1] as Int32Array;
        const W0 = before.weights[l - 1] as Uint32Array;
        const W1 = after.weights[l - 1] as Uint32Array;
        const v = chipVec[l - 1] as Float64Array;
        const row = pt.chip[l - 1] as ChipRow;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            const d = (H1[i * m + j] as number) - (H0[i * m + j] as number);
            if (d > 0) row.registersUp++;
            else if (d < 0) row.registersDown++;
            v[j * n + i] = d * scale;
          }
        }
        for (let k = 0; k < n * words; k++) row.weightFlips += popcount((W0[k] as number) ^ (W1[k] as number));
      }
      // The float EP reference on the latent network.
      for (let l = 0; l < L; l++) {
        (pt.ep.Wt[l] as Float32Array).set(latent.Wt[l] as Float32Array);
        (pt.ep.b[l] as Float32Array).set(latent.b[l] as Float32Array);
      }
      pt.ep.runSample(x, label, true, 1);
      latent.Wt.forEach((w0, l) => {
        const w1 = pt.ep.Wt[l] as Float32Array;
        const v = epVec[l] as Float64Array;
        for (let k = 0; k < v.length; k++) v[k] = (w1[k] as number) - (w0[k] as number);
      });
      // One fused pass per layer: the point's sums and the dot products of every pair.
      for (let l = 0; l < L; l++) {
        const c = chipVec[l] as Float64Array;
        const e = epVec[l] as Float64Array;
        const bp = bptt[l] as Float64Array;
        const st = ste[l] as Float64Array;
        const sc = pt.sums.chip[l] as Float64Array;
        const se = pt.sums.ep[l] as Float64Array;
        let cc = 0, ee = 0, ce = 0, cb = 0, cs = 0, eb = 0, es = 0;
        for (let k = 0; k < c.length; k++) {
          const ck = c[k] as number;
          const ek = e[k] as number;
          const bk = bp[k] as number;
          const sk = st[k] as number;
          sc[k] = (sc[k] as number) + ck;
          se[k] = (se[k] as number) + ek;
          ee += ek * ek;
          eb += ek * bk;
          es += ek * sk;
          if (ck !== 0) {
            cc += ck * ck;
            ce += ck * ek;
            cb += ck * bk;
            cs += ck * sk;
          }
        }
        const nb = (norms[l] as number[])[0] as number;
        const ns = (norms[l] as number[])[1] as number;
        const dots: Record<string, [number, number, number]> = {
          'ep-bptt': [eb, ee, nb],
          'chip-ep': [ce, cc, ee],
          'chip-bptt': [cb, cc, nb],
          'chip-ste': [cs, cc, ns],
          'ep-ste': [es, ee, ns],
          'bptt-ste': [bsDot[l] as number, nb, ns],
        };
        PAIRS.forEach(([a, b], pi) => {
          const [ab, aa, bb] = dots[`${a}-${b}`] as [number, number, number];
          (pt.acc[pi]![l] as PairAcc).add(ab, aa, bb);
        });
      }
    }
    for (let l = 0; l < L; l++) {
      addInto(sumBptt[l] as Float64Array, bptt[l] as Float64Array);
      addInto(sumSte[l] as Float64Array, ste[l] as Float64Array);
    }
  }
  const pairs: PairRow[] = [];
  const chip: ChipRow[] = [];
  for (const pt of points) {
    const sums: Record<UpdateKind, Float64Array[]> = { chip: pt.sums.chip, ep: pt.sums.ep, bptt: sumBptt, ste: sumSte };
    PAIRS.forEach(([a, b], pi) => {
      for (let l = 0; l < L; l++) {
        const c = compareVectors(sums[a][l] as Float64Array, sums[b][l] as Float64Array);
        const acc = pt.acc[pi]![l] as PairAcc;
        pairs.push({ beta: pt.beta, intBeta: pt.intBeta, nudging: pt.nudging, layer: l + 1, a, b, ...c, cosinePerSample: acc.cosCount > 0 ? acc.cosSum / acc.cosCount : null });
      }
    });
    chip.push(...pt.chip);
  }
  return { samples: req.inputs.length, pairs, chip };
}

function dot(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d += (a[k] as number) * (b[k] as number);
  return d;
}

function addInto(s: Float64Array, v: Float64Array): void {
  for (let k = 0; k < s.length; k++) s[k] = (s[k] as number) + (v[k] as number);
}

function negate(v: Float64Array): Float64Array {
  for (let k = 0; k < v.length; k++) v[k] = -(v[k] as number);
  return v;
}

function popcount(v: number): number {
  let x = v >>> 0;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
