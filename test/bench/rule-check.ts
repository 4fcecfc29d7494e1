/**
 * Rule check on the default network (configs/mnist-default.json, fresh weights of seed 1):
 * 100 training samples, the default beta sweep (6 values) x both nudgings = 12 points,
 * CPU seconds of the check itself (data loading excluded). Target: under a minute.
 * Also prints the float EP reference against BPTT at beta = 0.01 per layer.
 */
import * as path from 'path';
import { loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { ruleCheck } from '../../src/lab/rule-check';
import { initialSnapshot } from '../../src/learning/init';
import { cpuSeconds, printTable } from './bench-util';

function main(): void {
  const exp = loadExperiment(path.join(__dirname, '../../../configs/mnist-default.json'));
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const data = loadData(cfg.data, cfg.seed);
  const n = 100;
  const t0 = cpuSeconds();
  const r = ruleCheck({
    model,
    float: cfg.float,
    snapshot: initialSnapshot(model, cfg.seed),
    inputs: data.train.rows.slice(0, n),
    labels: data.train.labels.subarray(0, n),
    betas: [0.01, 0.05, 0.25, 1, 2, 4],
    nudgings: ['one-sided', 'symmetric'],
  });
  const dt = cpuSeconds() - t0;
  const rows = r.pairs.filter((p) => p.beta === 0.01 && p.a === 'ep' && p.b === 'bptt').map((p) => [p.nudging, String(p.layer), p.cosine!.toFixed(4), p.relativeMagnitude!.toFixed(4)]);
  printTable(['nudging', 'layer', 'EP-vs-BPTT cosine at beta 0.01', '|EP| / |BPTT|'], rows);
  console.log(`rule check, ${exp.name}, ${n} samples x 12 points: ${dt.toFixed(1)} CPU s (goal < 60)`);
}

main();
