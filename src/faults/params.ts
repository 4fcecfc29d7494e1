/**
 * The `faults` section of an experiment config: seeded permanent faults of the
 * simulated chip (docs/faults.md). Rates are per cell or per neuron; `faults.seed`
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
}

/** The fault-free setting. */
export const NO_FAULTS: FaultParams = { seed: 1, weightStuckRate: 0, counterStuckRate: 0, neuronStuckOffRate: 0, neuronStuckOnRate: 0 };

/** True when any fault rate is above zero. */
export function faultsOn(f: FaultParams | undefined): f is FaultParams {
  return f !== undefined && (f.weightStuckRate > 0 || f.counterStuckRate > 0 || f.neuronStuckOffRate > 0 || f.neuronStuckOnRate > 0);
}

const rate = (doc: string): NumberParam => ({ kind: 'number', default: 0, min: 0, max: 1, unit: 'fraction', doc });

/** Declaration of the `faults` config section. */
export const FAULTS_SECTION: SectionParam = {
  kind: 'section',
  doc: 'permanent faults of the simulated chip, applied identically by the chip and the functional model (docs/faults.md)',
  fields: {
    seed: { kind: 'int', default: 1, min: 0, max: 2147483647, doc: 'seed of the fault map (the die); independent of the experiment seed' },
    weightStuckRate: rate('fraction of synapses whose weight SRAM cells (both copies) are stuck, half at 0 and half at 1'),
    counterStuckRate: rate('fraction of synapses with one stuck bit in their learning register (plasticity counter) SRAM cells'),
    neuronStuckOffRate: rate('fraction of neurons (layers >= 1) whose spike output is stuck at 0'),
    neuronStuckOnRate: rate('fraction of neurons (layers >= 1) whose spike output is stuck at 1'),
  },
};
