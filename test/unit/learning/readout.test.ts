import { readout } from '../../../src/learning/readout';

describe('class readout (functional model, float reference, I/O port)', () => {
  test('integer replica sums: argmax, ties to the lowest class', () => {
    expect(readout(Int32Array.from([1, 2, 3, 1, 0, 3]), 3, 2)).toBe(1);
    expect(readout(Int32Array.from([2, 1, 3, 0, 0, 3]), 3, 2)).toBe(0);
    expect(readout(Int32Array.from([0, 0, 0, 0]), 2, 2)).toBe(0);
  });

  test('float states, all negative: the largest sum wins, not class 0 by default', () => {
    expect(readout(Float32Array.from([-0.5, -0.25, -0.1, -0.2, -0.75, -0.5]), 3, 2)).toBe(1);
  });

  test('one replica per class (the I/O port class sums)', () => {
    expect(readout(Int32Array.from([3, 9, 9, 1]), 4, 1)).toBe(1);
    expect(readout(Int32Array.from([7]), 1, 1)).toBe(0);
  });
});
