/**
 * True gradients by backpropagation through time over the free phase, for the two
 * networks the rule check compares against:
 *
 * 1. The float EP reference's dynamics (src/model/float-ep.ts), synchronous, s_0 = x:
 *      a_l^t = b_l + W_l s_{l-1}^{t-1} + W_{l+1}^T s_{l+1}^{t-1},   s_l^t = clip(a_l^t, 0, 1),
 *    loss C = 1/2 ||y - s_L^T||^2 after T free steps. EP's update approximates -dC/dW
 *    (Ernoult et al. 2019; Laborieux et al. 2021), which the rule check measures.
 * 2. The binary network as the chip runs it, in normalised units (s = S/Smax), with the
 *    straight-through estimator for the spike x = H(s - 1/2) (dx/ds = 1 for {0,1}
 *    spikes, 2 for +-1 spins) and for the binary weights (dC/dw of the sign = dC/dw):
 *      a_l^t = kF_l/Smax W_l x_{l-1}^{t-1} + kB_l/Smax W_{l+1}^T x_{l+1}^{t-1} + (offset_l + bias_l)/Smax
 *      s_l^t = clip((1 - g) s_l^{t-1} + g a_l^t, 0, 1),   g = 2^-stateShift,
 *    without the integer rounding and accumulator saturation (the estimate the binary
 *    EP papers use for comparison).
 * Gradients come back pre-major like FloatEpNetwork.Wt: G[l-1][j * n_l + i] = dC/dW_l[i][j].
 * Everything is float64.
 */

/** One-hot target over replicated outputs: y_i = 1 when floor(i / replicas) = label. */
function target(i: number, label: number, replicas: number): number {
  return Math.floor(i / replicas) === label ? 1 : 0;
}

/** dC/dW of the float EP dynamics over `steps` free steps; Wt/b as FloatEpNetwork stores them. */
export function floatBpttGrad(
  sizes: readonly number[],
  Wt: readonly Float32Array[],
  b: readonly Float32Array[],
  x: ArrayLike<number>,
  label: number,
  replicas: number,
  steps: number,
): Float64Array[] {
  const L = sizes.length - 1;
  // s[t][l]: states after step t (t = 0: zeros); pre[t][l]: a_l^t (t >= 1).
  const s: Float64Array[][] = [];
  const pre: Float64Array[][] = [];
  const zero = sizes.map((n, l) => (l === 0 ? Float64Array.from(x) : new Float64Array(n)));
  s.push(zero);
  const n1 = sizes[1] as number;
  const inputTerm = Float64Array.from(b[0] as Float32Array);
  for (let j = 0; j < (sizes[0] as number); j++) {
    const v = x[j] as number;
    if (v === 0) continue;
    for (let i = 0; i < n1; i++) inputTerm[i] = (inputTerm[i] as number) + v * ((Wt[0] as Float32Array)[j * n1 + i] as number);
  }
  // Layer 1's gradient is (sum over steps of g_1) x^T: summed first, one outer product at the end.
  const g1Sum = new Float64Array(n1);
  for (let t = 1; t <= steps; t++) {
    const prev = s[t - 1] as Float64Array[];
    const cur: Float64Array[] = [prev[0] as Float64Array];
    const a: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= L; l++) {
      const n = sizes[l] as number;
      // The clamped input never changes: layer 1's input term is computed once.
      const out = l === 1 ? Float64Array.from(inputTerm) : Float64Array.from(b[l - 1] as Float32Array);
      const W = Wt[l - 1] as Float32Array;
      const below = prev[l - 1] as Float64Array;
      for (let j = 0; l > 1 && j < below.length; j++) {
        const v = below[j] as number;
        if (v === 0) continue;
        const base = j * n;
        for (let i = 0; i < n; i++) out[i] = (out[i] as number) + v * (W[base + i] as number);
      }
      if (l < L) {
        const above = prev[l + 1] as Float64Array;
        const nn = above.length;
        const Wn = Wt[l] as Float32Array;
        for (let i = 0; i < n; i++) {
          let acc = 0;
          const base = i * nn;
          for (let k = 0; k < nn; k++) acc += (Wn[base + k] as number) * (above[k] as number);
          out[i] = (out[i] as number) + acc;
        }
      }
      a.push(out);
      cur.push(out.map((h) => (h < 0 ? 0 : h > 1 ? 1 : h)));
    }
    s.push(cur);
    pre.push(a);
  }
  const grads = sizes.slice(1).map((n, l) => new Float64Array(n * (sizes[l] as number)));
  let delta = sizes.map((n) => new Float64Array(n));
  const last = (s[steps] as Float64Array[])[L] as Float64Array;
  for (let i = 0; i < last.length; i++) (delta[L] as Float64Array)[i] = (last[i] as number) - target(i, label, replicas);
  for (let t = steps; t >= 1; t--) {
    const a = pre[t - 1] as Float64Array[];
    const prev = s[t - 1] as Float64Array[];
    const g = sizes.map((n) => new Float64Array(n));
    for (let l = 1; l <= L; l++) {
      const al = a[l] as Float64Array;
      const dl = delta[l] as Float64Array;
      const gl = g[l] as Float64Array;
      for (let i = 0; i < al.length; i++) gl[i] = (al[i] as number) > 0 && (al[i] as number) < 1 ? (dl[i] as number) : 0;
    }
    const next = sizes.map((n) => new Float64Array(n));
    const g1 = g[1] as Float64Array;
    for (let i = 0; i < n1; i++) g1Sum[i] = (g1Sum[i] as number) + (g1[i] as number);
    for (let l = 2; l <= L; l++) {
      const n = sizes[l] as number;
      const m = sizes[l - 1] as number;
      const W = Wt[l - 1] as Float32Array;
      const G = grads[l - 1] as Float64Array;
      const gl = g[l] as Float64Array;
      const below = prev[l - 1] as Float64Array;
      const gBelow = l >= 2 ? (g[l - 1] as Float64Array) : null;
      const own = prev[l] as Float64Array;
      const dBelow = l >= 2 ? (next[l - 1] as Float64Array) : null;
      const dOwn = next[l] as Float64Array;
      for (let j = 0; j < m; j++) {
        const base = j * n;
        const xj = below[j] as number;
        const gj = gBelow !== null ? (gBelow[j] as number) : 0;
        let back = 0;
        for (let i = 0; i < n; i++) {
          const gi = gl[i] as number;
          // W_l[i][j] feeds a_l[i] (times s_{l-1}[j]) and a_{l-1}[j] (times s_l[i]).
          G[base + i] = (G[base + i] as number) + gi * xj + gj * (own[i] as number);
          back += gi * (W[base + i] as number);
          if (gj !== 0) dOwn[i] = (dOwn[i] as number) + gj * (W[base + i] as number);
        }
        if (dBelow !== null) dBelow[j] = (dBelow[j] as number) + back;
      }
    }
    delta = next;
  }
  outer(grads[0] as Float64Array, g1Sum, x, 1);
  return grads;
}

/** G[j * n + i] += k * g[i] * x[j]. */
function outer(G: Float64Array, g: Float64Array, x: ArrayLike<number>, k: number): void {
  const n = g.length;
  for (let j = 0; j < x.length; j++) {
    const xj = k * (x[j] as number);
    if (xj === 0) continue;
    const base = j * n;
    for (let i = 0; i < n; i++) G[base + i] = (G[base + i] as number) + (g[i] as number) * xj;
  }
}

/** The binary network as the straight-through estimate sees it. */
export interface BinaryNetView {
  sizes: readonly number[];
  /** Signs of the weights, pre-major like floatBpttGrad's output: +1 or -1 at [j * n_l + i]. */
  signs: readonly Int8Array[];
  /** Forward scale of W_l (kFwd/Smax) and feedback scale into layer l (kBwd/Smax; 0 for the output layer), per layer l >= 1 at [l-1]. */
  fwd: readonly number[];
  bwd: readonly number[];
  /** Constant input of each neuron ((offset + bias)/Smax), per layer l >= 1 at [l-1]. */
  bias: readonly Float64Array[];
  /** Leak g = 2^-stateShift, spike threshold (2^(stateBits-1)/Smax), initial state (0 or 1), spins (+-1) or {0,1}. */
  gamma: number;
  threshold: number;
  reset: number;
  spin: boolean;
  replicas: number;
}

/** Straight-through estimate of dC/dW for the binary network over `steps` free steps. */
export function binarySteGrad(v: BinaryNetView, input: ArrayLike<number>, label: number, steps: number): Float64Array[] {
  const { sizes, signs, fwd, bwd, bias, gamma, threshold, spin } = v;
  const L = sizes.length - 1;
  const act = (sv: number): number => (sv >= threshold ? 1 : spin ? -1 : 0);
  const ste = spin ? 2 : 1;
  const x0 = Float64Array.from(input, (b) => (spin ? (b ? 1 : -1) : b ? 1 : 0));
  const s: Float64Array[][] = [];
  const xs: Float64Array[][] = [];
  const us: Float64Array[][] = [];
  const s0 = sizes.map((n, l) => (l === 0 ? new Float64Array(0) : new Float64Array(n).fill(v.reset)));
  s.push(s0);
  xs.push(sizes.map((_n, l) => (l === 0 ? x0 : (s0[l] as Float64Array).map(act))));
  const n1 = sizes[1] as number;
  const inputTerm = Float64Array.from(bias[0] as Float64Array);
  for (let j = 0; j < x0.length; j++) {
    const xj = (x0[j] as number) * (fwd[0] as number);
    if (xj === 0) continue;
    for (let i = 0; i < n1; i++) inputTerm[i] = (inputTerm[i] as number) + xj * ((signs[0] as Int8Array)[j * n1 + i] as number);
  }
  const g1Sum = new Float64Array(n1);
  for (let t = 1; t <= steps; t++) {
    const prevS = s[t - 1] as Float64Array[];
    const prevX = xs[t - 1] as Float64Array[];
    const curS: Float64Array[] = [new Float64Array(0)];
    const curX: Float64Array[] = [x0];
    const curU: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= L; l++) {
      const n = sizes[l] as number;
      const a = l === 1 ? Float64Array.from(inputTerm) : Float64Array.from(bias[l - 1] as Float64Array);
      const W = signs[l - 1] as Int8Array;
      const below = prevX[l - 1] as Float64Array;
      const kf = fwd[l - 1] as number;
      for (let j = 0; l > 1 && j < below.length; j++) {
        const xj = (below[j] as number) * kf;
        if (xj === 0) continue;
        const base = j * n;
        for (let i = 0; i < n; i++) a[i] = (a[i] as number) + xj * (W[base + i] as number);
      }
      if (l < L) {
        const above = prevX[l + 1] as Float64Array;
        const nn = above.length;
        const Wn = signs[l] as Int8Array;
        const kb = bwd[l - 1] as number;
        for (let i = 0; i < n; i++) {
          let acc = 0;
          const base = i * nn;
          for (let k = 0; k < nn; k++) acc += (Wn[base + k] as number) * (above[k] as number);
          a[i] = (a[i] as number) + kb * acc;
        }
      }
      const ps = prevS[l] as Float64Array;
      const u = a.map((ai, i) => (1 - gamma) * (ps[i] as number) + gamma * ai);
      const ns = u.map((ui) => (ui < 0 ? 0 : ui > 1 ? 1 : ui));
      curU.push(u);
      curS.push(ns);
      curX.push(ns.map(act));
    }
    s.push(curS);
    xs.push(curX);
    us.push(curU);
  }
  const grads = sizes.slice(1).map((n, l) => new Float64Array(n * (sizes[l] as number)));
  let delta = sizes.map((n) => new Float64Array(n));
  const last = (s[steps] as Float64Array[])[L] as Float64Array;
  for (let i = 0; i < last.length; i++) (delta[L] as Float64Array)[i] = (last[i] as number) - target(i, label, v.replicas);
  for (let t = steps; t >= 1; t--) {
    const u = us[t - 1] as Float64Array[];
    const prevX = xs[t - 1] as Float64Array[];
    const g = sizes.map((n) => new Float64Array(n));
    for (let l = 1; l <= L; l++) {
      const ul = u[l] as Float64Array;
      const dl = delta[l] as Float64Array;
      const gl = g[l] as Float64Array;
      for (let i = 0; i < ul.length; i++) gl[i] = (ul[i] as number) > 0 && (ul[i] as number) < 1 ? (dl[i] as number) : 0;
    }
    // dC/dx_l^{t-1}, turned into dC/ds_l^{t-1} by the straight-through derivative.
    const dx = sizes.map((n) => new Float64Array(n));
    const g1 = g[1] as Float64Array;
    for (let i = 0; i < n1; i++) g1Sum[i] = (g1Sum[i] as number) + (g1[i] as number);
    for (let l = 2; l <= L; l++) {
      const n = sizes[l] as number;
      const m = sizes[l - 1] as number;
      const W = signs[l - 1] as Int8Array;
      const G = grads[l - 1] as Float64Array;
      const gl = g[l] as Float64Array;
      const below = prevX[l - 1] as Float64Array;
      const own = prevX[l] as Float64Array;
      const kf = gamma * (fwd[l - 1] as number);
      // W_l also carries the feedback into layer l-1 (scale kB_{l-1}), when l-1 is a hidden layer.
      const kb = l >= 2 ? gamma * (bwd[l - 2] as number) : 0;
      const gBelow = l >= 2 ? (g[l - 1] as Float64Array) : null;
      const dxBelow = l >= 2 ? (dx[l - 1] as Float64Array) : null;
      const dxOwn = dx[l] as Float64Array;
      for (let j = 0; j < m; j++) {
        const base = j * n;
        const xj = kf * (below[j] as number);
        const gj = gBelow !== null ? kb * (gBelow[j] as number) : 0;
        let back = 0;
        for (let i = 0; i < n; i++) {
          const w = W[base + i] as number;
          const gi = gl[i] as number;
          G[base + i] = (G[base + i] as number) + gi * xj + gj * (own[i] as number);
          back += gi * w;
          if (gj !== 0) dxOwn[i] = (dxOwn[i] as number) + gj * w;
        }
        if (dxBelow !== null) dxBelow[j] = (dxBelow[j] as number) + kf * back;
      }
    }
    const next = sizes.map((n) => new Float64Array(n));
    for (let l = 1; l <= L; l++) {
      const d = next[l] as Float64Array;
      const gl = g[l] as Float64Array;
      const dxl = dx[l] as Float64Array;
      for (let i = 0; i < d.length; i++) d[i] = (1 - gamma) * (gl[i] as number) + ste * (dxl[i] as number);
    }
    delta = next;
  }
  outer(grads[0] as Float64Array, g1Sum, x0, gamma * (fwd[0] as number));
  return grads;
}
