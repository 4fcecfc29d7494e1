import { buildCore, cosimCore } from './core-cosim';
import type { CoreRtlParams } from './core-cosim';

describe('neuron core: RTL (Verilator) and TypeScript core agree on every row value and flit cycle', () => {
  const p: CoreRtlParams = { neurons: 12, axons: 40, wordBits: 8, banks: 2, accBits: 8, stateBits: 5, biasBits: 6, pipe: 2, queueDepth: 2, maxDest: 3 };
  const exe = buildCore(p);

  it('300 random samples (seed 1): weights, inputs, states, k factors, encodings, destinations, router credits', () => {
    const r = cosimCore(p, 300, 1, exe);
    if (r.mismatch) console.log(JSON.stringify(r.mismatch));
    expect(r.mismatch).toBeNull();
    expect(r.flits).toBeGreaterThan(300);
  });

  it('a queue of one flit and more destinations than its room: 200 samples (seed 3)', () => {
    const q: CoreRtlParams = { neurons: 6, axons: 30, wordBits: 16, banks: 3, accBits: 7, stateBits: 4, biasBits: 5, pipe: 0, queueDepth: 1, maxDest: 4 };
    const r = cosimCore(q, 200, 3);
    if (r.mismatch) console.log(JSON.stringify(r.mismatch));
    expect(r.mismatch).toBeNull();
  });

  it('finds and reports a disagreement (model with pipeline depth 3 against the RTL with 2)', () => {
    const r = cosimCore(p, 50, 2, exe, { pipe: 3 });
    expect(r.mismatch).not.toBeNull();
    console.log(`reported: sample ${r.mismatch!.sample}, cycle ${r.mismatch!.cycle}, ${r.mismatch!.signal}: RTL ${r.mismatch!.rtl}, model ${r.mismatch!.model}`);
    expect(r.mismatch!.signal).toMatch(/^core\./);
  });
});
