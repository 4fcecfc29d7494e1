import * as fs from 'fs';
import * as path from 'path';
import { loadExperiment } from '../../../src/config/experiment';
import { layerSizes } from '../../../src/learning/params';
import { codedWidth } from '../../../src/data/encode';

const dir = path.join(__dirname, '..', '..', '..', 'configs');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('configs/*.json', () => {
  test('the default and one config per rule/encoding combination exist', () => {
    for (const f of ['mnist-default.json', 'mnist-spin-counter.json', 'mnist-binary-hidden.json', 'mnist-spin-hidden.json', 'mnist-float.json']) {
      expect(files).toContain(f);
    }
  });
  test.each(files)('%s validates', (f) => {
    const e = loadExperiment(path.join(dir, f));
    // 784 pixels, times the bits per pixel of a widening input coding.
    expect(layerSizes(e.config.network)[0]).toBe(codedWidth(e.config.data, 784));
  });
  test('the default is binary weights and binary activations with the counter rule', () => {
    const c = loadExperiment(path.join(dir, 'mnist-default.json')).config;
    expect(c.dynamics.encoding).toBe('binary');
    expect(c.learning.rule).toBe('counter');
    expect(c.run.precision).toBe('binary');
  });
});
