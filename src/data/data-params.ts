/** Declaration of the experiment config's `data` section: dataset, split limits, binarisation. */
import type { SectionParam } from '../config/param';

/** Validated `data` section. */
export interface DataConfig {
  dataset: 'mnist' | 'idx';
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
  threshold: number;
  trainLimit: number;
  testLimit: number;
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
  doc: 'Dataset, train/test split and binarisation',
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
      doc: 'a pixel becomes bit 1 when its grey level / 255 >= threshold',
    },
    trainLimit: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'samples',
      doc: 'train on only the first N training samples, for quick runs (0 = all)',
    },
    testLimit: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'samples',
      doc: 'evaluate on only the first N test samples, for quick runs (0 = all)',
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
