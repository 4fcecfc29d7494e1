/**
 * learning.thetaGrowth through the trainer: every learning sample of epoch e carries
 * epoch e, the threshold follows its formula, and a schedule that starts growing at epoch
 * 2 leaves epoch 1's bits alone and changes epoch 2's, on the functional model and the
 * chip alike.
 */
import * as fs from 'fs';
import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import type { Engine, NetworkSnapshot } from '../../../src/learning/engine';
import { thetaAt } from '../../../src/learning/rules/counter';
import { createEngine, feedData } from '../../../src/train/engine-factory';
import { Trainer } from '../../../src/train/trainer';
import { userErrorMessage } from '../user-error';
import { Recording } from './recording-engine';
import { tempDir, writeTinyConfig } from './tiny-config';

const dir = tempDir('theta-schedule');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = writeTinyConfig(dir);


async function train(sets: string[], epochs: number, engineOf?: (e: Engine) => Engine): Promise<{ snap: NetworkSnapshot; engine: Engine }> {
  const exp = loadExperiment(file, sets);
  const fed = feedData(exp.config, loadData(exp.config.data, 1));
  const base = createEngine(exp.config, exp.file);
  const engine = engineOf ? engineOf(base) : base;
  await new Trainer(engine, fed, { seed: exp.config.seed, epochs, randomBetaSign: true, checkpointEvery: 0 }).run();
  return { snap: engine.snapshot(), engine };
}

const weightsOf = (s: NetworkSnapshot): number[][] => s.weights.map((w) => Array.from(w));

describe('learning.thetaGrowth', () => {
  test('theta per epoch: held until thetaGrowthFrom, then thetaGrowth more each epoch, capped below the counter maximum', () => {
    const s = { growth: 2, from: 5 };
    expect(Array.from({ length: 10 }, (_, e) => thetaAt(6, 6, s, e))).toEqual([6, 6, 6, 6, 8, 10, 12, 14, 16, 18]);
    // 4-bit counters: H <= 7, so theta stops at 6 (a weight at H = 7 can still flip).
    expect(Array.from({ length: 5 }, (_, e) => thetaAt(1, 4, { growth: 3, from: 1 }, e))).toEqual([4, 6, 6, 6, 6]);
    expect(thetaAt(3, 6, { growth: 0, from: 1 }, 9)).toBe(3);
  });

  test('the trainer hands every learning sample its epoch', async () => {
    let rec: Recording | null = null;
    await train([], 3, (e) => (rec = new Recording(e)));
    const epochs = (rec as unknown as Recording).calls.filter((c) => c.mode.learn).map((c) => (c.mode.learn ? (c.mode.epoch ?? -1) : -1));
    expect(epochs.length).toBe(360);
    for (let e = 0; e < 3; e++) expect(epochs.slice(120 * e, 120 * (e + 1)).every((x) => x === e)).toBe(true);
  });

  test.each([['functional'], ['cycle']])('%s: growth from epoch 2 keeps epoch 1 and changes epoch 2', async (mode) => {
    const sets = [`run.mode=${mode}`, 'learning.theta=[1]', 'learning.counterBits=4'];
    const grow = [...sets, 'learning.thetaGrowth=4', 'learning.thetaGrowthFrom=2'];
    const [a1, b1] = [await train(sets, 1), await train(grow, 1)];
    expect(weightsOf(b1.snap)).toEqual(weightsOf(a1.snap));
    const [a2, b2] = [await train(sets, 2), await train(grow, 2)];
    expect(weightsOf(b2.snap)).not.toEqual(weightsOf(a2.snap));
    // Theta 1 -> 5 in epoch 2 flips fewer weights away from epoch 1's.
    const flips = (x: NetworkSnapshot, y: NetworkSnapshot): number => {
      let n = 0;
      x.weights.forEach((w, l) => w.forEach((v, i) => (n += popcount32((v ^ (y.weights[l] as Uint32Array)[i]!) >>> 0))));
      return n;
    };
    expect(flips(b2.snap, b1.snap)).toBeLessThan(flips(a2.snap, a1.snap));
  });

  test('a schedule on a rule without theta growth is refused with the file and JSON path', () => {
    const bad = writeTinyConfig(dir, 'bad.json', { learning: { rule: 'hidden', thetaGrowth: 2 } });
    const msg = userErrorMessage(() => loadExperiment(bad, []));
    expect(msg).toContain('bad.json');
    expect(msg).toContain('learning.thetaGrowth');
    const good = writeTinyConfig(dir, 'good.json', { learning: { rule: 'counter', thetaGrowth: 2 } });
    expect(loadExperiment(good, []).config.learning['thetaGrowth' as keyof object]).toBe(2);
  });
});

function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
