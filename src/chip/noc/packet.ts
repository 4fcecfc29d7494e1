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

/**
 * Width in bits of a multicast packet: the destination bit-vector (one bit per core
 * of the W x H mesh) replaces the destination x and y, then the axon index and the
 * payload bit; multicast goes to cores only, so no I/O select bit.
 */
export function multicastPacketBits(width: number, height: number, axons: number): number {
  return width * height + bitsFor(axons) + 1;
}

/** Header bits of a packet (what the head flit must carry): destination (x, y or the multicast bit-vector) and the I/O select bit. */
export function headerBits(width: number, height: number, multicast: boolean, withIoPort = true): number {
  return multicast ? width * height : bitsFor(width) + bitsFor(height) + (withIoPort ? 1 : 0);
}
