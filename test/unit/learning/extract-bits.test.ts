/**
 * extractBits (how a core hands a split layer's slice its columns of an axon register):
 * against a bit-by-bit reference on random registers, offsets (word-aligned or not) and
 * lengths, it writes exactly wordsFor(n) words (tail bits zero) and no word after them.
 */
import fc from 'fast-check';
import { extractBits } from '../../../src/learning/synapse-slice';
import { wordsFor } from '../../../src/kernels';

const SEED = 1377;

describe(`extractBits (fast-check seed ${SEED})`, () => {
  test('copies bits [from, from + n) from bit 0, zeroes the tail and leaves the words after wordsFor(n) alone', () => {
    const arb = fc
      .record({ words: fc.integer({ min: 1, max: 6 }), aligned: fc.boolean(), spare: fc.integer({ min: 1, max: 3 }) })
      .chain(({ words, aligned, spare }) =>
        fc.record({
          src: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: words, maxLength: words }),
          from: aligned ? fc.integer({ min: 0, max: words - 1 }).map((w) => 32 * w) : fc.integer({ min: 0, max: 32 * words - 1 }),
          len: fc.integer({ min: 1, max: 32 * words }),
          spare: fc.constant(spare),
        }),
      );
    fc.assert(
      fc.property(arb, ({ src, from, len, spare }) => {
        const s = Uint32Array.from(src);
        const n = Math.min(len, 32 * s.length - from);
        const nw = wordsFor(n);
        const dst = new Uint32Array(nw + spare).fill(0xa5a5a5a5);
        extractBits(s, from, n, dst);
        const want = new Uint32Array(nw + spare).fill(0xa5a5a5a5);
        want.fill(0, 0, nw);
        for (let j = 0; j < n; j++) if (((s[(from + j) >>> 5] as number) >>> ((from + j) & 31)) & 1) want[j >>> 5] = ((want[j >>> 5] as number) | (1 << (j & 31))) >>> 0;
        expect(Array.from(dst)).toEqual(Array.from(want));
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
