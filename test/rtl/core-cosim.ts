/**
 * Neuron-core co-simulation: random weights, inputs, states and dynamics through one
 * TypeScript NeuronCore (src/chip/core: NeuronBlock arithmetic, CoreDatapath commit stage
 * and output queue) and the RTL core (hw/rtl/neuron_core.sv, Verilator), compared on every
 * row's forward and backward dot products (the popcount accumulators), new state and spike,
 * every flit the output queue hands to the router (cycle, destination, axon, payload) and
 * the cycle the step ends. The router's Local input is a credit counter of `cdepth`
 * credits whose k-th flit's credit returns 2 + delay[k] cycles after the hand-over, so the
 * queue meets random backpressure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NeuronCore } from '../../src/chip/core/neuron-core';
import type { CoreParams } from '../../src/hw/params';
import { wordsFor } from '../../src/kernels';
import type { NeuronBlock } from '../../src/learning/neuron-block';
import type { CoreMap, Mapping } from '../../src/map/mapping';
import { Kernel } from '../../src/sim/kernel';
import { rngStream } from '../../src/util/rng';
import type { Rng } from '../../src/util/rng';
import { modelParams } from '../differential/configs';
import { buildRtl } from './build';
import { K, obsKey, signalName } from './observations';
import type { Mismatch } from './mesh-cosim';

/** Compile-time parameters of the RTL core (a chip file's core section, plus capacities). */
export interface CoreRtlParams {
  neurons: number;
  axons: number;
  wordBits: number;
  banks: number;
  accBits: number;
  stateBits: number;
  biasBits: number;
  pipe: number;
  queueDepth: number;
  maxDest: number;
}

/** One random sample: configuration, contents, router credits. */
export interface CoreSample {
  binary: boolean;
  everyStep: boolean;
  nPrev: number;
  nNext: number;
  rows: number;
  rowStart: number;
  kFwd: number;
  kBwd: number;
  offset: number;
  stateShift: number;
  useBias: boolean;
  dest: number[];
  destBase: number[];
  cdepth: number;
  /** rows x words of wordBits bits, fan-in bits in order (forward then backward). */
  weights: number[][];
  state: number[];
  spike: number[];
  bias: number[];
  axons: number[];
  delays: number[];
}

const DB = 8;
const AB = 16;

/** Build (or reuse) the Verilator core testbench of `p`. */
export function buildCore(p: CoreRtlParams): string {
  const wpr = Math.ceil(p.axons / p.wordBits);
  return buildRtl({
    top: 'neuron_core',
    params: {
      NEURONS: p.neurons,
      AXONS: p.axons,
      WB: p.wordBits,
      BANKS: p.banks,
      ACC_BITS: p.accBits,
      STATE_BITS: p.stateBits,
      BIAS_BITS: p.biasBits,
      PIPE: p.pipe,
      QDEPTH: p.queueDepth,
      MAXD: p.maxDest,
      DB,
      AB,
    },
    defines: { CORE_DB: DB, CORE_AB: AB, CORE_WB: p.wordBits, CORE_BANKS: p.banks, CORE_WPR: wpr, CORE_BIAS_BITS: p.biasBits, CORE_QDEPTH: p.queueDepth },
    testbench: 'core_tb.cpp',
  });
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.below(hi - lo + 1);
}

/** `n` random samples for the core `p`, from rngStream(seed, 'rtl-core'). */
export function coreSamples(p: CoreRtlParams, n: number, seed: number): CoreSample[] {
  const rng = rngStream(seed, 'rtl-core');
  const out: CoreSample[] = [];
  const sMax = 2 ** p.stateBits - 1;
  const bMax = 2 ** (p.biasBits - 1) - 1;
  for (let s = 0; s < n; s++) {
    const nPrev = between(rng, 1, p.axons - 1);
    const nNext = between(rng, 1, p.axons - nPrev);
    const rows = between(rng, 1, p.neurons);
    const words = Math.ceil((nPrev + nNext) / p.wordBits);
    const nd = between(rng, 0, p.maxDest);
    const dest: number[] = [];
    const destBase: number[] = [];
    for (let d = 0; d < nd; d++) {
      dest.push(rng.below(2 ** DB));
      destBase.push(rng.below(2 ** AB - 512));
    }
    const weights: number[][] = [];
    const state: number[] = [];
    const spike: number[] = [];
    const bias: number[] = [];
    const useBias = rng.below(2) === 1;
    for (let i = 0; i < rows; i++) {
      const row: number[] = [];
      for (let k = 0; k < words; k++) {
        // Words wider than 32 bits are drawn as two halves (bits beyond the fan-in are ignored by both).
        const lo = rng.uint32();
        const hi = p.wordBits > 32 ? rng.uint32() : 0;
        row.push(p.wordBits >= 32 ? lo : lo & (2 ** p.wordBits - 1));
        if (p.wordBits > 32) row.push(hi);
      }
      weights.push(row);
      state.push(rng.below(sMax + 1));
      spike.push(rng.below(2));
      bias.push(useBias ? between(rng, -bMax - 1, bMax) : 0);
    }
    const axons: number[] = [];
    // Input densities from sparse to dense, so both saturation directions happen.
    const density = rng.next();
    for (let j = 0; j < nPrev + nNext; j++) axons.push(rng.next() < density ? 1 : 0);
    const delays: number[] = [];
    const slow = rng.below(4);
    for (let k = 0; k < 16; k++) delays.push(rng.below(1 + 3 * slow));
    out.push({
      binary: rng.below(2) === 1,
      everyStep: rng.below(2) === 1,
      nPrev,
      nNext,
      rows,
      rowStart: rng.below(200),
      kFwd: between(rng, -6, 6),
      kBwd: between(rng, -6, 6),
      offset: between(rng, -40, 40),
      stateShift: between(rng, 0, 3),
      useBias,
      dest,
      destBase,
      cdepth: between(rng, 1, 4),
      weights,
      state,
      spike,
      bias,
      axons,
      delays,
    });
  }
  return out;
}

/** Bit j of a row's fan-in vector (forward bits, then backward bits) from its words. */
function weightBit(p: CoreRtlParams, row: number[], j: number): number {
  const k = Math.floor(j / p.wordBits);
  const b = j % p.wordBits;
  const wpw = p.wordBits > 32 ? 2 : 1;
  const word = row[k * wpw + (b >= 32 ? 1 : 0)] as number;
  return (word >>> (b & 31)) & 1;
}

/** An observation of a sample: cycle (-1 = a row's values), key, value. */
export type CoreEvent = [number, number, number];

/** Run the TypeScript core on one sample. */
export function modelSample(p: CoreRtlParams, s: CoreSample): CoreEvent[] {
  const n1 = s.rowStart + s.rows;
  const model = modelParams({
    network: { inputs: s.nPrev, hidden: [n1], classes: s.nNext, replicas: 1 },
    dynamics: {
      encoding: s.binary ? 'binary' : 'spin',
      stateBits: p.stateBits,
      accumulatorBits: p.accBits,
      kFwd: [s.kFwd],
      kBwd: [s.kBwd],
      offset: [s.offset],
      stateShift: s.stateShift,
      bias: s.useBias,
      biasBits: p.biasBits,
    },
  });
  const core: CoreParams = {
    neurons: p.neurons,
    axons: p.axons,
    sram: { wordBits: p.wordBits, banks: p.banks, capacityBits: 1 << 30, counterCapacityBits: 1 << 30 },
    accumulatorBits: p.accBits,
    stateBits: p.stateBits,
    counterBits: 8,
    pipelineDepth: p.pipe,
    outQueueDepth: p.queueDepth,
    readoutCycles: 1,
    learning: { rowPasses: 2, startDelay: 0 },
  };
  // Per source layer (0, then 2): the inputs from axon 0, the backward layer after them.
  const axonBase = new Int32Array([0, s.nPrev]);
  const map: CoreMap = {
    id: 0,
    x: 0,
    y: 0,
    pieces: [{ layer: 1, first: s.rowStart, count: s.rows, core: 0, row: 0, slices: [] }],
    slices: [],
    sourceLayers: [0, 2],
    axonBase,
    axonLo: new Int32Array(2),
    axonHi: new Int32Array([s.nPrev, s.nNext]),
    axonsUsed: s.nPrev + s.nNext,
    rowsUsed: s.rows,
    weightBits: 0,
    counterBits: 0,
  };
  const empty = { cores: new Int32Array(0), axonBase: new Int32Array(0), lo: new Int32Array(0), hi: new Int32Array(0) };
  const mapping: Mapping = {
    layers: [s.nPrev, n1, s.nNext],
    width: 1,
    height: 1,
    cores: [map],
    layerPieces: [[], map.pieces, []],
    fanout: [empty, { cores: Int32Array.from(s.dest), axonBase: Int32Array.from(s.destBase), lo: new Int32Array(s.dest.length), hi: new Int32Array(s.dest.length).fill(n1) }, empty],
    fanIn: [0, s.nPrev + s.nNext, n1],
    rowWords: [0, 0, 0],
    usedCores: [0],
    cuts: [[], [0, s.nPrev + s.nNext], [0, n1]],
    split: false,
    partialSumBits: 16,
    partialSums: 'every-step',
  };
  const kernel = new Kernel();
  const events: CoreEvent[] = [];
  let credits = s.cdepth;
  let lastInject = -1;
  let injected = 0;
  // eslint-disable-next-line prefer-const
  let nc: NeuronCore;
  const hCredit = kernel.register((_a, _b, c) => {
    credits++;
    nc.datapath.onCredit(c);
  });
  const port = {
    canInject: () => credits > 0 && lastInject < kernel.now,
    inject: (_node: number, dest: number, axon: number, payload: number) => {
      const c = kernel.now;
      credits--;
      lastInject = c;
      events.push([c, obsKey(K.QUEUE, 0, 0), dest * 2 ** 17 + axon * 2 + payload]);
      kernel.at(c + 2 + (s.delays[injected % s.delays.length] as number), 0, hCredit, 0, 0);
      injected++;
    },
  };
  const listener = { passDone: (_core: number, c: number) => events.push([c, obsKey(K.COMMIT, 0, 0), 1]) };
  const h = {
    commit: kernel.register((_a, _b, c) => nc.datapath.onCommit(c)),
    drain: kernel.register((_a, _b, c) => nc.datapath.onDrain(c)),
    passDone: kernel.register((_a, _b, c) => nc.datapath.onPassDone(c)),
  };
  nc = new NeuronCore(map, mapping, model, core, s.everyStep ? 'every-step' : 'state-change', kernel, port, listener, h);
  const b = nc.blocks[0] as NeuronBlock;
  b.wFwd.fill(0);
  b.wBwd.fill(0);
  b.spikes.fill(0);
  for (let i = 0; i < s.rows; i++) {
    const row = s.weights[i] as number[];
    for (let j = 0; j < s.nPrev; j++) if (weightBit(p, row, j)) b.wFwd[i * b.prevWords + (j >>> 5)] = (b.wFwd[i * b.prevWords + (j >>> 5)] as number) | (1 << (j & 31));
    for (let j = 0; j < s.nNext; j++) if (weightBit(p, row, s.nPrev + j)) b.wBwd[i * b.nextWords + (j >>> 5)] = (b.wBwd[i * b.nextWords + (j >>> 5)] as number) | (1 << (j & 31));
    b.state[i] = s.state[i] as number;
    b.bias[i] = s.bias[i] as number;
    if (s.spike[i]) b.spikes[i >>> 5] = (b.spikes[i >>> 5] as number) | (1 << (i & 31));
  }
  b.invalidate();
  for (let j = 0; j < s.nPrev + s.nNext; j++) nc.deliver(j, s.axons[j] as number);
  nc.startStep(0, -1, 1);
  kernel.run();
  for (let i = 0; i < s.rows; i++) {
    events.push([-1, obsKey(K.ACC, i, 0), b.dotFwd[i] as number]);
    events.push([-1, obsKey(K.ACC, i, 1), b.dotBwd[i] as number]);
    events.push([-1, obsKey(K.STATE, i, 0), b.state[i] as number]);
    events.push([-1, obsKey(K.SPIKE, i, 0), ((b.spikes[i >>> 5] as number) >>> (i & 31)) & 1]);
  }
  void wordsFor;
  return events;
}

function writeSamples(file: string, p: CoreRtlParams, samples: CoreSample[]): void {
  const lines: string[] = [];
  const wpw = p.wordBits > 32 ? 2 : 1;
  samples.forEach((s, id) => {
    const words = Math.ceil((s.nPrev + s.nNext) / p.wordBits);
    lines.push(`sample ${id}`);
    lines.push(
      [s.binary ? 1 : 0, s.everyStep ? 1 : 0, s.nPrev, s.nNext, s.rows, s.rowStart, s.kFwd, s.kBwd, s.offset, s.stateShift, s.dest.length, s.cdepth, words].join(' '),
    );
    lines.push(s.dest.map((d, k) => `${d} ${s.destBase[k]}`).join(' '));
    for (const row of s.weights) {
      const hex: string[] = [];
      for (let k = 0; k < words; k++) {
        const lo = (row[k * wpw] as number) >>> 0;
        const hi = wpw === 2 ? (row[k * wpw + 1] as number) >>> 0 : 0;
        hex.push(hi.toString(16) + lo.toString(16).padStart(8, '0'));
      }
      lines.push(hex.join(' '));
    }
    for (let i = 0; i < s.rows; i++) lines.push(`${s.state[i]} ${s.spike[i]} ${s.bias[i]}`);
    lines.push(s.axons.join(' '));
    lines.push(`${s.delays.length} ${s.delays.join(' ')}`);
  });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Run the RTL core on the samples: per sample its observations. */
export function rtlSamples(exe: string, p: CoreRtlParams, samples: CoreSample[]): CoreEvent[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-core-'));
  try {
    const file = path.join(dir, 'samples.txt');
    writeSamples(file, p, samples);
    const r = spawnSync(exe, [file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`core testbench failed (${r.status}): ${r.stderr}`);
    const out: CoreEvent[][] = [];
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('sample')) out.push([]);
      else if (line.length > 0) {
        const [c, k, v] = line.split(' ').map(Number);
        (out[out.length - 1] as CoreEvent[]).push([c as number, k as number, v as number]);
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sortEvents(e: CoreEvent[]): CoreEvent[] {
  return e.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

function describe(k: number, v: number): string {
  if (k >>> 24 === K.QUEUE) return `dest ${Math.floor(v / 2 ** 17)} axon ${(v >>> 1) & 0xffff} bit ${v & 1}`;
  return String(v);
}

/** The first difference of one sample's observations (sorted by cycle, signal). */
export function firstCoreDifference(rtl: CoreEvent[], model: CoreEvent[]): Mismatch | null {
  const a = sortEvents(rtl);
  const b = sortEvents(model);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x && y && x[0] === y[0] && x[1] === y[1] && x[2] === y[2]) continue;
    const ref = (x && y ? (x[0] < y[0] || (x[0] === y[0] && x[1] <= y[1]) ? x : y) : (x ?? y)) as CoreEvent;
    const at = (l: CoreEvent[]): string => {
      const m = l.filter((e) => e[0] === ref[0] && e[1] === ref[1]).map((e) => describe(e[1], e[2]));
      return m.length === 0 ? '(none)' : m.join(',');
    };
    const signal = ref[0] < 0 ? signalName(ref[1]) : `${signalName(ref[1])}`;
    return { cycle: ref[0], signal: ref[0] < 0 ? `${signal} (end of step)` : signal, rtl: at(a), model: at(b) };
  }
  return null;
}

/** Outcome of a batch of core samples. */
export interface CoreCosimResult {
  samples: number;
  flits: number;
  rows: number;
  mismatch: (Mismatch & { sample: number }) | null;
}

/** `n` random samples through both cores; `modelOver` changes the model's parameters (to test that a difference is found). */
export function cosimCore(p: CoreRtlParams, n: number, seed: number, exe = buildCore(p), modelOver: Partial<CoreRtlParams> = {}): CoreCosimResult {
  const samples = coreSamples(p, n, seed);
  const rtl = rtlSamples(exe, p, samples);
  if (rtl.length !== samples.length) throw new Error(`core testbench returned ${rtl.length} of ${samples.length} samples`);
  let flits = 0;
  let rows = 0;
  const mp = { ...p, ...modelOver };
  for (let k = 0; k < samples.length; k++) {
    const m = modelSample(mp, samples[k] as CoreSample);
    const d = firstCoreDifference(rtl[k] as CoreEvent[], m);
    if (d !== null) return { samples: k + 1, flits, rows, mismatch: { ...d, sample: k } };
    flits += m.filter((e) => e[1] >>> 24 === K.QUEUE).length;
    rows += (samples[k] as CoreSample).rows;
  }
  return { samples: n, flits, rows, mismatch: null };
}
