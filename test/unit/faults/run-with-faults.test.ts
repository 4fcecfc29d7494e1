/** `bitspike run` under faults: the chip's predictions equal the functional model's with the same fault map, and the run says which faults it had. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInference } from '../../../src/cli/run';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import { encodeSnapshot } from '../../../src/store/weights-file';

const ROOT = path.join(__dirname, '../../..');

test('run with stuck cells and SECDED: same predictions as the functional model, fault line and summary in results.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-faults-'));
  const file = path.join(dir, 'faulty.json');
  const faults = { seed: 3, weightStuckRate: 0.05, neuronStuckOffRate: 0.2 };
  fs.writeFileSync(
    file,
    JSON.stringify({
      chip: path.join(ROOT, 'hw/chips/default.json'),
      network: { inputs: 784, hidden: [24], classes: 10, replicas: 2 },
      dynamics: { freeSteps: 4, nudgedSteps: 2 },
      data: { trainLimit: 40, testLimit: 12 },
      run: { progress: 'never' },
      faults,
    }),
  );
  const cfg = loadExperiment(file, ['chip.core.sram.ecc=secded']).config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const clean = new FunctionalEngine(model, cfg.seed, { wordBits: 64 });
  const data = loadData(cfg.data, cfg.seed);
  for (let i = 0; i < 40; i++) clean.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: 1 });
  const weights = path.join(dir, 'weights.bin');
  fs.writeFileSync(weights, encodeSnapshot(clean.snapshot()));
  // The functional model with the same faults and code, loaded with the clean weights.
  const faulty = new FunctionalEngine({ ...model, faults: cfg.faults }, cfg.seed, { wordBits: 64, ecc: 'secded' });
  faulty.restore(clean.snapshot());
  let want = 0;
  for (let i = 0; i < 12; i++) if (faulty.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction === data.test.labels[i]) want++;
  const lines: string[] = [];
  const out = path.join(dir, 'run');
  const r = runInference({ config: file, sets: ['chip.core.sram.ecc=secded'], weights, out }, { out: (s) => lines.push(s), progressStream: { write: () => true, isTTY: false } });
  expect(r.accuracy).toBe(want / 12);
  expect(lines.join("")).toMatch(/faults \(faults\.seed 3\): [\d,]+ of 19,296 synapses with stuck weight cells \([\d,]+ left after SECDED\), 0 neurons stuck on, [1-9]\d* stuck off\n/);
  const res = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  expect(res.faults.ecc).toBe('secded');
  expect(res.faults.synapses).toBe(784 * 24 + 24 * 20);
  expect(res.faults.weightFaultsDrawn).toBeGreaterThan(res.faults.weightFaults);
  fs.rmSync(dir, { recursive: true, force: true });
});
