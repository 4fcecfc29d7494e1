/**
 * Pins the cycle rules of docs/timing-model.md on hand-computable cases.
 */
import { ChipEngine } from '../../../src/chip/chip-engine';
import { wordsFor } from '../../../src/kernels';
import { chipFrom, modelParams } from '../../differential/configs';

interface ChipOver {
  readoutCycles?: number;
  wordBits?: number;
  banks?: number;
  pipelineDepth?: number;
  outQueueDepth?: number;
  barrierDelay?: number;
  resetDelay?: number;
  encoding?: string;
  routerDelay?: number;
  bufferDepth?: number;
  creditDelay?: number;
  startDelay?: number;
  rowPasses?: number;
  width?: number;
  neurons?: number;
}

function chip(o: ChipOver) {
  return chipFrom({
    mesh: { width: o.width ?? 1, height: 1 },
    core: {
      neurons: o.neurons ?? 16,
      axons: 64,
      sram: { wordBits: o.wordBits ?? 2, banks: o.banks ?? 1, capacityBits: 1 << 20, counterCapacityBits: 1 << 22 },
      pipelineDepth: o.pipelineDepth ?? 2,
      outQueueDepth: o.outQueueDepth ?? 8,
      readoutCycles: o.readoutCycles ?? 1,
      learning: { rowPasses: o.rowPasses ?? 2, startDelay: o.startDelay ?? 0 },
    },
    barrierDelay: o.barrierDelay ?? 3,
    resetDelay: o.resetDelay ?? 1,
    encoding: o.encoding ?? 'state-change',
    noc: { bufferDepth: o.bufferDepth ?? 4, routerDelay: o.routerDelay ?? 1, linkDelay: 1, creditDelay: o.creditDelay ?? 1, watchdogCycles: 1000 },
  });
}

/** 4 inputs, 3 hidden, 2 outputs, all silent (k = 0): no spike ever changes. */
const silent = modelParams({
  network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 },
  dynamics: { kFwd: [0], kBwd: [0], freeSteps: 5, nudgedSteps: 2, bias: false, resetState: 'zero', encoding: 'binary' },
});
const oneCore = { placement: [[{ x: 0, y: 0 }], [{ x: 0, y: 0 }]] };
const zeros = new Uint32Array(wordsFor(4));

function stepLengths(e: ChipEngine): number[] {
  const c = e.chip;
  const out: number[] = [];
  for (let k = 1; k < c.stepCount; k++) out.push((c.stepStarts[k] as number) - (c.stepStarts[k - 1] as number));
  return out;
}

describe('step timing', () => {
  test.each([
    // layer 1: fan-in 4 + 2 = 6 bits, layer 2: fan-in 3 bits
    [2, 1, 3 * 3 + 2 * 2],
    [2, 2, 3 * 2 + 2 * 1],
    [4, 1, 3 * 2 + 2 * 1],
    [8, 3, 3 * 1 + 2 * 1],
  ])('uncongested single core, wordBits %i, banks %i: step = sum R_i + pipelineDepth + barrierDelay', (wordBits, banks, sumR) => {
    for (const [depth, bd] of [
      [2, 3],
      [0, 0],
      [5, 1],
    ] as const) {
      const e = new ChipEngine(silent, chip({ wordBits, banks, pipelineDepth: depth, barrierDelay: bd }), 1, { mapping: oneCore });
      e.runSample(zeros, 0, { learn: false });
      expect(e.chip.stepCount).toBe(5);
      expect(stepLengths(e)).toEqual([1, 2, 3, 4].map(() => sumR + depth + bd));
      for (let k = 0; k < 5; k++) expect(e.chip.stepEnds[k]! - e.chip.stepStarts[k]!).toBe(sumR + depth);
    }
  });

  test('the first step starts barrierDelay after the reset and an empty input load', () => {
    const e = new ChipEngine(silent, chip({ resetDelay: 4, barrierDelay: 3 }), 1, { mapping: oneCore });
    e.runSample(zeros, 0, { learn: false });
    expect(e.chip.stepStarts[0]).toBe(4 + 3);
  });

  test('input load: k set bits to one core, one lane: the last flit is delivered at t + resetDelay + k + routerDelay', () => {
    for (const [bits, k] of [
      [0b1, 1],
      [0b1011, 3],
      [0b1111, 4],
    ] as const) {
      for (const rd of [1, 3]) {
        const e = new ChipEngine(silent, chip({ resetDelay: 2, barrierDelay: 1, routerDelay: rd }), 1, { mapping: oneCore });
        e.runSample(new Uint32Array([bits]), 0, { learn: false });
        // injected at t+2 .. t+2+k-1, each in the router buffer one cycle later, delivered routerDelay after its grant
        expect(e.chip.stepStarts[0]).toBe(2 + (k - 1) + 1 + rd + 1);
      }
    }
  });

  test('every-step encoding on one core: the last packet is delivered 1 + routerDelay after the last commit', () => {
    for (const rd of [1, 2, 4]) {
      const e = new ChipEngine(silent, chip({ encoding: 'every-step', routerDelay: rd, wordBits: 2, banks: 1 }), 1, { mapping: oneCore });
      e.runSample(zeros, 0, { learn: false });
      const sumR = 13;
      for (let k = 0; k < 5; k++) expect(e.chip.stepEnds[k]! - e.chip.stepStarts[k]!).toBe(sumR + 2 + 1 + rd);
      const core = e.counters().components['core.0']!.counts;
      // 5 rows x 5 steps x one destination core; the readout of all-zero class sums sends nothing
      expect(core['packetsInjected']).toBe(25);
      expect(core['axonWrites']).toBe(25 + 4); // plus the 4 input bits, all sent with every-step
      expect(core['queueStalls']).toBe(0);
    }
  });

  test('readout lasts output rows x readoutCycles + pipelineDepth after the last step + barrierDelay', () => {
    for (const rc of [1, 3]) {
      const e = new ChipEngine(silent, chip({ readoutCycles: rc, pipelineDepth: 2, barrierDelay: 3 }), 1, { mapping: oneCore });
      e.runSample(zeros, 0, { learn: false });
      expect(e.lastSample.free).toBe(e.chip.stepEnds[4]! + 3 + 2 * rc + 2);
    }
  });

  test('readout: each output core sends the set bits of its partial class sums; the I/O port adds them up', () => {
    // 3 replicas per class, output rows split over cores of 2 neurons: classes straddle cores.
    const m = modelParams({
      network: { inputs: 10, hidden: [6], classes: 3, replicas: 3 },
      dynamics: { kFwd: [8], kBwd: [6], offset: [20], freeSteps: 4, encoding: 'binary' },
    });
    const e = new ChipEngine(m, chip({ width: 8, neurons: 2, wordBits: 8 }), 5);
    e.chip.mesh.resetCounters();
    e.runSample(new Uint32Array([0b1011001110]), 0, { learn: false });
    const snap = e.snapshot();
    const S = snap.states[1]!;
    const sums = [0, 1, 2].map((c) => S[3 * c]! + S[3 * c + 1]! + S[3 * c + 2]!);
    expect(Array.from(e.chip.io.sums)).toEqual(sums);
    expect(sums.some((x) => x > 0)).toBe(true);
    // Flits out = set bits of each core's partial sums (output rows 0-1, 2-3, 4-5, 6-7, 8 on separate cores).
    let bits = 0;
    for (const piece of e.chip.mapping.layerPieces[2]!) {
      const partial = new Map<number, number>();
      for (let g = piece.first; g < piece.first + piece.count; g++) partial.set(Math.floor(g / 3), (partial.get(Math.floor(g / 3)) ?? 0) + S[g]!);
      for (const v of partial.values()) for (let b = 0; b < 31; b++) bits += (v >>> b) & 1;
    }
    expect(e.counters().components['io']!.counts['flitsOut']).toBe(bits);
  });

  test('the input load streams the set bits (state-change) or every bit (every-step) to each destination core', () => {
    const input = new Uint32Array([0b1011]);
    const a = new ChipEngine(silent, chip({}), 1, { mapping: oneCore });
    a.runSample(input, 0, { learn: false });
    expect(a.counters().components['io']!.counts['flitsIn']).toBe(3);
    const b = new ChipEngine(silent, chip({ encoding: 'every-step' }), 1, { mapping: oneCore });
    b.runSample(input, 0, { learn: false });
    expect(b.counters().components['io']!.counts['flitsIn']).toBe(4);
  });
});

describe('several input frames (rate coding)', () => {
  // 20 silent inputs; every row is one SRAM word, so a step computes in 5 rows + pipelineDepth 2 = 7 cycles.
  const m = modelParams({
    network: { inputs: 20, hidden: [3], classes: 2, replicas: 1 },
    dynamics: { kFwd: [0], kBwd: [0], freeSteps: 5, nudgedSteps: 2, bias: false, resetState: 'zero', encoding: 'binary' },
    learning: { symmetric: true },
  });
  // Frame 0 all zeros, frame 1 all ones: every step change toggles 20 bits.
  const frames = new Uint32Array([0, (1 << 20) - 1]);
  test('a step that streams the next frame ends when its last flit lands: e_k = t_k + flits + routerDelay', () => {
    for (const rd of [1, 3]) {
      const e = new ChipEngine(m, chip({ wordBits: 64, routerDelay: rd, barrierDelay: 2 }), 1, { mapping: oneCore });
      e.runSample(frames, 0, { learn: false });
      const c = e.chip;
      for (let k = 0; k < 4; k++) expect(c.stepEnds[k]! - c.stepStarts[k]!).toBe(20 + rd);
      // The last step of the phase streams nothing: the core rule alone.
      expect(c.stepEnds[4]! - c.stepStarts[4]!).toBe(7);
      expect(e.counters().components['io']!.counts['flitsIn']).toBe(4 * 20);
    }
  });
  test('each nudged phase starts with an input part streaming its first frame against the free phase\'s last', () => {
    const e = new ChipEngine(m, chip({ wordBits: 64, routerDelay: 1, barrierDelay: 2 }), 1, { mapping: oneCore });
    e.runSample(frames, 0, { learn: true, betaSign: 1 });
    // free: 4 changes; each nudged phase: frame (5 + 0) mod 2 = 1 against frame 4 mod 2 = 0, then one change.
    expect(e.counters().components['io']!.counts['flitsIn']).toBe(4 * 20 + 2 * (20 + 20));
    const c = e.chip;
    // The first nudged step starts after the readout, an input part of 20 flits and two barrier delays.
    expect(c.stepStarts[5]! - c.stepEnds[4]!).toBeGreaterThanOrEqual(2 + 20 + 1 + 2);
  });
});

describe('output-queue backpressure', () => {
  // 1 input, 1 hidden neuron, 4 outputs on 4 further cores: the hidden row sends 4 packets per step.
  const fanOut = modelParams({
    network: { inputs: 1, hidden: [1], classes: 4, replicas: 1 },
    dynamics: { kFwd: [0], kBwd: [0], freeSteps: 3, nudgedSteps: 1, bias: false, encoding: 'binary' },
  });
  const ones = new Uint32Array([1]);

  test('a full queue stalls the datapath and lengthens the step; a deep queue does not', () => {
    const tight = new ChipEngine(fanOut, chip({ width: 5, neurons: 1, encoding: 'every-step', outQueueDepth: 1, bufferDepth: 1, creditDelay: 3 }), 1);
    tight.runSample(ones, 0, { learn: false });
    const roomy = new ChipEngine(fanOut, chip({ width: 5, neurons: 1, encoding: 'every-step', outQueueDepth: 8, bufferDepth: 8, creditDelay: 1 }), 1);
    roomy.runSample(ones, 0, { learn: false });
    const stalls = (e: ChipEngine) => e.counters().components['core.0']!.counts['queueStalls']!;
    expect(stalls(roomy)).toBe(0);
    expect(stalls(tight)).toBeGreaterThan(0);
    // Hidden row: 4 packets per step with a 1-deep queue and a 1-deep router buffer whose
    // credit returns 3 cycles after each grant: at least 3 cycles per packet after the first two.
    expect(stalls(tight)).toBeGreaterThanOrEqual(3 * (2 * 3));
    const len = (e: ChipEngine) => e.chip.stepEnds[0]! - e.chip.stepStarts[0]!;
    expect(len(tight)).toBeGreaterThan(len(roomy));
    // Same values whatever the timing.
    expect(tight.snapshot()).toEqual(roomy.snapshot());
  });
});

describe('learning phase', () => {
  test('cycles = barrierDelay + startDelay + sum over rows of rowPasses * ceil(W_i * (1 + counterBits) / banks)', () => {
    // Spin encoding with a counter leak: every row is updated every sample.
    const m = modelParams({
      network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 },
      dynamics: { encoding: 'spin', freeSteps: 3, nudgedSteps: 2 },
      learning: { rule: 'counter', counterBits: 4, theta: [2], leakShift: 1 },
    });
    for (const [banks, passes, start, bd] of [
      [1, 2, 0, 3],
      [2, 2, 5, 0],
      [3, 1, 1, 2],
    ] as const) {
      const e = new ChipEngine(m, chip({ wordBits: 2, banks, rowPasses: passes, startDelay: start, barrierDelay: bd }), 7, { mapping: oneCore });
      e.runSample(new Uint32Array([0b0110]), 1, { learn: true, betaSign: 1 });
      // layer 1: 3 rows of W = 3 words; layer 2: 2 rows of W = 2 words; counterBits 4
      const rows = 3 * passes * Math.ceil((3 * 5) / banks) + 2 * passes * Math.ceil((2 * 5) / banks);
      expect(e.lastSample.learning).toBe(bd + start + rows);
      expect(e.lastSample.total).toBe(e.lastSample.free + e.lastSample.nudged + e.lastSample.learning + bd);
    }
  });
});
