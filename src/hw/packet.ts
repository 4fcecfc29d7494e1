/**
 * Packet format: one flit = destination x, destination y, axon index, one payload
 * bit (the new spike value), plus one bit that selects the I/O port instead of the
 * core at the destination router when the chip has an I/O port:
 *   bits = ceil(log2 W) + ceil(log2 H) + ceil(log2 axons) + 1 (+ 1 with an I/O port).
 * Links pay this width per flit (linkBits).
 *
 * A chip whose mapping splits a layer's fan-in also carries partial sums and, in the
 * learning phase, post-synaptic spikes back to the partial-sum cores; every packet
 * then has one more bit (kind: spike or core-to-core word), and a word packet is
 *   bits = ceil(log2 W) + ceil(log2 H) + 1 (I/O select) + 1 (kind)
 *          + ceil(log2 neurons) (row at the home core) + 1 (forward/backward part) + payload
 * with payload = partialSumBits for a partial sum, 2 (both phases' spikes) for a
 * post-synaptic spike pair. It travels as ceil(bits / flitBits) flits, a flit being as
 * wide as a spike packet.
 *
 * A chip with `noc.multicast: "tree"` sends a spike whose neuron feeds two or more
 * cores as one multicast packet (multicastSpikeBits): a format bit, the W*H-bit
 * destination set, the source neuron named by its core and row there, or by its
 * input bit from the I/O port (each receiver maps that to its axon), and the payload bit. Every other packet of such a chip
 * carries the format bit too (one more bit than on a unicast chip).
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

/** Width of a spike packet (= one flit) when the chip also carries word packets (the kind bit added; `tree`: the multicast format bit too). */
export function splitPacketBits(width: number, height: number, axons: number, tree = false): number {
  return packetBits(width, height, axons, true) + 1 + (tree ? 1 : 0);
}

/** Width of a unicast spike packet of a chip: the kind bit when it splits layers, the format bit when it multicasts. */
export function spikePacketBits(width: number, height: number, axons: number, split: boolean, tree: boolean): number {
  return packetBits(width, height, axons, true) + (split ? 1 : 0) + (tree ? 1 : 0);
}

/**
 * Width in bits of a multicast spike packet of a chip: format bit + W*H destination
 * bits + source neuron + payload bit. The source field names a core's row (core id +
 * row) or, from the I/O port, an input bit, so it is bitsFor(W*H) + bitsFor(max(neurons,
 * axons)) bits.
 */
export function multicastSpikeBits(width: number, height: number, neurons: number, axons: number): number {
  return 1 + width * height + bitsFor(width * height) + bitsFor(Math.max(neurons, axons)) + 1;
}

/** Width in bits of a word packet (partial sum or post-synaptic spike pair) with a `payload`-bit payload (`tree`: plus the format bit). */
export function wordPacketBits(width: number, height: number, neurons: number, payload: number, tree = false): number {
  return bitsFor(width) + bitsFor(height) + 2 + bitsFor(neurons) + 1 + payload + (tree ? 1 : 0);
}

/** Flits of a word packet with a `payload`-bit payload (flit = a spike packet of a split chip). */
export function wordPacketFlits(width: number, height: number, axons: number, neurons: number, payload: number, tree = false): number {
  return Math.ceil(wordPacketBits(width, height, neurons, payload, tree) / splitPacketBits(width, height, axons, tree));
}

/** Flits of one partial-sum packet of `partialSumBits` payload bits. */
export function partialSumFlits(width: number, height: number, axons: number, neurons: number, partialSumBits: number, tree = false): number {
  return wordPacketFlits(width, height, axons, neurons, partialSumBits, tree);
}
