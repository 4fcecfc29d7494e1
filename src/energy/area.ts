/**
 * Area of a tile (core + router) and of the chip, from the technology table.
 *
 *   weight SRAM   = sram.capacityBits * f * macroAreaPerBit + banks * ECC XORs * xnorAreaPerBit
 *   counter SRAM  = sram.counterCapacityBits * f * macroAreaPerBit + banks * ECC XORs * xnorAreaPerBit
 *                   (f = stored bits per data bit, 1 without ECC; ECC XORs = encoder + decoder gates, chip-view.ts)
 *   registers     = core flip-flop bits (storage.ts) * flopArea
 *   datapath      = banks * wordBits * (xnorArea + adderArea)     XNOR + popcount tree (~1 full adder per input bit)
 *                 + (accumulatorBits + stateBits) * adderArea      accumulator and state adders
 *   plasticity    = wordBits * counterBits * (adderArea + flopArea) one word of counters updated bit-sliced
 *   router        = max(0, routerArea - DSENT buffer bits * flopArea) + router buffer bits * flopArea
 *   (SRAM bitcells alone = SRAM bits * bitcellArea, reported to show the periphery overhead)
 *   tile pitch    = sqrt(tile area)   (square tiles; sets the link length between neighbours)
 *   chip          = tiles * tile area (I/O pads and clock tree not included)
 */
import { techValue } from './tech-table';
import type { TechTable } from './tech-table';
import { eccXorGates, sramStoredFactor, tileCount } from './chip-view';
import type { EnergyChip } from './chip-view';
import { coreFlops, coreFlopTotal, DSENT_REFERENCE_BUFFER_BITS, routerBufferBits } from './storage';
import type { StorageOptions } from './storage';

/** Area of one tile by part, in um^2. */
export interface TileArea {
  weightSram: number;
  counterSram: number;
  registers: number;
  datapath: number;
  plasticity: number;
  router: number;
}

/** Area report of a chip. */
export interface AreaReport {
  /** Technology table name. */
  tech: string;
  /** One tile by part, um^2. */
  tileUm2: TileArea;
  /** One tile, mm^2. */
  tileMm2: number;
  /** Tile pitch (side of a square tile) = link length between neighbour routers, mm. */
  tilePitchMm: number;
  tiles: number;
  /** Whole chip (tiles only), mm^2. */
  chipMm2: number;
  /** Share of each part in the tile area (0..1). */
  share: Record<keyof TileArea, number>;
  /** Bitcell area of the tile's SRAM bits (bits x bitcellArea), um^2: the array without periphery. */
  sramBitcellUm2: number;
}

/** Router area with this chip's buffers in place of DSENT's reference buffers, um^2. */
export function routerAreaUm2(c: EnergyChip, t: TechTable): number {
  const flop = techValue(t, 'logic.flopArea');
  const rest = Math.max(0, techValue(t, 'noc.routerArea') - DSENT_REFERENCE_BUFFER_BITS * flop);
  return rest + routerBufferBits(c) * flop;
}

/** Area of one tile and of the chip. */
export function areaReport(c: EnergyChip, t: TechTable, o: StorageOptions): AreaReport {
  const k = c.params.core;
  const macro = techValue(t, 'sram.macroAreaPerBit');
  const flop = techValue(t, 'logic.flopArea');
  const adder = techValue(t, 'logic.adderAreaPerBit');
  const xnor = techValue(t, 'logic.xnorAreaPerBit');
  const lanes = k.sram.banks * k.sram.wordBits;
  const f = sramStoredFactor(c);
  const gates = eccXorGates(c);
  const codec = k.sram.banks * (gates.encode + gates.decode) * xnor;
  const tileUm2: TileArea = {
    weightSram: k.sram.capacityBits * f * macro + codec,
    counterSram: k.sram.counterCapacityBits * f * macro + (k.sram.counterCapacityBits > 0 ? codec : 0),
    registers: coreFlopTotal(coreFlops(c, o)) * flop,
    datapath: lanes * (xnor + adder) + (k.accumulatorBits + k.stateBits) * adder,
    plasticity: k.sram.wordBits * k.counterBits * (adder + flop),
    router: routerAreaUm2(c, t),
  };
  const tile = Object.values(tileUm2).reduce((a, b) => a + b, 0);
  const share = {} as Record<keyof TileArea, number>;
  for (const key of Object.keys(tileUm2) as (keyof TileArea)[]) share[key] = tileUm2[key] / tile;
  const tiles = tileCount(c);
  return {
    tech: t.name,
    tileUm2,
    tileMm2: tile * 1e-6,
    tilePitchMm: Math.sqrt(tile) * 1e-3,
    tiles,
    chipMm2: tiles * tile * 1e-6,
    share,
    sramBitcellUm2: (k.sram.capacityBits + k.sram.counterCapacityBits) * f * techValue(t, 'sram.bitcellArea'),
  };
}
