/**
 * Training throughput of the functional model on the MNIST split (7,996 training
 * samples, one epoch from the initial weights, CPU seconds): the default config
 * (configs/mnist-default.json) and the reference size of Laydevant et al. 2021,
 * 784-2048-100, T1 = 20, T2 = 10, one-sided nudging. The authors' PyTorch code is not
 * run here, so no ratio against it is printed. Each case runs with the WebAssembly
 * mat-vec (the default) and with the portable TypeScript kernels.
 */
import * as path from 'path';
import { EXPERIMENT_PARAMS, type ExperimentConfig } from '../../src/config/experiment';
import { validateParam } from '../../src/config/param';
import { readJsonFile } from '../../src/config/json-file';
import { binarise } from '../../src/data/binarise';
import { loadMnistPackage } from '../../src/data/mnist-package';
import type { ModelParams } from '../../src/learning/params';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { rngStream, shuffleInPlace } from '../../src/util/rng';
import { cpuSeconds, printTable } from './bench-util';

function main(): void {
  const grey = loadMnistPackage();
  const train = binarise(grey.train, 0.5, 'train');
  const n = train.labels.length;
  const rows: Uint32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(train.bits.subarray(i * train.words, (i + 1) * train.words));
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, rngStream(1, 'bench-order'));

  const file = path.join(__dirname, '..', '..', '..', 'configs', 'mnist-default.json');
  const raw = readJsonFile(file, 'experiment config') as Record<string, unknown>;
  const def = validateParam(EXPERIMENT_PARAMS, raw, file, '') as ExperimentConfig;
  const defaultModel: ModelParams = { network: def.network, dynamics: def.dynamics, learning: def.learning };
  const authors: ModelParams = {
    network: { ...def.network, hidden: [2048], replicas: 10 },
    dynamics: { ...def.dynamics, freeSteps: 20, nudgedSteps: 10 },
    learning: { ...def.learning, symmetric: false },
  };

  const epoch = (p: ModelParams, wasm: boolean): number => {
    const eng = new FunctionalEngine(p, 1, { wasm });
    const signs = rngStream(1, 'beta-sign');
    const t0 = cpuSeconds();
    for (const i of order) {
      eng.runSample(rows[i] as Uint32Array, train.labels[i] as number, { learn: true, betaSign: signs.next() < 0.5 ? 1 : -1 });
    }
    return cpuSeconds() - t0;
  };

  const table: string[][] = [];
  const cases: Array<[string, ModelParams]> = [
    [`default ${[def.network.inputs, ...def.network.hidden, def.network.classes * def.network.replicas].join('-')}, symmetric`, defaultModel],
    ['784-2048-100, T1=20, T2=10, one-sided', authors],
  ];
  for (const [name, p] of cases) {
    for (const wasm of [true, false]) {
      const s = epoch(p, wasm);
      table.push([
        `${name}, ${wasm ? 'WebAssembly' : 'TypeScript'} mat-vec`,
        s.toFixed(2),
        (n / s).toFixed(0),
      ]);
    }
  }
  printTable(['first training epoch (7,996 samples)', 'CPU s', 'samples/s'], table);
}

main();
