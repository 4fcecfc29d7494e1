/**
 * What a chip build holds in memory. The initial network is loaded a layer at a time
 * (Chip.loadInitial): the same state as restoring initialSnapshot, but every row is
 * loaded before the layer two above it is drawn, so the build never holds the whole
 * network's 32-bit registers. A chip built for inference only (bitspike run) holds no
 * learning registers at all and gives the same inference results, counters and cycles
 * as one that holds them; a learning build's registers take exactly the bit planes the
 * network needs.
 */
import { ChipEngine } from '../../../src/chip/chip-engine';
import { loadChipFile } from '../../../src/hw/chip-file';
import { planeWords, wordsFor } from '../../../src/kernels';
import { InitialLayers, initialSnapshot } from '../../../src/learning/init';
import { NeuronBlock, ruleForLayer } from '../../../src/learning/neuron-block';
import type { ModelParams } from '../../../src/learning/params';
import { NO_FAULTS } from '../../../src/faults/params';
import { snapshotsEqual } from '../../../src/store/weights-file';
import { rngStream } from '../../../src/util/rng';
import { modelParams, randomExperiment, randomSplitExperiment, tallExperiment } from '../../differential/configs';
import type { RandomExperiment } from '../../differential/configs';

const SEED = 9100;
const CASES = Array.from({ length: 8 }, (_, i) => SEED + i);

/** Half of the cases split layers over cores (synapse slices), the other half do not. */
function experiment(seed: number): RandomExperiment {
  return seed % 2 === 0 ? randomExperiment(seed) : randomSplitExperiment(seed);
}

function randomInput(rng: ReturnType<typeof rngStream>, n: number): Uint32Array {
  const v = new Uint32Array(wordsFor(n));
  for (let j = 0; j < n; j++) if (rng.below(2) === 0) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
  return v;
}

describe(`the initial network is loaded a layer at a time (cases seeded from ${SEED})`, () => {
  test.each(CASES)('same state as restoring initialSnapshot, case %i', (seed) => {
    const { model, chip, mapping, label } = experiment(seed);
    const e = new ChipEngine(model, chip, seed, { mapping });
    expect([label, snapshotsEqual(e.snapshot(), initialSnapshot(model, seed))]).toEqual([label, true]);
  });

  test('every layer is loaded before the layer two above it is drawn', () => {
    const model = modelParams({ network: { inputs: 20, hidden: [12, 9, 12, 7, 12, 10], classes: 3, replicas: 1 }, dynamics: { kFwd: [8], kBwd: [8], offset: [0] } });
    const events: string[] = [];
    const realDraw = InitialLayers.prototype.draw;
    const realLoad = NeuronBlock.prototype.load;
    const drawSpy = jest.spyOn(InitialLayers.prototype, 'draw').mockImplementation(function (this: InitialLayers, l, W, H) {
      events.push(`draw ${l}`);
      realDraw.call(this, l, W, H);
    });
    const loadSpy = jest.spyOn(NeuronBlock.prototype, 'load').mockImplementation(function (this: NeuronBlock, s) {
      events.push(`load ${this.layer}`);
      realLoad.call(this, s);
    });
    let e: ChipEngine;
    try {
      e = new ChipEngine(model, loadChipFile('default'), 3);
    } finally {
      drawSpy.mockRestore();
      loadSpy.mockRestore();
    }
    expect(snapshotsEqual(e.snapshot(), initialSnapshot(model, 3))).toBe(true);
    const L = 7;
    expect(events.filter((x) => x.startsWith('draw'))).toEqual(Array.from({ length: L }, (_, i) => `draw ${i + 1}`));
    let drawn = 0;
    for (const x of events) {
      const [what, n] = x.split(' ') as [string, string];
      if (what === 'draw') drawn = Number(n);
      // Rows of layer l need layers l and l + 1; nothing above may have been drawn yet.
      else expect([x, drawn <= Math.min(L, Number(n) + 1)]).toEqual([x, true]);
    }
    expect(events.filter((x) => x.startsWith('load')).length).toBeGreaterThanOrEqual(L);
  });

  test('layers are drawn in order only', () => {
    const g = new InitialLayers(modelParams(), 1);
    expect(() => g.draw(2, new Uint32Array(0), null)).toThrow('initial layers are drawn in order: layer 1 next, not 2');
  });
});

describe(`a chip built for inference only (cases seeded from ${SEED})`, () => {
  test.each(CASES)('holds no learning registers and infers as the full chip does, case %i', (seed) => {
    const base = experiment(seed);
    const rng = rngStream(seed, 'build-memory');
    // Every other case with stuck weight and register cells, stuck neurons and read flips.
    const faults = seed % 4 < 2 ? { ...NO_FAULTS, seed, weightStuckRate: 0.1, counterStuckRate: 0.1, neuronStuckOnRate: 0.05, readFlipRate: 0.01 } : undefined;
    const model: ModelParams = faults === undefined ? base.model : { ...base.model, learning: { ...base.model.learning, rule: 'counter', theta: [0], leakShift: 0 }, faults };
    const where = `${base.label}${faults !== undefined ? ', faults' : ''}`;
    const teacher = new ChipEngine(model, base.chip, seed, { mapping: base.mapping });
    const n = model.network.inputs;
    // A few learning samples, so that the weights and registers loaded are not the initial ones.
    for (let s = 0; s < 3; s++) teacher.runSample(randomInput(rng, n), rng.below(model.network.classes), { learn: true, betaSign: s % 2 === 0 ? 1 : -1 });
    const trained = teacher.snapshot();
    const full = new ChipEngine(model, base.chip, seed, { mapping: base.mapping });
    const inf = new ChipEngine(model, base.chip, seed, { mapping: base.mapping, inferenceOnly: true });
    full.restore(trained);
    inf.restore(trained);
    for (const c of inf.chip.active) {
      for (const b of [...c.blocks, ...c.slices]) expect([where, b.synFwd.words.length + b.synBwd.words.length]).toEqual([where, 0]);
    }
    for (let s = 0; s < 3; s++) {
      const input = randomInput(rng, n);
      const mode = { learn: false, readKey: s } as const;
      const a = full.runSample(input, 0, mode).prediction;
      const b = inf.runSample(input, 0, mode).prediction;
      expect([where, s, b, inf.lastSample]).toEqual([where, s, a, full.lastSample]);
    }
    expect([where, inf.counters()]).toEqual([where, full.counters()]);
    expect([where, inf.chip.mesh.linkLoads()]).toEqual([where, full.chip.mesh.linkLoads()]);
    expect(() => inf.runSample(randomInput(rng, n), 0, { learn: true, betaSign: 1 })).toThrow('built for inference only');
    expect(() => inf.snapshot()).toThrow('built for inference only');
  });

  test('on 2 threads, loading trained weights (the regions get no registers), it infers as on one', () => {
    // Two hidden layers on a 2x4 mesh, bands of 2 rows: small enough to be quick.
    const seed = SEED + 17;
    const { model, chip, mapping, label } = tallExperiment(seed) as RandomExperiment;
    const rng = rngStream(seed, 'build-memory-threads');
    const n = model.network.inputs;
    const teacher = new ChipEngine(model, chip, seed, { mapping });
    for (let s = 0; s < 3; s++) teacher.runSample(randomInput(rng, n), rng.below(model.network.classes), { learn: true, betaSign: s % 2 === 0 ? 1 : -1 });
    const trained = teacher.snapshot();
    const one = new ChipEngine(model, chip, seed, { mapping, inferenceOnly: true });
    const two = new ChipEngine(model, chip, seed, { mapping, inferenceOnly: true, threads: 2 });
    try {
      one.restore(trained);
      two.restore(trained);
      for (let s = 0; s < 3; s++) {
        const input = randomInput(rng, n);
        const a = one.runSample(input, 0, { learn: false }).prediction;
        const b = two.runSample(input, 0, { learn: false }).prediction;
        expect([label, s, b, two.lastSample]).toEqual([label, s, a, one.lastSample]);
      }
      expect([label, two.counters()]).toEqual([label, one.counters()]);
      // The same after loading the initial weights again: a different state really reached both threads.
      const fresh = initialSnapshot(model, seed);
      one.restore(fresh);
      two.restore(fresh);
      const input = randomInput(rng, n);
      expect(two.runSample(input, 0, { learn: false }).prediction).toBe(one.runSample(input, 0, { learn: false }).prediction);
      expect([label, two.counters()]).toEqual([label, one.counters()]);
    } finally {
      two.close();
    }
  });

  test("a learning build's registers are the bit planes the network needs, an inference build's none", () => {
    const model = modelParams({ network: { inputs: 40, hidden: [33, 17], classes: 4, replicas: 2 }, dynamics: { kFwd: [8], kBwd: [8], offset: [0] } });
    const chip = loadChipFile('default');
    const bytes = (e: ChipEngine): number => {
      let b = 0;
      for (const c of e.chip.active) for (const x of [...c.blocks, ...c.slices]) b += x.synFwd.byteLength + x.synBwd.byteLength;
      return b;
    };
    const sizes = [40, 33, 17, 8];
    let want = 0;
    for (let l = 1; l < sizes.length; l++) {
      const bits = ruleForLayer(model, l).synapseBits;
      const nextBits = l + 1 < sizes.length ? ruleForLayer(model, l + 1).synapseBits : 1;
      const nNext = l + 1 < sizes.length ? (sizes[l + 1] as number) : 0;
      want += 4 * (sizes[l] as number) * (bits * planeWords(sizes[l - 1] as number) + (nNext > 0 ? nextBits * planeWords(nNext) : 0));
    }
    expect(bytes(new ChipEngine(model, chip, 1))).toBe(want);
    expect(bytes(new ChipEngine(model, chip, 1, { inferenceOnly: true }))).toBe(0);
  });
});
