import { KernelSet, RANDOM_WIDTHS, expectedAnd, expectedXnor, randomBits, refKernels, tailIsZero, tsKernels } from './kernel-sets';

describe.each<KernelSet>([tsKernels, refKernels])('bit kernels ($name)', (k) => {
  test('exhaustive widths 1..6: pack/unpack round trip, popcount, both dot products', () => {
    for (let n = 1; n <= 6; n++) {
      for (let a = 0; a < 1 << n; a++) {
        const aBits = Array.from({ length: n }, (_, i) => (a >> i) & 1);
        const av = k.pack(aBits);
        expect(av.length).toBe(1);
        expect(av[0]).toBe(a);
        expect(Array.from(k.unpack(av, n))).toEqual(aBits);
        expect(k.popcountVec(av, 0, 1)).toBe(aBits.reduce((s, x) => s + x, 0));
        for (let b = 0; b < 1 << n; b++) {
          const bBits = Array.from({ length: n }, (_, i) => (b >> i) & 1);
          const bv = k.pack(bBits);
          expect(k.dotXnor(av, 0, bv, 0, n)).toBe(expectedXnor(aBits, bBits));
          expect(k.dotAnd(av, 0, bv, 0, n)).toBe(expectedAnd(aBits, bBits));
        }
      }
    }
  });

  test.each(RANDOM_WIDTHS)('random vectors of %i bits, at nonzero offsets', (n) => {
    for (let trial = 0; trial < 4; trial++) {
      const a = randomBits(n, `a${n}:${trial}`, 0.2 + 0.2 * trial);
      const b = randomBits(n, `b${n}:${trial}`, 0.5);
      const words = Math.ceil(n / 32);
      const av = new Uint32Array(words + 3);
      const bv = new Uint32Array(words + 5);
      k.pack(a, av.subarray(3, 3 + words));
      k.pack(b, bv.subarray(5, 5 + words));
      expect(tailIsZero(av, 3, n)).toBe(true);
      expect(Array.from(k.unpack(av.subarray(3), n))).toEqual(Array.from(a));
      expect(k.dotXnor(av, 3, bv, 5, n)).toBe(expectedXnor(a, b));
      expect(k.dotAnd(av, 3, bv, 5, n)).toBe(expectedAnd(a, b));
      expect(k.dotAnd(bv, 5, av, 3, n)).toBe(expectedAnd(b, a));
      expect(k.popcountVec(av, 3, words)).toBe(a.reduce((s, x) => s + x, 0));
    }
  });

  test('popcount32 on edge words', () => {
    for (const [x, c] of [[0, 0], [1, 1], [0x80000000, 1], [0xffffffff, 32], [-1, 32], [0x55555555, 16], [0x0f0f0f0f, 16], [0xdeadbeef, 24]] as const) {
      expect(k.popcount32(x)).toBe(c);
    }
  });

  test('getBit/setBit address bit i in word i>>>5 at position i&31', () => {
    const v = new Uint32Array(3);
    k.setBit(v, 0, 1);
    k.setBit(v, 31, 7);
    k.setBit(v, 32, 1);
    k.setBit(v, 95, 1);
    expect(Array.from(v)).toEqual([0x80000001, 1, 0x80000000]);
    expect(k.getBit(v, 31)).toBe(1);
    expect(k.getBit(v, 30)).toBe(0);
    k.setBit(v, 31, 0);
    expect(v[0]).toBe(1);
    expect(k.getBit(v, 95)).toBe(1);
  });

  test('pack writes nonzero values as 1, clears stale bits of its words and leaves later words alone', () => {
    const out = new Uint32Array([0xffffffff, 0xffffffff]);
    k.pack([0, 2, -1, 0.5, 0], out);
    expect(out[0]).toBe(0b01110);
    expect(out[1]).toBe(0xffffffff);
  });
});
