/**
 * Register widths of the neuron datapath. Every register declares its width and
 * signedness here, and all arithmetic on them saturates through `saturate` (the one
 * saturation helper, shared with the plasticity kernels).
 *   signed b-bit register:   [-(2^(b-1)), 2^(b-1) - 1]
 *   unsigned b-bit register: [0, 2^b - 1]
 */
import { saturate as kernelSaturate } from '../kernels';

/**
 * Clamp v into [lo, hi] (the kernels' saturation helper, bound once here so hot loops
 * call a plain function rather than a re-export getter).
 */
export const saturate: (v: number, lo: number, hi: number) => number = kernelSaturate;

/** A register's width and signedness, with its value range. */
export interface RegisterSpec {
  bits: number;
  signed: boolean;
  min: number;
  max: number;
}

/** Declare a register of `bits` bits (signed or unsigned). */
export function register(bits: number, signed: boolean): RegisterSpec {
  if (!Number.isInteger(bits) || bits < 1 || bits > 31) throw new RangeError(`register width must be 1..31 bits, got ${bits}`);
  return signed
    ? { bits, signed, min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }
    : { bits, signed, min: 0, max: 2 ** bits - 1 };
}
