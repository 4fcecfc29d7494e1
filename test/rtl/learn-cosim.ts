/**
 * Learning co-simulation: the learning-phase row pass of the RTL (hw/rtl/learning_row.sv,
 * Verilator) against the TypeScript core's learning pass for one row: the counter rule
 * the core's NeuronBlock.learn runs per row (plasticityMasks, then CounterPlasticity's
 * updateRow = updateRowCounters, once for the forward and once for the backward segment
 * of the row's fan-in) and the pass's row time learnRowCycles (src/chip/core/timing.ts,
 * learning.rowPasses = 2). Random cases: segment sizes, weights (tail bits of the last
 * word included), counters, both phases' pre- and post-synaptic bits, beta sign,
 * encoding, counter width, theta and leak; compared: every weight word, every counter,
 * the changed-counter, flipped-weight and clipped-update counts, and the pass's cycles.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { learnRowCycles } from '../../src/chip/core/timing';
import { RegisterPlanes, plasticityMasks } from '../../src/kernels';
import type { PlasticityTally } from '../../src/kernels';
import { CounterPlasticity } from '../../src/learning/rules/counter';
import type { SynapseSite } from '../../src/learning/rules/rule';
import { rngStream } from '../../src/util/rng';
import type { Rng } from '../../src/util/rng';
import { buildRtl } from './build';
import type { Mismatch } from './mesh-cosim';

/** Compile-time parameters of the RTL row pass: word width, longest row, counter planes, banks. */
export interface LearnRtlParams {
  wordBits: number;
  maxWords: number;
  counterPlanes: number;
  banks: number;
}

/** One random case. */
export interface LearnCase {
  cbits: number;
  theta: number;
  leak: number;
  binary: boolean;
  betaSign: 1 | -1;
  postA: number;
  postB: number;
  nPrev: number;
  nNext: number;
  /** Row words of wordBits bits as bit arrays (the fan-in bits, then the tail). */
  weights: number[];
  preA: number[];
  preB: number[];
  counters: number[];
}

/** What one row pass gives. */
export interface LearnOutcome {
  cycles: number;
  /** Row words in hex, ceil(wordBits / 4) digits. */
  weights: string[];
  counters: number[];
  changed: number;
  flipped: number;
  saturated: number;
}

/** Build (or reuse) the Verilator testbench of the row pass. */
export function buildLearn(p: LearnRtlParams): string {
  return buildRtl({
    top: 'learning_row',
    params: { WB: p.wordBits, WPR: p.maxWords, CBM: p.counterPlanes, BANKS: p.banks },
    defines: { LEARN_WB: p.wordBits, LEARN_CBM: p.counterPlanes },
    testbench: 'learn_tb.cpp',
  });
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.below(hi - lo + 1);
}

/** `n` random cases for `p`, from rngStream(seed, 'rtl-learn'). */
export function learnCases(p: LearnRtlParams, n: number, seed: number): LearnCase[] {
  const rng = rngStream(seed, 'rtl-learn');
  const out: LearnCase[] = [];
  for (let s = 0; s < n; s++) {
    const nbits = between(rng, 1, p.maxWords * p.wordBits);
    const nPrev = between(rng, 1, nbits);
    const nNext = nbits - nPrev;
    const words = Math.ceil(nbits / p.wordBits);
    const cbits = between(rng, 2, Math.min(8, p.counterPlanes));
    const hi = 2 ** (cbits - 1) - 1;
    const dA = rng.next();
    const dB = rng.below(2) === 0 ? dA : rng.next();
    const bits = (d: number, len: number): number[] => Array.from({ length: len }, () => (rng.next() < d ? 1 : 0));
    const preA = bits(dA, nbits);
    // Phase B: phase A with a random fraction of bits redrawn (EP phases are close).
    const redraw = rng.next();
    const preB = preA.map((x) => (rng.next() < redraw ? (rng.next() < dB ? 1 : 0) : x));
    out.push({
      cbits,
      theta: between(rng, 0, hi - 1),
      leak: rng.below(3) === 0 ? between(rng, 1, 7) : 0,
      binary: rng.below(2) === 1,
      betaSign: rng.below(2) === 1 ? 1 : -1,
      postA: rng.below(2),
      postB: rng.below(2),
      nPrev,
      nNext,
      weights: bits(0.5, words * p.wordBits),
      preA,
      preB,
      // Counters anywhere in range, saturated ones included.
      counters: Array.from({ length: nbits }, () => (rng.below(4) === 0 ? (rng.below(2) === 0 ? hi : -hi - 1) : between(rng, -hi - 1, hi))),
    });
  }
  return out;
}

function pack(bits: number[], from: number, n: number): Uint32Array {
  const w = new Uint32Array(Math.max(1, Math.ceil(n / 32)));
  for (let j = 0; j < n; j++) if (bits[from + j]) w[j >>> 5] = (w[j >>> 5] as number) | (1 << (j & 31));
  return w;
}

const SITE: SynapseSite = { layer: 1, row: 0, transposed: false, sampleKey: 0, epoch: 0, colBase: 0 };

/** The TypeScript side: the core's per-row counter rule on the forward and backward segments. */
export function modelLearn(p: LearnRtlParams, c: LearnCase): LearnOutcome {
  const rule = new CounterPlasticity(c.cbits, c.theta, c.leak);
  const tally: PlasticityTally = { countersChanged: 0, weightsFlipped: 0, countersSaturated: 0 };
  const weights = c.weights.slice();
  const counters = c.counters.slice();
  const enc = c.binary ? 'binary' : 'spin';
  for (const [from, n] of [
    [0, c.nPrev],
    [c.nPrev, c.nNext],
  ] as const) {
    if (n === 0) continue;
    const words = Math.ceil(n / 32);
    const inc = new Uint32Array(words);
    const dec = new Uint32Array(words);
    const nz = plasticityMasks(pack(c.preA, from, n), 0, pack(c.preB, from, n), 0, n, c.postA, c.postB, c.betaSign, enc, inc, dec, 0);
    // NeuronBlock.learn calls the rule when the segment has a contribution or the rule visits idle rows (the leak).
    if (nz === 0 && !rule.visitsIdleRows) continue;
    const w = pack(weights, from, n);
    const h = new RegisterPlanes(1, n, rule.synapseBits);
    for (let j = 0; j < n; j++) h.set(0, j, counters[from + j] as number);
    rule.updateRow(w, 0, h.words, 0, h.planeStride, n, inc, dec, 0, tally, SITE);
    for (let j = 0; j < n; j++) {
      weights[from + j] = ((w[j >>> 5] as number) >>> (j & 31)) & 1;
      counters[from + j] = h.get(0, j);
    }
  }
  const words = Math.ceil((c.nPrev + c.nNext) / p.wordBits);
  return {
    cycles: learnRowCycles(words, c.cbits, p.banks, 2),
    weights: Array.from({ length: words }, (_, k) => hexOf(p, weights, k)),
    counters,
    changed: tally.countersChanged,
    flipped: tally.weightsFlipped,
    saturated: tally.countersSaturated,
  };
}

function hexOf(p: LearnRtlParams, bits: number[], k: number): string {
  let s = '';
  for (let b = Math.ceil(p.wordBits / 4) * 4 - 4; b >= 0; b -= 4) {
    let d = 0;
    for (let i = 3; i >= 0; i--) d = d * 2 + (b + i < p.wordBits ? (bits[k * p.wordBits + b + i] ?? 0) : 0);
    s += d.toString(16);
  }
  return s;
}

/** The RTL side: every case through the Verilator testbench. */
export function rtlLearn(exe: string, p: LearnRtlParams, cases: LearnCase[]): LearnOutcome[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-learn-'));
  try {
    const lines: string[] = [];
    for (const c of cases) {
      const words = Math.ceil((c.nPrev + c.nNext) / p.wordBits);
      const padded = (bits: number[]): number[] => bits.concat(new Array(words * p.wordBits - bits.length).fill(0));
      lines.push([c.cbits, c.theta, c.leak, c.binary ? 1 : 0, c.betaSign > 0 ? 1 : 0, c.postA, c.postB, c.nPrev + c.nNext, words].join(' '));
      for (let k = 0; k < words; k++) lines.push(`${hexOf(p, c.weights, k)} ${hexOf(p, padded(c.preA), k)} ${hexOf(p, padded(c.preB), k)}`);
      lines.push(c.counters.join(' '));
    }
    const file = path.join(dir, 'cases.txt');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = spawnSync(exe, [file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`learning testbench failed (${r.status}): ${r.stderr}`);
    const out: LearnOutcome[] = [];
    let cur: LearnOutcome | null = null;
    for (const line of r.stdout.split('\n')) {
      const t = line.split(' ');
      if (t[0] === 'case') {
        cur = { cycles: -1, weights: [], counters: [], changed: -1, flipped: -1, saturated: -1 };
        out.push(cur);
      } else if (cur === null || line.length === 0) continue;
      else if (t[0] === 'cycles') cur.cycles = Number(t[1]);
      else if (t[0] === 'w') cur.weights.push(t[2] as string);
      else if (t[0] === 'h') cur.counters = t.slice(1).map(Number);
      else if (t[0] === 'changed') {
        cur.changed = Number(t[1]);
        cur.flipped = Number(t[3]);
        cur.saturated = Number(t[5]);
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first difference of one case: signal, RTL value, model value (cycle = the pass's cycles). */
export function firstLearnDifference(rtl: LearnOutcome, model: LearnOutcome): Mismatch | null {
  const diff = (signal: string, a: number | string | undefined, b: number | string | undefined): Mismatch | null =>
    a === b ? null : { cycle: model.cycles, signal, rtl: String(a ?? '(none)'), model: String(b ?? '(none)') };
  const d = diff('learn.cycles', rtl.cycles, model.cycles);
  if (d) return d;
  for (let k = 0; k < Math.max(rtl.weights.length, model.weights.length); k++) {
    const e = diff(`learn.weight_word${k}`, rtl.weights[k], model.weights[k]);
    if (e) return e;
  }
  for (let j = 0; j < Math.max(rtl.counters.length, model.counters.length); j++) {
    const e = diff(`learn.counter${j}`, rtl.counters[j], model.counters[j]);
    if (e) return e;
  }
  return diff('learn.changed', rtl.changed, model.changed) ?? diff('learn.flipped', rtl.flipped, model.flipped) ?? diff('learn.saturated', rtl.saturated, model.saturated);
}

/** Outcome of a batch of learning cases. */
export interface LearnCosimResult {
  cases: number;
  synapses: number;
  changed: number;
  flipped: number;
  saturated: number;
  mismatch: (Mismatch & { case: number }) | null;
}

/** `n` random cases through both; `modelOver` changes the model's parameters (to test that a difference is found). */
export function cosimLearn(p: LearnRtlParams, n: number, seed: number, exe = buildLearn(p), modelOver: Partial<LearnRtlParams> = {}): LearnCosimResult {
  const cases = learnCases(p, n, seed);
  const rtl = rtlLearn(exe, p, cases);
  if (rtl.length !== cases.length) throw new Error(`learning testbench returned ${rtl.length} of ${cases.length} cases`);
  const mp = { ...p, ...modelOver };
  let synapses = 0;
  let changed = 0;
  let flipped = 0;
  let saturated = 0;
  for (let k = 0; k < cases.length; k++) {
    const m = modelLearn(mp, cases[k] as LearnCase);
    const d = firstLearnDifference(rtl[k] as LearnOutcome, m);
    if (d !== null) return { cases: k + 1, synapses, changed, flipped, saturated, mismatch: { ...d, case: k } };
    synapses += m.counters.length;
    changed += m.changed;
    flipped += m.flipped;
    saturated += m.saturated;
  }
  return { cases: n, synapses, changed, flipped, saturated, mismatch: null };
}
