import { pack } from '../../../src/kernels';
import type { ModelParams } from '../../../src/learning/params';
import { NeuronBlock } from '../../../src/learning/neuron-block';
import { initialSnapshot } from '../../../src/learning/init';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { rngStream } from '../../../src/util/rng';
import { randomBits } from './random-config';

function smallParams(): ModelParams {
  return {
    network: { inputs: 70, hidden: [45, 20], classes: 3, replicas: 2 },
    dynamics: {
      encoding: 'binary',
      stateBits: 6,
      accumulatorBits: 12,
      freeSteps: 5,
      nudgedSteps: 3,
      kFwd: [8, 8, 6],
      kBwd: [4, 3],
      offset: [0],
      stateShift: 1,
      resetState: 'zero',
      bias: true,
      biasBits: 6,
    },
    learning: {
      rule: 'counter',
      beta: 2,
      randomSign: true,
      symmetric: true,
      nudgeReference: 'state',
      counterBits: 4,
      theta: [1],
      leakShift: 0,
      hiddenRange: 2,
      hiddenInit: 1,
      biasStep: 1,
      homeoUp: [0],
      homeoDown: [0],
    },
  };
}

function train(eng: FunctionalEngine, seed: number, samples: number): number[] {
  const rng = rngStream(seed, 'block-test-data');
  const preds: number[] = [];
  for (let s = 0; s < samples; s++) {
    const x = pack(randomBits(rng, eng.layers[0]!, 0.4));
    const label = rng.below(3);
    preds.push(eng.runSample(x, label, { learn: true, betaSign: rng.next() < 0.5 ? 1 : -1 }).prediction);
  }
  return preds;
}

describe('NeuronBlock', () => {
  test('counts the hardware events of one step from the row geometry', () => {
    const p = smallParams();
    const blk = new NeuronBlock(p, { layer: 1, rowStart: 10, rows: 30 }, 16);
    blk.load(initialSnapshot(p, 3));
    blk.reset();
    const prev = pack(randomBits(rngStream(1, 'x'), 70));
    const next = pack(randomBits(rngStream(2, 'x'), 20));
    blk.step(prev, next, -1, 1);
    // fan-in 70 + 20 = 90 bits -> ceil(90/16) = 6 SRAM words per row.
    expect(blk.rowSramWords).toBe(6);
    expect(blk.counts.weightSramReads).toBe(30 * 6);
    expect(blk.counts.xnorWords).toBe(30 * 6);
    expect(blk.counts.synapticOps).toBe(30 * 90);
    // words + state + feedback + bias terms.
    expect(blk.counts.accumulatorAdds).toBe(30 * (6 + 1 + 1 + 1));
    expect(blk.counts.stateUpdates).toBe(30);
    blk.commit();
    let on = 0;
    for (let r = 0; r < 30; r++) on += (blk.spikes[r >>> 5]! >>> (r & 31)) & 1;
    expect(on).toBeGreaterThan(0);
    expect(blk.counts.spikes).toBe(on); // spikes that differ from the reset state (all silent)
  });

  test('splitting layers into blocks changes no bit and no counter', () => {
    const p = smallParams();
    const whole = new FunctionalEngine(p, 9);
    const split = new FunctionalEngine(p, 9, { blockRows: 7 });
    expect(split.blocks.map((l) => l.length)).toEqual([7, 3, 1]);
    expect(train(whole, 5, 30)).toEqual(train(split, 5, 30));
    expect(split.snapshot()).toEqual(whole.snapshot());
    expect(split.counters()).toEqual(whole.counters());
    expect(whole.counters().components['core.all']!.counts['weightFlips']).toBeGreaterThan(0);
  });

  test('the backward copy of W_{l+1} stays identical to the forward copy, with its registers', () => {
    const p = smallParams();
    const eng = new FunctionalEngine(p, 4);
    train(eng, 6, 40);
    const s = eng.snapshot();
    for (let l = 1; l < eng.layers.length - 1; l++) {
      const blk = eng.blocks[l - 1]![0]!;
      const n = eng.layers[l]!;
      const W = s.weights[l]!;
      const H = s.synapseState[l]!;
      const words = Math.ceil(n / 32);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < eng.layers[l + 1]!; k++) {
          expect(blk.backwardBit(i, k)).toBe((W[k * words + (i >>> 5)]! >>> (i & 31)) & 1);
          expect(blk.backwardSynapse(i, k)).toBe(H[k * n + i]);
        }
      }
    }
  });

  test('segment cuts must rise strictly from 0 to the fan-in', () => {
    const p = smallParams();
    // Layer 1: fan-in 70 + 20 = 90.
    expect(() => new NeuronBlock(p, { layer: 1, rowStart: 0, rows: 4 }, 32, null, null, { cuts: [0, 40, 90] })).not.toThrow();
    for (const cuts of [[0], [0, 89], [1, 90], [0, 40, 40, 90], [0, 50, 40, 90]]) {
      expect(() => new NeuronBlock(p, { layer: 1, rowStart: 0, rows: 4 }, 32, null, null, { cuts })).toThrow(`cuts ${JSON.stringify(cuts)} must rise strictly from 0 to the fan-in 90`);
    }
  });

  test('learning traffic: read-modify-write of whole rows, only for rows with a contribution', () => {
    const p = smallParams();
    p.learning.symmetric = false;
    const eng = new FunctionalEngine(p, 2, { wordBits: 32 });
    // Data seed 16: its sample changes some rows (with seed 8 no row had a contribution, and the checks below held as 0 = 0).
    train(eng, 16, 1);
    const c = eng.counters().components['core.all']!.counts;
    // Inference reads: (T1 + T2) steps x sum over layers of rows x ceil(fanIn / 32).
    const inferenceReads = (5 + 3) * (45 * Math.ceil((70 + 20) / 32) + 20 * Math.ceil((45 + 6) / 32) + 6 * Math.ceil(20 / 32));
    const learnReads = c['weightSramReads']! - inferenceReads;
    expect(learnReads).toBeGreaterThan(0);
    expect(learnReads).toBe(c['weightSramWrites']);
    expect(c['counterSramReads']).toBe(4 * learnReads);
    expect(c['counterSramWrites']).toBe(4 * learnReads);
    expect(c['freeStateWrites']).toBe(45 + 20 + 6);
  });

  test('the hidden-weight rule (no leak) also reads and writes only the rows with a contribution', () => {
    // The first sample's free and nudged states do not depend on the rule, so neither do the rows with a contribution.
    const traffic = (rule: 'counter' | 'hidden'): Record<string, number> => {
      const p = smallParams();
      p.learning.symmetric = false;
      p.learning.rule = rule;
      const eng = new FunctionalEngine(p, 2, { wordBits: 32 });
      train(eng, 16, 1);
      return eng.counters().components['core.all']!.counts as Record<string, number>;
    };
    const counter = traffic('counter');
    const hidden = traffic('hidden');
    expect(hidden['weightSramReads']).toBe(counter['weightSramReads']);
    expect(hidden['weightSramWrites']).toBe(counter['weightSramWrites']);
    // hiddenRange 2 needs 3-bit registers, the counter rule 4 bits.
    expect(hidden['counterSramReads']! / 3).toBe(counter['counterSramReads']! / 4);
    expect(counter['counterSramReads']).toBeGreaterThan(0);
  });
});
