import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/data/idx';
import { loadData } from '../../../src/data/load-data';
import { loadMnistPackage } from '../../../src/data/mnist-package';
import { tempDir } from '../train/tiny-config';

const dir = tempDir('idx-vs-pkg');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the bundled digits written as IDX files load to exactly the same binarised sets', () => {
  const { train, test } = loadMnistPackage();
  const write = (name: string, bytes: Uint8Array, gz: boolean): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, gz ? zlib.gzipSync(bytes, { level: 1 }) : bytes);
    return f;
  };
  const cfg = {
    dataset: 'idx' as const,
    trainImages: write('train-images-idx3-ubyte.gz', encodeIdx(IDX_IMAGES_MAGIC, [train.count, 28, 28], train.pixels), true),
    trainLabels: write('train-labels-idx1-ubyte', encodeIdx(IDX_LABELS_MAGIC, [train.count], train.labels), false),
    testImages: write('t10k-images-idx3-ubyte', encodeIdx(IDX_IMAGES_MAGIC, [test.count, 28, 28], test.pixels), false),
    testLabels: write('t10k-labels-idx1-ubyte.gz', encodeIdx(IDX_LABELS_MAGIC, [test.count], test.labels), true),
    threshold: 0.3,
    coding: 'threshold' as const,
    codeBits: 2,
    rateFrames: 10,
    shift: 0,
    shiftShare: 1,
    trainLimit: 0,
    testLimit: 0,
  };
  const viaIdx = loadData(cfg, 1);
  const viaPackage = loadData({ ...cfg, dataset: 'mnist' }, 1);
  expect(viaIdx.train.count).toBe(7996);
  expect(viaIdx.test.count).toBe(2004);
  expect(viaIdx.classes).toBe(10);
  expect(Buffer.from(viaIdx.train.bits.buffer).equals(Buffer.from(viaPackage.train.bits.buffer))).toBe(true);
  expect(Buffer.from(viaIdx.test.bits.buffer).equals(Buffer.from(viaPackage.test.bits.buffer))).toBe(true);
  expect(Array.from(viaIdx.train.labels)).toEqual(Array.from(viaPackage.train.labels));
});
