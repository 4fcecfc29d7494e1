import { ChipEngine } from '../../../src/chip/chip-engine';
import { chipFrom, modelParams, randomSplitExperiment } from '../../differential/configs';
import { userErrorMessage } from '../user-error';

const small = modelParams({ network: { inputs: 6, hidden: [4], classes: 2, replicas: 1 }, dynamics: { kFwd: [4], kBwd: [4], offset: [0] } });

describe('chip refuses what it cannot run', () => {
  test('a network register wider than the core register', () => {
    const m = modelParams({ network: { inputs: 6, hidden: [4], classes: 2, replicas: 1 }, dynamics: { stateBits: 10, accumulatorBits: 16, kFwd: [4], kBwd: [4], offset: [0] } });
    expect(userErrorMessage(() => new ChipEngine(m, chipFrom({ core: { stateBits: 8 } }), 1, { configFile: 'exp.json' }))).toMatch(
      /test-chip\.json: core\.stateBits: the network's dynamics\.stateBits = 10 \(exp\.json\) is wider than the core's 8-bit register: 2 bits too many/,
    );
    const c = modelParams({ network: { inputs: 6, hidden: [4], classes: 2, replicas: 1 }, dynamics: { kFwd: [4], kBwd: [4], offset: [0] }, learning: { counterBits: 6, theta: [4] } });
    expect(userErrorMessage(() => new ChipEngine(c, chipFrom({ core: { counterBits: 4 } }), 1))).toMatch(/core\.counterBits: the network's learning\.counterBits = 6/);
  });

  test('a readout that does not fit the packet address field', () => {
    // 2 classes x 8-bit class sums (1 replica of 8-bit states) = 16 addresses: 16 axons (4-bit field) fit, 8 do not.
    expect(() => new ChipEngine(small, chipFrom({ core: { axons: 16 } }), 1)).not.toThrow();
    expect(userErrorMessage(() => new ChipEngine(small, chipFrom({ core: { axons: 8 } }), 1))).toMatch(
      /test-chip\.json: core\.axons: the readout of 2 class sums x 8 bits needs 16 packet addresses but the axon field of 3 bits has 8: 8 too many/,
    );
  });

  test('snapshot() notices duplicated weight copies that disagree', () => {
    const e = new ChipEngine(small, chipFrom({}), 1);
    expect(() => e.snapshot()).not.toThrow();
    // Flip one bit of layer 1's backward copy of W2 (a hardware fault the snapshot must expose).
    const block = e.chip.active.flatMap((c) => c.blocks).find((b) => b.layer === 1)!;
    block.wBwd[0] = (block.wBwd[0] as number) ^ 1;
    expect(() => e.snapshot()).toThrow(/backward copy of W2\[0\]\[0\] disagrees with the forward copy/);
  });

  test('snapshot() names the core and synapse of a split-layer slice whose backward copy disagrees', () => {
    // The first seed of the split differential configs whose chip has a slice with backward columns.
    const seed = [1, 2, 3, 4, 5, 6, 7, 8].find((s) => {
      const x = randomSplitExperiment(s);
      return new ChipEngine(x.model, x.chip, s, { mapping: x.mapping }).chip.active.some((c) => c.slices.some((q) => q.nB > 0));
    })!;
    const x = randomSplitExperiment(seed);
    const e = new ChipEngine(x.model, x.chip, seed, { mapping: x.mapping });
    expect(() => e.snapshot()).not.toThrow();
    const core = e.chip.active.find((c) => c.slices.some((q) => q.nB > 0))!;
    const q = core.slices.find((s) => s.nB > 0)!;
    // Row 0, column 0 of the backward copy holds W(l+1)[b0][rowStart].
    q.wBwd[0] = (q.wBwd[0] as number) ^ 1;
    expect(() => e.snapshot()).toThrow(`core ${core.id}: backward copy of W${q.layer + 1}[${q.b0}][${q.rowStart}] in a slice disagrees with the forward copy`);
  });

  test('an output layer whose fan-in exceeds the axons and that may not split names its config path', () => {
    // Layer 2 (the 2 class neurons) reads the 20 hidden spikes: 20 axons on 16-axon cores.
    const m = modelParams({ network: { inputs: 6, hidden: [20], classes: 2, replicas: 1 }, dynamics: { kFwd: [4], kBwd: [4], offset: [0] } });
    const refusal = userErrorMessage(() => new ChipEngine(m, chipFrom({ core: { axons: 16 } }), 1, { configFile: 'exp.json', mapping: { placement: 'snake', split: ['auto', 1] } }));
    expect(refusal).toBe(
      'test-chip.json: core.axons: layer 2 (exp.json: network.classes x network.replicas) needs a fan-in of 20 axons (20 from layer 1) but a core has 16: 4 too many, and mapping.split keeps it on one core',
    );
  });
});
