/**
 * The cycle model's CPU per inference step on the 1,072-core split network of
 * map-scale (784-2048x9-100 on hw/chips/truenorth-like.json, 64x64 mesh, snake
 * placement, mapping.partialSums "on-change" unless BENCH_POLICY=every-step), for an
 * older build ("before") and this build ("after"), each run in a fresh process, the
 * two alternating (before after, after before, ...) so that load from other work hits
 * both alike. Each run: set-up, one warm-up inference, then BENCH_SAMPLES inference
 * samples of the bundled MNIST test set (20 free-phase steps each, and the readout),
 * timed with process.cpuUsage (user + system). Both builds must simulate the same
 * chip: the runs' predictions, cycles and every counter of every component are
 * digested and must be equal (checked; a difference fails the bench).
 * BENCH_POINT=filled-chip runs chip-filled-64's network instead (128-(4,095 x 128)-30 on
 * all 4,096 cores, unsplit, 8 steps per sample; its filled64() of each build).
 *
 * The "before" build is a checkout built in a temporary folder, e.g. for 1fc8437 (the
 * commit before the router's per-cycle batches):
 *   mkdir /tmp/before && git archive 1fc8437 | tar -x -C /tmp/before
 *   ln -s $PWD/node_modules /tmp/before/node_modules
 *   (cd /tmp/before && npx tsc -p . && node scripts/build-wasm.js)
 *   BENCH_BEFORE=/tmp/before npm run bench -- router-speed
 * BENCH_SAMPLES (default 2), BENCH_ROUNDS (default 2: rounds of one run per build).
 */
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { cpuSeconds, olderBuild, printTable, type OlderBuild } from './bench-util';
import { filled64 } from './chip-filled-64';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const POLICY = process.env['BENCH_POLICY'] ?? 'on-change';
const POINT = process.env['BENCH_POINT'] ?? 'split';
const BUILDS = ['before', 'after'] as const;
type Build = (typeof BUILDS)[number];

interface Run {
  build: Build;
  cpuPerStep: number;
  steps: number;
  cyclesPerSample: number;
  setupCpu: number;
  digest: string;
}

function child(build: Build, before: OlderBuild): Run {
  const req = (rel: string): Record<string, unknown> => before.load(`src/${rel}`);
  if (POINT === 'filled-chip') {
    const make = build === 'after' ? filled64 : before.load<{ filled64: typeof filled64 }>('test/bench/chip-filled-64.js').filled64;
    const t0 = cpuSeconds();
    const { engine: e, inputs } = make();
    const setupCpu = cpuSeconds() - t0;
    const hash = createHash('sha256');
    hash.update(String(e.runSample(inputs[1]!, 0, { learn: false }).prediction));
    const st0 = e.chip.steps;
    const cy0 = e.chip.time;
    const c0 = cpuSeconds();
    for (let i = 0; i < SAMPLES; i++) hash.update(`,${e.runSample(inputs[i % 2]!, 0, { learn: false }).prediction}`);
    const cpu = cpuSeconds() - c0;
    const cycles = e.chip.time - cy0;
    hash.update(`;${cycles};${JSON.stringify(e.chip.counters())};${JSON.stringify(e.chip.mesh.linkLoads())}`);
    return { build, cpuPerStep: cpu / (e.chip.steps - st0), steps: e.chip.steps - st0, cyclesPerSample: cycles / SAMPLES, setupCpu, digest: hash.digest('hex').slice(0, 16) };
  }
  const Engine = build === 'after' ? ChipEngine : (req('chip/chip-engine.js')['ChipEngine'] as typeof ChipEngine);
  const loadChip = build === 'after' ? loadChipFile : (req('hw/chip-file.js')['loadChipFile'] as typeof loadChipFile);
  const cfg = loadExperiment(defaultConfigFile()).config;
  const desc = loadChip('hw/chips/truenorth-like.json');
  const hidden = Array.from({ length: 9 }, () => 2048);
  // As map-scale: the added hidden layers repeat the first layer's kFwd.
  const kFwd = [cfg.dynamics.kFwd[0]!, ...hidden.slice(1).map(() => cfg.dynamics.kFwd[0]!), cfg.dynamics.kFwd[cfg.dynamics.kFwd.length - 1]!];
  const model = { network: { ...cfg.network, hidden }, dynamics: { ...cfg.dynamics, kFwd }, learning: cfg.learning };
  const data = loadData({ ...cfg.data, trainLimit: 1, testLimit: SAMPLES + 1 }, cfg.seed);
  const t0 = cpuSeconds();
  const e = new Engine(model, desc, cfg.seed, { mapping: { placement: 'snake', partialSums: POLICY as 'on-change' } });
  const setupCpu = cpuSeconds() - t0;
  if (e.chip.mapping.usedCores.length !== 1072) throw new Error(`expected 1,072 cores, mapped ${e.chip.mapping.usedCores.length}`);
  const hash = createHash('sha256');
  hash.update(String(e.runSample(data.test.rows[0]!, data.test.labels[0]!, { learn: false }).prediction));
  const st0 = e.chip.steps;
  const cy0 = e.chip.time;
  const c0 = cpuSeconds();
  for (let i = 1; i <= SAMPLES; i++) hash.update(`,${e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction}`);
  const cpu = cpuSeconds() - c0;
  const steps = e.chip.steps - st0;
  const cycles = e.chip.time - cy0;
  hash.update(`;${cycles};${JSON.stringify(e.chip.counters())};${JSON.stringify(e.chip.mesh.linkLoads())}`);
  return { build, cpuPerStep: cpu / steps, steps, cyclesPerSample: cycles / SAMPLES, setupCpu, digest: hash.digest('hex').slice(0, 16) };
}

function main(): void {
  const before = olderBuild('router-speed', 'the older commit');
  if (before === null) return;
  if (process.argv[2] === 'child') {
    process.stdout.write(`${JSON.stringify(child(process.argv[3] as Build, before))}\n`);
    return;
  }
  const runs: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? BUILDS : ([...BUILDS].reverse() as Build[]);
    for (const build of order) {
      const out = execFileSync(process.execPath, [__filename, 'child', build], { encoding: 'utf8', maxBuffer: 1 << 24 });
      const run = JSON.parse(out.trim().split('\n').pop() as string) as Run;
      runs.push(run);
      console.error(`round ${r + 1} ${build}: ${run.cpuPerStep.toFixed(3)} CPU s/step`);
    }
  }
  const what = POINT === 'filled-chip' ? '128-(4,095 x 128)-30 (all 4,096 cores, unsplit)' : `784-2048x9-100 (1,072 cores), partial sums ${POLICY},`;
  console.log(`router-speed: ${what} on the 64x64 truenorth-like chip, ${SAMPLES} inference samples per run after 1 warm-up, ${ROUNDS} round(s) of one fresh process per build, alternating; before = ${before.dir}`);
  printTable(
    ['round', 'build', 'CPU s/step', 'steps', 'cycles/sample', 'set-up CPU s', 'digest'],
    runs.map((p, i) => [String(Math.floor(i / 2) + 1), p.build, p.cpuPerStep.toFixed(3), String(p.steps), p.cyclesPerSample.toFixed(0), p.setupCpu.toFixed(2), p.digest]),
  );
  const mean = (b: Build): number => runs.filter((p) => p.build === b).reduce((t, p) => t + p.cpuPerStep, 0) / ROUNDS;
  console.log(`mean CPU s per step: before ${mean('before').toFixed(3)}, after ${mean('after').toFixed(3)}, after/before ${(mean('after') / mean('before')).toFixed(3)}`);
  const digests = new Set(runs.map((p) => p.digest));
  if (digests.size !== 1) {
    console.error(`router-speed: the builds simulated different chips (digests ${[...digests].join(', ')})`);
    process.exitCode = 1;
  } else console.log('same predictions, cycles, counters and link loads in every run');
}

main();
