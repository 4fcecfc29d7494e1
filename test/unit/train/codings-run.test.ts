/**
 * The input codings through the whole training path: a rate-coded (several frames per
 * sample) and a thermometer-coded run train to the same bits on the cycle-accurate chip
 * as on the functional model (the flits they cost: test/unit/chip/timing.test.ts and
 * test/unit/energy/budget-vs-chip.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTraining, type TrainIo } from '../../../src/train/train-run';
import { tempDir, writeTinyConfig } from './tiny-config';

function quietIo(): TrainIo {
  return { out: () => undefined, err: () => undefined, progressStream: { write: () => true, isTTY: false } };
}

describe('input codings train bit-exactly on both models', () => {
  const dir = tempDir('codings');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  test.each([
    ['rate', ['data.coding=rate', 'data.rateFrames=3']],
    ['thermometer', ['data.coding=thermometer', 'data.codeBits=2', 'network.inputs=1568', 'mapping.placement=spread']],
  ])('%s coding: functional and cycle runs end with the same weights and accuracies', async (name, sets) => {
    const config = writeTinyConfig(dir, `${name}.json`, { data: { trainLimit: 24, testLimit: 10 } });
    const common = [...sets, 'run.epochs=1', 'network.hidden=[16]'];
    const f = await runTraining({ config, sets: common, mode: 'functional', out: path.join(dir, `${name}-f`) }, quietIo());
    const c = await runTraining({ config, sets: common, mode: 'cycle', out: path.join(dir, `${name}-c`) }, quietIo());
    expect(c.checkpoint.position.history).toEqual(f.checkpoint.position.history);
    const read = (d: string): Buffer => fs.readFileSync(path.join(d, 'weights.bin'));
    expect(read(c.runDir).equals(read(f.runDir))).toBe(true);
  });
});
