/**
 * Per-layer learning signal of a network trained on the functional model: every --every
 * samples it prints, per layer (first hidden layer first), the percentage of +1 weights
 * (plusW), the fraction of neurons whose spikes differ between the two nudged phases
 * (diff: only those neurons learn; in brackets those on only in the +beta phase, the rest
 * of diff are on only in the -beta phase), the free-phase activity (freeAct) and the weight
 * flips (both stored copies of a hidden weight counted, halved), the share of free states
 * saturated at 0 / Smax (sat0/satMax), the share of learning registers at either end of
 * the counter range (ctrSat) and accumulator saturations per sample (accSat). Usage (after npx tsc -p .):
 *   node dist/scripts/layer-signal.js [config.json] [--set section.key=JSON ...] [--epochs N]
 *     [--train N] [--test N] [--seed S] [--every N] [--trainer-order]
 * Sample order rngStream(seed, 'data-order') (with --trainer-order: the order `bitspike train`
 * uses, src/train/sample-order.ts), beta signs rngStream(seed, 'beta-sign'); training samples
 * shifted as the trainer shifts them when the config's data.shift is above 0; the
 * test subset is the first N samples of the (class-interleaved) bundled test split.
 */
import * as fs from 'fs';
import { validateParam } from '../src/config/param';
import { parseOverride } from '../src/config/overrides';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../src/learning/params';
import type { ModelParams } from '../src/learning/params';
import { FunctionalEngine } from '../src/model/functional-engine';
import { loadData } from '../src/data/load-data';
import { DATA_PARAMS, type DataConfig } from '../src/data/data-params';
import { defaultOf } from '../src/config/param';
import { rngStream, shuffleInPlace } from '../src/util/rng';
import { epochOrder, SampleShifts } from '../src/train/sample-order';
import { shiftRow } from '../src/data/shift';

const argv = process.argv.slice(2);
let raw: Record<string, Record<string, unknown>> = {};
let epochs = 1, nTrain = 3000, nTest = 1000, seed = 1, every = 1000, trainerOrder = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] as string;
  // Values as the CLI reads them: JSON, else a string (so --set learning.contrast=first-order works).
  if (a === '--set') { const o = parseOverride(argv[++i] as string); const [sec, key] = o.keys as [string, string]; raw[sec] = raw[sec] ?? {}; raw[sec]![key] = o.value; }
  else if (a === '--epochs') epochs = Number(argv[++i]);
  else if (a === '--train') nTrain = Number(argv[++i]);
  else if (a === '--test') nTest = Number(argv[++i]);
  else if (a === '--seed') seed = Number(argv[++i]);
  else if (a === '--every') every = Number(argv[++i]);
  else if (a === '--trainer-order') trainerOrder = true;
  else { const f = JSON.parse(fs.readFileSync(a, 'utf8')); for (const k of Object.keys(f)) raw[k] = { ...(f[k] ?? {}), ...(raw[k] ?? {}) }; }
}
const p: ModelParams = {
  network: validateParam(NETWORK_SECTION, raw['network'], 'a', 'network') as ModelParams['network'],
  dynamics: validateParam(DYNAMICS_SECTION, raw['dynamics'], 'a', 'dynamics') as ModelParams['dynamics'],
  learning: validateParam(LEARNING_SECTION, raw['learning'], 'a', 'learning') as ModelParams['learning'],
};
console.log(JSON.stringify({ hidden: p.network.hidden, kFwd: p.dynamics.kFwd, kBwd: p.dynamics.kBwd, theta: p.learning.theta, offset: p.dynamics.offset }));
const data = loadData(defaultOf(DATA_PARAMS) as DataConfig, 1);
// Shifted training samples as `bitspike train` draws them (data.shift, data.shiftShare; src/train/sample-order.ts).
const dataSet = validateParam(DATA_PARAMS, raw['data'] ?? {}, 'a', 'data') as DataConfig;
const shiftMax = dataSet.shift;
const shiftShare = dataSet.shiftShare;
const geometry = { width: 28, height: 28, planes: 1, bitsPerPixel: 1, words: data.train.words, frames: data.train.frames };
const moved = new Uint32Array(data.train.words * data.train.frames);
if (shiftMax > 0) console.log(`shifted training samples: up to ${shiftMax} pixels, share ${shiftShare}`);
const eng = new FunctionalEngine(p, seed);
const L = eng.blocks.length;
const order = Array.from({ length: data.train.count }, (_, i) => i);
const ord = rngStream(seed, 'data-order');
const sgn = rngStream(seed, 'beta-sign');
const smax = (1 << p.dynamics.stateBits) - 1;
const cmax = (1 << (p.learning.counterBits - 1)) - 1;
const pc = (x: number) => { let c = 0; while (x) { x &= x - 1; c++; } return c; };
for (let e = 1; e <= epochs; e++) {
  if (trainerOrder) order.splice(0, order.length, ...epochOrder(seed, e - 1, data.train.count));
  else shuffleInPlace(order, ord);
  const n = Math.min(nTrain, order.length);
  let ok = 0; const diff = new Float64Array(L), up = new Float64Array(L), act = new Float64Array(L), sat0 = new Float64Array(L), satM = new Float64Array(L); let cnt = 0;
  let flips0 = eng.blocks.map((b) => b[0]!.counts.weightFlips);
  let acc0 = eng.blocks.map((b) => b[0]!.counts.accumulatorSaturations);
  const shifts = shiftMax > 0 ? new SampleShifts(seed, e - 1, 0, shiftMax, shiftShare) : null;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const s: 1 | -1 = sgn.next() < 0.5 ? 1 : -1;
    let row = data.train.rows[i]!;
    if (shifts !== null && shifts.next()) {
      shiftRow(row, moved, geometry, shifts.dx, shifts.dy);
      row = moved;
    }
    if (eng.runSample(row, data.train.labels[i]!, { learn: true, betaSign: p.learning.randomSign ? s : 1, epoch: e - 1 }).prediction === data.train.labels[i]) ok++;
    for (let l = 0; l < L; l++) {
      const b = eng.blocks[l]![0]!;
      let d = 0, a = 0, z = 0, mx = 0, u = 0;
      const plusPh = s > 0 || !p.learning.randomSign ? b.nudgedSpikes : b.spikes;
      const minusPh = plusPh === b.spikes ? b.nudgedSpikes : b.spikes;
      for (let w = 0; w < b.spikes.length; w++) { d += pc((b.spikes[w]! ^ b.nudgedSpikes[w]!) >>> 0); a += pc(b.freeSpikes[w]!); u += pc((plusPh[w]! & ~minusPh[w]!) >>> 0); }
      for (let r = 0; r < b.rows; r++) { const st = b.freeState[r]!; if (st <= 0) z++; else if (st >= smax) mx++; }
      diff[l] += d / b.rows; up[l] += u / b.rows; act[l] += a / b.rows; sat0[l] += z / b.rows; satM[l] += mx / b.rows;
    }
    cnt++;
    if (cnt === every || k === n - 1) {
      const fl = eng.blocks.map((b, l) => (b[0]!.counts.weightFlips - flips0[l]!) / 2);
      const accS = eng.blocks.map((b, l) => ((b[0]!.counts.accumulatorSaturations - acc0[l]!) / cnt).toFixed(1));
      flips0 = eng.blocks.map((b) => b[0]!.counts.weightFlips);
      acc0 = eng.blocks.map((b) => b[0]!.counts.accumulatorSaturations);
      const ctr = eng.blocks.map((b) => { const h = b[0]!.synFwd; let q = 0; for (let r = 0; r < h.rows; r++) for (let j = 0; j < h.nBits; j++) { const v = h.get(r, j); if (v >= cmax || v <= -cmax - 1) q++; } return (100 * q / (b[0]!.rows * b[0]!.nPrev)).toFixed(2); });
      const plus = eng.blocks.map((b) => { let on = 0; const w = b[0]!.wFwd; for (let q = 0; q < w.length; q++) on += pc(w[q]!); return (100 * on / (b[0]!.rows * b[0]!.nPrev)).toFixed(1); });
      console.log(`  e${e} s${k + 1} plusW ${plus.join('/')}% trainacc ${(100 * ok / (k + 1)).toFixed(1)} diff ${Array.from(diff, (x) => (100 * x / cnt).toFixed(2)).join('/')}% (on only at +beta ${Array.from(up, (x) => (100 * x / cnt).toFixed(2)).join('/')}%) freeAct ${Array.from(act, (x) => (100 * x / cnt).toFixed(1)).join('/')}% flips ${fl.join('/')} sat0 ${Array.from(sat0, (x) => (100 * x / cnt).toFixed(1)).join('/')}% satMax ${Array.from(satM, (x) => (100 * x / cnt).toFixed(1)).join('/')}% ctrSat ${ctr.join('/')}% accSat ${accS.join('/')}`);
      diff.fill(0); up.fill(0); act.fill(0); sat0.fill(0); satM.fill(0); cnt = 0;
    }
  }
  let okT = 0; const m = Math.min(nTest, data.test.count);
  for (let i = 0; i < m; i++) if (eng.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction === data.test.labels[i]) okT++;
  console.log(`epoch ${e} train ${(100 * ok / n).toFixed(2)} test ${(100 * okT / m).toFixed(2)}`);
}
