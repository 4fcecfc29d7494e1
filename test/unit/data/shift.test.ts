/**
 * Image shifts of training samples (data.shift): the row shifter against a per-pixel
 * reference, the seeded per-sample draws (resumable mid-epoch), and the trainer feeding
 * moved rows for training only.
 */
import fc from 'fast-check';
import { shiftRow, squareSide, type RowGeometry } from '../../../src/data/shift';
import { SampleShifts } from '../../../src/train/sample-order';

const bit = (a: Uint32Array, at: number, i: number): number => ((a[at + (i >>> 5)] as number) >>> (i & 31)) & 1;
const set = (a: Uint32Array, at: number, i: number): void => {
  a[at + (i >>> 5)] = ((a[at + (i >>> 5)] as number) | (1 << (i & 31))) >>> 0;
};

/** The shift written from its definition: out(f, k, x, y, b) = in(f, k, x - dx, y - dy, b), 0 outside. */
function reference(src: Uint32Array, g: RowGeometry, dx: number, dy: number): Uint32Array {
  const out = new Uint32Array(g.frames * g.words);
  const P = g.width * g.height;
  for (let f = 0; f < g.frames; f++)
    for (let k = 0; k < g.planes; k++)
      for (let y = 0; y < g.height; y++)
        for (let x = 0; x < g.width; x++)
          for (let b = 0; b < g.bitsPerPixel; b++) {
            const sx = x - dx;
            const sy = y - dy;
            if (sx < 0 || sy < 0 || sx >= g.width || sy >= g.height) continue;
            if (bit(src, f * g.words, (k * P + sy * g.width + sx) * g.bitsPerPixel + b)) set(out, f * g.words, (k * P + y * g.width + x) * g.bitsPerPixel + b);
          }
  return out;
}

function geometry(width: number, height: number, planes: number, bitsPerPixel: number, frames: number): RowGeometry {
  return { width, height, planes, bitsPerPixel, frames, words: Math.ceil((width * height * planes * bitsPerPixel) / 32) };
}

describe('shiftRow', () => {
  test('a pixel moves by (dx, dy); one pushed past the border is lost', () => {
    const g = geometry(4, 4, 1, 1, 1);
    const src = new Uint32Array(1);
    set(src, 0, 1 * 4 + 1); // (1, 1)
    set(src, 0, 2 * 4 + 3); // (3, 2): right border
    const dst = new Uint32Array(1);
    shiftRow(src, dst, g, 1, 0);
    expect(dst[0]).toBe(1 << (1 * 4 + 2)); // (2, 1); (4, 2) is outside
    shiftRow(src, dst, g, -1, 1);
    expect(dst[0]).toBe(((1 << (2 * 4 + 0)) | (1 << (3 * 4 + 2))) >>> 0); // (0, 2) and (2, 3)
  });

  test('planes, frames and 8-bit pixels move as whole images, nothing crosses between them', () => {
    // Two frames of two planes of 3 x 3 pixels with 8 bits each: 144 bits per frame.
    const g = geometry(3, 3, 2, 8, 2);
    const src = new Uint32Array(g.frames * g.words);
    const byteAt = (f: number, k: number, x: number, y: number): number => (k * 9 + y * 3 + x) * 8 + f * 0;
    // Grey level 0xA5 at (2, 2) of plane 1, frame 1; 0xFF at (0, 0) of plane 0, frame 0.
    for (let b = 0; b < 8; b++) {
      if ((0xa5 >>> b) & 1) set(src, g.words, byteAt(1, 1, 2, 2) + b);
      set(src, 0, byteAt(0, 0, 0, 0) + b);
    }
    const dst = new Uint32Array(src.length);
    shiftRow(src, dst, g, -1, -1);
    expect(dst).toEqual(reference(src, g, -1, -1));
    let grey = 0;
    for (let b = 0; b < 8; b++) grey |= bit(dst, g.words, byteAt(1, 1, 1, 1) + b) << b;
    expect(grey).toBe(0xa5);
    // The frame-0 pixel at (0, 0) left the image; nothing else is on.
    expect(dst.reduce((n, w) => n + w.toString(2).split('1').length - 1, 0)).toBe(4);
  });

  const seed = 20261203;
  test(`equals the per-pixel definition for random images and shifts (fast-check seed ${seed})`, () => {
    fc.assert(
      fc.property(
        fc.record({ w: fc.integer({ min: 1, max: 9 }), planes: fc.integer({ min: 1, max: 3 }), bpp: fc.constantFrom(1, 8), frames: fc.integer({ min: 1, max: 3 }) }),
        fc.integer({ min: -9, max: 9 }),
        fc.integer({ min: -9, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        ({ w, planes, bpp, frames }, dx, dy, fill) => {
          const g = geometry(w, w, planes, bpp, frames);
          const src = new Uint32Array(frames * g.words);
          let s = fill | 1;
          const bits = w * w * planes * bpp;
          for (let f = 0; f < frames; f++)
            for (let i = 0; i < bits; i++) {
              s = (Math.imul(s, 1103515245) + 12345) >>> 0;
              if (s >>> 31) set(src, f * g.words, i);
            }
          const dst = new Uint32Array(src.length).fill(0xffffffff); // stale contents must be cleared
          shiftRow(src, dst, g, dx, dy);
          expect(dst).toEqual(reference(src, g, dx, dy));
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  test('squareSide', () => {
    expect(squareSide(784)).toBe(28);
    expect(squareSide(785)).toBeNull();
    expect(squareSide(0)).toBeNull();
  });
});

describe('SampleShifts', () => {
  test('resuming after k samples sees the draws an uninterrupted epoch sees', () => {
    const all = new SampleShifts(7, 3, 0, 2, 0.6);
    const seq: Array<[boolean, number, number]> = [];
    for (let k = 0; k < 200; k++) seq.push([all.next(), all.dx, all.dy]);
    for (const k of [1, 57, 199]) {
      const resumed = new SampleShifts(7, 3, k, 2, 0.6);
      for (let j = k; j < 200; j++) expect([resumed.next(), resumed.dx, resumed.dy]).toEqual(seq[j]);
    }
    // Moves stay within -2..2, roughly 60% x 24/25 of the samples move, other epochs draw otherwise.
    expect(seq.every(([m, dx, dy]) => Math.abs(dx) <= 2 && Math.abs(dy) <= 2 && m === (dx !== 0 || dy !== 0))).toBe(true);
    const moved = seq.filter(([m]) => m).length;
    expect(moved).toBeGreaterThan(90);
    expect(moved).toBeLessThan(140);
    const other = new SampleShifts(7, 4, 0, 2, 0.6);
    const seq4 = seq.map(() => [other.next(), other.dx, other.dy]);
    expect(seq4).not.toEqual(seq);
  });

  test('share 0 never moves a sample; share 1 moves all but the (0, 0) draws', () => {
    const none = new SampleShifts(1, 0, 0, 1, 0);
    for (let k = 0; k < 100; k++) expect(none.next()).toBe(false);
    const every = new SampleShifts(1, 0, 0, 1, 1);
    let moved = 0;
    for (let k = 0; k < 900; k++) if (every.next()) moved++;
    expect(moved).toBeGreaterThan(750); // 8/9 of 900 = 800
    expect(moved).toBeLessThan(850);
  });
});
