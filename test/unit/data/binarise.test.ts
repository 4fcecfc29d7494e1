import fc from 'fast-check';
import { binarise, greyCutoff } from '../../../src/data/binarise';
import type { GreyImages } from '../../../src/data/dataset';

function naiveBit(rows: Uint32Array, words: number, s: number, i: number): number {
  return ((rows[s * words + (i >>> 5)] as number) >>> (i & 31)) & 1;
}

describe('binarise', () => {
  test('cutoff is the smallest grey level g with g / 255 >= t', () => {
    expect(greyCutoff(0.5)).toBe(128);
    expect(greyCutoff(0)).toBe(0);
    expect(greyCutoff(1)).toBe(255);
    expect(greyCutoff(0.2)).toBe(51);
    for (let g = 0; g <= 255; g++) {
      const t = g / 255;
      expect(greyCutoff(t)).toBe(g);
    }
  });

  test.each([1, 31, 32, 33, 64, 100, 784])('packs LSB-first with zero tail bits, width %i', (features) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: features * 3, maxLength: features * 3 }), fc.double({ min: 0, max: 1, noNaN: true }), (pixels, t) => {
        const images: GreyImages = { source: 't', count: 3, features, pixels, labels: new Uint8Array([0, 1, 2]) };
        const ds = binarise(images, t, 'x');
        const words = Math.ceil(features / 32);
        expect(ds.words).toBe(words);
        for (let s = 0; s < 3; s++) {
          for (let i = 0; i < words * 32; i++) {
            const want = i < features && (pixels[s * features + i] as number) / 255 >= t ? 1 : 0;
            if (naiveBit(ds.bits, words, s, i) !== want) return false;
          }
          expect(ds.rows[s]).toEqual(ds.bits.subarray(s * words, (s + 1) * words));
        }
        return true;
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
