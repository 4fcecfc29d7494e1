import fc from 'fast-check';
import { dominates, paretoFront } from '../../../src/explore/pareto';

describe('Pareto front', () => {
  test('a small case: accuracy up, energy down', () => {
    // [accuracy, energy]
    const pts = [
      [0.9, 10],
      [0.8, 5],
      [0.85, 12], // dominated by [0.9, 10]
      [0.9, 10], // equal to the first: neither dominates, both on the front
      [0.7, 5], // dominated by [0.8, 5]
    ];
    expect(paretoFront(pts, ['higher', 'lower'])).toEqual([true, true, false, true, false]);
    expect(dominates([0.9, 10], [0.85, 12], ['higher', 'lower'])).toBe(true);
    expect(dominates([0.9, 10], [0.9, 10], ['higher', 'lower'])).toBe(false);
  });

  const seed = 20261203;
  test(`properties (fast-check seed ${seed}): the front is non-empty, no front point is dominated, every other point is dominated by a front point`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 40 }), fc.constantFrom<('higher' | 'lower')[]>(['higher', 'lower', 'lower'], ['lower', 'lower', 'higher']), (pts, senses) => {
        const front = paretoFront(pts, senses);
        expect(front.some(Boolean)).toBe(true);
        pts.forEach((p, i) => {
          if (front[i]) expect(pts.some((q) => dominates(q, p, senses))).toBe(false);
          else expect(pts.some((q, j) => front[j] && dominates(q, p, senses))).toBe(true);
        });
      }),
      { seed, numRuns: 200 },
    );
  });
});
