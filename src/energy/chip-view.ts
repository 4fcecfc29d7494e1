/**
 * What the energy, memory and area models need to know of a chip: the validated
 * chip file plus the two NoC figures they price (router buffer depth and packet
 * width). Derived sizes (macro size per bank, clocked datapath bits) live here so
 * every model uses the same ones.
 *
 *   packetBits = src/hw/packet.ts (destination x, y, axon index, payload bit, I/O select bit),
 *     plus the kind bit when the mapping splits a layer (spike and word packets share the
 *     flits, as on the chip); with noc.multicast "tree" the buffers hold the widest flit:
 *     max(unicast + format bit, multicastSpikeBits), so every buffer and queue flit is
 *     priced at that width
 *   weight macro bits  = sram.capacityBits / sram.banks        (one macro per read port)
 *   counter macro bits = sram.counterCapacityBits / sram.banks
 *   datapath clocked bits = pipelineDepth * wordBits * banks + accumulatorBits
 *   with sram.ecc = secded, every SRAM word stores c = secdedCheckBits(wordBits) more bits:
 *   stored word = wordBits + c, stored macro bits = macro bits * (wordBits + c) / wordBits
 */
import type { ChipDescription, ChipParams } from '../hw/chip-file';
import type { NocParams } from '../hw/noc-params';
import { multicastSpikeBits, spikePacketBits } from '../hw/packet';
import { secdedCheckBits } from '../faults/fault-map';

/** The chip as the energy models see it. */
export interface EnergyChip {
  /** Validated chip file. */
  params: ChipParams;
  /** File the chip came from (for messages). */
  file: string;
  /** Input buffer depth of each of the 5 router ports, in flits. */
  routerBufferDepth: number;
  /** Width of one packet (= one flit) in bits: destination x, y, axon index, payload bit. */
  packetBits: number;
  /** The mapping splits a layer's fan-in over cores (spike flits carry the kind bit). */
  split: boolean;
  /** Payload bits of a post-spike packet to a split layer's slices (learning/params.ts postSpikePayloadBits). */
  postSpikeBits: number;
}

/** Router ports: N, E, S, W, Local. */
export const ROUTER_PORTS = 5;

/**
 * Packet width in bits of a chip (the NoC's packet format, with the I/O select bit),
 * as the cycle model sizes its flits (src/chip/chip.ts): `split` = the mapping splits
 * a layer, so every spike flit carries the kind bit.
 */
export function packetBitsFor(p: ChipParams, split = false): number {
  // Buffers, crossbar and links work per flit: a flit is noc.flitWidth bits when set.
  const w = p.noc.flitWidth ?? 0;
  if (w > 0) return w;
  const unicast = unicastFlitBitsFor(p, split);
  if ((p.noc.multicast ?? 'unicast') !== 'tree') return unicast;
  return Math.max(unicast, multicastSpikeBits(p.mesh.width, p.mesh.height, p.core.neurons, p.core.axons));
}

/** Bits of one unicast spike flit (what a flit a multicast tree saves would have cost on a link). */
export function unicastFlitBitsFor(p: ChipParams, split = false): number {
  const w = p.noc.flitWidth ?? 0;
  if (w > 0) return w;
  return spikePacketBits(p.mesh.width, p.mesh.height, p.core.axons, split, (p.noc.multicast ?? 'unicast') === 'tree');
}

/** The chip's `noc` section (router and link parameters). */
export function nocOf(p: ChipParams): NocParams {
  return p.noc;
}

/**
 * The energy view of a loaded chip file (buffer depth from its `noc` section) carrying a
 * mapping that splits a layer or not, with post-spike packets of `postSpikeBits` payload bits.
 */
export function energyChipOf(d: ChipDescription, split = false, postSpikeBits = 2): EnergyChip {
  return energyChip(d.params, d.file, nocOf(d.params).bufferDepth * (nocOf(d.params).vcs ?? 1), split, postSpikeBits);
}

/** Build the energy view of a chip; `packetBits` defaults to packetBitsFor(params, split). */
export function energyChip(params: ChipParams, file: string, routerBufferDepth: number, split = false, postSpikeBits = 2, packetBits = packetBitsFor(params, split)): EnergyChip {
  return { params, file, routerBufferDepth, packetBits, split, postSpikeBits };
}

/** SECDED check bits stored with every SRAM word (0 without an error-correcting code). */
export function eccCheckBits(c: EnergyChip): number {
  const s = c.params.core.sram;
  return (s.ecc ?? 'none') === 'secded' ? secdedCheckBits(s.wordBits) : 0;
}

/** Bits of one stored SRAM word: data plus check bits. */
export function storedWordBits(c: EnergyChip): number {
  return c.params.core.sram.wordBits + eccCheckBits(c);
}

/** Stored bits per data bit of the SRAM (1 without an error-correcting code). */
export function sramStoredFactor(c: EnergyChip): number {
  return storedWordBits(c) / c.params.core.sram.wordBits;
}

/**
 * Two-input XOR gates of the SECDED encoder (write) and decoder (read) of one word
 * (0 without a code): each of the c-1 Hamming check bits is the parity of about half
 * of the w data bits, the overall parity covers all w; the decoder recomputes them,
 * compares with the c stored bits and flips the erroneous data bit (w XORs).
 */
export function eccXorGates(c: EnergyChip): { encode: number; decode: number } {
  const ch = eccCheckBits(c);
  if (ch === 0) return { encode: 0, decode: 0 };
  const w = c.params.core.sram.wordBits;
  const encode = (ch - 1) * Math.ceil(w / 2) + w;
  return { encode, decode: encode + ch + w };
}

/** Stored bits of one weight SRAM macro (one bank), check bits included. */
export function weightMacroBits(c: EnergyChip): number {
  return (c.params.core.sram.capacityBits / c.params.core.sram.banks) * sramStoredFactor(c);
}

/** Stored bits of one plasticity-counter SRAM macro (one bank), check bits included. */
export function counterMacroBits(c: EnergyChip): number {
  return (c.params.core.sram.counterCapacityBits / c.params.core.sram.banks) * sramStoredFactor(c);
}

/** Flip-flops clocked on every active datapath cycle: pipeline operand registers and the accumulator. */
export function datapathClockedBits(c: EnergyChip): number {
  const k = c.params.core;
  return k.pipelineDepth * k.sram.wordBits * k.sram.banks + k.accumulatorBits;
}

/** Number of tiles (router + core) of the mesh. */
export function tileCount(c: EnergyChip): number {
  return c.params.mesh.width * c.params.mesh.height;
}
