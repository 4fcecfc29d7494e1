/**
 * Physical dimensions and units of technology-table values. Values are converted on
 * load to one base unit per dimension: energy pJ, power pW (so pW x s = pJ),
 * area um^2, length mm, storage bits; exponents are dimensionless.
 */

/** The dimension a table entry measures. */
export type Dimension = 'energy' | 'power' | 'area' | 'length' | 'storage' | 'ratio';

/** Base unit of each dimension (what TechTable numbers are expressed in). */
export const BASE_UNIT: Readonly<Record<Dimension, string>> = {
  energy: 'pJ',
  power: 'pW',
  area: 'um2',
  length: 'mm',
  storage: 'bit',
  ratio: '1',
};

/** Accepted units per dimension and their factor to the base unit. */
export const UNITS: Readonly<Record<Dimension, Readonly<Record<string, number>>>> = {
  energy: { fJ: 1e-3, pJ: 1, nJ: 1e3 },
  power: { pW: 1, nW: 1e3, uW: 1e6, mW: 1e9 },
  area: { um2: 1, mm2: 1e6 },
  length: { um: 1e-3, mm: 1 },
  storage: { bit: 1, B: 8, KB: 8192 },
  ratio: { '1': 1 },
};

/** Factor converting `unit` to the base unit of `dim`, or undefined if the unit is not accepted. */
export function unitFactor(dim: Dimension, unit: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(UNITS[dim], unit) ? UNITS[dim][unit] : undefined;
}
