/**
 * data.shift through the trainer: training samples are presented moved by the seeded
 * draws (test samples as they are), a run interrupted mid-epoch resumes to the same
 * bits, the chip and the functional model train to the same weights, and a shift that
 * cannot apply is refused (file, JSON path, exit 2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/data/idx';
import { shiftRow } from '../../../src/data/shift';
import type { Engine } from '../../../src/learning/engine';
import { encodeSnapshot } from '../../../src/store/weights-file';
import { decodeCheckpoint, encodeCheckpoint } from '../../../src/store/checkpoint';
import { createEngine, feedData } from '../../../src/train/engine-factory';
import { epochOrder, SampleShifts } from '../../../src/train/sample-order';
import { Trainer } from '../../../src/train/trainer';
import { checkDataFitsNetwork, runTraining, shiftOption, type TrainIo } from '../../../src/train/train-run';
import { captureCli } from '../cli-capture';
import { userErrorMessage } from '../user-error';
import { Recording } from './recording-engine';
import { tempDir, writeTinyConfig } from './tiny-config';

const quietIo = (): TrainIo => ({ out: () => undefined, err: () => undefined, progressStream: { write: () => true, isTTY: false } });

const dir = tempDir('shift');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = writeTinyConfig(dir);


function setup(sets: string[]) {
  const exp = loadExperiment(file, sets);
  const data = loadData(exp.config.data, 1);
  const fed = feedData(exp.config, data);
  const shift = shiftOption(exp.config.data, fed, data.grey.train.features);
  const make = (engine: Engine = createEngine(exp.config, exp.file)): Trainer =>
    new Trainer(engine, fed, { seed: exp.config.seed, epochs: 2, randomBetaSign: true, checkpointEvery: 0, shift });
  return { exp, fed, shift, make };
}

describe('data.shift in the trainer', () => {
  test.each([
    ['threshold bits', ['data.shift=2', 'data.shiftShare=0.7']],
    ['thermometer planes', ['data.shift=1', 'data.coding=thermometer', 'data.codeBits=2', 'network.inputs=1568']],
    ['float grey bytes', ['data.shift=1', 'run.precision=float', 'float.binaryInput=false']],
  ])('%s: training samples are the seeded shifts of the rows, test samples the rows', async (_name, sets) => {
    const { exp, fed, shift, make } = setup(sets);
    expect(shift).not.toBeNull();
    const engine = new Recording(createEngine(exp.config, exp.file), true);
    await make(engine).run();
    const n = fed.train.count;
    const m = fed.test.count;
    let moved = 0;
    for (let e = 0; e < 2; e++) {
      const order = epochOrder(exp.config.seed, e, n);
      const draws = new SampleShifts(exp.config.seed, e, 0, shift!.max, shift!.share);
      for (let k = 0; k < n; k++) {
        const row = fed.train.rows[order[k]!]!;
        const want = new Uint32Array(row.length);
        if (draws.next()) {
          shiftRow(row, want, shift!.geometry, draws.dx, draws.dy);
          moved++;
        } else want.set(row);
        expect(engine.calls[e * (n + m) + k]!.input).toEqual(want);
      }
      for (let j = 0; j < m; j++) expect(engine.calls[e * (n + m) + n + j]!.input).toEqual(fed.test.rows[j]);
    }
    // Moved rows differ from the rows (the comparison above means something).
    expect(moved).toBeGreaterThan(n / 2);
  });

  test('a run stopped mid-epoch resumes to the bits of an uninterrupted run, and they differ from a run without shifts', async () => {
    const { make } = setup(['data.shift=1']);
    const full = (await make().run()).checkpoint;
    let seen = 0;
    const first = await make().run(undefined, { shouldStop: () => ++seen >= 57 });
    expect(first.status).toBe('interrupted');
    const resumed = await make().run(decodeCheckpoint(encodeCheckpoint(first.checkpoint), 'ckpt'));
    expect(Buffer.from(encodeSnapshot(resumed.checkpoint.snapshot)).equals(Buffer.from(encodeSnapshot(full.snapshot)))).toBe(true);
    const plain = (await setup([]).make().run()).checkpoint;
    expect(Buffer.from(encodeSnapshot(plain.snapshot)).equals(Buffer.from(encodeSnapshot(full.snapshot)))).toBe(false);
  });

  test('the chip and the functional model train to the same weights and accuracies with shifts', async () => {
    const config = writeTinyConfig(dir, 'chip.json', { data: { trainLimit: 24, testLimit: 10, shift: 1, shiftShare: 0.8 } });
    const sets = ['run.epochs=1', 'network.hidden=[16]'];
    const f = await runTraining({ config, sets, mode: 'functional', out: path.join(dir, 'f') }, quietIo());
    const c = await runTraining({ config, sets, mode: 'cycle', out: path.join(dir, 'c') }, quietIo());
    expect(c.checkpoint.position.history).toEqual(f.checkpoint.position.history);
    const read = (d: string): Buffer => fs.readFileSync(path.join(d, 'weights.bin'));
    expect(read(c.runDir).equals(read(f.runDir))).toBe(true);
  });

  test('refused: a shift as wide as the image, images that are not square, a share out of range', async () => {
    const wide = loadExperiment(file, ['data.shift=8']);
    expect(wide.config.data.shift).toBe(8);
    // 28 x 28 digits: 8 is accepted by the declaration (at most 8) and by the data check.
    expect(checkDataFitsNetwork(wide, loadData(wide.config.data, 1))).toEqual([]);
    // Images of 3 x 5 pixels.
    const px = new Uint8Array(40 * 15).map((_, i) => (i * 37) & 255);
    const img = path.join(dir, 'img');
    const lab = path.join(dir, 'lab');
    fs.writeFileSync(img, encodeIdx(IDX_IMAGES_MAGIC, [40, 3, 5], px));
    fs.writeFileSync(lab, encodeIdx(IDX_LABELS_MAGIC, [40], new Uint8Array(40).map((_, i) => i % 10)));
    const idx = ['data.dataset=idx', `data.trainImages=${img}`, `data.trainLabels=${lab}`, `data.testImages=${img}`, `data.testLabels=${lab}`, 'network.inputs=15', 'data.trainLimit=0', 'data.testLimit=0'];
    const odd = loadExperiment(file, [...idx, 'data.shift=1']);
    expect(userErrorMessage(() => checkDataFitsNetwork(odd, loadData(odd.config.data, 1)))).toBe('--set: data.shift: moves square images, but the images have 15 pixels (not a square)');
    // Square 4 x 4 images: a shift of 4 leaves nothing.
    fs.writeFileSync(img, encodeIdx(IDX_IMAGES_MAGIC, [40, 4, 4], new Uint8Array(40 * 16).fill(200)));
    const big = loadExperiment(file, [...idx, 'network.inputs=16', 'data.shift=4']);
    expect(userErrorMessage(() => checkDataFitsNetwork(big, loadData(big.config.data, 1)))).toBe('--set: data.shift: is 4 but the images are 4 x 4 pixels: a shift must stay below 4');
    const r = await captureCli(['validate', file, '--set', ...idx, '--set', 'network.inputs=16', '--set', 'data.shift=4']);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('bitspike: --set: data.shift: is 4 but the images are 4 x 4 pixels: a shift must stay below 4');
    const share = await captureCli(['train', file, '--set', 'data.shiftShare=1.5']);
    expect(share.code).toBe(2);
    expect(share.err).toMatch(/data\.shiftShare/);
    expect(share.err.trim().split('\n')).toHaveLength(1);
  });
});
