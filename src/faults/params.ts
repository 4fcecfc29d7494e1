/**
 * The `faults` section of an experiment config: seeded permanent faults of the
 * simulated chip and transient flips of its SRAM reads (docs/faults.md). Rates are per cell or per neuron; `faults.seed`
 * picks the die, so the same die can be trained with several experiment seeds.
 */
import type { NumberParam, SectionParam } from '../config/param';

/** Validated `faults` section. */
export interface FaultParams {
  /** Seed of the fault map (the die): every fault position derives from it. */
  seed: number;
  /** Fraction of synapses whose weight cells are stuck (half at 0, half at 1). */
  weightStuckRate: number;
  /** Fraction of synapses with one stuck learning-register (counter) bit. */
  counterStuckRate: number;
  /** Fraction of neurons whose spike output is stuck at 0. */
  neuronStuckOffRate: number;
  /** Fraction of neurons whose spike output is stuck at 1. */
  neuronStuckOnRate: number;
  /** Probability that a bit of a weight-SRAM read is flipped (transient; the cell keeps its value). */
  readFlipRate: number;
  /** Routers that pass nothing (their tile's core is cut off too). */
  deadRouters: DeadRouter[];
  /** Links (both directions) that carry nothing. */
  deadLinks: DeadLink[];
}

/** A dead router, by tile. */
export interface DeadRouter {
  x: number;
  y: number;
}

/** A dead link: the one between router (x, y) and its neighbour in direction `dir`. */
export interface DeadLink {
  x: number;
  y: number;
  dir: 'N' | 'E' | 'S' | 'W';
}

/** The fault-free setting. */
export const NO_FAULTS: FaultParams = { seed: 1, weightStuckRate: 0, counterStuckRate: 0, neuronStuckOffRate: 0, neuronStuckOnRate: 0, readFlipRate: 0, deadRouters: [], deadLinks: [] };

/** True when any fault rate is above zero (faults of SRAM cells or neurons, transient read flips). */
export function faultsOn(f: FaultParams | undefined): f is FaultParams {
  return f !== undefined && (f.weightStuckRate > 0 || f.counterStuckRate > 0 || f.neuronStuckOffRate > 0 || f.neuronStuckOnRate > 0 || (f.readFlipRate ?? 0) > 0);
}

/** True when a router or a link of the mesh is dead. */
export function deadRoutesOn(f: FaultParams | undefined): f is FaultParams {
  return f !== undefined && ((f.deadRouters ?? []).length > 0 || (f.deadLinks ?? []).length > 0);
}

function checkTiles(v: unknown, withDir: boolean): string | null {
  const shape = withDir ? '{"x": int, "y": int, "dir": "N"|"E"|"S"|"W"}' : '{"x": int, "y": int}';
  if (!Array.isArray(v)) return `expected an array of ${shape}, got ${JSON.stringify(v)}`;
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return `[${i}]: expected ${shape}`;
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'x' && k !== 'y' && !(withDir && k === 'dir')) return `[${i}].${k}: unknown key (expected ${shape})`;
    for (const k of ['x', 'y']) {
      const n = o[k];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return `[${i}].${k}: expected an integer >= 0, got ${JSON.stringify(n)}`;
    }
    if (withDir && !['N', 'E', 'S', 'W'].includes(o['dir'] as string)) return `[${i}].dir: expected "N", "E", "S" or "W", got ${JSON.stringify(o['dir'])}`;
  }
  return null;
}

const rate = (doc: string): NumberParam => ({ kind: 'number', default: 0, min: 0, max: 1, unit: 'fraction', doc });

/** Declaration of the `faults` config section. */
export const FAULTS_SECTION: SectionParam = {
  kind: 'section',
  doc: 'permanent faults and transient SRAM read flips of the simulated chip, applied identically by the chip and the functional model (docs/faults.md)',
  fields: {
    seed: { kind: 'int', default: 1, min: 0, max: 2147483647, doc: 'seed of the fault map (the die); independent of the experiment seed' },
    weightStuckRate: rate('fraction of synapses whose weight SRAM cells (both copies) are stuck, half at 0 and half at 1'),
    counterStuckRate: rate('fraction of synapses with one stuck bit in their learning register (plasticity counter) SRAM cells'),
    neuronStuckOffRate: rate('fraction of neurons (layers >= 1) whose spike output is stuck at 0'),
    neuronStuckOnRate: rate('fraction of neurons (layers >= 1) whose spike output is stuck at 1'),
    readFlipRate: rate('probability that a bit of an SRAM read flips (transient soft error): weight reads of every network step (for that read only), and the weight and register bits the learning phase reads and writes back (docs/faults.md)'),
    deadRouters: {
      kind: 'json',
      default: [],
      doc: 'routers that pass nothing, as [{"x", "y"}]: packets whose XY route meets one are dropped at their source and counted (packetsUndeliverable)',
      check: (v) => checkTiles(v, false),
    },
    deadLinks: {
      kind: 'json',
      default: [],
      doc: 'links that carry nothing (both directions), as [{"x", "y", "dir": "N"|"E"|"S"|"W"}] from router (x, y) to its neighbour',
      check: (v) => checkTiles(v, true),
    },
  },
};
