/**
 * Scale of split networks on TrueNorth-like cores (hw/chips/truenorth-like.json: 256 axons
 * x 256 neurons; layers split over cores as the mapper chooses, snake placement) on
 * k x k meshes, k = 4, 16, 32, 64:
 *   "default": configs' 784-512-100 network (10 cores) on every mesh: the simulator's cost
 *              and memory must not grow with the mesh's idle tiles;
 *   "filled":  784-2048x(n)-100 networks that fill the mesh as far as it goes (176, 560 and
 *              1,072 cores at 16x16, 32x32, 64x64; the default network at 4x4).
 * Each point runs in a fresh Node process (peak RSS is per process): set-up, one warm-up
 * inference, then BENCH_SAMPLES inference samples of the bundled MNIST test set (default
 * 3; the free phase of dynamics.freeSteps = 20 steps and the readout). Reported per point:
 * cores used, CPU seconds per sample and per time step (process.cpuUsage, user + system),
 * time steps and kernel events per CPU second, simulated cycles per sample, and the
 * process's peak resident set (process.resourceUsage().maxRSS) and heap after the run.
 * The default network on the 64x64 mesh also runs BENCH_SAMPLES training samples.
 * Every network here is split, so every point runs under both partial-sum policies
 * (mapping.partialSums "every-step" and "on-change"), each in its own process, the two
 * alternating (A B, then the next point; BENCH_ROUNDS=n repeats A B n times per point and
 * reports the mean), so the load of other work falls on both alike.
 *   npm run bench -- map-scale         (BENCH_SAMPLES=N, BENCH_ROUNDS=n, BENCH_POINTS=default:64,filled:64 to pick points)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile, validateChip } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { cpuSeconds, printTable } from './bench-util';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 1);
const POLICIES = ['every-step', 'on-change'] as const;
type Policy = (typeof POLICIES)[number];
const SIZES = [4, 16, 32, 64];
const KINDS = ['default', 'filled'] as const;
type Kind = (typeof KINDS)[number];

/** Hidden layers of each kind on a k x k mesh. */
function hiddenOf(kind: Kind, k: number): number[] {
  if (kind === 'default' || k === 4) return [512];
  const n = k === 16 ? 2 : k === 32 ? 5 : 9;
  return Array.from({ length: n }, () => 2048);
}

interface Point {
  kind: Kind;
  k: number;
  policy: Policy;
  layers: string;
  cores: number;
  setupCpu: number;
  cpuPerSample: number;
  cpuPerStep: number;
  stepsPerCpuS: number;
  eventsPerCpuS: number;
  cyclesPerSample: number;
  spikesPerStep: number;
  psumFlitsPerStep: number;
  trainCpuPerSample: number | null;
  trainCyclesPerSample: number | null;
  maxRssMB: number;
  heapMB: number;
}

function child(kind: Kind, k: number, policy: Policy): Point {
  const exp = loadExperiment(defaultConfigFile());
  const cfg = exp.config;
  const base = loadChipFile('hw/chips/truenorth-like.json');
  const desc = k === 64 ? base : validateChip({ ...(JSON.parse(fs.readFileSync(base.file, 'utf8')) as object), name: `truenorth-like-${k}x${k}`, mesh: { width: k, height: k } }, `truenorth-like-${k}x${k}.json`);
  const hidden = hiddenOf(kind, k);
  // Deeper networks repeat the first layer's kFwd for the added hidden layers (kBwd, offset: one value each here).
  const kFwd = hidden.length === 1 ? cfg.dynamics.kFwd : [cfg.dynamics.kFwd[0]!, ...hidden.slice(1).map(() => cfg.dynamics.kFwd[0]!), cfg.dynamics.kFwd[cfg.dynamics.kFwd.length - 1]!];
  const model = { network: { ...cfg.network, hidden }, dynamics: { ...cfg.dynamics, kFwd }, learning: cfg.learning };
  const data = loadData({ ...cfg.data, trainLimit: SAMPLES + 1, testLimit: SAMPLES + 1 }, cfg.seed);
  const t0 = cpuSeconds();
  const e = new ChipEngine(model, desc, cfg.seed, { mapping: { placement: 'snake', partialSums: policy } });
  const setupCpu = cpuSeconds() - t0;
  e.runSample(data.test.rows[0]!, data.test.labels[0]!, { learn: false });
  const sent = (): [number, number] => {
    let spikes = 0;
    let psum = 0;
    for (const c of Object.values(e.chip.counters().components)) {
      if (c.kind !== 'core') continue;
      spikes += c.counts['packetsInjected'] ?? 0;
      psum += c.counts['partialSumFlits'] ?? 0;
    }
    return [spikes, psum];
  };
  const [sp0, ps0] = sent();
  const ev0 = e.chip.kernel.eventsExecuted;
  const st0 = e.chip.steps;
  const cy0 = e.chip.time;
  const c0 = cpuSeconds();
  for (let i = 1; i <= SAMPLES; i++) e.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false });
  const cpu = cpuSeconds() - c0;
  const steps = e.chip.steps - st0;
  const events = e.chip.kernel.eventsExecuted - ev0;
  const inferCycles = e.chip.time - cy0;
  const [sp1, ps1] = sent();
  let trainCpuPerSample: number | null = null;
  let trainCyclesPerSample: number | null = null;
  if (kind === 'default' && k === 64) {
    const cy1 = e.chip.time;
    const c1 = cpuSeconds();
    for (let i = 1; i <= SAMPLES; i++) e.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: i % 2 === 0 ? 1 : -1 });
    trainCpuPerSample = (cpuSeconds() - c1) / SAMPLES;
    trainCyclesPerSample = (e.chip.time - cy1) / SAMPLES;
  }
  return {
    kind,
    k,
    policy,
    layers: [cfg.network.inputs, ...hidden, cfg.network.classes * cfg.network.replicas].join('-').replace(/(-2048){2,}/, (m) => `-2048x${m.length / 5}`),
    cores: e.chip.mapping.usedCores.length,
    setupCpu,
    cpuPerSample: cpu / SAMPLES,
    cpuPerStep: cpu / steps,
    stepsPerCpuS: steps / cpu,
    eventsPerCpuS: events / cpu,
    cyclesPerSample: inferCycles / SAMPLES,
    spikesPerStep: (sp1 - sp0) / steps,
    psumFlitsPerStep: (ps1 - ps0) / steps,
    trainCpuPerSample,
    trainCyclesPerSample,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapMB: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

/** Mean of the numeric fields of a policy's rounds (identifying fields from the first). */
function meanOf(ps: Point[]): Point {
  const first = ps[0]!;
  const out = { ...first } as unknown as Record<string, unknown>;
  for (const [key, v] of Object.entries(first)) if (typeof v === 'number') out[key] = ps.reduce((t, p) => t + ((p as unknown as Record<string, number>)[key] ?? 0), 0) / ps.length;
  return out as unknown as Point;
}

function main(): void {
  if (process.argv[2] === 'child') {
    const p = child(process.argv[3] as Kind, Number(process.argv[4]), process.argv[5] as Policy);
    process.stdout.write(`${JSON.stringify(p)}\n`);
    return;
  }
  const pick = process.env['BENCH_POINTS'];
  const points: Array<[Kind, number]> = [];
  for (const kind of KINDS) for (const k of SIZES) if (!(kind === 'filled' && k === 4)) points.push([kind, k]);
  const chosen = pick ? points.filter(([kind, k]) => pick.split(',').includes(`${kind}:${k}`)) : points;
  const rows: Point[] = [];
  for (const [kind, k] of chosen) {
    const runs: Record<Policy, Point[]> = { 'every-step': [], 'on-change': [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const policy of POLICIES) {
        const out = execFileSync(process.execPath, [__filename, 'child', kind, String(k), policy], { encoding: 'utf8', maxBuffer: 1 << 24 });
        const p = JSON.parse(out.trim().split('\n').pop() as string) as Point;
        runs[policy].push(p);
        console.error(`done ${kind} ${k}x${k} ${policy}: ${p.cpuPerSample.toFixed(2)} CPU s/sample`);
      }
    }
    for (const policy of POLICIES) rows.push(meanOf(runs[policy]));
  }
  console.log(`map-scale: truenorth-like cores on k x k meshes, snake placement, ${SAMPLES} inference samples per point after 1 warm-up (MNIST test set), CPU = user + system of the point's own process; both partial-sum policies alternating, ${ROUNDS} round(s) each, means`);
  printTable(
    ['mesh', 'network', 'cores', 'partial sums', 'set-up CPU s', 'CPU s/sample', 'CPU s/step', 'steps/CPU s', 'events/CPU s', 'cycles/sample', 'spike pkts/step', 'psum flits/step', 'peak RSS MB', 'heap MB'],
    rows.map((p) => [
      `${p.k}x${p.k}`,
      p.layers,
      String(p.cores),
      p.policy,
      p.setupCpu.toFixed(2),
      p.cpuPerSample.toFixed(3),
      p.cpuPerStep.toFixed(4),
      p.stepsPerCpuS.toFixed(1),
      (p.eventsPerCpuS / 1e6).toFixed(2) + ' M',
      p.cyclesPerSample.toFixed(0),
      p.spikesPerStep.toFixed(0),
      p.psumFlitsPerStep.toFixed(0),
      p.maxRssMB.toFixed(0),
      p.heapMB.toFixed(0),
    ]),
  );
  for (const p of rows) {
    if (p.trainCpuPerSample !== null) console.log(`training, ${p.layers} on ${p.k}x${p.k}, ${p.policy}: ${p.trainCpuPerSample.toFixed(3)} CPU s and ${p.trainCyclesPerSample!.toFixed(0)} cycles per sample (${SAMPLES} samples)`);
  }
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const a = rows[i]!;
    const b = rows[i + 1]!;
    console.log(`${a.layers} on ${a.k}x${a.k}: every-step / on-change CPU per step ${(a.cpuPerStep / b.cpuPerStep).toFixed(2)}x, cycles per sample ${(a.cyclesPerSample / b.cyclesPerSample).toFixed(2)}x, partial-sum flits per step ${(a.psumFlitsPerStep / Math.max(1e-9, b.psumFlitsPerStep)).toFixed(1)}x`);
  }
}

main();
