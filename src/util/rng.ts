/**
 * The only source of randomness in bitspike. Every consumer asks for its own named
 * stream derived from the experiment seed, so adding a consumer never shifts the
 * numbers another consumer sees (weight init, data order, beta sign, traffic, ...).
 */
import seedrandom from 'seedrandom';

/** A deterministic stream of random numbers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform integer in [0, n) for 1 <= n <= 2^32. */
  below(n: number): number;
}

/** Stream `name` of experiment seed `seed`. Same (seed, name) gives the same numbers everywhere. */
export function rngStream(seed: number | string, name: string): Rng {
  const prng = seedrandom.alea(`bitspike:${seed}:${name}`);
  return {
    next: () => prng.quick(),
    uint32: () => prng.int32() >>> 0,
    below: (n: number) => Math.floor(prng.quick() * n),
  };
}

/** Fisher-Yates shuffle of `a` in place with `rng`. */
export function shuffleInPlace<T>(a: T[] | Int32Array | Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t as never;
  }
}
