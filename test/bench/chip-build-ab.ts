/**
 * The chip of an earlier build ("before") against this build's ("after"), with the
 * functional model as the yardstick, side by side in ONE process so that load from
 * other processes hits all three engines alike. The network is trained
 * BENCH_TRAINED_EPOCHS epochs with the functional model first (trainer order and beta
 * signs) and loaded into all three; then BENCH_TRAIN training samples of the next
 * epoch's order in batches of BENCH_BATCH, each batch on the three engines in a
 * rotating order (all six orders in turn). BENCH_CLOCK (default 0) starts both chips'
 * clocks at that cycle, as late in a long run (the default run passes 10^9 cycles in
 * epoch 2). Prints CPU seconds, before/F, after/F and after/before, and checks that all
 * three end bit-identical.
 *
 * The "before" build is a checkout built in a temporary folder, e.g.:
 *   mkdir /tmp/before && git archive <commit> | tar -x -C /tmp/before
 *   ln -s $PWD/node_modules /tmp/before/node_modules
 *   (cd /tmp/before && npx tsc -p . && node scripts/build-wasm.js)
 *   BENCH_BEFORE=/tmp/before BENCH_CLOCK=3000000000 npm run bench -- chip-build-ab
 * BENCH_TRAIN (default 3000 after 100 warm-up samples), BENCH_BATCH (default 500).
 */
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import type { Engine, SampleMode } from '../../src/learning/engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { snapshotsEqual } from '../../src/store/weights-file';
import { BetaSigns, epochOrder } from '../../src/train/sample-order';
import { cpuSeconds, olderBuild, printTable } from './bench-util';

const TRAINED = Number(process.env['BENCH_TRAINED_EPOCHS'] ?? 3);
const TRAIN = Number(process.env['BENCH_TRAIN'] ?? 3000);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500);
const CLOCK = Number(process.env['BENCH_CLOCK'] ?? 0);
const WARM = 100;
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 0, 2],
  [2, 0, 1],
  [0, 2, 1],
  [1, 2, 0],
];

function main(): void {
  const before = olderBuild('chip-build-ab', 'the earlier build');
  if (before === null) return;
  const exp = loadExperiment(defaultConfigFile());
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const chip = loadChipFile(cfg.chip);
  const data = loadData(cfg.data, cfg.seed);
  const n = data.train.labels.length;
  const mode = (sign: number): SampleMode => ({ learn: true, betaSign: sign < 0 ? -1 : 1 });
  const trainer = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  for (let ep = 0; ep < TRAINED; ep++) {
    const order = epochOrder(cfg.seed, ep, n);
    const signs = new BetaSigns(cfg.seed, ep, 0, cfg.learning.randomSign);
    for (let k = 0; k < n; k++) trainer.runSample(data.train.rows[order[k] as number] as Uint32Array, data.train.labels[order[k] as number] as number, mode(signs.next()));
  }
  const trained = trainer.snapshot();
  const req = (rel: string): Record<string, unknown> => before.load(`src/${rel}`);
  const OldChip = req('chip/chip-engine.js')['ChipEngine'] as typeof ChipEngine;
  const f = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  const old = new OldChip(model, chip, cfg.seed, { mapping: cfg.mapping });
  const now = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
  f.restore(trained);
  old.restore(trained);
  now.restore(trained);
  old.chip.time = CLOCK;
  now.chip.time = CLOCK;
  const engines: Engine[] = [f, old, now];
  const order = epochOrder(cfg.seed, TRAINED, n);
  const signs = new BetaSigns(cfg.seed, TRAINED, 0, cfg.learning.randomSign);
  const sign: number[] = [];
  const total = Math.min(n, WARM + TRAIN);
  for (let k = 0; k < total; k++) sign.push(signs.next());
  const run = (e: Engine, from: number, to: number): number => {
    const t0 = cpuSeconds();
    for (let k = from; k < to; k++) e.runSample(data.train.rows[order[k] as number] as Uint32Array, data.train.labels[order[k] as number] as number, mode(sign[k] as number));
    return cpuSeconds() - t0;
  };
  for (const e of engines) run(e, 0, WARM);
  const t = [0, 0, 0];
  const rows: string[][] = [];
  for (let s = WARM, b = 0; s < total; s += BATCH, b++) {
    const to = Math.min(total, s + BATCH);
    const bt = [0, 0, 0];
    for (const j of ORDERS[b % ORDERS.length] as number[]) {
      bt[j] = run(engines[j] as Engine, s, to);
      t[j] = (t[j] as number) + (bt[j] as number);
    }
    rows.push([String(b + 1), String(to - s), (bt[1]! / bt[0]!).toFixed(2), (bt[2]! / bt[0]!).toFixed(2), (bt[2]! / bt[1]!).toFixed(3)]);
  }
  const [tf, tb, ta] = t as [number, number, number];
  rows.push(['all', String(total - WARM), (tb / tf).toFixed(3), (ta / tf).toFixed(3), (ta / tb).toFixed(3)]);
  console.log(`network trained ${TRAINED} epochs; samples of epoch ${TRAINED + 1} in its order; chips' clocks from ${CLOCK}; before = ${before.dir}; CPU s: functional ${tf.toFixed(2)}, before ${tb.toFixed(2)}, after ${ta.toFixed(2)}`);
  printTable(['batch', 'samples', 'before/F', 'after/F', 'after/before'], rows);
  const ref = f.snapshot();
  const same = snapshotsEqual(ref, old.snapshot()) && snapshotsEqual(ref, now.snapshot());
  console.log(`final snapshots bit-identical: ${same}; chip cycles equal: ${old.chip.time === now.chip.time}`);
  if (!same || old.chip.time !== now.chip.time) process.exitCode = 1;
}

main();
