import { buildLearn, cosimLearn } from './learn-cosim';
import type { LearnRtlParams } from './learn-cosim';

// The learning row pass of the RTL against the core's counter rule and row timing (one
// cached Verilator build; npm run bench -- rtl runs more word widths and bank counts).
describe('learning row pass: RTL (Verilator) and the TypeScript core agree on weights, counters, counts and cycles', () => {
  const p: LearnRtlParams = { wordBits: 8, maxWords: 6, counterPlanes: 8, banks: 3 };
  const exe = buildLearn(p);

  it('8-bit words, 3 banks, 8 counter planes: 600 random rows (seed 11)', () => {
    const r = cosimLearn(p, 600, 11, exe);
    expect(r.mismatch).toBeNull();
    expect(r.cases).toBe(600);
    // Counters moved and weights flipped: the agreement covered the rule's cases.
    expect(r.changed).toBeGreaterThan(600);
    expect(r.flipped).toBeGreaterThan(60);
    expect(r.saturated).toBeGreaterThan(10);
  });

  it('finds and reports a difference (model with 2 banks against the RTL with 3)', () => {
    const r = cosimLearn(p, 50, 13, exe, { banks: 2 });
    expect(r.mismatch).not.toBeNull();
    expect(r.mismatch!.signal).toBe('learn.cycles');
    expect(r.mismatch!.rtl).not.toBe(r.mismatch!.model);
  });
});
