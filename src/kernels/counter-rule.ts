/**
 * Parameters and bookkeeping of the counter/hysteresis plasticity rule, shared by
 * the TypeScript, WebAssembly and reference kernels.
 * A counter of b bits is a signed saturating register with range
 *   [-(2^(b-1)), 2^(b-1) - 1]     (b = counterBits, 2..8; one Int8Array element each).
 */

/** Activation encoding of a layer: spins (+-1, XNOR products) or {0,1} bits (AND products). */
export type BitEncoding = 'spin' | 'binary';

/** The counter/hysteresis rule of one layer. */
export interface CounterRule {
  /** Width of each signed saturating counter, in bits (2..8). */
  counterBits: number;
  /** Hysteresis threshold: a touched weight -> +1 when H > theta, -> -1 when H < -theta (0 <= theta < 2^(counterBits-1) - 1). */
  theta: number;
  /** Shift leak: every update first does H -= sign(H) * (|H| >> leakShift) on every synapse of the row; 0 disables the leak. */
  leakShift: number;
}

/** What a plasticity update did, accumulated over calls (the chip counts these events). */
export interface PlasticityTally {
  /** Counters whose value changed (a saturated counter pushed further does not count). */
  countersChanged: number;
  /** Weights whose bit changed. */
  weightsFlipped: number;
  /**
   * Updates clipped at the register's range (the contribution pushed a register past its
   * bound and was lost); counted by the rules the engines run (src/learning/rules, the
   * bit-sliced row kernel), the byte-per-counter TypeScript row kernel and the WebAssembly
   * bit-sliced layer kernel. The WebAssembly byte-per-counter layer kernel, which only the
   * benchmarks run, leaves it at 0.
   */
  countersSaturated: number;
}

/** Largest value of a signed counter of `bits` bits. */
export function counterMax(bits: number): number {
  return (1 << (bits - 1)) - 1;
}

/** Smallest value of a signed counter of `bits` bits. */
export function counterMin(bits: number): number {
  return -(1 << (bits - 1));
}

/** Counters per matrix row in the layer-level kernels: one per bit of the padded row, wordsFor(nBits) * 32. */
export function counterStride(nBits: number): number {
  return ((nBits + 31) >>> 5) << 5;
}

/** Throw a RangeError if `rule` is outside what the kernels implement (configs are validated earlier, with UserErrors). */
export function checkCounterRule(rule: CounterRule): void {
  const { counterBits, theta, leakShift } = rule;
  if (!Number.isInteger(counterBits) || counterBits < 2 || counterBits > 8) {
    throw new RangeError(`counterBits must be an integer in 2..8, got ${counterBits}`);
  }
  if (!Number.isInteger(theta) || theta < 0 || theta >= counterMax(counterBits)) {
    throw new RangeError(`theta must be an integer in 0..${counterMax(counterBits) - 1} for ${counterBits}-bit counters, got ${theta}`);
  }
  if (!Number.isInteger(leakShift) || leakShift < 0 || leakShift > 7) {
    throw new RangeError(`leakShift must be an integer in 0..7 (0 = no leak), got ${leakShift}`);
  }
}

/** Clamp `h` into [lo, hi]: the one saturation helper of the counter kernels. */
export function saturate(h: number, lo: number, hi: number): number {
  return h > hi ? hi : h < lo ? lo : h;
}

/** A fresh tally at zero. */
export function newTally(): PlasticityTally {
  return { countersChanged: 0, weightsFlipped: 0, countersSaturated: 0 };
}
