/**
 * Packet format: one flit = destination x, destination y, axon index, one payload
 * bit (the new spike value), plus one bit that selects the I/O port instead of the
 * core at the destination router when the chip has an I/O port:
 *   bits = ceil(log2 W) + ceil(log2 H) + ceil(log2 axons) + 1 (+ 1 with an I/O port).
 * Links pay this width per flit (linkBits).
 */

/** Bits needed to name one of n values (0 for n = 1). */
export function bitsFor(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`bitsFor: need a positive integer, got ${n}`);
  return n === 1 ? 0 : 32 - Math.clz32(n - 1);
}

/** Width in bits of one packet on a W x H mesh whose cores have `axons` axons. */
export function packetBits(width: number, height: number, axons: number, withIoPort = true): number {
  return bitsFor(width) + bitsFor(height) + bitsFor(axons) + 1 + (withIoPort ? 1 : 0);
}
