/**
 * Golden timing of the tiny chip: cycles per sample, step boundaries and counter
 * totals of a fixed small experiment on hw/chips/tiny.json. Any change to the cycle
 * model shows up here as a reviewed diff of test/unit/chip/golden/tiny-chip.json.
 * Update deliberately with: UPDATE_GOLDEN=1 npx jest test/unit/chip/golden-tiny
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { loadChipFile } from '../../../src/chip/chip-file';
import { rngStream } from '../../../src/util/rng';
import { modelParams } from '../../differential/configs';

const GOLDEN = path.join(__dirname, 'golden', 'tiny-chip.json');

function run(): unknown {
  const model = modelParams({
    network: { inputs: 12, hidden: [10], classes: 3, replicas: 2 },
    dynamics: { freeSteps: 4, nudgedSteps: 2, kFwd: [16], kBwd: [8], offset: [120] },
    learning: { symmetric: true, counterBits: 4, theta: [2] },
  });
  const e = new ChipEngine(model, loadChipFile('tiny'), 7);
  const rng = rngStream(7, 'golden-tiny');
  const samples: unknown[] = [];
  for (let s = 0; s < 4; s++) {
    const input = new Uint32Array([rng.uint32() & 0xfff]);
    const learn = s < 3;
    const r = e.runSample(input, s % 3, learn ? { learn: true, betaSign: s === 1 ? -1 : 1 } : { learn: false });
    samples.push({
      learn,
      prediction: r.prediction,
      cycles: { ...e.lastSample },
      steps: Array.from({ length: e.chip.stepCount }, (_, k) => [e.chip.stepStarts[k], e.chip.stepEnds[k]]),
    });
  }
  const totals: Record<string, number> = {};
  for (const [id, comp] of Object.entries(e.counters().components)) {
    const kind = id === 'chip' || id === 'io' ? id : comp.kind;
    for (const [name, v] of Object.entries(comp.counts)) totals[`${kind}.${name}`] = (totals[`${kind}.${name}`] ?? 0) + v;
  }
  return { chip: 'tiny', cores: e.chip.active.map((c) => c.id), samples, totals };
}

describe('golden timing of the tiny chip', () => {
  test('matches test/unit/chip/golden/tiny-chip.json', () => {
    const got = JSON.parse(JSON.stringify(run()));
    if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    expect(got).toEqual(JSON.parse(fs.readFileSync(GOLDEN, 'utf8')));
  });
});
