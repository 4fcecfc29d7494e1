/**
 * Scale of the cycle model: k x k meshes (2x2 ... 32x32) mapped with a deep network
 * (hidden layers of 4 cores of 32 neurons) in two kinds, running inference samples.
 * "sparse": binary {0,1} activations and one constant input frame; the dynamics
 * settle within a few steps and most cores send almost nothing (a best case).
 * "filled": spin (+-1, XNOR) activations, a new random input frame every step (rate
 * coding) and stateShift 1, so that every core sends spike packets every step. For
 * each size and kind, in a fresh process: the share of cores that sent packets and
 * packets per core per step, CPU per step, kernel events and simulated cycles per step,
 * CPU per event, and, after a forced full GC, the garbage collections during the
 * measured steady state and the bytes per step that the sampling heap profiler sees
 * allocated by JavaScript (0 GCs and ~0 bytes/step = the steady state does not
 * allocate; heap growth without GCs is mostly compiled code). Wall time should follow the number of events,
 * not cycles x components.
 */
import { execFileSync } from 'child_process';
import * as inspector from 'inspector';
import { PerformanceObserver } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ChipEngine } from '../../src/chip/chip-engine';
import { validateChip } from '../../src/hw/chip-file';
import { defaultOf } from '../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION } from '../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams } from '../../src/learning/params';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { cpuSeconds, printTable } from './bench-util';

const SIZES = [2, 4, 8, 16, 32];
const KINDS = ['sparse', 'filled'] as const;
type Kind = (typeof KINDS)[number];
/** Input frames per sample of the filled kind (one per free step: every step streams a new frame). */
const FRAMES = 10;
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 20);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 30);

function setup(k: number, kind: Kind): { engine: ChipEngine; inputs: Uint32Array[]; layers: number[] } {
  const tiles = k * k;
  const perLayer = Math.min(4, tiles - 1);
  const hiddenLayers = Math.max(1, Math.floor((tiles - 1) / perLayer));
  const hidden = Array.from({ length: hiddenLayers }, () => 32 * perLayer);
  const model: ModelParams = {
    network: { inputs: 128, hidden, classes: 10, replicas: 3 },
    dynamics: {
      ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams),
      kFwd: [8],
      kBwd: [8],
      offset: [0],
      freeSteps: FRAMES,
      nudgedSteps: 4,
      ...(kind === 'filled' ? { encoding: 'spin' as const, stateShift: 1 } : {}),
    },
    learning: defaultOf(LEARNING_SECTION) as LearningParams,
  };
  const chip = validateChip(
    {
      name: `scale-${k}x${k}`,
      mesh: { width: k, height: k },
      core: { neurons: 32, axons: 512, sram: { wordBits: 64, banks: 2 } },
    },
    `scale-${k}x${k}.json`,
  );
  const engine = new ChipEngine(model, chip, 1);
  const rng = rngStream(1, 'bench:chip-scale');
  const inputs = Array.from({ length: 4 }, () => {
    const v = new Uint32Array(wordsFor(128) * (kind === 'filled' ? FRAMES : 1));
    for (let i = 0; i < v.length; i++) v[i] = rng.uint32();
    return v;
  });
  return { engine, inputs, layers: [128, ...hidden, 30] };
}

/** Run `fn` under the sampling heap profiler; returns the bytes it saw allocated (all still live when no GC ran). */
async function sampledAllocation(fn: () => void): Promise<number> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('HeapProfiler.startSampling', { samplingInterval: 64 });
  fn();
  const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
  session.disconnect();
  let bytes = 0;
  const walk = (n: ProfileNode): void => {
    // Only allocations made inside the simulator's code (not the profiler's own).
    if (n.callFrame.url.includes('/dist/src/')) bytes += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  return bytes;
}

interface ProfileNode {
  callFrame: { url: string };
  selfSize: number;
  children: ProfileNode[];
}

/** Spike packets each core has injected so far (core.N.packetsInjected). */
function packetsPerCore(engine: ChipEngine): number[] {
  const c = engine.chip.counters().components;
  return engine.chip.active.map((core) => c[`core.${core.id}`]?.counts['packetsInjected'] ?? 0);
}

async function one(k: number, kind: Kind): Promise<void> {
  const { engine, inputs, layers } = setup(k, kind);
  for (let i = 0; i < WARMUP; i++) engine.runSample(inputs[i % 4]!, 0, { learn: false });
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  obs.observe({ entryTypes: ['gc'] });
  const p0 = packetsPerCore(engine);
  const ev0 = engine.chip.kernel.eventsExecuted;
  const cy0 = engine.chip.time;
  const steps0 = engine.chip.steps;
  const t0 = cpuSeconds();
  for (let i = 0; i < SAMPLES; i++) engine.runSample(inputs[i % 4]!, 0, { learn: false });
  const cpu = cpuSeconds() - t0;
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  const events = engine.chip.kernel.eventsExecuted - ev0;
  const cycles = engine.chip.time - cy0;
  const steps = engine.chip.steps - steps0;
  const p1 = packetsPerCore(engine);
  const sent = p1.map((p, i) => p - (p0[i] as number));
  const sending = sent.filter((p) => p > 0).length / sent.length;
  const packets = sent.reduce((a, b) => a + b, 0) / sent.length / steps;
  const s1 = engine.chip.steps;
  const allocated = await sampledAllocation(() => {
    for (let i = 0; i < SAMPLES; i++) engine.runSample(inputs[i % 4]!, 0, { learn: false });
  });
  const allocSteps = engine.chip.steps - s1;
  console.log(JSON.stringify({ k, kind, sending, packets, cores: engine.chip.active.length, layers: layers.length, cpuMsPerStep: (1000 * cpu) / steps, eventsPerStep: events / steps, cyclesPerStep: cycles / steps, nsPerEvent: (1e9 * cpu) / events, gcs, bytesPerStep: allocated / allocSteps }));
}

function main(): void {
  const arg = process.argv[2];
  if (arg !== undefined) {
    void one(Number(arg), process.argv[3] as Kind);
    return;
  }
  const rows: string[][] = [];
  for (const k of SIZES) for (const kind of KINDS) {
    const out = execFileSync(process.execPath, [__filename, String(k), kind], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>;
    rows.push([`${k}x${k}`, kind, String(r['cores']), `${(100 * r['sending']!).toFixed(0)}%`, r['packets']!.toFixed(2), String(r['layers']), r['cpuMsPerStep']!.toFixed(3), r['eventsPerStep']!.toFixed(0), r['cyclesPerStep']!.toFixed(0), r['nsPerEvent']!.toFixed(0), String(r['gcs']), r['bytesPerStep']!.toFixed(0)]);
  }
  console.log(`inference, ${SAMPLES} samples per size after ${WARMUP} warm-up samples (event-queue buckets reach their size), each size in a fresh process`);
  printTable(['mesh', 'network', 'cores', 'cores sending', 'packets/core/step', 'layers', 'CPU ms/step', 'events/step', 'cycles/step', 'ns/event', 'GCs', 'sampled alloc bytes/step'], rows);
}

main();
