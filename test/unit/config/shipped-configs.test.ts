import * as fs from 'fs';
import * as path from 'path';
import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import { createEngine } from '../../../src/train/engine-factory';
import { checkDataFitsNetwork } from '../../../src/train/train-run';

const dir = path.join(__dirname, '..', '..', '..', 'configs');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('shipped configs', () => {
  test('the default config is among them', () => {
    expect(files).toContain('mnist-default.json');
  });

  test.each(files)('%s validates, fits its data and builds its engine', (f) => {
    const exp = loadExperiment(path.join(dir, f));
    checkDataFitsNetwork(exp, loadData(exp.config.data, 1));
    expect(createEngine(exp.config, exp.label).snapshot().layers[0]).toBe(exp.config.network.inputs);
  });
});
