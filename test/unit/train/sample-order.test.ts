import { BetaSigns, epochOrder } from '../../../src/train/sample-order';

describe('sample order and beta signs', () => {
  test('each epoch is a permutation, different per epoch and seed, same for the same (seed, epoch)', () => {
    const a = epochOrder(1, 0, 500);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(Array.from(epochOrder(1, 0, 500))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(1, 1, 500))).not.toEqual(Array.from(a));
    expect(Array.from(epochOrder(2, 0, 500))).not.toEqual(Array.from(a));
  });

  test('signs resumed after k samples continue the uninterrupted sequence', () => {
    const full = new BetaSigns(7, 3, 0, true);
    const seq = Array.from({ length: 100 }, () => full.next());
    expect(new Set(seq)).toEqual(new Set([1, -1]));
    for (const k of [0, 1, 37, 99]) {
      const resumed = new BetaSigns(7, 3, k, true);
      expect(Array.from({ length: 100 - k }, () => resumed.next())).toEqual(seq.slice(k));
    }
    const other = new BetaSigns(7, 4, 0, true);
    expect(Array.from({ length: 100 }, () => other.next())).not.toEqual(seq);
  });

  test('without random sign every sign is +1', () => {
    const s = new BetaSigns(7, 0, 5, false);
    expect(Array.from({ length: 20 }, () => s.next())).toEqual(new Array(20).fill(1));
  });
});
