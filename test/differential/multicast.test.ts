import { ChipEngine } from '../../src/chip/chip-engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { checkSnapshot } from '../../src/sim/counter-catalog';
import type { CounterSnapshot } from '../../src/sim/counter-catalog';
import type { ChipDescription } from '../../src/hw/chip-file';
import { chipFrom, randomDeadRoutes, randomExperiment, randomSplitExperiment } from './configs';
import type { RandomExperiment } from './configs';
import { coreTotals, expectSame, expectSameLearning } from './compare';
import { NO_FAULTS } from '../../src/faults/params';
import type { ModelParams } from '../../src/learning/params';
import { chipMapping } from '../../src/chip/chip';
import { blockViews, DeadRoutes } from '../../src/map/dead-routes';

// noc.multicast "tree": a spike to two or more cores leaves its core as one packet that the
// routers replicate along the XY tree. The same random experiments as the unicast
// differential tests (unsplit and split layers, every rule the split tests run), with the
// chip file switched to tree; each is also run unicast, and every destination must receive
// exactly what it receives unicast (axon writes equal).

/** The chip of `x` with noc.multicast "tree" (XY routing; a flit wide enough for the destination set). */
function treeChip(c: ChipDescription): ChipDescription {
  const p = JSON.parse(JSON.stringify(c.params)) as Record<string, unknown> & { noc: Record<string, unknown>; mesh: { width: number; height: number } };
  p.noc.multicast = 'tree';
  p.noc.routing = 'xy';
  const fw = (p.noc.flitWidth as number | undefined) ?? 0;
  if (fw > 0 && fw < p.mesh.width * p.mesh.height) p.noc.flitWidth = 0;
  return chipFrom(p);
}

function total(snap: CounterSnapshot, kind: string, name: string): number {
  let n = 0;
  for (const comp of Object.values(snap.components)) if (comp.kind === kind) n += comp.counts[name] ?? 0;
  return n;
}

/** Run 3 training samples and 1 inference on the functional model, the unicast chip and the tree chip; returns the tree chip's counters. */
function runThree(x: RandomExperiment, seed: number, cuts: boolean): { tree: CounterSnapshot; unicast: CounterSnapshot } {
  const { model, chip, mapping, label } = x;
  const tree = new ChipEngine(model, treeChip(chip), seed, { mapping });
  const uni = new ChipEngine(model, chip, seed, { mapping });
  expect(tree.chip.multicast).toBe(true);
  const f = new FunctionalEngine(model, seed, { wordBits: chip.params.core.sram.wordBits, ...(cuts ? { cuts: tree.chip.mapping.cuts } : {}) });
  const rng = rngStream(seed, 'differential-multicast-data');
  const n = model.network.inputs;
  const input = new Uint32Array(wordsFor(n));
  for (let s = 0; s < 4; s++) {
    input.fill(0);
    for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
    const y = rng.below(model.network.classes);
    const mode = s === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1, plasticityKey: rng.below(2 ** 32) >>> 0, epoch: s } as const);
    const pf = f.runSample(input, y, mode);
    const pc = tree.runSample(input, y, mode);
    uni.runSample(input, y, mode);
    const where = `${label} (multicast tree), after sample ${s}`;
    expectSame(f.snapshot(), tree.snapshot(), where);
    expect([where, pc.prediction]).toEqual([where, pf.prediction]);
    expectSameLearning(f, tree, pf, pc, where);
    const fc = f.counters().components['core.all']!.counts;
    const csnap = tree.counters();
    const cc = coreTotals(csnap);
    for (const name of BLOCK_COUNTER_NAMES) expect([where, name, cc[name]]).toEqual([where, name, fc[name]]);
    checkSnapshot(csnap);
  }
  return { tree: tree.counters(), unicast: uni.counters() };
}

/** What every tree run must show against its unicast twin. */
function expectTreeAccounting(r: { tree: CounterSnapshot; unicast: CounterSnapshot }, label: string): number {
  const t = r.tree;
  const u = r.unicast;
  // Each destination receives each spike exactly once, as with unicast packets.
  expect([label, total(t, 'core', 'axonWrites')]).toEqual([label, total(u, 'core', 'axonWrites')]);
  const mc = total(t, 'core', 'multicastPackets');
  // Fewer (or as many) packets leave the cores; each multicast packet replaces at least two.
  expect(total(t, 'core', 'packetsInjected')).toBeLessThanOrEqual(total(u, 'core', 'packetsInjected') - mc);
  // The partial sums and post-synaptic spikes stay unicast: the same number on both chips.
  for (const k of ['partialSumPackets', 'postSpikePackets']) expect([label, k, total(t, 'core', k)]).toEqual([label, k, total(u, 'core', k)]);
  return mc;
}

/** Multicast packets and saved link flits seen per kind of config (checked by the last test). */
const seen = { unsplit: 0, split: 0, saved: 0, splitRules: new Set<string>() };

describe('multicast trees: the chip equals the functional model bit for bit', () => {
  test.each([1, 2, 3, 5, 8, 13, 21, 34])('random unsplit config %i on a tree chip', (seed) => {
    const x = randomExperiment(seed);
    const r = runThree(x, seed, false);
    seen.unsplit += expectTreeAccounting(r, x.label);
    seen.saved += total(r.tree, 'router', 'multicastFlitsSaved');
  });
  test.each([1, 2, 3, 4, 5, 6])('random split config %i on a tree chip', (seed) => {
    const x = randomSplitExperiment(seed);
    const r = runThree(x, seed, true);
    const mc = expectTreeAccounting(r, x.label);
    seen.split += mc;
    if (mc > 0) seen.splitRules.add(x.model.learning.rule);
    seen.saved += total(r.tree, 'router', 'multicastFlitsSaved');
  });
  test('the configs above sent multicast packets on unsplit and split layers (every rule) and saved link flits', () => {
    expect(seen.unsplit).toBeGreaterThan(0);
    expect(seen.split).toBeGreaterThan(0);
    expect(seen.saved).toBeGreaterThan(0);
    expect([...seen.splitRules].sort()).toEqual(['counter', 'hidden', 'stochastic']);
  });
});

describe('multicast trees with dead routers and links: destination sets leave out what they cut', () => {
  // As test/differential/faults.test.ts (dead routes drawn the same way, its seeds 7101..): the tree
  // chip equals the functional model with the same cut routes, and leaves unsent exactly the packets
  // the unicast chip leaves unsent.
  let cutSome = 0;
  test.each([7101, 7102, 7103, 7104, 7105, 7106])('random config with dead routes %i on a tree chip', (seed) => {
    const base = randomExperiment(seed);
    const rng = rngStream(seed, 'differential-dead-routes');
    const { width, height } = base.chip.params.mesh;
    const { deadRouters, deadLinks } = randomDeadRoutes(rng, width, height);
    const model: ModelParams = { ...base.model, faults: { ...NO_FAULTS, seed, neuronStuckOnRate: rng.below(3) === 0 ? 0.1 : 0, deadRouters, deadLinks } };
    const p = base.chip.params;
    const views = blockViews(chipMapping(model, base.chip, base.mapping, 'cfg.json'), new DeadRoutes(width, height, deadRouters, deadLinks, 'cfg.json'), p.io.y * width + p.io.x);
    const f = new FunctionalEngine(model, seed, { wordBits: p.core.sram.wordBits, views });
    const tree = new ChipEngine(model, treeChip(base.chip), seed, { mapping: base.mapping });
    const uni = new ChipEngine(model, base.chip, seed, { mapping: base.mapping });
    const where = `${base.label} (multicast tree), dead routers ${JSON.stringify(deadRouters)} links ${JSON.stringify(deadLinks)}`;
    const n = model.network.inputs;
    const input = new Uint32Array(wordsFor(n));
    for (let s = 0; s < 4; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const y = rng.below(model.network.classes);
      const mode = s === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const);
      const rf = f.runSample(input, y, mode);
      const rc = tree.runSample(input, y, mode);
      uni.runSample(input, y, mode);
      expect([where, s, rc.prediction]).toEqual([where, s, rf.prediction]);
      expectSameLearning(f, tree, rf, rc, `${where}, sample ${s}`);
      expectSame(f.snapshot(), tree.snapshot(), `${where}, sample ${s}`);
    }
    const t = tree.counters();
    const u = uni.counters();
    const fc = f.counters().components['core.all']!.counts;
    for (const name of BLOCK_COUNTER_NAMES) expect([where, name, total(t, 'core', name)]).toEqual([where, name, fc[name]]);
    expect([where, total(t, 'core', 'axonWrites')]).toEqual([where, total(u, 'core', 'axonWrites')]);
    const lost = t.components['chip']!.counts['packetsUndeliverable']!;
    expect([where, lost]).toEqual([where, u.components['chip']!.counts['packetsUndeliverable']!]);
    if (lost > 0 && total(t, 'core', 'multicastPackets') > 0) cutSome++;
  });
  test('some of those configs both multicast and cut destinations out of the sets', () => {
    expect(cutSome).toBeGreaterThanOrEqual(2);
  });
});
