import { bitsFor, packetBits } from '../../../src/hw/packet';

describe('packet width', () => {
  it('counts address, axon, payload and I/O-select bits', () => {
    expect(bitsFor(1)).toBe(0);
    expect(bitsFor(2)).toBe(1);
    expect(bitsFor(3)).toBe(2);
    expect(bitsFor(4)).toBe(2);
    expect(bitsFor(5)).toBe(3);
    expect(bitsFor(1024)).toBe(10);
    expect(bitsFor(1025)).toBe(11);
    expect(packetBits(4, 4, 1024)).toBe(2 + 2 + 10 + 1 + 1);
    expect(packetBits(4, 4, 1024, false)).toBe(2 + 2 + 10 + 1);
    expect(packetBits(1, 1, 1, false)).toBe(1);
    expect(() => bitsFor(0)).toThrow();
  });
});
