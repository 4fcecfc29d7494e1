/**
 * Static (leakage) power of the whole chip, in pW; every tile leaks whether or not
 * the mapping uses it (no power gating).
 *
 *   SRAM    = tiles * (capacityBits + counterCapacityBits) * f * sram.leakagePerBit   (f = stored bits per data bit: ECC check bits)
 *   flops   = tiles * core flip-flop bits (storage.ts) * logic.flopLeakage
 *   routers = tiles * (routerLeakage * (router area without buffers / routerArea) + router buffer bits * flopLeakage)
 * Combinational-logic leakage is not modelled (no per-gate figure in the sources).
 */
import { techValue } from './tech-table';
import type { TechTable } from './tech-table';
import { sramStoredFactor, tileCount } from './chip-view';
import type { EnergyChip } from './chip-view';
import { coreFlops, coreFlopTotal, DSENT_REFERENCE_BUFFER_BITS, routerBufferBits } from './storage';
import type { StorageOptions } from './storage';

/** Leakage power by part, pW. */
export interface LeakagePower {
  sram: number;
  flops: number;
  routers: number;
}

/** Leakage power of the chip by part, pW. */
export function leakagePower(c: EnergyChip, t: TechTable, o: StorageOptions): LeakagePower {
  const k = c.params.core;
  const tiles = tileCount(c);
  const flopLeak = techValue(t, 'logic.flopLeakage');
  const routerArea = techValue(t, 'noc.routerArea');
  const nonBuffer = Math.max(0, routerArea - DSENT_REFERENCE_BUFFER_BITS * techValue(t, 'logic.flopArea'));
  const router = techValue(t, 'noc.routerLeakage') * (nonBuffer / routerArea) + routerBufferBits(c) * flopLeak;
  return {
    sram: tiles * (k.sram.capacityBits + k.sram.counterCapacityBits) * sramStoredFactor(c) * techValue(t, 'sram.leakagePerBit'),
    flops: tiles * coreFlopTotal(coreFlops(c, o)) * flopLeak,
    routers: tiles * router,
  };
}

/** Total leakage power, pW. */
export function totalLeakage(l: LeakagePower): number {
  return l.sram + l.flops + l.routers;
}
