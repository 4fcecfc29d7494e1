/**
 * The entries every technology table (hw/tech/*.json) must provide, declared once as
 * data: section, key, dimension, and what the value prices. The loader checks each
 * table against this list and docs/energy-model.md describes the same entries.
 */
import type { Dimension } from './units';

/** One required table entry. */
export interface TechEntryDecl {
  /** Section of the table file (top-level key). */
  section: 'sram' | 'logic' | 'noc' | 'io';
  /** Key inside the section. */
  key: string;
  /** Physical dimension of the value. */
  dim: Dimension;
  /** What the value is, with the event it prices. */
  doc: string;
  /** True when zero is not meaningful (sizes, exponents, areas). */
  positive?: boolean;
}

function e(section: TechEntryDecl['section'], key: string, dim: Dimension, doc: string, positive = false): TechEntryDecl {
  return positive ? { section, key, dim, doc, positive } : { section, key, dim, doc };
}

/** Every entry a technology table must define. */
export const TECH_ENTRIES: readonly TechEntryDecl[] = [
  e('sram', 'anchorBytes', 'storage', 'macro size of the SRAM anchor point', true),
  e('sram', 'anchorWordBits', 'storage', 'word width of the SRAM anchor point', true),
  e('sram', 'readAnchor', 'energy', 'one word read at the anchor size and width', true),
  e('sram', 'writeAnchor', 'energy', 'one word write at the anchor size and width', true),
  e('sram', 'readSizeExponent', 'ratio', 'read energy ~ (macro size)^x at fixed width'),
  e('sram', 'readWidthExponent', 'ratio', 'read energy ~ (word width)^x at fixed size'),
  e('sram', 'writeSizeExponent', 'ratio', 'write energy ~ (macro size)^x at fixed width'),
  e('sram', 'writeWidthExponent', 'ratio', 'write energy ~ (word width)^x at fixed size'),
  e('sram', 'leakagePerBit', 'power', 'leakage power of one stored SRAM bit'),
  e('sram', 'bitcellArea', 'area', 'area of one 6T bitcell', true),
  e('sram', 'macroAreaPerBit', 'area', 'macro area per bit (bitcell + periphery)', true),
  e('logic', 'xnorPerBit', 'energy', 'one XNOR (or AND) gate evaluation, per bit'),
  e('logic', 'popcountPerInputBit', 'energy', 'popcount tree, per input bit (about one full adder)'),
  e('logic', 'adderPerBit', 'energy', 'integer addition, per bit of width (accumulator and state adds)'),
  e('logic', 'counterPerBit', 'energy', 'saturating counter update, per bit of width (plasticity counters)'),
  e('logic', 'registerWritePerBit', 'energy', 'register or register-file write, per bit'),
  e('logic', 'flopClockPerBitCycle', 'energy', 'clocking one flip-flop for one cycle'),
  e('logic', 'flopLeakage', 'power', 'leakage power of one flip-flop'),
  e('logic', 'flopArea', 'area', 'area of one flip-flop', true),
  e('logic', 'adderAreaPerBit', 'area', 'adder area per bit of width (one full adder)', true),
  e('logic', 'xnorAreaPerBit', 'area', 'XNOR gate area per bit', true),
  e('noc', 'routerFlit32', 'energy', 'router traversal (buffer write + read + allocation + crossbar) of one 32-bit flit', true),
  e('noc', 'routerFlit64', 'energy', 'router traversal of one 64-bit flit', true),
  e('noc', 'routerClockPerCycle', 'energy', 'router clock energy per active cycle'),
  e('noc', 'linkPerBitPerMm', 'energy', 'repeated wire energy per bit per mm'),
  e('noc', 'routerLeakage', 'power', 'leakage power of one router'),
  e('noc', 'routerArea', 'area', 'area of one 5-port router', true),
  e('io', 'perBit', 'energy', 'one bit crossing the chip boundary through the I/O port'),
];

/** The JSON path of an entry, e.g. "sram.readAnchor". */
export function entryPath(d: TechEntryDecl): string {
  return `${d.section}.${d.key}`;
}
