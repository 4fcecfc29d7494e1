/**
 * Fan-in splitting must not slow the unsplit case: cycle vs functional CPU per training
 * sample on the default experiment (configs/mnist-default.json, default chip, nothing
 * split), for a build from before splitting landed ("before") and this build ("after"),
 * side by side in ONE process so that load from other processes hits all four engines
 * alike. Rounds of BENCH_BATCH training samples; each round runs before-functional,
 * before-cycle, after-functional, after-cycle, the next round the reverse order, and so
 * on (A B B A ...). Every engine trains on the same samples in the same order with the
 * same beta signs, so all four must end bit-identical (checked).
 *
 * The "before" build is a checkout of the commit before fan-in splitting (2502c64),
 * built in a temporary folder, e.g.:
 *   mkdir /tmp/before && git archive 2502c64 | tar -x -C /tmp/before
 *   ln -s $PWD/node_modules /tmp/before/node_modules
 *   (cd /tmp/before && npx tsc -p . && node scripts/build-wasm.js)
 *   BENCH_BEFORE=/tmp/before npm run bench -- map-unsplit
 * BENCH_TRAIN (default 400 samples per engine after 20 warm-up), BENCH_BATCH (default 25).
 */
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import type { Engine } from '../../src/learning/engine';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { snapshotsEqual } from '../../src/store/weights-file';
import { cpuSeconds, olderBuild, printTable } from './bench-util';

const TRAIN = Number(process.env['BENCH_TRAIN'] ?? 400);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 25);
const WARM = 20;

function main(): void {
  const before = olderBuild('map-unsplit-speed', 'the commit before fan-in splitting');
  if (before === null) return;
  const req = (rel: string): Record<string, unknown> => before.load(`src/${rel}`);
  const OldChip = req('chip/chip-engine.js')['ChipEngine'] as typeof ChipEngine;
  const OldFunctional = req('model/functional-engine.js')['FunctionalEngine'] as typeof FunctionalEngine;
  const oldLoadChip = req('chip/chip-file.js')['loadChipFile'] as typeof loadChipFile;

  const exp = loadExperiment(defaultConfigFile());
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const chip = loadChipFile(cfg.chip);
  const oldChip = oldLoadChip(cfg.chip);
  const data = loadData({ ...cfg.data, trainLimit: WARM + TRAIN, testLimit: 1 }, cfg.seed);
  const wb = { wordBits: chip.params.core.sram.wordBits };
  const engines: Array<{ name: string; e: Engine; cpu: number }> = [
    { name: 'before: functional', e: new OldFunctional(model, cfg.seed, wb), cpu: 0 },
    { name: 'before: cycle', e: new OldChip(model, oldChip, cfg.seed, { mapping: { placement: 'snake' } }), cpu: 0 },
    { name: 'after: functional', e: new FunctionalEngine(model, cfg.seed, wb), cpu: 0 },
    { name: 'after: cycle', e: new ChipEngine(model, chip, cfg.seed, { mapping: { placement: 'snake' } }), cpu: 0 },
  ];
  const after = engines[3]!.e as ChipEngine;
  if (after.chip.mapping.split) throw new Error('the default experiment is split on this chip: not the unsplit case');
  const run = (e: Engine, from: number, to: number): number => {
    const t0 = cpuSeconds();
    for (let i = from; i < to; i++) e.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: i % 3 === 0 ? -1 : 1 });
    return cpuSeconds() - t0;
  };
  for (const x of engines) run(x.e, 0, WARM);
  let rounds = 0;
  for (let s = WARM; s < WARM + TRAIN; s += BATCH, rounds++) {
    const to = Math.min(WARM + TRAIN, s + BATCH);
    const order = rounds % 2 === 0 ? engines : [...engines].reverse();
    for (const x of order) x.cpu += run(x.e, s, to);
  }
  const same = engines.every((x) => snapshotsEqual(x.e.snapshot(), engines[0]!.e.snapshot()));
  const ms = (x: { cpu: number }): string => ((1000 * x.cpu) / TRAIN).toFixed(3);
  console.log(`map-unsplit-speed: ${exp.name} (${[cfg.network.inputs, ...cfg.network.hidden, cfg.network.classes * cfg.network.replicas].join('-')}) on ${chip.params.name} (${after.chip.active.length} cores, unsplit), ${TRAIN} training samples per engine after ${WARM} warm-up, ${rounds} rounds of ${BATCH} in alternating order, CPU = user + system`);
  printTable(
    ['build', 'functional CPU ms/sample', 'cycle CPU ms/sample', 'cycle / functional'],
    [
      ['before splitting (2502c64)', ms(engines[0]!), ms(engines[1]!), (engines[1]!.cpu / engines[0]!.cpu).toFixed(3)],
      ['after (this build)', ms(engines[2]!), ms(engines[3]!), (engines[3]!.cpu / engines[2]!.cpu).toFixed(3)],
    ],
  );
  console.log(`cycle after / cycle before: ${(engines[3]!.cpu / engines[1]!.cpu).toFixed(3)}; functional after / before: ${(engines[2]!.cpu / engines[0]!.cpu).toFixed(3)}`);
  console.log(`all four engines end bit-identical: ${same}`);
  if (!same) process.exitCode = 1;
}

main();
