/** The float EP reference fed grey levels (float.binaryInput = false), through the trainer. */
import * as fs from 'fs';
import * as path from 'path';
import { greyRows } from '../../../src/data/encode';
import { loadMnistPackage } from '../../../src/data/mnist-package';
import { FloatEpNetwork } from '../../../src/model/float-ep';
import { FLOAT_SECTION, type FloatParams } from '../../../src/model/float-params';
import { NETWORK_SECTION, type NetworkParams } from '../../../src/learning/params';
import { defaultOf } from '../../../src/config/param';
import { loadExperiment } from '../../../src/config/experiment';
import { FloatReferenceEngine } from '../../../src/train/float-engine';
import { createEngine } from '../../../src/train/engine-factory';
import { runTraining, type TrainIo } from '../../../src/train/train-run';
import { userErrorMessage } from '../user-error';
import { tempDir, writeTinyConfig } from './tiny-config';

const quietIo = (): TrainIo => ({ out: () => undefined, err: () => undefined, progressStream: { write: () => true, isTTY: false } });

describe('float reference with grey-level input', () => {
  const mnist = loadMnistPackage();
  const few = { ...mnist.train, count: 6, pixels: mnist.train.pixels.subarray(0, 6 * 784), labels: mnist.train.labels.subarray(0, 6) };
  test('greyRows: byte p of a row is the grey level of pixel p', () => {
    const d = greyRows(few, 'g');
    expect(d.features).toBe(8 * 784);
    for (let s = 0; s < 6; s++) {
      const bytes = new Uint8Array(784);
      const row = d.rows[s] as Uint32Array;
      for (let p = 0; p < 784; p++) bytes[p] = ((row[p >>> 2] as number) >>> (8 * (p & 3))) & 255;
      expect(Array.from(bytes)).toEqual(Array.from(few.pixels.subarray(s * 784, (s + 1) * 784)));
    }
  });

  test('the engine feeds g / 255 to the float network, bit for bit as a direct call', () => {
    const network: NetworkParams = { ...(defaultOf(NETWORK_SECTION) as NetworkParams), hidden: [20] };
    const params: FloatParams = { ...(defaultOf(FLOAT_SECTION) as FloatParams), binaryInput: false, freeSteps: 5, nudgedSteps: 3 };
    const engine = new FloatReferenceEngine(network, params, 4);
    const direct = new FloatEpNetwork(network, params, 4);
    const rows = greyRows(few, 'g');
    const x = new Float32Array(784);
    for (let s = 0; s < 6; s++) {
      for (let p = 0; p < 784; p++) x[p] = (few.pixels[s * 784 + p] as number) / 255;
      const y = few.labels[s] as number;
      expect(engine.runSample(rows.rows[s] as Uint32Array, y, { learn: true, betaSign: 1 }).prediction).toBe(direct.runSample(x, y, true, 1));
    }
    expect(Array.from(direct.Wt[0] as Float32Array)).toEqual(Array.from((engine as unknown as { net: FloatEpNetwork }).net.Wt[0] as Float32Array));
  });

  test('bitspike train runs it; the weights differ from the binarised-input run', async () => {
    const dir = tempDir('float-grey');
    try {
      const config = writeTinyConfig(dir, 'tiny.json', { data: { trainLimit: 20, testLimit: 10 } });
      const sets = ['run.precision=float', 'run.mode=functional', 'run.epochs=1'];
      const grey = await runTraining({ config, sets: [...sets, 'float.binaryInput=false'], out: path.join(dir, 'grey') }, quietIo());
      const bin = await runTraining({ config, sets, out: path.join(dir, 'bin') }, quietIo());
      expect(grey.status).toBe('finished');
      const w = (d: string): Buffer => fs.readFileSync(path.join(d, 'weights.bin'));
      expect(w(grey.runDir).equals(w(bin.runDir))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('grey input with a bit coding is refused with the JSON path', () => {
    const exp = loadExperiment(undefined, ['run.precision=float', 'run.mode=functional', 'float.binaryInput=false', 'data.coding=thermometer', 'network.inputs=1568']);
    expect(userErrorMessage(() => createEngine(exp.config, exp.label))).toMatch(/float\.binaryInput: is false .* data\.coding "thermometer"/);
  });
});
