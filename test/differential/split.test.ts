import { ChipEngine } from '../../src/chip/chip-engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { checkSnapshot } from '../../src/sim/counter-catalog';
import { randomSplitExperiment } from './configs';
import { coreTotals, expectSame, expectSameLearning } from './compare';
import type { Mapping } from '../../src/map/mapping';

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);

/** Remote segment row parts of a mapping: per row of a segment k >= 1, one per part (forward, backward) it covers. */
function remoteRowParts(m: Mapping): number {
  let n = 0;
  for (const core of m.cores) {
    for (const q of core.slices) {
      if (q.home === core.id) continue;
      const nPrev = m.layers[q.layer - 1] as number;
      n += q.count * ((q.colStart < nPrev ? 1 : 0) + (q.colEnd > nPrev ? 1 : 0));
    }
  }
  return n;
}

/** On-change runs: packets sent and the packets every-step would have sent (the adds), summed over the seeds. */
let onChangeSent = 0;
let onChangeEvery = 0;

describe('split layers: the chip equals the functional model bit for bit', () => {
  test.each(SEEDS)('random split config %i', (seed) => {
    const { model, chip, mapping, label } = randomSplitExperiment(seed);
    const c = new ChipEngine(model, chip, seed, { mapping });
    expect([label, c.chip.mapping.split]).toEqual([label, true]);
    const f = new FunctionalEngine(model, seed, { wordBits: chip.params.core.sram.wordBits, cuts: c.chip.mapping.cuts });
    expectSame(f.snapshot(), c.snapshot(), `${label}, initial`);
    const rng = rngStream(seed, 'differential-split-data');
    // Per-sample plasticity keys (the stochastic rule's draws) from a stream of their own, so the data draws stay as before.
    const keys = rngStream(seed, 'differential-split-keys');
    const n = model.network.inputs;
    const input = new Uint32Array(wordsFor(n));
    for (let s = 0; s < 4; s++) {
      input.fill(0);
      for (let j = 0; j < n; j++) if (rng.below(2) === 1) input[j >>> 5] = (input[j >>> 5] as number) | (1 << (j & 31));
      const y = rng.below(model.network.classes);
      const mode = s === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1, plasticityKey: keys.below(2 ** 32) >>> 0, epoch: s } as const);
      const pf = f.runSample(input, y, mode);
      const pc = c.runSample(input, y, mode);
      const where = `${label}, after sample ${s}`;
      expectSame(f.snapshot(), c.snapshot(), where);
      expect([where, pc.prediction]).toEqual([where, pf.prediction]);
      expectSameLearning(f, c, pf, pc, where);
      const fc = f.counters().components['core.all']!.counts;
      const csnap = c.counters();
      const cc = coreTotals(csnap);
      for (const name of BLOCK_COUNTER_NAMES) expect([where, name, cc[name]]).toEqual([where, name, fc[name]]);
      checkSnapshot(csnap);
      // Every partial-sum packet sent reached its home and was added (every-step), or stored
      // and, with every other stored sum, added each step (on-change); every post-spike packet written.
      let sent = 0;
      let added = 0;
      let posted = 0;
      let written = 0;
      for (const comp of Object.values(csnap.components)) {
        if (comp.kind !== 'core') continue;
        sent += comp.counts['partialSumPackets']!;
        added += comp.counts['partialSumAdds']!;
        posted += comp.counts['postSpikePackets']!;
        written += comp.counts['postSpikeWrites']!;
      }
      const received = c.chip.active.reduce((n, core) => n + core.partialSumsReceived, 0);
      expect([where, received]).toEqual([where, sent]);
      expect([where, written]).toEqual([where, posted]);
      // Adds: every remote segment row part once per step, whatever the policy.
      const rowParts = remoteRowParts(c.chip.mapping);
      expect([where, added]).toEqual([where, rowParts * c.chip.steps]);
      if (mapping.partialSums === 'on-change') {
        expect([where, sent <= added]).toEqual([where, true]);
        onChangeSent += sent;
        onChangeEvery += added;
      } else expect([where, sent]).toEqual([where, added]);
    }
  });
});

describe('on-change partial sums', () => {
  test('send fewer packets than every-step over the on-change seeds (runs after the seeds above)', () => {
    expect(onChangeEvery).toBeGreaterThan(0);
    expect(onChangeSent).toBeLessThan(onChangeEvery);
  });
});

describe('the random split configs cover every feature', () => {
  test('encodings, rules, nudging, placements, forced splits, remote segments', () => {
    const seen: Record<string, number> = {};
    const bump = (k: string): void => {
      seen[k] = (seen[k] ?? 0) + 1;
    };
    for (const seed of SEEDS) {
      const { model, chip, mapping } = randomSplitExperiment(seed);
      bump(model.dynamics.encoding);
      bump(model.learning.rule);
      bump(model.learning.symmetric ? 'symmetric' : 'one-sided');
      bump(chip.params.encoding);
      bump(typeof mapping.placement === 'string' ? mapping.placement : 'explicit');
      if (Array.isArray(mapping.split)) bump('forced split');
      if (mapping.partialSumBits !== 'auto') bump('psum width');
      bump(`psum ${mapping.partialSums ?? 'every-step'}`);
      if (model.learning.homeoUp.some((v) => v > 0) && model.learning.homeoDown.some((v) => v > 0)) bump('homeostasis');
      if (model.learning.contrast === 'first-order') bump('first-order contrast');
    }
    for (const k of ['binary', 'spin', 'counter', 'hidden', 'stochastic', 'symmetric', 'one-sided', 'state-change', 'every-step', 'snake', 'spread', 'traffic', 'explicit', 'forced split', 'psum width', 'homeostasis', 'psum every-step', 'psum on-change', 'first-order contrast']) {
      expect([k, (seen[k] ?? 0) >= 2]).toEqual([k, true]);
    }
  });
});
