/**
 * Golden timing of the tiny chip: cycles per sample, step boundaries and counter
 * totals of a fixed small experiment on hw/chips/tiny.json. Any change to the cycle
 * model shows up here as a reviewed diff of test/unit/chip/golden/tiny-chip.json.
 * Update deliberately with: UPDATE_GOLDEN=1 npx jest test/unit/chip/golden-tiny
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { loadChipFile } from '../../../src/hw/chip-file';
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
  test('hand-derived: a silent 12-10-6 network, two inferences (not written by the code it checks)', () => {
    // Derivation from docs/timing-model.md and docs/mapping.md on hw/chips/tiny.json (8-neuron cores,
    // wordBits 8, banks 1, pipelineDepth 2, barrierDelay 1, resetDelay 2, readoutCycles 1 by default):
    //   snake placement: layer 1 (10 neurons) in ceil(10 / 8) = 2 balanced pieces of 5 (cores 0, 1),
    //   layer 2 (3 classes x 2 replicas = 6) in one piece (core 2).
    //   layer-1 row: fanIn 12 + 6 = 18 bits -> W = ceil(18 / 8) = 3, R = 3; layer-2 row: fanIn 10 -> W = R = 2.
    //   Step of a quiet chip (no spike ever changes: k = 0, zero reset, zero input):
    //     e_k - t_k = max over cores (sum R + pipelineDepth) = max(5 x 3, 6 x 2) + 2 = 17.
    //   Sample at t_s: reset 2 cycles, empty input load, first step at t_s + 2 + barrierDelay = t_s + 3;
    //     t_{k+1} = e_k + 1, so t_k = t_s + 3 + 18 k, e_k = t_k + 17 (4 free steps).
    //   Readout at e_3 + 1 = t_s + 75: 6 output rows read by + 6, the last class sum commits 2 later; all sums
    //     are 0, so no packet: e_readout = t_s + 83 = free; inference total = free + barrierDelay = 84.
    const silent = modelParams({
      network: { inputs: 12, hidden: [10], classes: 3, replicas: 2 },
      dynamics: { kFwd: [0], kBwd: [0], freeSteps: 4, nudgedSteps: 2, bias: false, resetState: 'zero', encoding: 'binary' },
    });
    const e = new ChipEngine(silent, loadChipFile('tiny'), 7);
    expect(e.chip.active.map((c) => c.id)).toEqual([0, 1, 2]);
    for (const ts of [0, 84]) {
      e.runSample(new Uint32Array([0]), 0, { learn: false });
      const steps = Array.from({ length: e.chip.stepCount }, (_, k) => [e.chip.stepStarts[k], e.chip.stepEnds[k]]);
      expect(steps).toEqual([0, 1, 2, 3].map((k) => [ts + 3 + 18 * k, ts + 3 + 18 * k + 17]));
      expect([e.lastSample.free, e.lastSample.nudged, e.lastSample.learning, e.lastSample.total]).toEqual([83, 0, 0, 84]);
    }
    // Each core's activeCycles: sum R per step x 4 steps x 2 samples, plus readoutCycles per output row (core 2).
    const active = (id: number) => e.counters().components[`core.${id}`]!.counts['activeCycles'];
    expect([active(0), active(1), active(2)]).toEqual([15 * 4 * 2, 15 * 4 * 2, 12 * 4 * 2 + 6 * 2]);
  });

  test('matches test/unit/chip/golden/tiny-chip.json', () => {
    const got = JSON.parse(JSON.stringify(run()));
    if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    expect(got).toEqual(JSON.parse(fs.readFileSync(GOLDEN, 'utf8')));
  });
});
