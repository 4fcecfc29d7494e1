import { ChipEngine } from '../../../src/chip/chip-engine';
import { chipFrom, modelParams } from '../../differential/configs';
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
});
