/**
 * A sweep hands the data it decoded to its worker threads in shared memory
 * (sharedDecoded, then primeDecoded in each thread): a thread given them must load the
 * same coded sets as one that decodes the files itself, and must not decode again; the
 * coded sets the sweep's check made are shared the same way (sharedCoded, primeCoded).
 */
import { Worker } from 'worker_threads';
import { loadData, sharedCoded, sharedDecoded, type SharedCoded, type SharedDecoded } from '../../../src/data/load-data';
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
  shift: 0,
  shiftShare: 1,
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

test('coded sets the sweep checked move to shared memory, and a thread primed with them uses them as they are', async () => {
  const reference = loadData(cfg, 4);
  const other = { ...cfg, trainLimit: 200 };
  const coded = sharedCoded([{ data: cfg, seed: 4 }, { data: cfg, seed: 4 }, { data: other, seed: 4 }]);
  // Only sets this process has coded, each once; the cache then hands out the shared copy.
  expect(coded).toHaveLength(1);
  const c = coded[0] as SharedCoded;
  expect(c.data.train.bits.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(loadData(cfg, 4).train.bits.buffer).toBe(c.data.train.bits.buffer);
  expect(Buffer.from(c.data.train.bits.buffer).equals(Buffer.from(reference.train.bits.buffer))).toBe(true);
  const script = `
    const { parentPort, workerData } = require('worker_threads');
    const ld = require(${JSON.stringify(require.resolve('../../../dist/src/data/load-data.js'))});
    ld.primeCoded(workerData.coded);
    const d = ld.loadData(workerData.cfg, 4);
    parentPort.postMessage({ shared: d.train.bits.buffer instanceof SharedArrayBuffer, rows: d.test.rows.length, row7: Array.from(d.train.rows[7]), bits: Buffer.from(d.train.bits.buffer).toString('base64'), labels: Array.from(d.test.labels), coverage: d.coverage, classes: d.classes });`;
  const m = await new Promise<{ shared: boolean; rows: number; row7: number[]; bits: string; labels: number[]; coverage: unknown; classes: number }>((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { coded, cfg } });
    w.once('message', (msg) => {
      resolve(msg);
      void w.terminate();
    });
    w.once('error', reject);
  });
  expect(m.shared).toBe(true);
  expect(m.bits).toBe(Buffer.from(reference.train.bits.buffer).toString('base64'));
  expect(m.rows).toBe(reference.test.count);
  expect(m.row7).toEqual(Array.from(reference.train.rows[7] as Uint32Array));
  expect(m.labels).toEqual(Array.from(reference.test.labels));
  expect(m.coverage).toEqual(reference.coverage);
  expect(m.classes).toBe(reference.classes);
});
