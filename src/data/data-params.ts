/** Declaration of the experiment config's `data` section: dataset, split limits, input coding. */
import type { SectionParam } from '../config/param';

/** Validated `data` section. */
export interface DataConfig {
  dataset: 'mnist' | 'idx';
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
  threshold: number;
  coding: 'threshold' | 'thermometer' | 'bitplane' | 'rate';
  codeBits: number;
  rateFrames: number;
  trainLimit: number;
  testLimit: number;
  shift: number;
  shiftShare: number;
}

const idxFile = (what: string): SectionParam['fields'][string] => ({
  kind: 'string',
  default: '',
  file: true,
  doc: `IDX ${what} file (plain or .gz); required when data.dataset is "idx"`,
});

/** The `data` section of an experiment config. */
export const DATA_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'Dataset, train/test split and the coding of grey levels into input bits',
  fields: {
    dataset: {
      kind: 'enum',
      values: ['mnist', 'idx'],
      default: 'mnist',
      doc: '"mnist": the bundled mnist package (10,000 digits, per-class 80/20 split = 7,996/2,004); "idx": your own IDX files',
    },
    trainImages: idxFile('training image'),
    trainLabels: idxFile('training label'),
    testImages: idxFile('test image'),
    testLabels: idxFile('test label'),
    threshold: {
      kind: 'number',
      default: 0.5,
      min: 0,
      max: 1,
      doc: 'coding "threshold": a pixel becomes bit 1 when its grey level / 255 >= threshold',
    },
    coding: {
      kind: 'enum',
      values: ['threshold', 'thermometer', 'bitplane', 'rate'],
      default: 'threshold',
      doc:
        'how grey levels become input bits: "threshold" one bit per pixel (data.threshold); "thermometer" data.codeBits bits per pixel, bit k on when g/255 >= (k+1)/(codeBits+1); ' +
        '"bitplane" the data.codeBits most significant bits of g; "rate" one bit per pixel per step, on with probability g/255, data.rateFrames frames drawn from the seed (network.inputs = pixels x codeBits, or pixels for threshold and rate)',
    },
    codeBits: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 8,
      unit: 'bits per pixel',
      doc: 'input axons per pixel of the thermometer and bitplane codings',
    },
    rateFrames: {
      kind: 'int',
      default: 10,
      min: 2,
      max: 256,
      unit: 'frames',
      doc: 'coding "rate": distinct input frames per sample; step t of the free phase clamps frame t mod F, step t of a nudged phase frame (freeSteps + t) mod F',
    },
    trainLimit: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'samples',
      doc: 'train on N training samples only, for quick runs: stratified by class, drawn with the experiment seed (0 = all)',
    },
    testLimit: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'samples',
      doc: 'evaluate on N test samples only, stratified by class, drawn with the experiment seed (0 = all)',
    },
    shift: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 8,
      unit: 'pixels',
      doc:
        'training only: move a training sample by dx, dy drawn uniformly from -shift..shift pixels before presenting it (edges filled with 0; square images); ' +
        'the draw is seeded per epoch and sample; test samples are never moved; 0 = off',
    },
    shiftShare: {
      kind: 'number',
      default: 1,
      min: 0,
      max: 1,
      doc: 'with data.shift > 0: the probability that a training presentation is moved at all (the others are presented as they are)',
    },
  },
  check: (v) => {
    if (v['dataset'] !== 'idx') return null;
    for (const key of ['trainImages', 'trainLabels', 'testImages', 'testLabels']) {
      if (v[key] === '') return [key, 'required when data.dataset is "idx"'];
    }
    return null;
  },
};
