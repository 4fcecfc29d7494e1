/**
 * Data loading and trainer overhead. Reports the CPU seconds to decode the bundled
 * mnist package (10,000 digits) and to binarise it, then the trainer's overhead:
 * one epoch through Trainer.run (order, beta signs, progress hook, yields, test pass)
 * against a bare loop calling engine.runSample on the same samples in the same order,
 * alternating the two three times and keeping each one's best.
 */
import { loadMnistPackage } from '../../src/data/mnist-package';
import { binarise } from '../../src/data/binarise';
import { bitDataset } from '../../src/data/dataset';
import { validateParam } from '../../src/config/param';
import { EXPERIMENT_PARAMS, type ExperimentConfig } from '../../src/config/experiment';
import { createEngine } from '../../src/train/engine-factory';
import { BetaSigns, epochOrder } from '../../src/train/sample-order';
import { Trainer } from '../../src/train/trainer';
import { cpuSeconds, printTable } from './bench-util';

async function main(): Promise<void> {
  let t = cpuSeconds();
  const grey = loadMnistPackage();
  const decode = cpuSeconds() - t;
  t = cpuSeconds();
  const train = binarise(grey.train, 0.5, 'train');
  const test = binarise(grey.test, 0.5, 'test');
  const bin = cpuSeconds() - t;
  printTable(
    ['step', 'CPU s'],
    [
      ['decode mnist package (10,000 digits)', decode.toFixed(3)],
      ['binarise + pack (10,000 x 784 bits)', bin.toFixed(3)],
    ],
  );

  // A small network so that per-sample overhead is visible: 784-512-10, T1 = 8, T2 = 4.
  const cfg = validateParam(
    EXPERIMENT_PARAMS,
    { network: { hidden: [512], replicas: 1 }, dynamics: { freeSteps: 8, nudgedSteps: 4 } },
    'bench',
    '',
  ) as ExperimentConfig;
  const n = 2000;
  const sub = {
    train: bitDataset('train', 784, train.bits.subarray(0, n * train.words), train.labels.subarray(0, n)),
    test: bitDataset('test', 784, test.bits.subarray(0, 500 * test.words), test.labels.subarray(0, 500)),
    classes: 10,
  };
  const viaTrainer = async (): Promise<number> => {
    const trainer = new Trainer(createEngine(cfg, 'bench'), sub, { seed: 1, epochs: 1, randomBetaSign: true, checkpointEvery: 0 });
    let progressCalls = 0;
    const c0 = cpuSeconds();
    await trainer.run(undefined, { onProgress: () => void progressCalls++ });
    return cpuSeconds() - c0;
  };
  const bare = (): number => {
    const engine = createEngine(cfg, 'bench');
    const c0 = cpuSeconds();
    const order = epochOrder(1, 0, n);
    const signs = new BetaSigns(1, 0, 0, true);
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      engine.runSample(sub.train.rows[i] as Uint32Array, sub.train.labels[i] as number, { learn: true, betaSign: signs.next() });
    }
    for (let j = 0; j < sub.test.count; j++) engine.runSample(sub.test.rows[j] as Uint32Array, sub.test.labels[j] as number, { learn: false });
    return cpuSeconds() - c0;
  };
  let bestTrainer = Infinity;
  let bestBare = Infinity;
  for (let r = 0; r < 3; r++) {
    bestBare = Math.min(bestBare, bare());
    bestTrainer = Math.min(bestTrainer, await viaTrainer());
  }
  printTable(
    ['loop (2,000 train + 500 test samples, 784-512-10)', 'CPU s', 'samples/s'],
    [
      ['bare engine.runSample loop', bestBare.toFixed(3), (2500 / bestBare).toFixed(0)],
      ['Trainer.run (order, signs, progress, yields)', bestTrainer.toFixed(3), (2500 / bestTrainer).toFixed(0)],
      ['trainer overhead', `${(100 * (bestTrainer / bestBare - 1)).toFixed(1)}%`, ''],
    ],
  );
}

void main();
