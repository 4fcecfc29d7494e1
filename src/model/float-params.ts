/**
 * Declarations of the `float` config section: knobs of the float EP reference
 * (src/model/float-ep.ts), which shares the `network` section with the integer model.
 */
import type { SectionParam } from '../config/param';

/** The `float` section: hard-sigmoid EP with float weights and states. */
export const FLOAT_SECTION: SectionParam = {
  kind: 'section',
  doc: 'float EP reference (Scellier & Bengio 2017, Laborieux et al. 2021) with the hidden sizes of the network section',
  fields: {
    replicas: { kind: 'int', default: 1, min: 1, max: 1024, unit: 'neurons', doc: 'output neurons per class of the float reference' },
    freeSteps: { kind: 'int', default: 30, min: 1, max: 10000, unit: 'steps', doc: 'T1: steps of the free phase' },
    nudgedSteps: { kind: 'int', default: 10, min: 1, max: 10000, unit: 'steps', doc: 'T2: steps of each nudged phase' },
    beta: { kind: 'number', default: 0.5, min: 1e-6, max: 100, doc: 'nudging strength' },
    symmetric: { kind: 'bool', default: true, doc: 'symmetric nudging (+beta and -beta phases, Laborieux et al. 2021)' },
    randomSign: { kind: 'bool', default: true, doc: 'random sign of beta per sample for float runs (the trainer reads this, not learning.randomSign); no effect with symmetric nudging' },
    lr: {
      kind: 'json',
      default: [0.02, 0.01],
      doc: 'learning rate per weight layer, input side first (one value = all layers)',
      check: (v) =>
        Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && x > 0 && Number.isFinite(x))
          ? null
          : 'expected a non-empty array of positive numbers',
    },
    initGain: { kind: 'number', default: 1, min: 0, max: 100, doc: 'weights start uniform in +-initGain/sqrt(fanIn)' },
    binaryInput: { kind: 'bool', default: true, doc: 'binarise the input pixels at 0.5 like the integer model (false: grey levels)' },
  },
};

/** Validated `float` section. */
export interface FloatParams {
  replicas: number;
  freeSteps: number;
  nudgedSteps: number;
  beta: number;
  symmetric: boolean;
  randomSign: boolean;
  lr: number[];
  initGain: number;
  binaryInput: boolean;
}
