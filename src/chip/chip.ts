/**
 * The chip: a mesh of tiles (router + neuron core), the I/O port and the global step
 * barrier, driven sample by sample (docs/timing-model.md, "Step barrier" and
 * "Sample sequence").
 *
 *   sample start t_s: global reset (states, spikes, axon registers; label loaded), resetDelay cycles
 *   input load:  the I/O port streams the input bits as packets (io.flitsPerCycle per cycle)
 *   step k:      starts at t_k; ends at e_k = first cycle at which every core has committed
 *                all rows, every output queue is empty and no flit is in the network;
 *                t_{k+1} = e_k + barrierDelay
 *                (split layers: a partial-sum phase from t_k to its barrier p_k, then the
 *                neuron phase from p_k + barrierDelay to e_k)
 *   readout:     after the free phase, output cores send their class sums of output states to the I/O port
 *   learning:    all cores in parallel from e + barrierDelay; ends when the slowest core ends
 *                (split layers: first the post-spike pass from e + barrierDelay to its barrier)
 *
 * The values computed equal the functional model's (src/model) bit for bit; only time is added.
 */
import { BlockCounts } from '../learning/block-counts';
import type { NetworkSnapshot } from '../learning/engine';
import { InitialLayers, emptySnapshot } from '../learning/init';
import { blockWasmBytes, networkFaults, resetSpikeVectors, ruleForLayer } from '../learning/neuron-block';
import { frameCount, inputFrame } from '../learning/input-frames';
import { deadRoutesOn } from '../faults/params';
import { ReadFlips, readFlipsOn } from '../faults/read-flips';
import { DeadRoutes } from '../map/dead-routes';
import type { ModelParams } from '../learning/params';
import { postSpikePayloadBits } from '../learning/params';
import { WasmKernels, wordsFor } from '../kernels';
import { Kernel } from '../sim/kernel';
import type { Traces } from '../sim/trace-params';
import { layerCuts, mapNetwork } from '../map/mapping';
import { userError } from '../util/errors';
import type { FanOut, Mapping } from '../map/mapping';
import type { MappingParams } from '../map/params';
import type { ChipDescription } from '../hw/chip-file';
import { COUNTER_CATALOG } from '../sim/counter-catalog';
import type { CounterSnapshot } from '../sim/counter-catalog';
import { NeuronCore } from './core/neuron-core';
import { PHASE_CORE_PASS_DONE } from './core/datapath';
import type { MulticastSink } from './core/neuron-core';
import { Mesh } from './noc/mesh';
import { multicastSpikeBits, partialSumFlits, spikePacketBits, wordPacketFlits } from '../hw/packet';
import { checkReadout, checkWidths, networkPath, readoutSumBits } from './fit-checks';
import { IoPort } from './io-port';
import type { IoMulticast } from './io-port';
import { xyTreeSavedLinks } from './router/route';
import { LoadReplay } from './load-replay';
import { PHASE_DELIVER, PHASE_FIRST_FREE } from './noc/phases';

/**
 * Kernel phase of the start of a step, readout, learning phase or reset, of the end of
 * a core's learning phase and of the I/O port's injections: the last phase, so that a
 * start may follow the barrier in the same cycle (barrierDelay = 0) and what a start
 * schedules for its own cycle (zero delays) still lies ahead.
 */
const PHASE_START = PHASE_FIRST_FREE + 4;
/** Kinds of start events. */
const START_STEP = 0;
const START_READOUT = 1;
const START_LEARNING = 2;
const START_RESET = 3;
/** Input part before a nudged phase when the input has several frames (rate coding). */
const START_INPUT = 4;
const START_PARTIAL = 5;
const START_POST = 6;
/** Tag of the cores' multicast spike packets (their axon field names a network-wide neuron id). */
const TAG_MULTICAST = 1;

/** Where the chip's experiment inputs came from, for error messages. */
export interface ChipSources {
  /** Experiment config file name. */
  configFile: string;
  /** True: the chip only runs inference and its cores hold no learning registers (learning samples and snapshots refuse). */
  inferenceOnly?: boolean;
}

/**
 * Work the chip may skip because its outcome is known (same cycles, counters, states
 * and spikes; only the kernel's count of executed events differs). Both on by
 * default; off simulates every event (tests compare the two).
 */
export interface ChipSpeedOptions {
  /** Replay an input load seen before (./load-replay.ts). */
  replayLoads?: boolean;
  /** Run the steps that follow a quiet step (nothing sent, no state moved) without events. */
  skipIdleSteps?: boolean;
  /** Single-lane router in lean mode: credits return without events, uncontested flits are arbitrated on arrival or at injection (Mesh.setLean); cores tell their pass ends ahead. */
  leanNetwork?: boolean;
  /** Move the event kernel's time origin to the start of each sample when nothing is pending (Kernel.rebase; the chip's cycles stay absolute). */
  rebaseTime?: boolean;
}

/**
 * The part of the chip one thread simulates in a region-parallel run (./parallel):
 * the routers and cores of its tiles; the I/O port belongs to the region of its router.
 */
export interface ChipRegion {
  /** True when tile `t` (its router and core) is simulated here. */
  owns(tile: number): boolean;
  /** True when the I/O port's router is simulated here. */
  readonly ownsIo: boolean;
  /** Run this region's kernel, synchronised with the other regions every cycle with events, until the chip-wide barrier; returns its cycle. */
  runToBarrier(chip: Chip): number;
}

/** Cycles of the parts of the last sample. */
export interface SampleCycles {
  /** Reset + input load + free steps + readout. */
  free: number;
  /** Nudged steps (both phases when symmetric); 0 for inference. */
  nudged: number;
  /** Learning phase; 0 for inference. */
  learning: number;
  /** Whole sample, from its reset to the start of the next sample. */
  total: number;
}

/** Largest WebAssembly memory the chip's kernels take; a bigger network keeps the TypeScript kernels (same bits). */
const MAX_WASM_BYTES = 2 ** 31;

/** One WebAssembly memory holding every block's weights and dot products (as the functional model does), or null when it would exceed MAX_WASM_BYTES. */
function chipKernels(model: ModelParams, mapping: Mapping, region: ChipRegion | null): WasmKernels | null {
  let bytes = 1 << 16;
  for (const cm of mapping.cores) for (const pc of region === null || region.owns(cm.id) ? cm.pieces : []) bytes += blockWasmBytes(model, { layer: pc.layer, rowStart: pc.first, rows: pc.count });
  return bytes <= MAX_WASM_BYTES ? WasmKernels.create(bytes) : null;
}

/** The mapping of `model` on chip `desc` with placement `mapping`, as the chip builds it (errors name `configFile`). */
export function chipMapping(model: ModelParams, desc: ChipDescription, mapping: MappingParams, configFile: string): Mapping {
  const p = desc.params;
  const layers = [model.network.inputs, ...model.network.hidden, model.network.classes * model.network.replicas];
  const L = layers.length - 1;
  const synBits = ruleForLayer(model, 1).synapseBits;
  // SECDED decides which stuck cells it corrects per SRAM word of a whole layer row (the
  // functional model's layout); a split layer stores each segment of a row in its own words,
  // so the two would correct different cells.
  const stuck = model.faults === undefined ? null : model.faults.weightStuckRate > 0 ? 'weightStuckRate' : model.faults.counterStuckRate > 0 ? 'counterStuckRate' : null;
  if (stuck !== null && p.core.sram.ecc === 'secded' && mapNetworkSplits(layers, p.core, mapping, desc.file, configFile)) {
    throw userError(configFile, `faults.${stuck}`, `SECDED over stuck SRAM cells is not modelled in split layers (fan-in over several cores; ${desc.file}: core.sram.ecc is "secded"); set it to 0, use ecc "none", or a chip whose cores hold every fan-in`);
  }
  return mapNetwork(
    layers,
    p.core,
    { ...p.mesh, io: p.io },
    mapping,
    { chipFile: desc.file, configFile, layersPath: 'network', layerPath: (l) => networkPath(l, L), placementPath: 'mapping.placement' },
    synBits,
    model.dynamics.accumulatorBits,
  );
}

/** True when the mapping would split some layer's fan-in. */
function mapNetworkSplits(layers: readonly number[], core: ChipDescription['params']['core'], mapping: MappingParams, chipFile: string, configFile: string): boolean {
  return layerCuts(layers, core, mapping.split ?? 'auto', { chipFile, configFile, layersPath: 'network', placementPath: 'mapping.placement' }).some((c) => c.length > 2);
}

/** The cycle-accurate chip. */
export class Chip {
  readonly kernel = new Kernel();
  readonly mesh: Mesh;
  readonly mapping: Mapping;
  /** Cores by id (null for tiles that hold nothing, or that another region simulates). */
  readonly cores: (NeuronCore | null)[];
  /** The cores simulated here (every core that holds something, unless this chip is one region of a parallel run). */
  readonly active: NeuronCore[];
  /** Ids of every core that holds something (also in a region of a parallel run). */
  readonly usedCoreIds: number[];
  /** The region this chip simulates in a parallel run (null: the whole chip). */
  readonly region: ChipRegion | null;
  /** Built for inference only: the cores hold no learning registers (ChipSources.inferenceOnly). */
  readonly inferenceOnly: boolean;
  readonly model: ModelParams;
  readonly desc: ChipDescription;
  readonly packetBits: number;
  /** Simulated cycle at which the next sample starts. */
  time = 0;
  /** Absolute cycle of the kernel's cycle 0 (the kernel runs on time - timeBase; see Kernel.rebase). */
  private origin = 0;
  private readonly rebaseTime: boolean;
  samples = 0;
  steps = 0;
  learningPhases = 0;
  /** Cycles of the last sample. */
  readonly last: SampleCycles = { free: 0, nudged: 0, learning: 0, total: 0 };

  private readonly resetSpikes: Uint32Array[];
  private readonly outputCores: NeuronCore[];
  /** Cores holding synapse slices (the partial-sum phase of a step); empty when no layer is split. */
  private readonly sliceCores: NeuronCore[];
  /** Cores holding neurons (every active core unless it holds only partial-sum slices). */
  private readonly neuronCores: NeuronCore[];
  private readonly ioEndpoint: number;
  /** The I/O port (input streaming, readout class sums). */
  readonly io: IoPort;
  /** True when this chip simulates the I/O port (always, unless another region of a parallel run does). */
  readonly ownsIo: boolean;
  /** First-layer cores the I/O port cannot reach (dead routes), and the input packets left unsent for them. */
  private readonly ioDeadDests: number;
  private ioUndeliverable = 0;
  private readonly inputBits: Uint32Array;
  /** The current sample's input row (one or more frames) and its number of frames. */
  private inputRow: Uint32Array = new Uint32Array(0);
  private frames = 1;
  /** Step index within the running phase, its length, and whether it is nudged (which frame each step clamps). */
  private stepInPhase = 0;
  private phaseSteps = 0;
  private phaseNudged = false;
  // Barrier state.
  /** True while a part of the sample runs and its barrier has not been reached. */
  private waiting = false;
  private committing = 0;
  /** Flits delivered so far (the mesh counts those injected). */
  private delivered = 0;
  /** Deliveries beyond one per injected packet (a multicast packet to k cores delivers k times). */
  private extraDeliveries = 0;
  /** True when the cores send multicast packets (noc.multicast "tree"). */
  readonly multicast: boolean;
  private barrierAt = -1;
  /** Latest cycle at which a delivery taken ahead of time (lean mesh) completes or a pass told ahead ends (passAhead); the barrier cannot fall before it. */
  private deliveredBy = -1;
  /** A barrier check is scheduled at deliveredBy. */
  private barrierCheckPending = false;
  private readonly hBarrier: number;
  /** Start and end (barrier) cycle of every step of the last sample, and how many. */
  readonly stepStarts: Float64Array;
  readonly stepEnds: Float64Array;
  stepCount = 0;
  private readonly hLearnDone: number;
  private readonly hStart: number;
  /** Label (-1 = none) and beta sign of the steps being run. */
  private stepLabel = -1;
  private stepSign = 1;
  /** Recorded input loads (./load-replay.ts); null when replay is off. */
  readonly loadReplay: LoadReplay | null;
  /** Steps run without events so far (idleStep). */
  idleSteps = 0;
  /** Steps of a quiet chip run without events (idleStep). */
  private readonly skipIdleSteps: boolean;
  /** True once traces are attached (every event is then simulated). */
  private traced = false;
  /** The cores tell their pass ends ahead (CoreDatapath.passAhead). */
  private passAhead: boolean;
  /** Pass ends told ahead so far (tests check that the path runs). */
  passesAhead = 0;
  private readonly deliverReplayed = (core: number, axon: number, bit: number): void => (this.cores[core] as NeuronCore).deliver(axon, bit);
  /** The trainer's plasticity key of the current sample (handed to the cores' learning phase). */
  private plasticityKey = 0;
  /** The trainer's 0-based epoch of the current sample (rules with a schedule). */
  private epoch = 0;
  /** Transient read flips of every core (faults.readFlipRate; null: none): the sample's read key and step index. */
  private readonly reads: ReadFlips | null;

  constructor(model: ModelParams, desc: ChipDescription, mapping: MappingParams, src: ChipSources, options: ChipSpeedOptions = {}, region: ChipRegion | null = null) {
    const p = desc.params;
    this.region = region;
    this.inferenceOnly = src.inferenceOnly === true;
    this.model = model;
    this.desc = desc;
    checkWidths(model, desc, src.configFile);
    const layers = [model.network.inputs, ...model.network.hidden, model.network.classes * model.network.replicas];
    this.mapping = chipMapping(model, desc, mapping, src.configFile);
    checkReadout(model, desc);
    const m = p.mesh;
    this.multicast = (p.noc.multicast ?? 'unicast') === 'tree';
    const tree = this.multicast;
    this.packetBits = spikePacketBits(m.width, m.height, p.core.axons, this.mapping.split, tree);
    const flits = {
      partialSum: partialSumFlits(m.width, m.height, p.core.axons, p.core.neurons, this.mapping.partialSumBits, tree),
      postSpikes: wordPacketFlits(m.width, m.height, p.core.axons, p.core.neurons, postSpikePayloadBits(model.learning), tree),
    };
    this.mesh = new Mesh(this.kernel, {
      width: p.mesh.width,
      height: p.mesh.height,
      noc: p.noc,
      io: p.io,
      packetBits: this.packetBits,
      multicastPacketBits: multicastSpikeBits(m.width, m.height, p.core.neurons, p.core.axons),
    });
    this.ioEndpoint = this.mesh.ioEndpoint;
    // A region of a parallel run exchanges credits and flits with the others by events: no lean mode there.
    this.mesh.setLean((options.leanNetwork ?? true) && region === null);

    const k = this.kernel;
    const hCommit = k.register((c, _b, cy) => (this.cores[c] as NeuronCore).datapath.onCommit(cy));
    const hDrain = k.register((c, _b, cy) => (this.cores[c] as NeuronCore).datapath.onDrain(cy));
    const hPassDone = k.register((c, _b, cy) => (this.cores[c] as NeuronCore).datapath.onPassDone(cy));
    this.hLearnDone = k.register((c, _b, cy) => this.passDone(c, cy));
    this.hStart = k.register((kind, _b, cy) => this.onStart(kind, cy));
    this.hBarrier = k.register((_a, _b, cy) => {
      this.barrierCheckPending = false;
      this.checkBarrier(cy);
    });
    k.onRebase((delta) => {
      this.deliveredBy -= delta;
      this.barrierAt -= delta;
    });
    // Dead routers and links (faults section): packets whose XY route they cut are never sent.
    const ioTile = p.io.y * p.mesh.width + p.io.x;
    const routes = deadRoutesOn(model.faults)
      ? { dead: new DeadRoutes(p.mesh.width, p.mesh.height, model.faults.deadRouters, model.faults.deadLinks, src.configFile), ioTile }
      : null;
    const listener = { passDone: (core: number, cycle: number) => this.passDone(core, cycle), passDoneAt: (_core: number, cycle: number) => this.passDoneAt(cycle) };
    const kernels = chipKernels(model, this.mapping, region);
    this.usedCoreIds = this.mapping.cores.filter((cm) => cm.pieces.length > 0 || cm.slices.length > 0).map((cm) => cm.id);
    this.reads = readFlipsOn(model.faults) ? new ReadFlips(model.faults, p.core.sram.wordBits, p.core.sram.ecc ?? 'none') : null;
    const mesh = this.mesh;
    const sink: MulticastSink | null = tree
      ? {
          width: m.width,
          tiles: m.width * m.height,
          send: (src, set, saved, count, id, payload) => {
            mesh.injectMulticastSet(src, set, saved, id, payload, TAG_MULTICAST);
            this.extraDeliveries += count - 1;
          },
        }
      : null;
    this.cores = this.mapping.cores.map((cm) =>
      (cm.pieces.length === 0 && cm.slices.length === 0) || (region !== null && !region.owns(cm.id))
        ? null
        : new NeuronCore(cm, this.mapping, model, p.core, p.encoding, k, this.mesh, listener, { commit: hCommit, drain: hDrain, passDone: hPassDone }, kernels, routes, flits, sink, this.reads, !this.inferenceOnly),
    );
    this.active = this.cores.filter((c): c is NeuronCore => c !== null);
    // Pass ends told ahead: like the lean router's deliveries, the barrier waits for their cycle (off in a region and with traces).
    this.passAhead = (options.leanNetwork ?? true) && region === null;
    for (const c of this.active) c.datapath.passAhead = this.passAhead;
    for (const c of this.active) c.link(this.cores);
    this.sliceCores = this.active.filter((c) => c.hasSlices);
    this.neuronCores = this.active.filter((c) => c.blocks.length > 0);
    this.outputCores = this.active.filter((c) => c.blocks.some((b) => b.isOutput));
    this.mesh.attach({
      onEject: (dst, axon, bit, f, cycle) => {
        if (tree && mesh.flitTag(f) === TAG_MULTICAST) {
          (this.cores[dst] as NeuronCore).deliverId(axon, bit);
          this.delivered++;
          this.checkBarrier(cycle);
        } else this.onEject(dst, axon, bit, cycle);
      },
      onCredit: (e, cycle) => {
        if (e === this.ioEndpoint) this.io.onCredit(cycle);
        else (this.cores[e] as NeuronCore).datapath.onCredit(cycle);
      },
      // A stream starts only in a part's start event, when no core is sending; none streaming: no more input flits this cycle.
      ioDone: () => !this.io.streaming,
      quietBefore: (e, cycle) => {
        const c = this.cores[e];
        return c === null || c === undefined || c.datapath.quietBefore(cycle);
      },
    });
    const faults = networkFaults(model, p.core.sram.wordBits, p.core.sram.ecc ?? 'none');
    // Reset spikes of each layer (stuck spike outputs included), loaded into the axon registers.
    this.resetSpikes = resetSpikeVectors(model, faults);
    const f0 = this.mapping.fanout[0] as FanOut;
    const inAlive = Array.from(f0.cores, (c) => routes === null || routes.dead.alive(ioTile, c));
    this.ioDeadDests = inAlive.filter((a) => !a).length;
    const inCores = Int32Array.from(Array.from(f0.cores).filter((_c, d) => inAlive[d]));
    const inBase = Int32Array.from(Array.from(f0.axonBase).filter((_c, d) => inAlive[d]));
    const inRange = this.mapping.split ? { lo: Int32Array.from(Array.from(f0.lo).filter((_c, d) => inAlive[d])), hi: Int32Array.from(Array.from(f0.hi).filter((_c, d) => inAlive[d])) } : null;
    const ioMc = sink === null ? null : this.inputMulticast(inCores, inRange, layers[0] as number, sink);
    this.io = new IoPort(k, this.mesh, inCores, inBase, layers[0] as number, model.network.classes, readoutSumBits(model), p.io.flitsPerCycle, p.encoding === 'every-step', PHASE_START, inRange, ioMc);
    this.inputBits = new Uint32Array(wordsFor(layers[0] as number));
    // The replay's exactness argument covers the single-lane router (./load-replay.ts).
    // Split layers: input flits go to the cores whose range holds each bit, so a load's timing
    // depends on which bits are set, not only on how many; and a quiet step still has a
    // partial-sum phase. Neither shortcut applies.
    // A region sees only its part of the chip: both shortcuts need the whole (same results without them).
    this.loadReplay = (options.replayLoads ?? true) && !this.mesh.isVcRouter && !this.mapping.split && region === null ? new LoadReplay(this.mesh) : null;
    // Transient read flips: every step reads afresh and may differ from the last, so no step is quiet.
    this.skipIdleSteps = (options.skipIdleSteps ?? true) && !this.mapping.split && region === null && this.reads === null;
    this.ownsIo = region === null || region.ownsIo;
    // The single-lane router's cycle stamps follow a rebase (the VC router's are not shifted); a region of a parallel run keeps the shared time.
    this.rebaseTime = (options.rebaseTime ?? true) && !this.mesh.isVcRouter && region === null;
    const maxSteps = model.dynamics.freeSteps + 2 * model.dynamics.nudgedSteps;
    this.stepStarts = new Float64Array(maxSteps);
    this.stepEnds = new Float64Array(maxSteps);
  }

  /** Cores here still in their pass (the barrier waits for 0). */
  get coresCommitting(): number {
    return this.committing;
  }

  /** Packets injected here and not delivered here: summed over the regions of a parallel run, the flits in flight. */
  get packetsOwed(): number {
    return this.mesh.packetsInjected + this.extraDeliveries - this.delivered;
  }

  /** Flits waiting in the output queues of the cores here. */
  get flitsQueued(): number {
    let n = 0;
    for (let k = 0; k < this.active.length; k++) n += (this.active[k] as NeuronCore).datapath.queued;
    return n;
  }

  /** Absolute cycle of the kernel's cycle 0 (0 until the first Kernel.rebase). */
  get timeBase(): number {
    return this.origin;
  }

  /**
   * The I/O port's multicast sets: per input bit its reachable destination cores (those
   * whose range holds it); two or more make one multicast packet from the port's router.
   */
  private inputMulticast(cores: Int32Array, range: { lo: Int32Array; hi: Int32Array } | null, n: number, sink: MulticastSink): IoMulticast {
    const setOfBit = new Int32Array(n).fill(-1);
    const index = new Map<string, number>();
    const sets: Uint32Array[] = [];
    const saved: number[] = [];
    const count: number[] = [];
    const src = this.mesh.ioRouter;
    for (let j = 0; j < n; j++) {
      const dests: number[] = [];
      for (let d = 0; d < cores.length; d++) if (range === null || (j >= (range.lo[d] as number) && j < (range.hi[d] as number))) dests.push(cores[d] as number);
      if (dests.length < 2) continue;
      const key = dests.join(',');
      let s = index.get(key);
      if (s === undefined) {
        s = sets.length;
        index.set(key, s);
        const v = new Uint32Array(Math.ceil(sink.tiles / 32));
        for (const d of dests) v[d >>> 5] = ((v[d >>> 5] as number) | (1 << (d & 31))) >>> 0;
        sets.push(v);
        saved.push(xyTreeSavedLinks(src, dests, sink.width));
        count.push(dests.length);
      }
      setOfBit[j] = s;
    }
    const io = this.mesh.ioEndpoint;
    return { setOfBit, send: (s, j, bit) => sink.send(io, sets[s] as Uint32Array, saved[s] as number, count[s] as number, j, bit) };
  }

  /** Neurons per layer, input first. */
  get layers(): number[] {
    return this.mapping.layers;
  }

  // ---------------------------------------------------------------- barrier

  /** A core finished its pass or its learning phase (core = -1: the reset). */
  private passDone(core: number, cycle: number): void {
    if (core >= 0) (this.cores[core] as NeuronCore).traceBusy(cycle, 0);
    this.committing--;
    this.kernel.watchdog.progress();
    this.checkBarrier(cycle);
  }

  /** A core's pass ends at `cycle`, told ahead (passAhead): counted now; the barrier cannot fall before that cycle, and the watchdog sees the progress then. */
  private passDoneAt(cycle: number): void {
    this.passesAhead++;
    this.committing--;
    this.kernel.watchdog.progressLater(cycle, PHASE_CORE_PASS_DONE);
    if (cycle > this.deliveredBy) this.deliveredBy = cycle;
    this.checkBarrier(this.kernel.now);
  }

  private onEject(dst: number, axon: number, bit: number, cycle: number): void {
    if (dst === this.ioEndpoint) {
      this.io.receive(axon, bit);
    } else if (axon < 0) {
      (this.cores[dst] as NeuronCore).deliverWord(axon, bit);
    } else {
      (this.cores[dst] as NeuronCore).deliver(axon, bit);
    }
    this.delivered++;
    const now = this.kernel.now;
    if (cycle > now) {
      // Taken ahead of its cycle (lean mesh): what it wrote is read only after the barrier, which waits for `cycle`.
      if (cycle > this.deliveredBy) this.deliveredBy = cycle;
      this.checkBarrier(now);
    } else this.checkBarrier(cycle);
  }

  private checkBarrier(cycle: number): void {
    // A region of a parallel run cannot see the whole chip: its runToBarrier decides at each synchronisation.
    if (!this.waiting || this.region !== null || this.committing > 0 || this.io.streaming) return;
    if (this.mesh.packetsInjected + this.extraDeliveries !== this.delivered) return;
    for (const c of this.active) if (c.datapath.queued > 0) return;
    if (this.deliveredBy > cycle) {
      // Everything is done but a delivery still completing or a pass still running: the barrier falls at that cycle (in PHASE_DELIVER, as
      // the delivery's own event would; a pass end's event would come later in the same cycle, after which nothing else runs there either).
      if (!this.barrierCheckPending) {
        this.barrierCheckPending = true;
        this.kernel.at(this.deliveredBy, PHASE_DELIVER, this.hBarrier, 0, 0);
      }
      return;
    }
    this.waiting = false;
    this.barrierAt = cycle;
    this.kernel.stop();
  }

  /** Run the kernel until the barrier releases; returns e, the cycle the work ended. */
  private runToBarrier(): number {
    if (this.region !== null) {
      this.barrierAt = this.region.runToBarrier(this);
      return this.barrierAt;
    }
    this.waiting = true;
    this.checkBarrier(this.kernel.now);
    if (this.waiting) {
      const outcome = this.kernel.run();
      if (this.waiting) {
        throw new Error(`chip stopped at cycle ${this.kernel.now} before the step barrier (${outcome}): ${this.committing} cores committing, ${this.mesh.packetsInjected - this.delivered} flits in flight`);
      }
    }
    return this.barrierAt;
  }

  // ---------------------------------------------------------------- sample sequence

  /** Event: a part of the sample sequence starts at `cycle` (kind = START_*). */
  private onStart(kind: number, cycle: number): void {
    if (kind === START_PARTIAL) {
      for (let k = 0; k < this.sliceCores.length; k++) {
        const c = this.sliceCores[k] as NeuronCore;
        c.startPartial(cycle);
        c.traceBusy(cycle, 1);
      }
    } else if (kind === START_POST) {
      for (let k = 0; k < this.active.length; k++) {
        const c = this.active[k] as NeuronCore;
        if (c.startPostSpikes(cycle, this.model.learning.symmetric)) c.traceBusy(cycle, 1);
        else this.passDone(-1, cycle);
      }
    } else if (kind === START_STEP) {
      for (let k = 0; k < this.neuronCores.length; k++) {
        const c = this.neuronCores[k] as NeuronCore;
        c.startStep(cycle, this.stepLabel, this.stepSign);
        c.traceBusy(cycle, 1);
      }
      // Several frames: the next step's frame streams in while this step computes (its flits land in
      // the registers the next step latches; the barrier waits for them).
      if (this.frames > 1 && this.stepInPhase + 1 < this.phaseSteps && this.ownsIo) this.io.update(cycle, this.frame(this.phaseNudged, this.stepInPhase + 1));
    } else if (kind === START_INPUT) {
      if (this.ownsIo) this.io.update(cycle, this.frame(true, 0));
      this.passDone(-1, cycle);
    } else if (kind === START_READOUT) {
      for (let k = 0; k < this.outputCores.length; k++) {
        const c = this.outputCores[k] as NeuronCore;
        c.startReadout(cycle, this.ioEndpoint, this.model.network.replicas, this.io.sumBits);
        c.traceBusy(cycle, 1);
      }
    } else if (kind === START_LEARNING) {
      for (let k = 0; k < this.active.length; k++) {
        const c = this.active[k] as NeuronCore;
        const cycles = c.learn(this.model.learning.symmetric, this.stepSign, this.plasticityKey, this.epoch);
        c.traceBusy(cycle, 1);
        this.kernel.at(cycle + cycles, PHASE_START, this.hLearnDone, c.id, 0);
      }
    } else {
      for (let k = 0; k < this.active.length; k++) {
        const c = this.active[k] as NeuronCore;
        c.reset(this.resetSpikes);
        c.traceSpikes(cycle);
      }
      if (this.ownsIo) {
        this.io.load(cycle + this.desc.params.resetDelay, this.inputBits);
        this.ioUndeliverable += this.io.bitsLoaded * this.ioDeadDests;
      }
      this.passDone(-1, cycle);
    }
  }

  /** Schedule part `kind` at cycle t with `parts` participants, and run to its barrier. */
  private part(kind: number, t: number, parts: number): number {
    this.committing = parts;
    this.kernel.at(t, PHASE_START, this.hStart, kind, 0);
    return this.runToBarrier();
  }

  private step(t: number, label: number, betaSign: number): number {
    this.stepLabel = label;
    this.stepSign = betaSign;
    this.steps++;
    if (this.reads !== null) this.reads.step = this.stepCount;
    const tn = this.sliceCores.length > 0 ? this.part(START_PARTIAL, t, this.sliceCores.length) + this.desc.params.barrierDelay : t;
    const e = this.part(START_STEP, tn, this.neuronCores.length);
    this.stepStarts[this.stepCount] = t + this.origin;
    this.stepEnds[this.stepCount] = e + this.origin;
    this.stepCount++;
    return e;
  }

  /**
   * Reset and input load from t0; returns the load's barrier. With nothing pending
   * and nothing observing the mesh, a load whose flit count and routing state were
   * seen before is replayed (./load-replay.ts), else simulated and recorded.
   */
  private resetAndLoad(t0: number): number {
    const r = this.loadReplay;
    if (r === null || this.traced || !this.mesh.unobserved || this.kernel.pending !== 0 || this.mesh.flitsInNetwork !== 0 || this.mesh.creditsInFlight) {
      return this.part(START_RESET, t0, 1);
    }
    const flits = this.io.loadFlits(this.inputBits);
    const hit = r.find(flits);
    if (hit !== null) {
      for (let k = 0; k < this.active.length; k++) (this.active[k] as NeuronCore).reset(this.resetSpikes);
      this.io.loadReplayed(this.inputBits, this.deliverReplayed);
      this.ioUndeliverable += this.io.bitsLoaded * this.ioDeadDests;
      this.delivered += flits;
      const d = r.apply(hit, flits);
      this.kernel.watchdog.progressAt(t0 + r.progressOf(hit));
      return t0 + d;
    }
    r.begin(t0);
    const e = this.part(START_RESET, t0, 1);
    if (this.kernel.pending === 0 && !this.mesh.creditsInFlight) r.end(flits, e, this.kernel.watchdog.lastProgress);
    return e;
  }

  /** True when the last step sent nothing, moved no state and left nothing pending, and nothing is traced: the next step of the phase repeats it exactly. */
  private quiet(): boolean {
    if (this.traced || this.kernel.pending !== 0 || this.mesh.flitsInNetwork !== 0 || this.mesh.creditsInFlight) return false;
    for (let k = 0; k < this.active.length; k++) if (!(this.active[k] as NeuronCore).quiet) return false;
    return true;
  }

  /**
   * A step of a quiet chip (see quiet) without events: every core's blocks step and
   * count as in hardware, no packet is sent, and the barrier falls where the slowest
   * core's pass would end: e = t + max_c (stepCycles_c + pipelineDepth).
   */
  private idleStep(t: number, label: number, betaSign: number): number {
    this.idleSteps++;
    this.stepLabel = label;
    this.stepSign = betaSign;
    this.steps++;
    let len = 0;
    for (let k = 0; k < this.active.length; k++) len = Math.max(len, (this.active[k] as NeuronCore).idleStep(label, betaSign));
    const e = t + len;
    this.kernel.watchdog.progressAt(e);
    this.stepStarts[this.stepCount] = t + this.origin;
    this.stepEnds[this.stepCount] = e + this.origin;
    this.stepCount++;
    return e;
  }

  /** Frame of the input clamped by step t of a free or nudged phase (src/learning/input-frames.ts), in `inputBits`. */
  private frame(nudged: boolean, t: number): Uint32Array {
    const n = this.inputBits.length;
    const at = inputFrame(nudged, t, this.model.dynamics.freeSteps, this.frames) * n;
    for (let k = 0; k < n; k++) this.inputBits[k] = this.inputRow[at + k] as number;
    return this.inputBits;
  }

  /**
   * Run `n` steps of a free or nudged phase from the barrier at e; returns the barrier after
   * the last. With several input frames a nudged phase starts with an input part that
   * streams its first frame.
   */
  private phase(e: number, n: number, label: number, betaSign: number, nudged: boolean): number {
    const bd = this.desc.params.barrierDelay;
    this.phaseSteps = n;
    this.phaseNudged = nudged;
    if (nudged && this.frames > 1) e = this.part(START_INPUT, e + bd, 1);
    // With several input frames every step streams the next frame: no step is quiet.
    const skip = this.skipIdleSteps && this.frames === 1;
    let quiet = false;
    for (let s = 0; s < n; s++) {
      this.stepInPhase = s;
      if (quiet) {
        e = this.idleStep(e + bd, label, betaSign);
        continue;
      }
      e = this.step(e + bd, label, betaSign);
      quiet = skip && this.quiet();
    }
    return e;
  }

  /**
   * Present one sample: reset, input, free phase, readout; when learning, the nudged
   * phase(s) and the learning phase. Returns the prediction read at the I/O port.
   */
  runSample(input: Uint32Array, label: number, learn: boolean, betaSign: number, plasticityKey = 0, readKey = 0, epoch = 0): number {
    if (learn && this.inferenceOnly) throw new Error('this chip was built for inference only (no learning registers): it cannot run a learning sample');
    this.plasticityKey = plasticityKey;
    this.epoch = epoch;
    if (this.reads !== null) this.reads.sampleKey = readKey;
    const p = this.desc.params;
    const d = this.model.dynamics;
    // Kernel cycles are relative to timeBase; move it up while nothing is pending or watched.
    if (this.rebaseTime && !this.traced && this.mesh.unobserved && this.kernel.pending === 0 && this.mesh.flitsInNetwork === 0) this.origin += this.kernel.rebase();
    const t0 = this.time - this.origin;
    this.samples++;
    this.stepCount = 0;
    this.frames = frameCount(input.length, this.inputBits.length);
    this.inputRow = input;
    this.frame(false, 0);
    // Reset, then the input load; the load ends at a barrier like a step.
    let e = Math.max(this.resetAndLoad(t0), t0 + p.resetDelay);
    e = this.phase(e, d.freeSteps, -1, 1, false);
    // Readout of the output states to the I/O port.
    this.io.clearSums();
    e = this.part(START_READOUT, e + p.barrierDelay, this.outputCores.length);
    const prediction = this.io.prediction();
    const freeEnd = e;
    let nudgedEnd = e;
    let end = e;
    if (learn) {
      for (const c of this.active) c.storeFree();
      this.io.storeFree();
      if (this.model.learning.symmetric) {
        e = this.phase(e, d.nudgedSteps, label, betaSign, true);
        for (const c of this.active) c.storeNudged();
        for (const c of this.active) {
          c.restoreFree();
          c.traceSpikes(e);
        }
        this.io.restoreFree();
        e = this.phase(e, d.nudgedSteps, label, -betaSign, true);
      } else {
        e = this.phase(e, d.nudgedSteps, label, betaSign, true);
      }
      nudgedEnd = e;
      this.stepSign = betaSign;
      this.learningPhases++;
      if (this.sliceCores.length > 0) e = this.part(START_POST, e + p.barrierDelay, this.active.length);
      end = this.part(START_LEARNING, e + p.barrierDelay, this.active.length);
    }
    this.time = end + p.barrierDelay + this.origin;
    this.last.free = freeEnd - t0;
    this.last.nudged = nudgedEnd - freeEnd;
    this.last.learning = end - nudgedEnd;
    this.last.total = end + p.barrierDelay - t0;
    return prediction;
  }

  // ---------------------------------------------------------------- traces

  /** Send the VCD signals (core.busy, neuron.spikes, router and link groups) and the packet CSV to `t`; call before the first sample. */
  attachTraces(t: Traces): void {
    this.traced = t.vcd !== null || t.packets !== null;
    if (this.traced) for (const c of this.active) c.datapath.passAhead = false;
    if (t.vcd !== null) {
      this.mesh.attachVcd(t.vcd);
      const offsets = [0];
      for (let l = 1; l < this.mapping.layers.length; l++) offsets.push((offsets[l - 1] as number) + (l > 1 ? (this.mapping.layers[l - 1] as number) : 0));
      for (const c of this.active) c.attachVcd(t.vcd, offsets);
    }
    if (t.packets !== null) this.mesh.attachPacketCsv(t.packets);
  }

  // ---------------------------------------------------------------- state and counters

  /**
   * The canonical network state gathered from the cores; throws if duplicated weight
   * copies disagree. A region of a parallel run fills only its cores' rows (zeros
   * elsewhere) and cannot check copies held by other regions' cores (checkCopies false).
   */
  snapshot(input: Uint32Array, checkCopies = true): NetworkSnapshot {
    if (this.inferenceOnly) throw new Error('this chip was built for inference only: it holds no learning registers to take a snapshot of');
    const s = emptySnapshot(this.model);
    (s.spikes[0] as Uint32Array).set(input.subarray(0, (s.spikes[0] as Uint32Array).length));
    for (const c of this.active) for (const b of c.blocks) b.save(s);
    for (const c of this.active) for (const q of c.slices) q.save(s);
    if (!checkCopies) return s;
    // Slices: their backward columns must equal the forward copy in layer l+1's rows.
    for (const c of this.active) {
      for (const q of c.slices) {
        if (q.nB === 0) continue;
        const W = s.weights[q.layer] as Uint32Array;
        const H = s.synapseState[q.layer] as Int32Array;
        const nCur = s.layers[q.layer] as number;
        const cw = wordsFor(nCur);
        for (let i = 0; i < q.rows; i++) {
          const g = q.rowStart + i;
          for (let k = 0; k < q.nB; k++) {
            const kk = q.b0 + k;
            const fwd = ((W[kk * cw + (g >>> 5)] as number) >>> (g & 31)) & 1;
            if (q.backwardBit(i, k) !== fwd || q.backwardSynapse(i, k) !== (H[kk * nCur + g] as number)) {
              throw new Error(`core ${c.id}: backward copy of W${q.layer + 1}[${kk}][${g}] in a slice disagrees with the forward copy`);
            }
          }
        }
      }
    }
    // The backward copy of W_{l+1} in layer l's rows must equal the forward copy in layer l+1's rows.
    for (const c of this.active) {
      for (const b of c.blocks) {
        if (b.isOutput || b.remote) continue;
        const W = s.weights[b.layer] as Uint32Array;
        const H = s.synapseState[b.layer] as Int32Array;
        const nCur = s.layers[b.layer] as number;
        const cw = wordsFor(nCur);
        for (let i = 0; i < b.rows; i++) {
          const g = b.rowStart + i;
          for (let k = 0; k < b.nNext; k++) {
            const fwd = ((W[k * cw + (g >>> 5)] as number) >>> (g & 31)) & 1;
            if (b.backwardBit(i, k) !== fwd || b.backwardSynapse(i, k) !== (H[k * nCur + g] as number)) {
              throw new Error(`core ${c.id}: backward copy of W${b.layer + 1}[${k}][${g}] disagrees with the forward copy`);
            }
          }
        }
      }
    }
    return s;
  }

  /** Load the network state into the cores. */
  restore(s: NetworkSnapshot): void {
    for (const c of this.active) c.load(s);
  }

  /**
   * Load the initial network of `seed` (the state restore(initialSnapshot(model, seed))
   * loads) a layer at a time: the rows of layer l need layers l and l + 1 (the backward
   * copy), so at most two layers' weights and 32-bit registers exist at once instead of
   * the whole network's (256 MiB of registers for the filled 64x64 TrueNorth-like chip).
   * Layers none of this chip's cores hold are still drawn (the draws run in order) but
   * their registers are not computed, nor any when the chip runs inference only.
   */
  loadInitial(seed: number | string): void {
    const s = emptySnapshot(this.model, false);
    const L = s.layers.length - 1;
    const rows: { load(s: NetworkSnapshot): void }[][] = Array.from({ length: L + 2 }, () => []);
    for (const c of this.active) {
      for (const b of c.blocks) (rows[b.layer] as { load(s: NetworkSnapshot): void }[]).push(b);
      for (const q of c.slices) (rows[q.layer] as { load(s: NetworkSnapshot): void }[]).push(q);
    }
    const g = new InitialLayers(this.model, seed);
    const none = { w: new Uint32Array(0), h: new Int32Array(0) };
    const draw = (l: number): void => {
      const n = s.layers[l] as number;
      const m = s.layers[l - 1] as number;
      const W = new Uint32Array(n * wordsFor(m));
      // Layer l's registers are read by its own rows (forward) and layer l - 1's (backward copy).
      const H = !this.inferenceOnly && (rows[l] as unknown[]).length + (rows[l - 1] as unknown[]).length > 0 ? new Int32Array(n * m) : null;
      g.draw(l, W, H);
      s.weights[l - 1] = W;
      s.synapseState[l - 1] = H ?? none.h;
    };
    draw(1);
    for (let l = 1; l <= L; l++) {
      if (l < L) draw(l + 1);
      for (const r of rows[l] as { load(s: NetworkSnapshot): void }[]) r.load(s);
      s.weights[l - 1] = none.w;
      s.synapseState[l - 1] = none.h;
    }
    for (const c of this.active) c.loadSpikes(s);
  }

  /** Every counter: chip, io, router.<id>, core.<id> (all tiles). */
  counters(): CounterSnapshot {
    const snap: CounterSnapshot = { components: {} };
    const cycles = this.time;
    let undeliverable = this.ioUndeliverable;
    for (const c of this.active) undeliverable += c.undeliverable;
    snap.components['chip'] = {
      kind: 'chip',
      counts: { cycles, samples: this.samples, steps: this.steps, learningPhases: this.learningPhases, packetsUndeliverable: undeliverable },
    };
    this.mesh.counters(snap);
    const names = COUNTER_CATALOG.core.map((d) => d.name);
    for (let id = 0; id < this.cores.length; id++) {
      const counts: Record<string, number> = {};
      for (const n of names) counts[n] = 0;
      const c = this.cores[id] as NeuronCore | null;
      if (c !== null) {
        const bc = new BlockCounts();
        c.addCounts(bc);
        Object.assign(counts, bc.toRecord());
        counts['packetsInjected'] = c.datapath.packetsQueued - c.partialSumFlits - c.postSpikeFlits;
        counts['partialSumPackets'] = c.partialSumPackets;
        counts['partialSumFlits'] = c.partialSumFlits;
        counts['partialSumAdds'] = c.partialSumAdds;
        counts['postSpikePackets'] = c.postSpikePackets;
        counts['postSpikeFlits'] = c.postSpikeFlits;
        counts['postSpikeWrites'] = c.postSpikeWrites;
        counts['axonWrites'] = c.axonWrites;
        counts['multicastPackets'] = c.multicastPackets;
        counts['queueStalls'] = c.datapath.queueStalls;
        counts['activeCycles'] = c.activeCycles;
      }
      counts['idleCycles'] = cycles - (counts['activeCycles'] as number) - (counts['queueStalls'] as number);
      snap.components[`core.${id}`] = { kind: 'core', counts };
    }
    return snap;
  }
}

