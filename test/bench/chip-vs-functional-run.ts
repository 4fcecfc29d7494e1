/**
 * Cycle mode vs functional mode across a whole training run of the default experiment
 * (configs/mnist-default.json: 10 epochs of 7,996 training and 2,004 test samples),
 * side by side in one process: epoch e runs on the functional engine and on the chip
 * engine, in alternating order (F C, C F, ...) so that load from other processes hits
 * both alike. Each engine sees the trainer's sample order and beta signs. Prints CPU
 * seconds per epoch and the ratio, per epoch and over the run, and checks that both
 * engines end bit-identical.
 *   BENCH_EPOCHS (default: the config's), BENCH_TRAIN / BENCH_TEST (default: all)
 *   BENCH_PROFILE=DIR BENCH_PROFILE_FROM=4: V8 CPU profiles of each engine's epochs from
 *   that one on (DIR/functional-eE.cpuprofile, DIR/cycle-eE.cpuprofile); summarise them
 *   with scripts/profile-summary.js
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import type { TrainTestData } from '../../src/data/load-data';
import type { Engine, SampleMode } from '../../src/learning/engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { snapshotsEqual } from '../../src/store/weights-file';
import { BetaSigns, epochOrder } from '../../src/train/sample-order';
import { cpuSeconds, printTable } from './bench-util';

const INFER: SampleMode = { learn: false };
const PLUS: SampleMode = { learn: true, betaSign: 1 };
const MINUS: SampleMode = { learn: true, betaSign: -1 };

/** One epoch as the trainer runs it (training in epochOrder with BetaSigns, then the test set); CPU seconds of its training and test parts. */
function epoch(e: Engine, data: TrainTestData, seed: number, ep: number, randomSign: boolean): [number, number] {
  const n = data.train.labels.length;
  const order = epochOrder(seed, ep, n);
  const signs = new BetaSigns(seed, ep, 0, randomSign);
  const t0 = cpuSeconds();
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    e.runSample(data.train.rows[i] as Uint32Array, data.train.labels[i] as number, signs.next() < 0 ? MINUS : PLUS);
  }
  const t1 = cpuSeconds();
  for (let i = 0; i < data.test.labels.length; i++) e.runSample(data.test.rows[i] as Uint32Array, data.test.labels[i] as number, INFER);
  return [t1 - t0, cpuSeconds() - t1];
}

function main(): void {
  const exp = loadExperiment(defaultConfigFile());
  const cfg = exp.config;
  if (!fs.existsSync(cfg.chip)) throw new Error(`missing chip file ${cfg.chip}`);
  const epochs = Number(process.env['BENCH_EPOCHS'] ?? cfg.run.epochs);
  const lim = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
  const data = loadData({ ...cfg.data, trainLimit: lim(process.env['BENCH_TRAIN'], cfg.data.trainLimit), testLimit: lim(process.env['BENCH_TEST'], cfg.data.testLimit) }, cfg.seed);
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const chip = loadChipFile(cfg.chip);
  const f = new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits });
  const c = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
  const profileDir = process.env['BENCH_PROFILE'];
  const profileFrom = Number(process.env['BENCH_PROFILE_FROM'] ?? 4);
  const session = new inspector.Session();
  /** Synchronous inspector call (the session answers before post returns for the Profiler domain). */
  const post = (method: string): unknown => {
    let out: unknown;
    let err: Error | null = null;
    session.post(method, (e: Error | null, r: unknown) => {
      err = e;
      out = r;
    });
    if (err !== null) throw err;
    return out;
  };
  if (profileDir !== undefined) {
    fs.mkdirSync(profileDir, { recursive: true });
    session.connect();
    post('Profiler.enable');
  }
  const rows: string[][] = [];
  const tot = { f: 0, c: 0, fTest: 0, cTest: 0 };
  for (let ep = 0; ep < epochs; ep++) {
    const order: [string, Engine][] = ep % 2 === 0 ? [['f', f], ['c', c]] : [['c', c], ['f', f]];
    const t: Record<string, [number, number]> = {};
    for (const [k, e] of order) {
      const prof = profileDir !== undefined && ep + 1 >= profileFrom;
      if (prof) post('Profiler.start');
      t[k] = epoch(e, data, cfg.seed, ep, cfg.learning.randomSign);
      if (prof) {
        const r = post('Profiler.stop') as { profile: unknown };
        fs.writeFileSync(path.join(profileDir, `${k === 'f' ? 'functional' : 'cycle'}-e${ep + 1}.cpuprofile`), JSON.stringify(r.profile));
      }
    }
    const [ft, fi] = t['f'] as [number, number];
    const [ct, ci] = t['c'] as [number, number];
    tot.f += ft;
    tot.c += ct;
    tot.fTest += fi;
    tot.cTest += ci;
    rows.push([String(ep + 1), ft.toFixed(2), ct.toFixed(2), (ct / ft).toFixed(2), fi.toFixed(2), ci.toFixed(2), (ci / fi).toFixed(2)]);
    console.log(`epoch ${ep + 1}: train F ${ft.toFixed(2)} s C ${ct.toFixed(2)} s (${(ct / ft).toFixed(2)}x); test F ${fi.toFixed(2)} s C ${ci.toFixed(2)} s (${(ci / fi).toFixed(2)}x)`);
  }
  rows.push(['all', tot.f.toFixed(2), tot.c.toFixed(2), (tot.c / tot.f).toFixed(2), tot.fTest.toFixed(2), tot.cTest.toFixed(2), (tot.cTest / tot.fTest).toFixed(2)]);
  console.log(`config ${exp.name}, chip ${chip.params.name} (${c.chip.active.length} cores), ${data.train.labels.length} training + ${data.test.labels.length} test samples per epoch, ${epochs} epochs, CPU seconds`);
  printTable(['epoch', 'F train s', 'C train s', 'C/F train', 'F test s', 'C test s', 'C/F test'], rows);
  const all = (tot.c + tot.cTest) / (tot.f + tot.fTest);
  console.log(`cycle/functional per training sample over the run: ${(tot.c / tot.f).toFixed(2)}x; whole run (training + tests): ${all.toFixed(2)}x`);
  const same = snapshotsEqual(f.snapshot(), c.snapshot());
  console.log(`final snapshots bit-identical: ${same}`);
  if (!same) process.exitCode = 1;
}

main();
