/**
 * What the energy, memory and area models need to know of a chip: the validated
 * chip file plus the two NoC figures they price (router buffer depth and packet
 * width). Derived sizes (macro size per bank, clocked datapath bits) live here so
 * every model uses the same ones.
 *
 *   packetBits = src/chip/noc/packet.ts (destination x, y, axon index, payload bit, I/O select bit)
 *   weight macro bits  = sram.capacityBits / sram.banks        (one macro per read port)
 *   counter macro bits = sram.counterCapacityBits / sram.banks
 *   datapath clocked bits = pipelineDepth * wordBits * banks + accumulatorBits
 */
import type { ChipDescription, ChipParams } from '../chip/chip-file';
import type { NocParams } from '../chip/noc/params';
import { packetBits } from '../chip/noc/packet';

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
}

/** Router ports: N, E, S, W, Local. */
export const ROUTER_PORTS = 5;

/** Packet width in bits of a chip (the NoC's packet format, with the I/O select bit). */
export function packetBitsFor(p: ChipParams): number {
  return packetBits(p.mesh.width, p.mesh.height, p.core.axons, true);
}

/** The chip's `noc` section (router and link parameters). */
export function nocOf(p: ChipParams): NocParams {
  return p.noc;
}

/** The energy view of a loaded chip file (buffer depth from its `noc` section). */
export function energyChipOf(d: ChipDescription): EnergyChip {
  return energyChip(d.params, d.file, nocOf(d.params).bufferDepth);
}

/** Build the energy view of a chip; `packetBits` defaults to packetBitsFor(params). */
export function energyChip(params: ChipParams, file: string, routerBufferDepth: number, packetBits = packetBitsFor(params)): EnergyChip {
  return { params, file, routerBufferDepth, packetBits };
}

/** Bits of one weight SRAM macro (one bank). */
export function weightMacroBits(c: EnergyChip): number {
  return c.params.core.sram.capacityBits / c.params.core.sram.banks;
}

/** Bits of one plasticity-counter SRAM macro (one bank). */
export function counterMacroBits(c: EnergyChip): number {
  return c.params.core.sram.counterCapacityBits / c.params.core.sram.banks;
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
