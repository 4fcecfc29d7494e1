/**
 * The filled 64x64 TrueNorth-like chip (hw/chips/truenorth-like.json): a network of
 * 128-(4,095 x 128)-30 neurons, one 128-neuron layer per core on all 4,096 cores, spin
 * (+-1) activations, stateShift 1 and a new random input frame every step, running
 * inference. Prints set-up CPU, CPU ms per step, kernel events per step, the share of
 * cores that sent spike packets and packets per core per step, and resident memory.
 * For a conservative parallel simulation over mesh regions it also measures what the
 * estimate in docs/performance.md needs: simulated cycles and cycles that ran events
 * per step (synchronisation rounds with a one-cycle lookahead), and, for square
 * region grids of 2-64 regions, flits crossing region borders per step and the load
 * imbalance (largest region's work over the mean; work of a tile = its core's packets
 * + the flits its router sent on links).
 * BENCH_PROFILE=FILE writes a V8 CPU profile of the measured steps
 * (scripts/profile-summary.js FILE sums it by function).
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { defaultOf } from '../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION } from '../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams } from '../../src/learning/params';
import { wordsFor } from '../../src/kernels';
import { rngStream } from '../../src/util/rng';
import { cpuSeconds } from './bench-util';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 2);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 1);
const FRAMES = 8;

/** The filled chip's engine and its inputs. */
export function filled64(threads = 1, inferenceOnly = true): { engine: ChipEngine; inputs: Uint32Array[] } {
  const chip = loadChipFile('truenorth-like');
  const tiles = chip.params.mesh.width * chip.params.mesh.height;
  const model: ModelParams = {
    network: { inputs: 128, hidden: Array.from({ length: tiles - 1 }, () => 128), classes: 10, replicas: 3 },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams), encoding: 'spin', stateShift: 1, kFwd: [8], kBwd: [8], offset: [0], freeSteps: FRAMES, nudgedSteps: 4 },
    learning: defaultOf(LEARNING_SECTION) as LearningParams,
  };
  const engine = new ChipEngine(model, chip, 1, { threads, inferenceOnly });
  const rng = rngStream(1, 'bench:chip-filled-64');
  const inputs = Array.from({ length: 2 }, () => {
    const v = new Uint32Array(wordsFor(128) * FRAMES);
    for (let i = 0; i < v.length; i++) v[i] = rng.uint32();
    return v;
  });
  return { engine, inputs };
}

/** Region of tile (x, y) in a gx x gy grid of equal blocks of a W x H mesh. */
function regionOf(x: number, y: number, W: number, H: number, gx: number, gy: number): number {
  return Math.floor((y * gy) / H) * gx + Math.floor((x * gx) / W);
}

function packets(engine: ChipEngine): number[] {
  const c = engine.chip.counters().components;
  return engine.chip.active.map((core) => c[`core.${core.id}`]?.counts['packetsInjected'] ?? 0);
}

async function main(): Promise<void> {
  const t0 = cpuSeconds();
  const { engine, inputs } = filled64();
  const setup = cpuSeconds() - t0;
  for (let i = 0; i < WARMUP; i++) engine.runSample(inputs[i % 2]!, 0, { learn: false });
  const p0 = packets(engine);
  const l0 = engine.chip.mesh.linkLoads();
  const cy0 = engine.chip.time;
  const cv0 = engine.chip.kernel.cyclesWithEvents;
  const ev0 = engine.chip.kernel.eventsExecuted;
  const s0 = engine.chip.steps;
  const prof = process.env['BENCH_PROFILE'];
  const session = new inspector.Session();
  const post = (m: string, p: object = {}): Promise<unknown> => new Promise((res, rej) => session.post(m, p, (e, r) => (e ? rej(e) : res(r))));
  if (prof !== undefined) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  const t1 = cpuSeconds();
  for (let i = 0; i < SAMPLES; i++) engine.runSample(inputs[i % 2]!, 0, { learn: false });
  const cpu = cpuSeconds() - t1;
  if (prof !== undefined) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(prof, JSON.stringify(profile));
  }
  const steps = engine.chip.steps - s0;
  const sent = packets(engine).map((p, i) => p - (p0[i] as number));
  const links = engine.chip.mesh.linkLoads().map((l, i) => ({ ...l, flits: l.flits - (l0[i] as { flits: number }).flits }));
  console.log(`filled 64x64 TrueNorth-like, ${engine.chip.active.length} cores, ${SAMPLES} inference samples (${steps} steps) after ${WARMUP} warm-up: set-up ${setup.toFixed(1)} s CPU, ${((1000 * cpu) / steps).toFixed(1)} ms CPU per step, ${((engine.chip.kernel.eventsExecuted - ev0) / steps).toFixed(0)} events per step, ${((100 * sent.filter((p) => p > 0).length) / sent.length).toFixed(0)}% of cores sending, ${(sent.reduce((a, b) => a + b, 0) / sent.length / steps).toFixed(2)} packets per core per step, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  const W = engine.chip.desc.params.mesh.width;
  const H = engine.chip.desc.params.mesh.height;
  const flits = links.reduce((a, l) => a + l.flits, 0);
  console.log(`per step: ${((engine.chip.time - cy0) / steps).toFixed(0)} simulated cycles, ${((engine.chip.kernel.cyclesWithEvents - cv0) / steps).toFixed(0)} of them with events; ${(flits / steps).toFixed(0)} link flits`);
  const work = new Float64Array(W * H);
  engine.chip.active.forEach((c, i) => (work[c.id] += sent[i] as number));
  for (const l of links) work[l.from] += l.flits;
  for (const [gx, gy] of [[2, 1], [2, 2], [4, 4], [8, 8]] as const) {
    const P = gx * gy;
    const region = new Float64Array(P);
    for (let t = 0; t < W * H; t++) region[regionOf(t % W, Math.floor(t / W), W, H, gx, gy)] += work[t] as number;
    let border = 0;
    for (const l of links) if (regionOf(l.from % W, Math.floor(l.from / W), W, H, gx, gy) !== regionOf(l.to % W, Math.floor(l.to / W), W, H, gx, gy)) border += l.flits;
    const mean = region.reduce((a, b) => a + b, 0) / P;
    console.log(`${P} regions (${gx}x${gy} blocks of ${W / gx}x${H / gy} tiles): ${(border / steps).toFixed(0)} border-crossing flits per step (${((100 * border) / flits).toFixed(1)}% of link flits), load imbalance max/mean ${(Math.max(...region) / mean).toFixed(2)}`);
  }
}

if (require.main === module) void main();
