/**
 * With faults on (stuck weight and register cells, stuck neurons, with and without
 * SECDED), the chip and the functional model still agree bit for bit, and the faults
 * really change what the network computes.
 */
import { ChipEngine } from '../../src/chip/chip-engine';
import type { ChipDescription } from '../../src/hw/chip-file';
import { FunctionalEngine } from '../../src/model/functional-engine';
import type { NetworkSnapshot } from '../../src/learning/engine';
import type { ModelParams } from '../../src/learning/params';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { randomDeadRoutes, randomExperiment } from './configs';
import { expectSameLearning } from './compare';
import { NO_FAULTS } from '../../src/faults/params';
import { chipMapping } from '../../src/chip/chip';
import { blockViews, DeadRoutes } from '../../src/map/dead-routes';

const SEED = 7001;
const CASES = Array.from({ length: 24 }, (_, i) => SEED + i);

function sameSnapshot(a: NetworkSnapshot, b: NetworkSnapshot): string | null {
  for (const f of ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const) {
    for (let l = 0; l < a[f].length; l++) {
      const x = Array.from(a[f][l] as ArrayLike<number>);
      const y = Array.from(b[f][l] as ArrayLike<number>);
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return `${f}[${l}]`;
    }
  }
  return null;
}

function withEcc(chip: ChipDescription, ecc: 'none' | 'secded'): ChipDescription {
  const p = chip.params;
  return { ...chip, params: { ...p, core: { ...p.core, sram: { ...p.core.sram, ecc } } } };
}

function coreTotal(snap: ReturnType<ChipEngine['counters']>, name: string): number {
  let t = 0;
  for (const comp of Object.values(snap.components)) if (comp.kind === 'core') t += comp.counts[name] as number;
  return t;
}

describe(`faults: chip equals functional model (cases seeded from ${SEED})`, () => {
  test.each(CASES)('random config and fault map %i', (seed) => {
    const base = randomExperiment(seed);
    const rng = rngStream(seed, 'differential-faults');
    const r = (): number => [0, 0.02, 0.1, 0.3][rng.below(4)] as number;
    const faults = { ...NO_FAULTS, seed: seed, weightStuckRate: 0.05 + 0.2 * rng.next(), counterStuckRate: r(), neuronStuckOffRate: r(), neuronStuckOnRate: r() };
    const model: ModelParams = { ...base.model, learning: { ...base.model.learning, rule: 'counter', theta: [0], leakShift: 0 }, faults };
    const chip = withEcc(base.chip, rng.below(2) === 1 ? 'secded' : 'none');
    const wordBits = chip.params.core.sram.wordBits;
    const ecc = chip.params.core.sram.ecc ?? 'none';
    const f = new FunctionalEngine(model, seed, { wordBits, ecc });
    const c = new ChipEngine(model, chip, seed, { mapping: base.mapping });
    const where = `${base.label}, faults ${JSON.stringify(faults)}, ecc ${ecc}`;
    expect([where, sameSnapshot(f.snapshot(), c.snapshot())]).toEqual([where, null]);
    const n = model.network.inputs;
    const input = new Uint32Array(wordsFor(n));
    for (let s = 0; s < 6; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const y = rng.below(model.network.classes);
      const mode = s === 5 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const);
      const rf = f.runSample(input, y, mode);
      const rc = c.runSample(input, y, mode);
      expect([where, s, rc.prediction]).toEqual([where, s, rf.prediction]);
      expectSameLearning(f, c, rf, rc, `${where}, sample ${s}`);
      expect([where, s, sameSnapshot(f.snapshot(), c.snapshot())]).toEqual([where, s, null]);
    }
    const fc = f.counters().components['core.all']!.counts;
    const cc = c.counters();
    for (const name of BLOCK_COUNTER_NAMES) expect([where, name, coreTotal(cc, name)]).toEqual([where, name, fc[name]]);
  });

  test('the faults change the computation (the differential test above is not vacuous)', () => {
    let changed = 0;
    for (const seed of CASES.slice(0, 8)) {
      const base = randomExperiment(seed);
      const faults = { ...NO_FAULTS, seed, weightStuckRate: 0.2, counterStuckRate: 0, neuronStuckOffRate: 0, neuronStuckOnRate: 0.1 };
      const model: ModelParams = { ...base.model, faults };
      const f = new FunctionalEngine(model, seed, {});
      const clean = new FunctionalEngine(base.model, seed, {});
      if (sameSnapshot(f.snapshot(), clean.snapshot()) !== null) changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(6);
  });
});

describe(`dead routers and links: chip equals functional model (cases seeded from ${SEED + 100})`, () => {
  const DEAD_CASES = Array.from({ length: 30 }, (_, i) => SEED + 100 + i);
  let undeliverable = 0;
  let changed = 0;
  test.each(DEAD_CASES)('random config with dead routes %i', (seed) => {
    const base = randomExperiment(seed);
    const rng = rngStream(seed, 'differential-dead-routes');
    const { width, height } = base.chip.params.mesh;
    const { deadRouters, deadLinks } = randomDeadRoutes(rng, width, height);
    const faults = { ...NO_FAULTS, seed, neuronStuckOnRate: rng.below(3) === 0 ? 0.1 : 0, deadRouters, deadLinks };
    const model: ModelParams = { ...base.model, faults };
    const chip = base.chip;
    const p = chip.params;
    const views = blockViews(chipMapping(model, chip, base.mapping, 'cfg.json'), new DeadRoutes(width, height, deadRouters, deadLinks, 'cfg.json'), p.io.y * width + p.io.x);
    const f = new FunctionalEngine(model, seed, { wordBits: p.core.sram.wordBits, views });
    const c = new ChipEngine(model, chip, seed, { mapping: base.mapping });
    const clean = new FunctionalEngine(base.model, seed, { wordBits: p.core.sram.wordBits });
    const where = `${base.label}, dead routers ${JSON.stringify(deadRouters)} links ${JSON.stringify(deadLinks)}`;
    const n = model.network.inputs;
    const input = new Uint32Array(wordsFor(n));
    let differs = false;
    for (let s = 0; s < 5; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const y = rng.below(model.network.classes);
      const mode = s === 4 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const);
      const rf = f.runSample(input, y, mode);
      const rc = c.runSample(input, y, mode);
      expect([where, s, rc.prediction]).toEqual([where, s, rf.prediction]);
      expectSameLearning(f, c, rf, rc, `${where}, sample ${s}`);
      clean.runSample(input, y, mode);
      expect([where, s, sameSnapshot(f.snapshot(), c.snapshot())]).toEqual([where, s, null]);
      if (sameSnapshot(f.snapshot(), clean.snapshot()) !== null) differs = true;
    }
    const fc = f.counters().components['core.all']!.counts;
    const cc = c.counters();
    for (const name of BLOCK_COUNTER_NAMES) expect([where, name, coreTotal(cc, name)]).toEqual([where, name, fc[name]]);
    const u = cc.components['chip']!.counts['packetsUndeliverable']!;
    // A chip whose every route is alive sends everything: the counter is zero exactly then.
    const cut = views.some((row) => row.some((v) => v.prevSeen !== null || v.nextSeen !== null || !v.readout));
    if (!cut) expect([where, u]).toEqual([where, 0]);
    if (u > 0) undeliverable++;
    if (differs) changed++;
  });
  test('the dead routes cut real traffic in most cases and change the computation', () => {
    expect(undeliverable).toBeGreaterThanOrEqual(10);
    expect(changed).toBeGreaterThanOrEqual(8);
  });
});
