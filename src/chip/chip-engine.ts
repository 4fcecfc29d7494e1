/**
 * The cycle-accurate chip as an Engine (src/learning/engine.ts): the trainer drives it
 * exactly like the functional model, and for the same calls both end in the same
 * NetworkSnapshot, bit for bit; the chip also counts cycles and hardware events.
 */
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { Engine, NetworkSnapshot, SampleMode, SampleResult } from '../learning/engine';
import { addLearnCounts, outputErrors } from '../learning/learn-counts';
import type { NeuronBlock } from '../learning/neuron-block';
import { checkModelParams } from '../learning/params';
import type { ModelParams } from '../learning/params';
import { wordsFor } from '../kernels';
import type { MappingParams } from '../map/params';
import { abortTraces, finishTraces, openTraces } from '../sim/trace-params';
import type { TraceParams, Traces } from '../sim/trace-params';
import { Chip } from './chip';
import type { ChipSpeedOptions, SampleCycles } from './chip';
import type { ChipDescription } from '../hw/chip-file';
import { SampleLog } from './sample-log';
import type { LinkLoad } from './noc/mesh';
import { RegionPlan } from './parallel/plan';
import { RegionSync } from './parallel/region-sync';
import { RegionThreads } from './parallel/region-threads';
import { RegionFailure, type SharedState } from './parallel/shared-state';
import { userError } from '../util/errors';

/** Component-wise sum of two counter snapshots (components of either). */
function addSnapshots(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  const components: CounterSnapshot['components'] = {};
  for (const s of [a, b]) {
    for (const [name, c] of Object.entries(s.components)) {
      const into = (components[name] ??= { kind: c.kind, counts: {} });
      for (const [k, v] of Object.entries(c.counts)) into.counts[k] = (into.counts[k] ?? 0) + v;
    }
  }
  return { components };
}

/** Options of the chip engine. */
export interface ChipEngineOptions {
  /** Placement of the network (default: snake). */
  mapping?: MappingParams;
  /** Config file name for error messages (default "config"). */
  configFile?: string;
  /** VCD waveform and packet CSV (the config's `trace` section); off when absent. */
  trace?: TraceParams;
  /** Work skipped because its outcome is known (default: all on; same results). */
  speed?: ChipSpeedOptions;
  /**
   * Threads simulating the chip (default 1): more than one cuts the mesh into bands of
   * rows, each simulated by its own thread (./parallel), with the same results (no traces).
   */
  threads?: number;
  /**
   * True: the engine only runs inference (bitspike run): its cores hold no learning
   * registers, which saves their memory (96 MiB on the filled 64x64 TrueNorth-like chip);
   * learning samples and snapshot() refuse, restore() ignores the registers.
   */
  inferenceOnly?: boolean;
  /** The region a worker thread of a parallel run simulates (./parallel/region-worker.ts). */
  region?: { shared: SharedState; index: number };
}

/** Cycle totals of one kind of sample (training or inference) accumulated over a run: the parts summed over `samples` samples. */
export interface CycleTotals extends SampleCycles {
  samples: number;
}

function noTotals(): CycleTotals {
  return { samples: 0, free: 0, nudged: 0, learning: 0, total: 0 };
}

/** What the chip reports accumulate over a run (ChipEngine.reportTotals), as JSON a checkpoint can hold. */
export interface ChipReportTotals {
  cycles: number;
  totals: { training: CycleTotals; inference: CycleTotals };
  /** SampleLog rows, 5 numbers per sample. */
  log: number[];
  /** Flits per directed link, in linkLoads() order. */
  linkFlits: number[];
  counters: CounterSnapshot;
}

function addTotals(a: CycleTotals, b: CycleTotals): CycleTotals {
  return { samples: a.samples + b.samples, free: a.free + b.free, nudged: a.nudged + b.nudged, learning: a.learning + b.learning, total: a.total + b.total };
}

/** The cycle-accurate chip behind the Engine interface. */
export class ChipEngine implements Engine {
  readonly chip: Chip;
  private readonly input: Uint32Array;
  /** Cycle totals over the training samples and over the inference samples run so far. */
  readonly totals: { training: CycleTotals; inference: CycleTotals } = { training: noTotals(), inference: noTotals() };
  private traces: Traces | null = null;
  /** Cycle figures of every sample run so far (of earlier processes too, after carryReportTotals). */
  readonly log = new SampleLog();
  /** Report totals of the earlier processes of a resumed run. */
  private carried: ChipReportTotals | null = null;
  /** The blocks of output-layer rows, over all cores (for the learning samples' output errors). */
  private readonly outBlocks: NeuronBlock[];
  private readonly replicas: number;
  /** The other regions' threads of a parallel run (null: this engine simulates the whole chip, or is one of those threads). */
  private readonly threads: RegionThreads | null = null;
  /** This engine's region of a parallel run (null: the whole chip). */
  private readonly region: RegionSync | null = null;

  /**
   * Build the chip for validated experiment sections `model`, chip description `chip`
   * and seed `seed` (the same initial weights as FunctionalEngine with that seed).
   */
  constructor(model: ModelParams, chip: ChipDescription, seed: number | string, options: ChipEngineOptions = {}) {
    const configFile = options.configFile ?? 'config';
    checkModelParams(model, configFile);
    const mapping = options.mapping ?? { placement: 'snake' };
    const threads = options.threads ?? 1;
    const inferenceOnly = options.inferenceOnly === true;
    const ioRouter = chip.params.io.y * chip.params.mesh.width + chip.params.io.x;
    if (threads > 1) {
      if (!(Number.isInteger(threads) && threads <= chip.params.mesh.height)) throw userError(configFile, 'run.threads', `expected an integer in [1, ${chip.params.mesh.height}] (one band of mesh rows per thread), got ${threads}`);
      this.threads = new RegionThreads({ model, chip, seed, mapping, configFile, regions: threads, inferenceOnly });
      this.region = this.threads.regionSync(ioRouter);
    } else if (options.region !== undefined) {
      const sh = options.region.shared;
      this.region = new RegionSync(sh, new RegionPlan(chip.params.mesh.width, chip.params.mesh.height, sh.regions), options.region.index, ioRouter);
    }
    try {
      this.chip = new Chip(model, chip, mapping, { configFile, inferenceOnly }, options.speed ?? {}, this.region);
      if (this.region !== null) {
        if (this.chip.mesh.isVcRouter) throw userError(configFile, 'run.threads', `the chip's noc section needs the VC router, which runs on one thread only; set run.threads to 1`);
        if (this.chip.mapping.split) throw userError(configFile, 'run.threads', 'split layers (fan-in over several cores) run on one thread only; set run.threads to 1');
        this.region.bind(this.chip);
      }
      this.input = new Uint32Array(wordsFor(model.network.inputs));
      this.outBlocks = this.chip.active.flatMap((c) => c.blocks.filter((b) => b.isOutput));
      this.replicas = model.network.replicas;
      // The state restore(initialSnapshot(model, seed)) would load, a layer at a time.
      this.chip.loadInitial(seed);
      if (options.trace !== undefined) this.attachTraces(options.trace);
      // The workers built the same chip from the same seed meanwhile.
      this.threads?.replies();
    } catch (e) {
      this.threads?.close();
      throw e;
    }
  }

  /** Threads simulating this chip (1 unless it runs region-parallel). */
  get threadCount(): number {
    return this.region === null ? 1 : this.region.regions;
  }

  /** Synchronisation rounds this engine's region passed and the wall milliseconds it spent in their barriers (zeros on one thread). */
  get syncStats(): { rounds: number; barrierMs: number } {
    return this.region === null ? { rounds: 0, barrierMs: 0 } : { rounds: this.region.rounds, barrierMs: this.region.barrierMs };
  }

  /** Stop the other regions' threads of a parallel run (no-op otherwise); the engine cannot run samples afterwards. */
  close(): void {
    this.threads?.close();
  }

  /** Refuse what the regions of a parallel run cannot do (traces). */
  private onOneThread(what: string): void {
    if (this.region !== null) throw new Error(`${what} runs on one thread only (this chip runs on ${this.region.regions})`);
  }

  /** Open the trace files `trace` asks for (none when both paths are empty); only before the first sample. */
  attachTraces(trace: TraceParams): void {
    if (this.traces !== null) throw new Error('traces are already attached');
    if (this.chip.samples > 0) throw new Error('attach traces before the first sample');
    if (trace.vcd.path !== '' || trace.packets.path !== '') this.onOneThread('tracing');
    const t = openTraces(trace);
    if (t.vcd === null && t.packets === null) return;
    this.traces = t;
    this.chip.attachTraces(t);
  }

  /** Close the trace files (VCD up to the last simulated cycle); call once after the last sample. */
  finish(): void {
    if (this.traces !== null) finishTraces(this.traces, this.chip.time);
    this.traces = null;
  }

  /** Discard the trace files (after a failed or interrupted run). */
  abort(): void {
    if (this.traces !== null) abortTraces(this.traces);
    this.traces = null;
  }

  /** Cycles of the last sample (free, nudged, learning, total). */
  get lastSample(): SampleCycles {
    return this.chip.last;
  }

  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    if (mode.learn && this.chip.inferenceOnly) throw new Error('this chip engine was built for inference only (no learning registers): it cannot run a learning sample');
    if (this.region !== null) return this.runRegionSample(input, label, mode);
    const prediction = this.chip.runSample(input, label, mode.learn, mode.learn ? mode.betaSign : 1, mode.learn ? (mode.plasticityKey ?? 0) : 0, mode.readKey ?? 0, mode.learn ? (mode.epoch ?? 0) : 0);
    // The input layer's state is the frame its registers hold now (the last step's).
    this.input.set(this.chip.io.held);
    const l = this.chip.last;
    const t = mode.learn ? this.totals.training : this.totals.inference;
    t.samples++;
    t.free += l.free;
    t.nudged += l.nudged;
    t.learning += l.learning;
    t.total += l.total;
    this.log.add(mode.learn, l);
    if (!mode.learn) return { prediction };
    // The free phase's output spikes, kept by every output block for the learning phase.
    let errors = 0;
    for (const b of this.outBlocks) errors += outputErrors(b.freeSpikes, b.rowStart, b.rows, label, this.replicas);
    return { prediction, outputErrors: errors };
  }

  /** A sample on every region's thread; the prediction is read at the I/O port's region, the output errors summed over the regions. */
  private runRegionSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    const region = this.region as RegionSync;
    const learn = mode.learn;
    const betaSign = mode.learn ? mode.betaSign : 1;
    const plasticityKey = mode.learn ? (mode.plasticityKey ?? 0) : 0;
    const readKey = mode.readKey ?? 0;
    const epoch = mode.learn ? (mode.epoch ?? 0) : 0;
    this.threads?.command({ kind: 'sample', input, label, learn, betaSign, plasticityKey, readKey, epoch });
    let out: { prediction: number; errors: number };
    try {
      const p = this.chip.runSample(input, label, learn, betaSign, plasticityKey, readKey, epoch);
      let errors = 0;
      if (learn) for (const b of this.outBlocks) errors += outputErrors(b.freeSpikes, b.rowStart, b.rows, label, this.replicas);
      out = region.finishSample(this.chip, p, errors);
    } catch (e) {
      if (e instanceof RegionFailure) throw new Error(`parallel chip run failed: ${e.message}`);
      region.abort(e instanceof Error ? e.message : String(e));
      throw e;
    }
    if (this.chip.ownsIo) this.input.set(this.chip.io.held);
    const l = this.chip.last;
    const t = learn ? this.totals.training : this.totals.inference;
    t.samples++;
    t.free += l.free;
    t.nudged += l.nudged;
    t.learning += l.learning;
    t.total += l.total;
    this.log.add(learn, l);
    return learn ? { prediction: out.prediction, outputErrors: out.errors } : { prediction: out.prediction };
  }

  learningCounts(into: Float64Array): void {
    into.fill(0);
    for (const c of this.chip.active) {
      for (const b of c.blocks) addLearnCounts(into, b.layer, b.learnCounts);
      for (const q of c.slices) addLearnCounts(into, q.layer, q.learnCounts);
    }
    if (this.threads !== null) {
      this.threads.command({ kind: 'learning-counts', size: into.length });
      for (const r of this.threads.replies() as Array<{ counts: Float64Array }>) for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + (r.counts[i] as number);
    }
  }

  counters(): CounterSnapshot {
    return this.chipCounters();
  }

  /** The chip's counters; in a parallel run each component from the region that simulates it (the chip's own counts agree in every region but packetsUndeliverable, summed). */
  private chipCounters(): CounterSnapshot {
    const here = this.chip.counters();
    if (this.threads === null) return here;
    const all = [here, ...this.workerReports().map((r) => r.counters)];
    const plan = this.threads.plan;
    const ioRegion = plan.regionOf(this.chip.mesh.ioRouter);
    const merged: CounterSnapshot = { components: {} };
    for (const name of Object.keys(here.components)) {
      const dot = name.indexOf('.');
      const owner = dot >= 0 ? plan.regionOf(Number(name.slice(dot + 1))) : name === 'io' ? ioRegion : 0;
      merged.components[name] = (all[owner] as CounterSnapshot).components[name] as CounterSnapshot['components'][string];
    }
    const chip = merged.components['chip'];
    if (chip !== undefined) {
      let undeliverable = 0;
      for (const s of all) undeliverable += s.components['chip']?.counts['packetsUndeliverable'] ?? 0;
      merged.components['chip'] = { kind: chip.kind, counts: { ...chip.counts, packetsUndeliverable: undeliverable } };
    }
    return merged;
  }

  /** Every worker's counters and link flits (a parallel run only). */
  private workerReports(): Array<{ counters: CounterSnapshot; linkFlits: number[] }> {
    const t = this.threads as RegionThreads;
    t.command({ kind: 'report' });
    return t.replies() as Array<{ counters: CounterSnapshot; linkFlits: number[] }>;
  }

  /** Simulated cycles of the whole run (earlier processes of a resumed run included). */
  get reportCycles(): number {
    return this.chip.time + (this.carried?.cycles ?? 0);
  }

  /** Counters of the whole run for the reports (earlier processes of a resumed run included). */
  reportCounters(): CounterSnapshot {
    const now = this.chipCounters();
    return this.carried === null ? now : addSnapshots(this.carried.counters, now);
  }

  /** Flits per directed link over the whole run. */
  linkLoads(): LinkLoad[] {
    const loads = this.chip.mesh.linkLoads();
    // A link's flits are counted by its sending router's region (zero elsewhere).
    if (this.threads !== null) for (const r of this.workerReports()) loads.forEach((l, i) => (l.flits += r.linkFlits[i] as number));
    const base = this.carried?.linkFlits;
    if (base !== undefined && base.length === loads.length) loads.forEach((l, i) => (l.flits += base[i] as number));
    return loads;
  }

  reportTotals(): ChipReportTotals {
    return {
      cycles: this.reportCycles,
      totals: { training: { ...this.totals.training }, inference: { ...this.totals.inference } },
      log: this.log.rows(),
      linkFlits: this.linkLoads().map((l) => l.flits),
      counters: this.reportCounters(),
    };
  }

  carryReportTotals(totals: unknown): void {
    if (totals === null || totals === undefined) return;
    const t = totals as ChipReportTotals;
    if (this.chip.samples > 0 || this.log.count > 0) throw new Error('carryReportTotals: only before the first sample');
    this.carried = { cycles: t.cycles, totals: t.totals, log: [], linkFlits: t.linkFlits.slice(), counters: t.counters };
    this.totals.training = addTotals(this.totals.training, t.totals.training);
    this.totals.inference = addTotals(this.totals.inference, t.totals.inference);
    this.log.addRows(t.log);
  }

  snapshot(): NetworkSnapshot {
    if (this.threads === null) return this.chip.snapshot(this.input);
    // Every row is saved by the one region holding its core (zeros elsewhere): the sum of the regions' snapshots is the state.
    const s = this.regionSnapshot();
    this.threads.command({ kind: 'snapshot' });
    const parts = (this.threads.replies() as Array<{ snapshot: NetworkSnapshot }>).map((r) => r.snapshot);
    const ioRegion = this.threads.plan.regionOf(this.chip.mesh.ioRouter);
    for (const p of parts) {
      for (const key of ['states', 'synapseState', 'biases'] as const) s[key].forEach((a, l) => a.forEach((_v, i) => (a[i] = (a[i] as number) + ((p[key][l] as Int32Array)[i] as number))));
      for (const key of ['weights', 'spikes'] as const) s[key].forEach((a, l) => (l === 0 && key === 'spikes' ? undefined : a.forEach((_v, i) => (a[i] = ((a[i] as number) | ((p[key][l] as Uint32Array)[i] as number)) >>> 0))));
    }
    // The input layer's bits are the frame the I/O port's region holds.
    if (ioRegion > 0) (s.spikes[0] as Uint32Array).set(((parts[ioRegion - 1] as NetworkSnapshot).spikes[0] as Uint32Array));
    return s;
  }

  /** The rows of this thread's cores (zeros elsewhere), without the check of copies other regions hold. */
  regionSnapshot(): NetworkSnapshot {
    return this.chip.snapshot(this.input, this.region === null);
  }

  restore(s: NetworkSnapshot): void {
    this.restoreHere(s);
    if (this.threads !== null) {
      // Inference-only regions ignore the learning registers: do not copy them to every thread.
      const sent = this.chip.inferenceOnly ? { ...s, synapseState: s.synapseState.map(() => new Int32Array(0)) } : s;
      this.threads.command({ kind: 'restore', snapshot: sent });
      this.threads.replies();
    }
  }

  /** Load the state into this thread's cores. */
  private restoreHere(s: NetworkSnapshot): void {
    const expect = this.chip.layers.join('-');
    if (s.layers.join('-') !== expect) throw new RangeError(`snapshot layers ${s.layers.join('-')} do not match network ${expect}`);
    this.input.set((s.spikes[0] as Uint32Array).subarray(0, this.input.length));
    this.chip.restore(s);
  }
}
