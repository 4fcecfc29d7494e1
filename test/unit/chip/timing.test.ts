/**
 * Pins the cycle rules of docs/timing-model.md on hand-computable cases.
 */
import { ChipEngine } from '../../../src/chip/chip-engine';
import { wordsFor } from '../../../src/kernels';
import { chipFrom, modelParams } from '../../differential/configs';
import type { MappingParams } from '../../../src/map/params';

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
  watchdogCycles?: number;
  multicast?: 'unicast' | 'tree';
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
    noc: { bufferDepth: o.bufferDepth ?? 4, routerDelay: o.routerDelay ?? 1, linkDelay: 1, creditDelay: o.creditDelay ?? 1, watchdogCycles: o.watchdogCycles ?? 1000, multicast: o.multicast ?? 'unicast' },
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
    // docs/timing-model.md, "Sample sequence": the readout starts at e_4 + barrierDelay (2); its 2 output rows
    // (classes 2 x replicas 1, readoutCycles 1) are read by + 2, the last class sum commits pipelineDepth (2) later;
    // the silent outputs have zero sums, so no packet: e_readout = e_4 + 2 + 2 + 2. The nudged phase's input part
    // starts at e_readout + 2 and streams 20 flits (frame 1 against frame 0) on one lane to the I/O router's own
    // core: ends at start + 20 + routerDelay (1). The first nudged step starts barrierDelay (2) later:
    // t_5 - e_4 = (2 + 2 + 2) + 2 + (20 + 1) + 2 = 31.
    expect(c.stepStarts[5]! - c.stepEnds[4]!).toBe(31);
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
    // Derived by hand from docs/timing-model.md (routers 0..4 in a row, cores 1-4 hold the 4 output neurons,
    // core 0 the hidden one; wordBits 2, banks 1, pipelineDepth 2; every-step; step start t):
    //   hidden row: fanIn 1 + 4 = 5 bits -> R = 3, commits C = t + 5 with 4 packets east (to cores 1, 2, 3, 4);
    //   output rows: fanIn 1 -> R = 1, commit t + 3 with 1 packet each west to core 0.
    // Tight (queue 1, buffers 1, creditDelay 3): core 0 hands packet 1 over at t+5 (router 0 at t+6, granted
    // t+6, Local credit back t+9); packet 2 handed t+9, router 0 at t+10, but router 0's east credit (taken at
    // t+6) returns when router 1 grants packet 1 (t+8) + 3 = t+11: granted t+11, Local credit back t+14; packet 3
    // handed t+14, which frees the slot for packet 4: the row's last packet enters the queue at t+14, stall =
    // 14 - 5 = 9 per step; 3 free steps -> 27 (inference: no nudged step).
    // Step end = last delivery: packet 3 granted at router 0 t+16, router 1 t+18, router 2 t+20, delivered
    // at core 3 t+23; packet 4 handed t+19, router 0 t+20, granted t+21 (east credit back from router 1's
    // grant of packet 3 at t+18), router 1 t+23 (credit from router 2's grant at t+20), router 2 t+25, router 3
    // t+27, router 4 granted t+29, delivered t+30. Westbound ends earlier (core 4's packet delivered t+22).
    // Roomy (queue 8, buffers 8, creditDelay 1): no stall; packet k enters router 0 at t+5+k and arrives at
    // zero load 2k+1 later: the last (k = 4) at t+18; westbound, core k's packet at t+4+2k+1 <= t+13.
    expect(stalls(roomy)).toBe(0);
    expect(stalls(tight)).toBe(3 * 9);
    const len = (e: ChipEngine) => e.chip.stepEnds[0]! - e.chip.stepStarts[0]!;
    expect(len(tight)).toBe(30);
    expect(len(roomy)).toBe(18);
    // Same values whatever the timing.
    expect(tight.snapshot()).toEqual(roomy.snapshot());
  });
});

describe('deadlock watchdog', () => {
  test('a watchdog shorter than creditDelay and routerDelay never reads waiting for a credit in flight as a deadlock', () => {
    const fanOut = modelParams({
      network: { inputs: 1, hidden: [1], classes: 4, replicas: 1 },
      dynamics: { kFwd: [0], kBwd: [0], freeSteps: 3, nudgedSteps: 1, bias: false, encoding: 'binary' },
    });
    const run = (watchdogCycles: number) => {
      const e = new ChipEngine(fanOut, chip({ width: 5, neurons: 1, encoding: 'every-step', outQueueDepth: 1, bufferDepth: 1, creditDelay: 40, routerDelay: 25, watchdogCycles }), 1);
      e.runSample(new Uint32Array([1]), 0, { learn: true, betaSign: 1 });
      return { ends: Array.from(e.chip.stepEnds.slice(0, e.chip.stepCount)), snap: e.snapshot() };
    };
    const off = run(0);
    // Flits wait 40 cycles for credits, far longer than the 3-cycle watchdog: same run as with the watchdog off.
    expect(run(3)).toEqual(off);
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

describe('partial sums (split layers)', () => {
  // docs/timing-model.md, "Partial sums". Network 4-3-2: layer 1 reads 4 + 2 = 6 axons, a
  // core has 4, so layer 1 is cut into 2 segments (mapping.split); layer 2 reads 3. Placement
  // on a 2x2 mesh: layer 1 home (segment 0) on core 0 = (0,0), segment 1 on `seg`, layer 2 on
  // `out`. dynamics.stateBits 2: the readout's 2 classes x 2 sum bits fit the 4 axon addresses.
  // Spike packet = 1 + 1 + bitsFor(4) + 1 + 1 = 6 bits, + the kind bit = flitBits 7.
  // Word packet = 1 + 1 + 2 + bitsFor(16 neurons) + 1 + payload = 9 + payload bits.
  interface SplitChip {
    wordBits: number;
    banks: number;
    pipelineDepth: number;
    barrierDelay: number;
    routerDelay: number;
    rowPasses?: number;
    startDelay?: number;
  }
  function splitChip(o: SplitChip) {
    return chipFrom({
      mesh: { width: 2, height: 2 },
      core: {
        neurons: 16,
        axons: 4,
        sram: { wordBits: o.wordBits, banks: o.banks, capacityBits: 1 << 20, counterCapacityBits: 1 << 22 },
        pipelineDepth: o.pipelineDepth,
        outQueueDepth: 32,
        readoutCycles: 1,
        learning: { rowPasses: o.rowPasses ?? 1, startDelay: o.startDelay ?? 0 },
      },
      barrierDelay: o.barrierDelay,
      resetDelay: 1,
      encoding: 'state-change',
      noc: { bufferDepth: 8, routerDelay: o.routerDelay, linkDelay: 1, creditDelay: 1, watchdogCycles: 1000 },
    });
  }
  const tile = (id: number) => ({ x: id % 2, y: id >> 1 });
  function splitMapping(segments: number[], seg: number, out: number, partialSumBits: number | 'auto', partialSums: MappingParams['partialSums'] = 'every-step'): MappingParams {
    return { placement: [[tile(0), tile(seg)], [tile(out)]], split: [segments, 'auto'], partialSumBits, partialSums };
  }

  // Silent (k = 0) and zero input: no spike packet ever, only partial sums.
  const silentSplit = modelParams({
    network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 },
    dynamics: { kFwd: [0], kBwd: [0], freeSteps: 4, nudgedSteps: 2, bias: false, resetState: 'zero', encoding: 'binary', stateBits: 2 },
  });

  test.each([
    // Case A: segments [3, 3] (segment 0 = input columns 0..2; segment 1 = input column 3 and
    // both backward columns: 2 parts), wordBits 1, banks 1, depth 2, barrierDelay 3,
    // routerDelay 1 (linkDelay 1), partialSumBits 3: word packet 12 bits = F = 2 flits.
    //   partial phase, R^s = ceil(3 / 1) = 3 on both cores:
    //     core 0 (home segment, sends nothing): ends t + 3*3 + 2 = t + 11
    //     core 1: rows commit at t + 5, t + 8, t + 11, each queueing 2 parts x 2 flits; the
    //       queue hands one flit per cycle, so the 12 flits leave back to back at t + 5 .. t + 16
    //       (row 1's flits at t + 9.. , row 2's at t + 13.., both after their commits);
    //       the last enters router 1 at t + 17 and, one hop, latency(1) = (1 + 1) + 1 = 3,
    //       is delivered at t + 20 = p_k
    //   neuron phase from p_k + 3 = t + 23: core 0 = 3 home rows x 1 cycle + 2 = 5; core 2 (layer 2,
    //     R = ceil(3 / 1) = 3) = 2 x 3 + 2 = 8: e_k = t + 31; t_{k+1} = e_k + 3 = t + 34
    ['A: [3,3], one hop, F = 2', { wordBits: 1, banks: 1, pipelineDepth: 2, barrierDelay: 3, routerDelay: 1 }, [3, 3], 1, 2, 3, 31, 34],
    // Case B: segments [4, 2] (segment 1 = the 2 backward columns only: 1 part), wordBits 2,
    // banks 1, depth 1, barrierDelay 2, routerDelay 2, segment 1 on core 3 = (1,1), two hops,
    // layer 2 on core 1; partialSumBits 13: word packet 22 bits = F = ceil(22 / 7) = 4 flits.
    //   partial phase: core 0: R^s = ceil(ceil(4 / 2) / 1) = 2, ends t + 3*2 + 1 = t + 7;
    //     core 3: R^s = ceil(ceil(2 / 2) / 1) = 1, rows commit at t + 2, t + 3, t + 4, each
    //     queueing 4 flits; back to back at t + 2 .. t + 13; the last enters router 3 at t + 14,
    //     latency(2) = 2 * (2 + 1) + 2 = 8: delivered at t + 22 = p_k
    //   neuron phase from t + 24: core 0 = 3 x 1 + 1 = 4; core 1 (layer 2, R = ceil(ceil(3 / 2) / 1)
    //     = 2) = 2 x 2 + 1 = 5: e_k = t + 29; t_{k+1} = t + 31
    ['B: [4,2], two hops, F = 4', { wordBits: 2, banks: 1, pipelineDepth: 1, barrierDelay: 2, routerDelay: 2 }, [4, 2], 3, 1, 13, 29, 31],
    // Case C: as A but banks 2 and partialSumBits 13 (F = 4), depth 0, barrierDelay 1, one hop
    // down to core 2 = (0,1), layer 2 on core 1.
    //   partial phase: R^s = ceil(3 / 2) = 2 on both; core 0 ends t + 6; core 2 rows commit at
    //     t + 2, t + 4, t + 6, each queueing 2 x 4 = 8 flits: back to back at t + 2 .. t + 25;
    //     enters router 2 at t + 26, latency(1) = 3: delivered at t + 29 = p_k
    //   neuron phase from t + 30: core 0 = 3 + 0 = 3; core 1: R = ceil(3 / 2) = 2, 2 x 2 + 0 = 4:
    //     e_k = t + 34; t_{k+1} = t + 35
    ['C: [3,3], banks 2, F = 4', { wordBits: 1, banks: 2, pipelineDepth: 0, barrierDelay: 1, routerDelay: 1 }, [3, 3], 2, 1, 13, 34, 35],
  ] as const)('step = partial-sum phase + barrierDelay + neuron phase + barrierDelay (%s)', (_name, o, segments, seg, out, psb, end, step) => {
    const e = new ChipEngine(silentSplit, splitChip(o), 1, { mapping: splitMapping([...segments], seg, out, psb) });
    expect(e.chip.mapping.cuts[1]).toEqual([0, segments[0], 6]);
    e.runSample(zeros, 0, { learn: false });
    expect(e.chip.stepCount).toBe(4);
    for (let k = 0; k < 4; k++) expect(e.chip.stepEnds[k]! - e.chip.stepStarts[k]!).toBe(end);
    expect(stepLengths(e)).toEqual([step, step, step]);
    const psumPackets = 3 * (segments[1] === 3 ? 2 : 1);
    const flits = Math.ceil((9 + psb) / 7);
    const c = e.counters().components[`core.${seg}`]!.counts;
    expect([c['partialSumPackets'], c['partialSumFlits'], c['queueStalls']]).toEqual([4 * psumPackets, 4 * psumPackets * flits, 0]);
    expect(e.counters().components['core.0']!.counts['partialSumAdds']).toBe(4 * psumPackets);
  });

  // mapping.partialSums "on-change": a remote segment row part queues its packet only when its
  // sum differs from the one it last sent since the reset (0 at reset). Weights are +-1, spikes
  // binary: a part's sum is 0 when its spikes are all 0. Segment 1 of [3, 3] reads input bit 3
  // and the two layer-2 spikes; silent layers never spike, so the
  // backward part sums to 0 (never sent) and the forward part is W[i][3] * x_3: +-1 (sent in the
  // first step of the sample, then unchanged) when input bit 3 is set, else 0 (never sent).
  test.each([
    // Case A's chip (wordBits 1, banks 1, depth 2, barrierDelay 3, routerDelay 1, F = 2).
    // Input 0: nothing is ever sent; partial phase = the slower pass, core 0 and core 1 both
    //   3 x 3 + 2 = 11: p_k = t + 11; neuron phase from t + 14: core 0 = 3 + 2 = 5, core 2 = 2 x 3 + 2
    //   = 8: e_k = t + 22 every step, t_{k+1} = t + 25.
    ['A, input 0: no packet', { wordBits: 1, banks: 1, pipelineDepth: 2, barrierDelay: 3, routerDelay: 1 }, [3, 3], 1, 2, 3, 0b0000, [22, 22, 22, 22], [25, 25, 25], 0],
    // Input 0b1000: step 0 sends row i's forward part (sum +-1 != 0): rows commit at t + 5, 8, 11,
    //   each queueing 2 flits, leaving at t + 5, 6, 8, 9, 11, 12; the last enters router 1 at t + 13
    //   and is delivered at t + 13 + latency(1) = t + 16 = p_0; neuron phase from t + 19, e_0 =
    //   t + 19 + 8 = t + 27, t_1 = t + 30. Steps 1-3: sums unchanged, nothing sent: as with input 0.
    ['A, input bit 3: step 0 sends 3 packets', { wordBits: 1, banks: 1, pipelineDepth: 2, barrierDelay: 3, routerDelay: 1 }, [3, 3], 1, 2, 3, 0b1000, [27, 22, 22, 22], [30, 25, 25], 3],
    // Case B's chip (two hops, F = 4), segments [4, 2]: segment 1 holds only the backward part
    //   (always 0): never sends. Partial phase: core 0 = 3 x 2 + 1 = 7, core 3 = 3 x 1 + 1 = 4:
    //   p_k = t + 7; neuron phase from t + 9: core 0 = 3 + 1 = 4, core 1 = 2 x 2 + 1 = 5: e_k = t + 14,
    //   t_{k+1} = t + 16 (every-step: 29 and 31).
    ['B, backward part only: no packet', { wordBits: 2, banks: 1, pipelineDepth: 1, barrierDelay: 2, routerDelay: 2 }, [4, 2], 3, 1, 13, 0b1111, [14, 14, 14, 14], [16, 16, 16], 0],
  ] as const)('on-change: only changed segment rows send (%s)', (_name, o, segments, seg, out, psb, bits, ends, steps, packets) => {
    const e = new ChipEngine(silentSplit, splitChip(o), 1, { mapping: splitMapping([...segments], seg, out, psb, 'on-change') });
    const input = new Uint32Array([bits]);
    const adds = 4 * 3 * (segments[1] === 3 ? 2 : 1);
    const flits = Math.ceil((9 + psb) / 7);
    // Two samples: the reset clears the registers, so the second sample sends what the first did.
    for (let sample = 1; sample <= 2; sample++) {
      e.runSample(input, 0, { learn: false });
      expect(e.chip.stepCount).toBe(4);
      expect(Array.from({ length: 4 }, (_, k) => e.chip.stepEnds[k]! - e.chip.stepStarts[k]!)).toEqual([...ends]);
      expect(stepLengths(e)).toEqual([...steps]);
      const c = e.counters().components[`core.${seg}`]!.counts;
      expect([c['partialSumPackets'], c['partialSumFlits'], c['queueStalls']]).toEqual([sample * packets, sample * packets * flits, 0]);
      // The home adds every stored sum every step, as many adds as every-step.
      expect(e.counters().components['core.0']!.counts['partialSumAdds']).toBe(sample * adds);
    }
  });

  test('post-spike pass and learning: learning = barrierDelay + post pass + barrierDelay + startDelay + max over cores of the rows', () => {
    // Spin encoding with a counter leak: every row (and segment row) is updated every sample.
    const m = modelParams({
      network: { inputs: 4, hidden: [3], classes: 2, replicas: 1 },
      dynamics: { encoding: 'spin', freeSteps: 3, nudgedSteps: 2, stateBits: 2 },
      learning: { rule: 'counter', counterBits: 4, theta: [2], leakShift: 1 },
    });
    // Chip of case A (wordBits 1, banks 1, depth 2, barrierDelay 3, routerDelay 1), rowPasses 2,
    // startDelay 5; segments [3, 3], segment 1 on core 1 (one hop), layer 2 on core 2.
    //   post pass from s = e_nudged + 3: core 0's 3 home rows commit at s + 1 + 2, s + 2 + 2,
    //     s + 3 + 2, each queueing one word packet of 9 + 2 = 11 bits = 2 flits to core 1; back to
    //     back at s + 3 .. s + 8, the last enters router 0 at s + 9, delivered at s + 9 + 3 = s + 12
    //   learning from s + 12 + 3: L = rowPasses * ceil(W * (1 + 4) / 1) with W = 3 words for every
    //     row here (segments of 3 axons; layer 2 reads 3) = 2 * 15 = 30; core 0: 3 segment rows (its
    //     home rows learn only biases, no cycles) = 90; core 1: 3 segment rows = 90; core 2: 2 rows = 60
    //   learning = 3 + 12 + 3 + 5 + 90 = 113
    const e = new ChipEngine(m, splitChip({ wordBits: 1, banks: 1, pipelineDepth: 2, barrierDelay: 3, routerDelay: 1, rowPasses: 2, startDelay: 5 }), 7, {
      mapping: splitMapping([3, 3], 1, 2, 'auto'),
    });
    e.runSample(new Uint32Array([0b0110]), 1, { learn: true, betaSign: 1 });
    expect(e.lastSample.learning).toBe(113);
    const c0 = e.counters().components['core.0']!.counts;
    expect([c0['postSpikePackets'], c0['postSpikeFlits']]).toEqual([3, 6]);
    expect(e.counters().components['core.1']!.counts['postSpikeWrites']).toBe(3);
  });
});

describe('multicast spikes (noc.multicast tree)', () => {
  // docs/timing-model.md, "Multicast spikes". A silent 4-3-3 network, every-step encoding (every
  // row sends every step, payload 0): layer 1 on core 0 = (0,0) of a 4x1 mesh, layer 2 in three
  // one-neuron pieces on cores 1, 2, 3. wordBits 2, banks 1: a layer-1 row reads 4 + 3 = 7 axons,
  // W = R = 4; a layer-2 row reads 3, W = R = 2. Step k from t: core 0's rows commit at
  // C_i = t + 4 (i + 1) + pipelineDepth (t + 12 + pd the last); cores 1..3 commit at t + 2 + pd and
  // send one packet each to core 0 (one destination: unicast on both chips), delivered by
  // t + 2 + pd + 1 + latency(3), well before core 0's last row.
  //   unicast: the last row queues 3 packets (cores 1, 2, 3), handed over at C, C + 1, C + 2; the
  //     one to core 3 enters router 0 at C + 3 and arrives latency(3) = 3 (rd + 1) + rd later:
  //     e = C_last + 3 + 3 (rd + 1) + rd.
  //   tree: the last row queues one packet, in router 0 at C + 1; router 1 sends it to its core and
  //     east in the same cycle, router 2 likewise, so core 3 has it latency(3) later:
  //     e = C_last + 1 + 3 (rd + 1) + rd, k - 1 = 2 cycles earlier.
  const net = modelParams({
    network: { inputs: 4, hidden: [3], classes: 3, replicas: 1 },
    dynamics: { kFwd: [0], kBwd: [0], freeSteps: 5, nudgedSteps: 2, bias: false, resetState: 'zero', encoding: 'binary' },
  });
  const row = { placement: [[{ x: 0, y: 0 }], [{ x: 1, y: 0, neurons: 1 }, { x: 2, y: 0, neurons: 1 }, { x: 3, y: 0, neurons: 1 }]] };
  test.each([
    [1, 2],
    [2, 0],
    [1, 0],
  ])('one packet per row instead of one per destination: routerDelay %i, pipelineDepth %i', (rd, pd) => {
    const runs = (['unicast', 'tree'] as const).map((mc) => {
      const e = new ChipEngine(net, chip({ width: 4, encoding: 'every-step', routerDelay: rd, pipelineDepth: pd, barrierDelay: 1, multicast: mc }), 1, { mapping: row });
      e.runSample(zeros, 0, { learn: false });
      return e;
    });
    const lastCommit = 12 + pd;
    const latency3 = 3 * (rd + 1) + rd;
    const [uni, tree] = runs as [ChipEngine, ChipEngine];
    for (let k = 0; k < 5; k++) {
      expect(uni.chip.stepEnds[k]! - uni.chip.stepStarts[k]!).toBe(lastCommit + 3 + latency3);
      expect(tree.chip.stepEnds[k]! - tree.chip.stepStarts[k]!).toBe(lastCommit + 1 + latency3);
    }
    const u0 = uni.counters().components['core.0']!.counts;
    const t0 = tree.counters().components['core.0']!.counts;
    // 3 rows x 5 steps: 3 destinations each unicast, one multicast packet each on the tree chip.
    expect([u0['packetsInjected'], u0['multicastPackets']]).toEqual([45, 0]);
    expect([t0['packetsInjected'], t0['multicastPackets']]).toEqual([15, 15]);
    // Every destination still receives every spike once: cores 1..3 each get 3 rows x 5 steps.
    for (const c of [1, 2, 3]) {
      expect(tree.counters().components[`core.${c}`]!.counts['axonWrites']).toBe(uni.counters().components[`core.${c}`]!.counts['axonWrites']);
    }
    // Links saved per packet: unicast hops 1 + 2 + 3 = 6, the tree's 3 links: 3 x 15 packets.
    const saved = Object.entries(tree.counters().components).reduce((n, [, c]) => n + (c.kind === 'router' ? c.counts['multicastFlitsSaved']! : 0), 0);
    expect(saved).toBe(45);
    // Router 0's only link (east) carries core 0's step traffic (the input bits stay local, the silent
    // readout sends nothing). Unicast chip: 45 flits of 2 + 0 + bitsFor(64) + 1 + 1 = 10 bits; tree chip:
    // 15 multicast packets of 1 (format) + 4 (destination set) + 2 (source core) + bitsFor(max(16 neurons, 64 axons))
    // (source row or input bit) + 1 = 14 bits.
    const r0 = (e: ChipEngine): number[] => ['linkFlits', 'linkBits'].map((n) => e.counters().components['router.0']!.counts[n]!);
    expect(r0(uni)).toEqual([45, 450]);
    expect(r0(tree)).toEqual([15, 210]);
    expect([tree.chip.packetBits, tree.chip.mesh.multicastPacketBits]).toEqual([11, 14]);
  });

  test('input load: one multicast packet per set bit from the I/O port instead of one flit per destination core', () => {
    // Layer 1 in two pieces on cores 0 and 1 of a 3x1 mesh (layer 2 on core 2), the I/O port at (0, 0):
    // each of the 4 set input bits goes to cores 0 and 1. Unicast: 8 flits, one per cycle from
    // t_s + resetDelay, the last (bit 3 to core 1, 1 hop) injected at + 7: e_in = resetDelay + 7 + 1 + latency(1).
    // Tree: 4 packets, the last injected at + 3 and replicated at router 0: e_in = resetDelay + 3 + 1 + latency(1).
    // The first step starts at e_in + barrierDelay.
    const place = { placement: [[{ x: 0, y: 0, neurons: 2 }, { x: 1, y: 0, neurons: 1 }], [{ x: 2, y: 0 }]] };
    for (const rd of [1, 2]) {
      const latency1 = (rd + 1) + rd;
      const start = (['unicast', 'tree'] as const).map((mc) => {
        const e = new ChipEngine(net, chip({ width: 3, routerDelay: rd, resetDelay: 1, barrierDelay: 3, multicast: mc }), 1, { mapping: place });
        e.runSample(new Uint32Array([0b1111]), 0, { learn: false });
        const io = e.counters().components['io']!.counts;
        return [e.chip.stepStarts[0], io['flitsIn']];
      });
      expect(start).toEqual([
        [1 + 7 + 1 + latency1 + 3, 8],
        [1 + 3 + 1 + latency1 + 3, 4],
      ]);
    }
  });
});
