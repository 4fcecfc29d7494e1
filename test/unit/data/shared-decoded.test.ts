/**
 * A sweep hands the data it decoded to its worker threads in shared memory
 * (sharedDecoded, then primeDecoded in each thread): a thread given them must load the
 * same coded sets as one that decodes the files itself, and must not decode again.
 */
import { Worker } from 'worker_threads';
import { loadData, sharedDecoded, type SharedDecoded } from '../../../src/data/load-data';
import type { DataConfig } from '../../../src/data/data-params';

const cfg: DataConfig = {
  dataset: 'mnist',
  trainImages: '',
  trainLabels: '',
  testImages: '',
  testLabels: '',
  threshold: 0.5,
  coding: 'threshold',
  codeBits: 2,
  rateFrames: 10,
  trainLimit: 300,
  testLimit: 100,
};

test('decoded sources move to shared memory once and come back as the same sets', () => {
  const before = loadData(cfg, 3);
  const shared = sharedDecoded();
  expect(shared).toHaveLength(1);
  const s = shared[0] as SharedDecoded;
  expect(s.train.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(s.test.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(s.train.count).toBe(7996);
  // A second call hands out the same shared memory (the cache keeps the shared copy).
  expect((sharedDecoded()[0] as SharedDecoded).train.pixels.buffer).toBe(s.train.pixels.buffer);
  // Another draw from the shared copy codes exactly as a fresh decode did.
  const same = loadData({ ...cfg, testLimit: 101 }, 3);
  expect(Buffer.from(same.train.bits.buffer).equals(Buffer.from(before.train.bits.buffer))).toBe(true);
});

test('a thread primed with them reads the shared pixels (no decode) and codes the same bits', async () => {
  const shared = sharedDecoded();
  const all = { ...cfg, trainLimit: 0 };
  const reference = loadData(all, 9);
  // The thread runs the compiled modules, primes its cache and codes the whole training set:
  // its grey images are then the source itself, in shared memory only if it did not decode.
  const script = `
    const { parentPort, workerData } = require('worker_threads');
    const ld = require(${JSON.stringify(require.resolve('../../../dist/src/data/load-data.js'))});
    ld.primeDecoded(workerData.shared);
    const d = ld.loadData(workerData.cfg, 9);
    parentPort.postMessage({ shared: d.grey.train.pixels.buffer instanceof SharedArrayBuffer, bits: Buffer.from(d.train.bits.buffer).toString('base64') });`;
  const run = (primed: readonly SharedDecoded[]): Promise<{ shared: boolean; bits: string }> =>
    new Promise((resolve, reject) => {
      const w = new Worker(script, { eval: true, workerData: { shared: primed, cfg: all } });
      w.once('message', (m) => {
        resolve(m as { shared: boolean; bits: string });
        void w.terminate();
      });
      w.once('error', reject);
    });
  const primed = await run(shared);
  expect(primed.shared).toBe(true);
  expect(primed.bits).toBe(Buffer.from(reference.train.bits.buffer).toString('base64'));
  // Unprimed, the thread decodes the package itself: same bits, its own memory.
  const unprimed = await run([]);
  expect(unprimed.shared).toBe(false);
  expect(unprimed.bits).toBe(primed.bits);
});
