/**
 * The first-order contrast's masks (src/kernels/plasticity-masks.ts firstOrderMasks)
 * against the per-synapse formula c_j = sgn(beta) * sign(x0_i (xa_j - xb_j) + x0_j (xa_i - xb_i)),
 * for every combination of the neuron's own three bits, both signs of beta, random
 * vectors of several widths (tail bits must stay 0). Seed printed for replay.
 */
import { firstOrderMasks, wordsFor } from '../../../src/kernels';
import { rngStream } from '../../../src/util/rng';

const SEED = 4242;

function bit(v: Uint32Array, j: number): number {
  return ((v[j >>> 5] as number) >>> (j & 31)) & 1;
}

describe(`firstOrderMasks against the per-synapse formula (seed ${SEED})`, () => {
  const rng = rngStream(SEED, 'first-order-masks');
  const vec = (n: number): Uint32Array => {
    const v = new Uint32Array(wordsFor(n));
    for (let j = 0; j < n; j++) if (rng.next() < 0.5) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
    return v;
  };
  it.each([1, 5, 31, 32, 33, 70, 96])('n = %i bits', (n) => {
    for (let trial = 0; trial < 20; trial++) {
      const a = vec(n);
      const b = vec(n);
      const f = vec(n);
      for (let own = 0; own < 8; own++) {
        const [oa, ob, o0] = [own & 1, (own >> 1) & 1, (own >> 2) & 1];
        for (const sign of [1, -1]) {
          const inc = new Uint32Array(wordsFor(n) + 1).fill(0xffffffff);
          const dec = new Uint32Array(wordsFor(n) + 1).fill(0xffffffff);
          const nz = firstOrderMasks(a, b, f, n, oa, ob, o0, sign, inc, dec, 1);
          let count = 0;
          for (let j = 0; j < n; j++) {
            const c = sign * Math.sign(o0 * (bit(a, j) - bit(b, j)) + bit(f, j) * (oa - ob));
            const got = ((((inc[1 + (j >>> 5)] as number) >>> (j & 31)) & 1) - (((dec[1 + (j >>> 5)] as number) >>> (j & 31)) & 1));
            if (got !== c) throw new Error(`n ${n} trial ${trial} own ${oa}${ob}${o0} sign ${sign} j ${j}: got ${got}, expected ${c}`);
            if (c !== 0) count++;
          }
          expect(nz).toBe(count);
          // Tail bits beyond n stay 0; the word before the masks' offset is untouched.
          const last = wordsFor(n);
          if ((n & 31) !== 0) {
            expect((inc[last] as number) >>> (n & 31)).toBe(0);
            expect((dec[last] as number) >>> (n & 31)).toBe(0);
          }
          expect(inc[0]).toBe(0xffffffff);
        }
      }
    }
  });
});
