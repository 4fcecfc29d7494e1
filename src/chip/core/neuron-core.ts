/**
 * One neuron core: the NeuronBlocks of the layer pieces it holds (weight SRAM rows with
 * forward and backward segments, counter SRAM, accumulators, state registers; the
 * integers are those of src/learning), double-buffered axon registers and the commit
 * stage / output queue of ./datapath.ts.
 *
 * Axon registers: one segment per source layer the core receives. Packets arriving
 * during step k write `next`; at the start of step k+1 `cur <- next`, and every row of
 * step k+1 reads `cur`, i.e. exactly the spikes of step k (why the chip equals the
 * functional model bit for bit, whatever the traffic).
 *
 * Step timing (docs/timing-model.md): the blocks compute all rows at the step start
 * (the values depend only on `cur`); row i then commits at
 *   C_i = t_step + sum_{m<=i} R_m + pipelineDepth + stalls,  R_m = ceil(W_m / banks),
 * and a row whose spike changed (or every row, encoding every-step) queues one packet
 * per destination core, ascending core id. On a chip with `noc.multicast: "tree"` a row
 * whose spike goes to two or more cores queues one multicast packet instead (its
 * destination set: the alive fan-out cores whose range holds the neuron); every
 * receiver writes the bit of the source neuron in its register of the source layer.
 *
 * Split layers (docs/timing-model.md, "Partial sums"): the core may also hold synapse
 * slices. In the partial-sum phase of a step each slice row computes its partial dot
 * products (R = ceil(W_slice / banks) cycles per row) and, when the neurons live on
 * another core, queues one partial-sum word packet per part (forward, backward) to
 * that home core, as flits; the home adds each arriving sum into the row's sum
 * register. In the neuron phase a home row applies the dynamics to its sums (1 cycle
 * per row). Before learning, the home sends each remote slice the post-synaptic
 * spikes of both phases (one word packet per row and slice core).
 *
 * With mapping.partialSums "on-change" a remote slice row part queues its packet only
 * when its sum differs from the one it last sent since the sample's reset (a last-sent
 * register per remote row part; 0 at reset); the home writes an arriving sum into its
 * last-received register of that segment row part (0 at reset) and, at the start of
 * the neuron phase, adds every stored sum into the row's sum register: the same sums
 * as every-step, so states and spikes are unchanged.
 */
import { wordsFor } from '../../kernels';
import type { BlockCounts } from '../../learning/block-counts';
import { NeuronBlock, networkFaults } from '../../learning/neuron-block';
import type { WasmKernels } from '../../kernels';
import { SynapseSlice, extractBits } from '../../learning/synapse-slice';
import type { ReadFlips } from '../../faults/read-flips';
import type { ModelParams } from '../../learning/params';
import type { NetworkSnapshot } from '../../learning/engine';
import type { Kernel } from '../../sim/kernel';
import type { VcdWriter } from '../../sim/vcd';
import type { CoreMap, FanOut, Mapping, Slice } from '../../map/mapping';
import type { CoreParams, SpikeEncoding } from '../../hw/params';
import { learnMask } from '../../map/dead-routes';
import type { DeadRoutes } from '../../map/dead-routes';
import { CoreDatapath } from './datapath';
import type { InjectPort, PassListener } from './datapath';
import { xyTreeSavedLinks } from '../router/route';
import { learnRowCycles, rowCycles } from './timing';

/** Handler ids of the core events, registered once by the chip. */
export interface CoreHandlers {
  commit: number;
  drain: number;
  passDone: number;
}

const EMPTY = new Uint32Array(1);

/** What a core must know of dead routes: which destinations its packets cannot reach. */
export interface CoreRoutes {
  dead: DeadRoutes;
  /** Tile of the router the I/O port attaches to. */
  ioTile: number;
}

/** Payload of the flits of a word packet (axon field < 0): body flits carry nothing, the tail delivers. */
const PSUM_BODY = 0;
const PSUM_TAIL = 1;
const POST_BODY = 2;
const POST_TAIL = 3;

/** Where a core's multicast packets go (the chip, on a `noc.multicast: "tree"` chip). */
export interface MulticastSink {
  /** Mesh width and tiles (destination bit-vectors have one bit per tile). */
  width: number;
  tiles: number;
  /** Send from core `src` one packet to the cores of `set` (`count` of them; its tree saves `savedLinks` links) naming source neuron `id`. */
  send(src: number, set: Uint32Array, savedLinks: number, count: number, id: number, payload: number): void;
}

/** Flits of the two kinds of word packets on this chip (src/hw/packet.ts). */
export interface WordFlits {
  partialSum: number;
  postSpikes: number;
}

/** What a core knows about one of its synapse slices. */
interface SliceWiring {
  /** Axon register slots of layer l-1 and l+1 (-1 when the slice has no such part). */
  prevSlot: number;
  nextSlot: number;
  /** The home core and, there, the first local row of the slice's neurons. */
  home: NeuronCore | null;
  homeRow: number;
  segment: number;
  /** The slice's columns of the registers, and of their stored copies (learning). */
  bufF: Uint32Array;
  bufB: Uint32Array;
  bufFA: Uint32Array;
  bufFB: Uint32Array;
  bufBA: Uint32Array;
  bufBB: Uint32Array;
  /** The slice's columns of the free-phase registers (first-order contrast). */
  bufFF: Uint32Array;
  bufBF: Uint32Array;
  /** Post-synaptic spikes of phases A and B, and of the free phase (written by the home's packets, or locally). */
  postA: Uint32Array;
  postB: Uint32Array;
  postF: Uint32Array;
  /** Local row of the slice's first row on this core. */
  row: number;
  /** On-change: the sum each row part (row * 2 + part) last sent to the home (remote slices), else empty. */
  lastSent: Int32Array;
}

/** A neuron core of the mesh. */
/** Network-wide neuron id offsets of a mapping's layers (idOffset[l] = neurons before layer l), one array shared by all its cores. */
const ID_OFFSETS = new WeakMap<Mapping, Int32Array>();
function idOffsetsOf(mapping: Mapping): Int32Array {
  let off = ID_OFFSETS.get(mapping);
  if (off === undefined) {
    const L = mapping.layers.length - 1;
    off = new Int32Array(L + 2);
    for (let l = 0; l <= L; l++) off[l + 1] = (off[l] as number) + (mapping.layers[l] as number);
    ID_OFFSETS.set(mapping, off);
  }
  return off;
}

export class NeuronCore {
  readonly id: number;
  readonly blocks: NeuronBlock[];
  /** Synapse slices of split layers held here (ascending local row). */
  readonly slices: SynapseSlice[];
  readonly datapath: CoreDatapath;
  /** Source layers received, ascending, and their axon registers (packed, per layer). */
  readonly sourceLayers: number[];
  private readonly cur: Uint32Array[];
  private readonly next: Uint32Array[];
  /** Axon registers at the end of the free phase and of the first nudged phase. */
  private readonly atFree: Uint32Array[];
  private readonly atNudged: Uint32Array[];
  /** Axon index -> source slot and bit within that layer. */
  private readonly axonSlot: Int32Array;
  private readonly axonBit: Int32Array;
  /** Per layer 0..L: slot of its axon segment here, or -1. */
  /** Slot (index in sourceLayers) of each source layer, as (layer, slot) pairs; a core has a few. */
  private readonly slotPairs: Int32Array;
  /** Per block: its rows' cumulative datapath cycles (sum_{m<=i} R_m over the core's rows). */
  private readonly blockPrefix: Int32Array[];
  private readonly blockOld: Uint32Array[];
  /** Datapath cycles of one step over every row (sum_m R_m). */
  readonly stepCycles: number;
  private readonly pipelineDepth: number;
  private readonly readoutCycles: number;
  private readonly everyStep: boolean;
  private readonly mapping: Mapping;
  private readonly learnRow: Int32Array;
  private readonly learnStart: number;

  /** Axon register bit writes (packet arrivals). */
  axonWrites = 0;
  /** Partial-sum and post-spike word packets and flits sent, sums added, post-spike pairs written. */
  partialSumPackets = 0;
  partialSumFlits = 0;
  partialSumAdds = 0;
  postSpikePackets = 0;
  postSpikeFlits = 0;
  postSpikeWrites = 0;
  /** Datapath cycles of the partial-sum pass (sum over slice rows of R). */
  readonly partialCycles: number;
  private readonly wiring: SliceWiring[];
  private readonly slicePrefix: Int32Array[];
  private readonly sliceLearnRow: Int32Array;
  /** Per block: summed partial products (remote blocks), else empty. */
  private readonly sumF: Int32Array[];
  private readonly sumB: Int32Array[];
  /** Partial sums in flight to this home, by stage index ((row * 2 + part) * maxSegments + segment). */
  readonly stage: Int32Array;
  /** mapping.partialSums is "on-change": remote slices send changed sums only, the home keeps the last received ones. */
  private readonly onChange: boolean;
  /** On-change: the last received sum of every remote segment row part, by stage index (0 at reset). */
  private readonly received: Int32Array;
  /** On-change: the stage indices this home receives, with their block, row in it and part (0 forward, 1 backward). */
  private recvIdx: Int32Array = new Int32Array(0);
  private recvBlock: Int32Array = new Int32Array(0);
  private recvRow: Int32Array = new Int32Array(0);
  private recvPart: Int32Array = new Int32Array(0);
  /** Partial-sum packets whose tail reached this home (tests: every packet sent arrives). */
  partialSumsReceived = 0;
  private readonly maxSegments: number;
  /** Local row -> block index and row in it (home rows), and -> slice index (slice rows). */
  private readonly sliceOfRow: Int32Array;
  /** Per remote block: the slices of its rows on other cores (post-spike destinations). */
  private remoteSlices: Array<Array<{ core: number; row: number }>> = [];
  private readonly flits: WordFlits;
  private readonly mapRef: CoreMap;
  // VCD: busy signal, and per local row its spike signal (-1 = not traced).
  private vcd: VcdWriter | null = null;
  private busySig = -1;
  private rowSig: Int32Array = new Int32Array(0);
  private readonly rowBlock: Int32Array;
  private readonly rowLocal: Int32Array;
  /** First local row of each block. */
  private readonly blockRow0: Int32Array;
  /** Cycles the datapath computed (steps, readout) or learned. */
  activeCycles = 0;
  /** Packets left unsent because a dead router or link cuts their route. */
  undeliverable = 0;
  /** Multicast packets sent (each replaces one unicast packet per destination). */
  multicastPackets = 0;
  /** Per block, per row: its multicast destination set (-1 = unicast packets); null on a unicast chip. */
  private readonly mcRow: Int32Array[] | null;
  /** Multicast destination sets: bit-vector views, destination counts, links their trees save. */
  private readonly mcSets: Uint32Array[] = [];
  private readonly mcCount: number[] = [];
  private readonly mcSaved: number[] = [];
  /** Network-wide neuron ids: layer l's neuron g is idOffset[l] + g (idOffset[L + 1] = all neurons). */
  private readonly idOffset: Int32Array;
  /** Per block: 1 where fan-out destination d is reachable. */
  private readonly aliveTo: Uint8Array[];
  /** The I/O port is reachable (readout packets). */
  private readonly readoutAlive: boolean;

  constructor(
    map: CoreMap,
    mapping: Mapping,
    model: ModelParams,
    core: CoreParams,
    encoding: SpikeEncoding,
    kernel: Kernel,
    port: InjectPort,
    listener: PassListener,
    h: CoreHandlers,
    /** WebAssembly kernels holding the blocks' weights (null: TypeScript kernels; same bits). */
    kernels: WasmKernels | null = null,
    /** Dead routers and links of the mesh (null: none) and the I/O port's tile. */
    routes: CoreRoutes | null = null,
    /** Flits of the word packets (split layers). */
    flits: WordFlits = { partialSum: 1, postSpikes: 1 },
    /** Where multicast packets go (null: a unicast chip, one packet per destination core). */
    multicast: MulticastSink | null = null,
    /** Transient read flips, shared by every core of the chip (null: none). */
    reads: ReadFlips | null = null,
    /** False: built for inference only, the blocks and slices hold no learning registers. */
    registers = true,
  ) {
    this.id = map.id;
    this.mapRef = map;
    this.flits = flits;
    this.mapping = mapping;
    this.pipelineDepth = core.pipelineDepth;
    this.readoutCycles = core.readoutCycles;
    this.everyStep = encoding === 'every-step';
    const faults = networkFaults(model, core.sram.wordBits, core.sram.ecc ?? 'none');
    this.blocks = map.pieces.map((p) => new NeuronBlock(model, { layer: p.layer, rowStart: p.first, rows: p.count }, core.sram.wordBits, kernels, faults, { remote: p.slices.length > 0, reads, registers }));
    this.slices = map.slices.map((q) => new SynapseSlice(model, { layer: q.layer, rowStart: q.first, rows: q.count, colStart: q.colStart, colEnd: q.colEnd, segment: q.segment }, core.sram.wordBits, reads, faults, registers));
    this.sourceLayers = map.sourceLayers.slice();
    this.slotPairs = new Int32Array(2 * this.sourceLayers.length);
    this.cur = [];
    this.next = [];
    this.atFree = [];
    this.atNudged = [];
    this.axonSlot = new Int32Array(map.axonsUsed);
    this.axonBit = new Int32Array(map.axonsUsed);
    this.sourceLayers.forEach((s, slot) => {
      const n = mapping.layers[s] as number;
      this.slotPairs[2 * slot] = s;
      this.slotPairs[2 * slot + 1] = slot;
      for (const regs of [this.cur, this.next, this.atFree, this.atNudged]) regs.push(new Uint32Array(wordsFor(n)));
      const base = map.axonBase[slot] as number;
      const lo = map.axonLo[slot] as number;
      const hi = map.axonHi[slot] as number;
      for (let a = 0; a < hi - lo; a++) {
        this.axonSlot[base + a] = slot;
        this.axonBit[base + a] = lo + a;
      }
    });
    // Datapath cycles per row and learning cycles per row (all rows of a block share W).
    let acc = 0;
    let maxPackets = 0;
    this.blockPrefix = [];
    this.blockOld = [];
    this.learnRow = new Int32Array(this.blocks.length);
    const synBits = this.blocks.length > 0 ? (this.blocks[0] as NeuronBlock).synapseBits : 0;
    this.blocks.forEach((b, k) => {
      // A home row of a split layer only applies the dynamics to its summed partial products.
      const R = b.remote ? 1 : rowCycles(b.rowSramWords, core.sram.banks);
      const prefix = new Int32Array(b.rows);
      for (let i = 0; i < b.rows; i++) prefix[i] = acc += R;
      this.blockPrefix.push(prefix);
      this.blockOld.push(new Uint32Array(wordsFor(b.rows)));
      this.learnRow[k] = learnRowCycles(b.rowSramWords, synBits, core.sram.banks, core.learning.rowPasses);
      const fan = (mapping.fanout[b.layer] as { cores: Int32Array }).cores.length;
      // Readout: at most one partial class sum of < 31 bits per output row.
      const perRow = b.isOutput ? Math.max(fan, 31) : fan;
      maxPackets += perRow * b.rows;
    });
    this.stepCycles = acc;
    // Slices: partial-sum pass cycles and learning cycles per row.
    let pacc = 0;
    let psumPackets = 0;
    this.slicePrefix = [];
    this.sliceLearnRow = new Int32Array(this.slices.length);
    this.slices.forEach((q, k) => {
      const R = rowCycles(q.rowSramWords, core.sram.banks);
      const prefix = new Int32Array(q.rows);
      for (let i = 0; i < q.rows; i++) prefix[i] = pacc += R;
      this.slicePrefix.push(prefix);
      this.sliceLearnRow[k] = learnRowCycles(q.rowSramWords, q.synapseBits, core.sram.banks, core.learning.rowPasses);
      psumPackets += q.rows * q.parts * flits.partialSum;
    });
    this.partialCycles = pacc;
    maxPackets = Math.max(maxPackets, psumPackets);
    this.maxSegments = Math.max(1, ...mapping.cuts.map((c) => c.length - 1));
    let homeRows = 0;
    this.sumF = [];
    this.sumB = [];
    let postPackets = 0;
    for (const b of this.blocks) {
      homeRows += b.rows;
      this.sumF.push(new Int32Array(b.remote ? b.rows : 0));
      this.sumB.push(new Int32Array(b.remote ? b.rows : 0));
      if (b.remote) postPackets += b.rows * this.maxSegments * flits.postSpikes;
    }
    maxPackets = Math.max(maxPackets, postPackets);
    this.stage = new Int32Array(homeRows * 2 * this.maxSegments);
    this.onChange = mapping.partialSums === 'on-change';
    this.received = new Int32Array(this.onChange ? this.stage.length : 0);
    this.sliceOfRow = new Int32Array(Math.max(1, map.rowsUsed)).fill(-1);
    this.wiring = map.slices.map((q: Slice, k: number) => {
      const sl = this.slices[k] as SynapseSlice;
      for (let i = 0; i < q.count; i++) this.sliceOfRow[q.row + i] = k;
      const rw = wordsFor(q.count);
      return {
        prevSlot: sl.nF > 0 ? this.slotOf(q.layer - 1) : -1,
        nextSlot: sl.nB > 0 ? this.slotOf(q.layer + 1) : -1,
        home: null,
        homeRow: -1,
        segment: q.segment,
        bufF: new Uint32Array(Math.max(1, wordsFor(sl.nF))),
        bufB: new Uint32Array(Math.max(1, wordsFor(sl.nB))),
        bufFA: new Uint32Array(Math.max(1, wordsFor(sl.nF))),
        bufFB: new Uint32Array(Math.max(1, wordsFor(sl.nF))),
        bufBA: new Uint32Array(Math.max(1, wordsFor(sl.nB))),
        bufBB: new Uint32Array(Math.max(1, wordsFor(sl.nB))),
        bufFF: new Uint32Array(Math.max(1, wordsFor(sl.nF))),
        bufBF: new Uint32Array(Math.max(1, wordsFor(sl.nB))),
        postA: new Uint32Array(rw),
        postB: new Uint32Array(rw),
        postF: new Uint32Array(rw),
        row: q.row,
        lastSent: new Int32Array(this.onChange && q.home !== this.id ? 2 * q.count : 0),
      };
    });
    this.blockRow0 = new Int32Array(this.blocks.length);
    for (let k = 1; k < this.blocks.length; k++) this.blockRow0[k] = (this.blockRow0[k - 1] as number) + (this.blocks[k - 1] as NeuronBlock).rows;
    const blockRows = this.blocks.reduce((n, b) => n + b.rows, 0);
    this.rowBlock = new Int32Array(blockRows);
    this.rowLocal = new Int32Array(blockRows);
    let row = 0;
    this.blocks.forEach((b, k) => {
      for (let i = 0; i < b.rows; i++, row++) {
        this.rowBlock[row] = k;
        this.rowLocal[row] = i;
      }
    });
    this.learnStart = core.learning.startDelay;
    // Destinations behind a dead router or link are left out of the fan-out (and counted).
    this.aliveTo = this.blocks.map((b) => {
      const cores = (mapping.fanout[b.layer] as { cores: Int32Array }).cores;
      const ok = new Uint8Array(cores.length).fill(1);
      if (routes !== null) for (let d = 0; d < cores.length; d++) ok[d] = routes.dead.alive(this.id, cores[d] as number) ? 1 : 0;
      return ok;
    });
    this.readoutAlive = routes === null || routes.dead.alive(this.id, routes.ioTile);
    if (routes !== null) {
      for (const b of this.blocks) {
        b.restrictLearning(learnMask(mapping, routes.dead, routes.ioTile, this.id, b.layer - 1), b.isOutput ? null : learnMask(mapping, routes.dead, routes.ioTile, this.id, b.layer + 1));
      }
    }
    this.datapath = new CoreDatapath(this.id, kernel, port, listener, h.commit, h.drain, h.passDone, Math.max(1, map.rowsUsed, blockRows), Math.max(1, maxPackets), core.outQueueDepth);
    this.idOffset = idOffsetsOf(mapping);
    this.mcRow = multicast === null ? null : this.multicastSets(multicast);
    if (multicast !== null) {
      const sets = this.mcSets;
      const count = this.mcCount;
      const saved = this.mcSaved;
      this.datapath.multicast = (k, id, payload) => multicast.send(this.id, sets[k] as Uint32Array, saved[k] as number, count[k] as number, id, payload);
    }
  }

  /** Per block and row the multicast destination set of the row's neuron (two or more alive cores whose range holds it), deduplicated. */
  private multicastSets(mc: MulticastSink): Int32Array[] {
    const words = Math.ceil(mc.tiles / 32);
    const index = new Map<string, number>();
    return this.blocks.map((b, k) => {
      const f = this.mapping.fanout[b.layer] as FanOut;
      const alive = this.aliveTo[k] as Uint8Array;
      const rows = new Int32Array(b.rows).fill(-1);
      for (let i = 0; i < b.rows; i++) {
        const g = b.rowStart + i;
        const dests: number[] = [];
        for (let d = 0; d < f.cores.length; d++) {
          if (this.mapping.split && (g < (f.lo[d] as number) || g >= (f.hi[d] as number))) continue;
          if (alive[d] === 1) dests.push(f.cores[d] as number);
        }
        if (dests.length < 2) continue;
        const key = dests.join(',');
        let set = index.get(key);
        if (set === undefined) {
          set = this.mcSets.length;
          index.set(key, set);
          const v = new Uint32Array(words);
          for (const d of dests) v[d >>> 5] = ((v[d >>> 5] as number) | (1 << (d & 31))) >>> 0;
          this.mcSets.push(v);
          this.mcCount.push(dests.length);
          this.mcSaved.push(xyTreeSavedLinks(this.id, dests, mc.width));
        }
        rows[i] = set;
      }
      return rows;
    });
  }

  /** First home row (this core's block rows) of the remote block of layer `layer` starting at neuron `first`. */
  homeRowOf(layer: number, first: number): number {
    for (let k = 0; k < this.blocks.length; k++) {
      const b = this.blocks[k] as NeuronBlock;
      if (b.remote && b.layer === layer && b.rowStart === first) return this.blockRow0[k] as number;
    }
    throw new Error(`core ${this.id} holds no split rows of layer ${layer} from neuron ${first}`);
  }

  /** Connect the slices to their home cores and the homes to their remote slices (after every core exists). */
  link(cores: readonly (NeuronCore | null)[]): void {
    this.mapRef.slices.forEach((q, k) => {
      const w = this.wiring[k] as SliceWiring;
      const home = cores[q.home] as NeuronCore;
      w.home = home;
      w.homeRow = home.homeRowOf(q.layer, q.first);
      if (this.onChange && home !== this) {
        const sl = this.slices[k] as SynapseSlice;
        for (let part = 0; part < 2; part++) if ((part === 0 ? sl.nF : sl.nB) > 0) home.receiveFrom(w.homeRow, q.count, part, w.segment);
      }
    });
    this.remoteSlices = this.mapRef.pieces.map((p) => p.slices.filter((q) => q.core !== this.id).map((q) => ({ core: q.core, row: q.row })));
  }

  /** On-change: register that this home receives the sums of home rows `row`..`row + rows - 1`, part `part`, from segment `segment`. */
  private receiveFrom(row: number, rows: number, part: number, segment: number): void {
    let k = 0;
    while (k + 1 < this.blocks.length && (this.blockRow0[k + 1] as number) <= row) k++;
    const n = this.recvIdx.length;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n + rows);
      b.set(a);
      return b;
    };
    this.recvIdx = grow(this.recvIdx);
    this.recvBlock = grow(this.recvBlock);
    this.recvRow = grow(this.recvRow);
    this.recvPart = grow(this.recvPart);
    const r0 = row - (this.blockRow0[k] as number);
    for (let i = 0; i < rows; i++) {
      this.recvIdx[n + i] = ((row + i) * 2 + part) * this.maxSegments + segment;
      this.recvBlock[n + i] = k;
      this.recvRow[n + i] = r0 + i;
      this.recvPart[n + i] = part;
    }
  }

  /** True when the core takes part in the partial-sum phase of a step. */
  get hasSlices(): boolean {
    return this.slices.length > 0;
  }

  /** True when the core holds neurons of a split layer (sends post-synaptic spikes before learning). */
  get hasRemoteRows(): boolean {
    return this.remoteSlices.some((r) => r.length > 0);
  }

  /**
   * Partial-sum phase of a step at cycle t0: latch the axon registers, compute every
   * slice row's partial products; a home slice writes its rows' sum registers, a
   * remote slice queues per row and part one partial-sum packet (flits; the tail
   * carries the value) to the home, committing at t0 + sum_{m<=i} R_m + pipelineDepth.
   */
  startPartial(t0: number): void {
    const slots = this.cur.length;
    for (let k = 0; k < slots; k++) (this.cur[k] as Uint32Array).set(this.next[k] as Uint32Array);
    const dp = this.datapath;
    dp.beginPass();
    const depth = this.pipelineDepth;
    const S = this.maxSegments;
    const fl = this.flits.partialSum;
    const onChange = this.onChange;
    for (let k = 0; k < this.slices.length; k++) {
      const q = this.slices[k] as SynapseSlice;
      const w = this.wiring[k] as SliceWiring;
      if (w.prevSlot >= 0) extractBits(this.cur[w.prevSlot] as Uint32Array, q.f0, q.nF, w.bufF);
      if (w.nextSlot >= 0) extractBits(this.cur[w.nextSlot] as Uint32Array, q.b0, q.nB, w.bufB);
      q.partial(w.bufF, w.bufB);
      const home = w.home as NeuronCore;
      if (home === this) {
        home.setSums(w.homeRow, q.rows, q.nF > 0 ? q.dotF : null, q.nB > 0 ? q.dotB : null);
        continue;
      }
      const prefix = this.slicePrefix[k] as Int32Array;
      const sent = w.lastSent;
      for (let i = 0; i < q.rows; i++) {
        dp.addEntry((prefix[i] as number) + depth, -1);
        for (let part = 0; part < 2; part++) {
          if ((part === 0 ? q.nF : q.nB) === 0) continue;
          const v = part === 0 ? (q.dotF[i] as number) : (q.dotB[i] as number);
          if (onChange) {
            // Unchanged since the last send: the home still holds it.
            if (sent[2 * i + part] === v) continue;
            sent[2 * i + part] = v;
          }
          const idx = ((w.homeRow + i) * 2 + part) * S + w.segment;
          home.stage[idx] = v;
          for (let f = 1; f < fl; f++) dp.addPacket(home.id, -1 - idx, PSUM_BODY);
          dp.addPacket(home.id, -1 - idx, PSUM_TAIL);
          this.partialSumPackets++;
          this.partialSumFlits += fl;
        }
      }
    }
    this.activeCycles += this.partialCycles;
    dp.start(t0, this.partialCycles + depth);
  }

  /** A home slice's partial products start its rows' sum registers (null: that part has no columns here). */
  private setSums(homeRow: number, rows: number, dotF: Int32Array | null, dotB: Int32Array | null): void {
    let k = 0;
    while (k + 1 < this.blocks.length && (this.blockRow0[k + 1] as number) <= homeRow) k++;
    const i0 = homeRow - (this.blockRow0[k] as number);
    const sf = this.sumF[k] as Int32Array;
    const sb = this.sumB[k] as Int32Array;
    for (let i = 0; i < rows; i++) {
      sf[i0 + i] = dotF === null ? 0 : (dotF[i] as number);
      sb[i0 + i] = dotB === null ? 0 : (dotB[i] as number);
    }
  }

  /** A word-packet flit reached this core (axon field `code` < 0). */
  deliverWord(code: number, payload: number): void {
    if (payload === PSUM_TAIL) {
      const idx = -1 - code;
      const S = this.maxSegments;
      const rp = Math.floor(idx / S);
      const row = rp >> 1;
      let k = 0;
      while (k + 1 < this.blocks.length && (this.blockRow0[k + 1] as number) <= row) k++;
      const i = row - (this.blockRow0[k] as number);
      this.partialSumsReceived++;
      // On-change: store it; the neuron phase adds every stored sum (addReceived).
      if (this.onChange) {
        this.received[idx] = this.stage[idx] as number;
        return;
      }
      const reg = (rp & 1) === 0 ? (this.sumF[k] as Int32Array) : (this.sumB[k] as Int32Array);
      reg[i] = (reg[i] as number) + (this.stage[idx] as number);
      this.partialSumAdds++;
    } else if (payload === POST_TAIL) {
      const row = -1 - code;
      const k = this.sliceOfRow[row] as number;
      const w = this.wiring[k] as SliceWiring;
      const i = row - w.row;
      const home = w.home as NeuronCore;
      home.postSpikesOf(w.homeRow + i, w.postA, w.postB, w.postF, i);
      this.postSpikeWrites++;
    }
  }

  /** Phase A, phase B and free-phase post-synaptic spikes of home row `row`, written into bit `i` of a, b and f. */
  private postSpikesOf(row: number, a: Uint32Array, b: Uint32Array, f: Uint32Array, i: number): void {
    let k = 0;
    while (k + 1 < this.blocks.length && (this.blockRow0[k + 1] as number) <= row) k++;
    const blk = this.blocks[k] as NeuronBlock;
    const r = row - (this.blockRow0[k] as number);
    const [pa, pb] = this.learnPhases(blk);
    const m = 1 << (i & 31);
    const w = i >>> 5;
    a[w] = (((pa[r >>> 5] as number) >>> (r & 31)) & 1) !== 0 ? (a[w] as number) | m : (a[w] as number) & ~m;
    b[w] = (((pb[r >>> 5] as number) >>> (r & 31)) & 1) !== 0 ? (b[w] as number) | m : (b[w] as number) & ~m;
    const pf = blk.freeSpikes;
    f[w] = (((pf[r >>> 5] as number) >>> (r & 31)) & 1) !== 0 ? (f[w] as number) | m : (f[w] as number) & ~m;
  }

  private symmetric = true;

  /** The spikes a block learns from: phase A and phase B (see learn()). */
  private learnPhases(b: NeuronBlock): [Uint32Array, Uint32Array] {
    return this.symmetric ? [b.nudgedSpikes, b.spikes] : [b.spikes, b.freeSpikes];
  }

  /**
   * Post-spike pass before a learning phase at cycle t0: every home row of a split
   * layer (one per cycle, in local row order) queues one word packet of its two phases'
   * spikes to each core holding a remote slice of it; slices on this core read them
   * directly. Returns false when the core has nothing to send.
   */
  startPostSpikes(t0: number, symmetric: boolean): boolean {
    this.symmetric = symmetric;
    for (const w of this.wiring) {
      w.postA.fill(0);
      w.postB.fill(0);
      w.postF.fill(0);
    }
    const dp = this.datapath;
    dp.beginPass();
    const fl = this.flits.postSpikes;
    let row = 0;
    for (let k = 0; k < this.blocks.length; k++) {
      const b = this.blocks[k] as NeuronBlock;
      const dests = this.remoteSlices[k] as Array<{ core: number; row: number }>;
      if (!b.remote) continue;
      for (let i = 0; i < b.rows; i++) {
        row++;
        if (dests.length === 0) continue;
        dp.addEntry(row + this.pipelineDepth, -1);
        for (const d of dests) {
          for (let f = 1; f < fl; f++) dp.addPacket(d.core, -1 - (d.row + i), POST_BODY);
          dp.addPacket(d.core, -1 - (d.row + i), POST_TAIL);
          this.postSpikePackets++;
          this.postSpikeFlits += fl;
        }
      }
    }
    // Slices whose home is this core take the spikes from the registers.
    this.wiring.forEach((w, k) => {
      if (w.home !== this) return;
      const q = this.slices[k] as SynapseSlice;
      for (let i = 0; i < q.rows; i++) this.postSpikesOf(w.homeRow + i, w.postA, w.postB, w.postF, i);
    });
    if (row === 0 || dp.entryCount === 0) return false;
    this.activeCycles += row;
    dp.start(t0, row + this.pipelineDepth);
    return true;
  }

  /** Global reset: states and spikes to the reset value; axon registers to the reset spikes of their layers. */
  reset(resetSpikes: readonly Uint32Array[]): void {
    for (let k = 0; k < this.blocks.length; k++) (this.blocks[k] as NeuronBlock).reset();
    if (this.onChange) {
      this.received.fill(0);
      for (let k = 0; k < this.wiring.length; k++) (this.wiring[k] as SliceWiring).lastSent.fill(0);
    }
    for (let slot = 0; slot < this.sourceLayers.length; slot++) {
      const v = resetSpikes[this.sourceLayers[slot] as number] as Uint32Array;
      (this.next[slot] as Uint32Array).set(v);
      (this.cur[slot] as Uint32Array).set(v);
    }
  }

  /** A packet reached axon `axon` of this core: write the next-step register. */
  deliver(axon: number, payload: number): void {
    const reg = this.next[this.axonSlot[axon] as number] as Uint32Array;
    const j = this.axonBit[axon] as number;
    const w = j >>> 5;
    const m = 1 << (j & 31);
    reg[w] = payload ? (reg[w] as number) | m : (reg[w] as number) & ~m;
    this.axonWrites++;
  }

  /** Slot of source layer `l` in this core's axon registers, or -1 when the core does not receive it. */
  private slotOf(l: number): number {
    const p = this.slotPairs;
    for (let k = 0; k < p.length; k += 2) if (p[k] === l) return p[k + 1] as number;
    return -1;
  }

  /** A multicast packet naming network-wide neuron `id` reached this core: write its bit in the next-step register of its layer. */
  deliverId(id: number, payload: number): void {
    const off = this.idOffset;
    let l = 0;
    while (id >= (off[l + 1] as number)) l++;
    const reg = this.next[this.slotOf(l)] as Uint32Array;
    const j = id - (off[l] as number);
    const w = j >>> 5;
    const m = 1 << (j & 31);
    reg[w] = payload ? (reg[w] as number) | m : (reg[w] as number) & ~m;
    this.axonWrites++;
  }

  /** On-change: add the stored sum of every remote segment row part into its home row's sum register (one add each). */
  private addReceived(): void {
    const idx = this.recvIdx;
    const n = idx.length;
    for (let e = 0; e < n; e++) {
      const k = this.recvBlock[e] as number;
      const reg = this.recvPart[e] === 0 ? (this.sumF[k] as Int32Array) : (this.sumB[k] as Int32Array);
      const i = this.recvRow[e] as number;
      reg[i] = (reg[i] as number) + (this.received[idx[e] as number] as number);
    }
    this.partialSumAdds += n;
  }

  /**
   * Start a network step at cycle t0: latch the axon registers, compute every row,
   * schedule the commits. `label` >= 0 nudges output rows with sign betaSign.
   */
  startStep(t0: number, label: number, betaSign: number): void {
    const slots = this.cur.length;
    for (let k = 0; k < slots; k++) (this.cur[k] as Uint32Array).set(this.next[k] as Uint32Array);
    const dp = this.datapath;
    dp.beginPass();
    const fanout = this.mapping.fanout;
    const depth = this.pipelineDepth;
    const blocks = this.blocks;
    if (this.onChange) this.addReceived();
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k] as NeuronBlock;
      const old = this.blockOld[k] as Uint32Array;
      old.set(b.spikes);
      if (b.remote) {
        b.stepFromSums(this.sumF[k] as Int32Array, this.sumB[k] as Int32Array, label, betaSign);
        b.commit();
        continue;
      }
      const ps = this.slotOf(b.layer - 1);
      const ns = b.isOutput ? -1 : this.slotOf(b.layer + 1);
      b.step(this.cur[ps] as Uint32Array, ns < 0 ? EMPTY : (this.cur[ns] as Uint32Array), label, betaSign);
      b.commit();
    }
    // Commit schedule in ascending local row order (blocks are in row order).
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k] as NeuronBlock;
      const old = this.blockOld[k] as Uint32Array;
      const now = b.spikes;
      const prefix = this.blockPrefix[k] as Int32Array;
      const f = fanout[b.layer] as FanOut;
      const nDest = f.cores.length;
      if (nDest === 0) continue;
      const alive = this.aliveTo[k] as Uint8Array;
      // Split layers' destinations receive a range of the layer; otherwise every core takes every neuron.
      const ranged = this.mapping.split;
      const mc = this.mcRow === null ? null : (this.mcRow[k] as Int32Array);
      const idBase = this.idOffset[b.layer] as number;
      for (let w = 0; w < now.length; w++) {
        let bits = this.everyStep ? (w === now.length - 1 ? tailBits(b.rows) : 0xffffffff) : ((now[w] as number) ^ (old[w] as number));
        while (bits !== 0) {
          const low = bits & -bits;
          const i = (w << 5) + (31 - Math.clz32(low));
          bits ^= low;
          const payload = ((now[w] as number) >>> (i & 31)) & 1;
          dp.addEntry((prefix[i] as number) + depth, this.vcd === null ? -1 : (this.rowSig[(this.blockRow0[k] as number) + i] as number));
          const g = b.rowStart + i;
          // Two or more destinations on a tree chip: one multicast packet naming the neuron.
          const set = mc === null ? -1 : (mc[i] as number);
          if (set >= 0) {
            dp.addPacket(-1 - set, idBase + g, payload);
            this.multicastPackets++;
          }
          for (let d = 0; d < nDest; d++) {
            if (ranged && (g < (f.lo[d] as number) || g >= (f.hi[d] as number))) continue;
            if (alive[d] === 1) {
              if (set < 0) dp.addPacket(f.cores[d] as number, (f.axonBase[d] as number) + g, payload);
            } else this.undeliverable++;
          }
        }
      }
    }
    this.activeCycles += this.stepCycles;
    dp.start(t0, this.stepCycles + depth);
  }

  /** True when every block is settled (NeuronBlock.settledNow) and the last pass queued nothing: the next step with unchanged axon registers and nudge sends nothing. */
  get quiet(): boolean {
    if (this.datapath.entryCount !== 0) return false;
    for (let k = 0; k < this.blocks.length; k++) if (!(this.blocks[k] as NeuronBlock).settledNow) return false;
    return true;
  }

  /**
   * A step of a quiet core (see quiet) without its events: the blocks step (they only
   * count, as the hardware recomputes every row) and nothing is sent; returns the
   * pass length, the cycles after which startStep's pass would report done.
   */
  idleStep(label: number, betaSign: number): number {
    const blocks = this.blocks;
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k] as NeuronBlock;
      const ps = this.slotOf(b.layer - 1);
      const ns = b.isOutput ? -1 : this.slotOf(b.layer + 1);
      b.step(this.cur[ps] as Uint32Array, ns < 0 ? EMPTY : (this.cur[ns] as Uint32Array), label, betaSign);
      b.commit();
      if (!b.settledNow) throw new Error(`core ${this.id}: a quiet block moved in an idle step`);
    }
    this.activeCycles += this.stepCycles;
    return this.stepCycles + this.pipelineDepth;
  }

  /**
   * Start the readout at cycle t0. The core reads its output rows' states, one per
   * readoutCycles cycles, adding them per class (rows of class c are c * replicas .. c * replicas +
   * replicas - 1); after the last row of a class it holds, it queues one packet per
   * set bit b of that partial sum, to the I/O port (endpoint `ioEndpoint`) at readout
   * address c * sumBits + b. The port adds 2^b per packet, so partial sums from
   * several cores add up in any arrival order. Returns false when the core holds no output rows.
   */
  startReadout(t0: number, ioEndpoint: number, replicas: number, sumBits: number): boolean {
    const dp = this.datapath;
    dp.beginPass();
    let row = 0;
    for (let k = 0; k < this.blocks.length; k++) {
      const b = this.blocks[k] as NeuronBlock;
      if (!b.isOutput) continue;
      let sum = 0;
      for (let i = 0; i < b.rows; i++) {
        row++;
        sum += b.state[i] as number;
        // the j-th output row finishes its read-and-add at j * readoutCycles
        const g = b.rowStart + i;
        const cls = Math.floor(g / replicas);
        if (i + 1 < b.rows && Math.floor((g + 1) / replicas) === cls) continue;
        if (sum !== 0) {
          dp.addEntry(row * this.readoutCycles + this.pipelineDepth, -1);
          for (let bit = 0; bit < sumBits; bit++) {
            if (((sum >>> bit) & 1) === 0) continue;
            if (this.readoutAlive) dp.addPacket(ioEndpoint, cls * sumBits + bit, 1);
            else this.undeliverable++;
          }
        }
        sum = 0;
      }
    }
    if (row === 0) return false;
    this.activeCycles += row * this.readoutCycles;
    dp.start(t0, row * this.readoutCycles + this.pipelineDepth);
    return true;
  }

  /** Store the free state (blocks) and the axon registers at the end of the free phase. */
  storeFree(): void {
    for (const b of this.blocks) b.storeFree();
    for (let k = 0; k < this.next.length; k++) (this.atFree[k] as Uint32Array).set(this.next[k] as Uint32Array);
  }

  /** Keep the spikes and axon registers at the end of the first nudged phase (symmetric nudging). */
  storeNudged(): void {
    for (const b of this.blocks) b.storeNudged();
    for (let k = 0; k < this.next.length; k++) (this.atNudged[k] as Uint32Array).set(this.next[k] as Uint32Array);
  }

  /** Return to the stored free state, axon registers included (start of the -beta phase). */
  restoreFree(): void {
    for (const b of this.blocks) b.restoreFree();
    for (let k = 0; k < this.next.length; k++) (this.next[k] as Uint32Array).set(this.atFree[k] as Uint32Array);
  }

  /**
   * Learning phase of every row, phase A against phase B (symmetric: A = first nudged
   * phase, B = current; else A = current, B = free). Returns the cycles it takes:
   * startDelay + sum over updated rows of rowPasses * ceil(W_i * (1 + synapseBits) / banks).
   */
  learn(symmetric: boolean, betaSign: number, plasticityKey = 0, epoch = 0): number {
    let cycles = this.learnStart;
    this.symmetric = symmetric;
    for (let k = 0; k < this.blocks.length; k++) {
      const b = this.blocks[k] as NeuronBlock;
      if (b.remote) {
        // Home rows of a split layer learn only their biases; the synapses are in the slices.
        const [pa, pb] = this.learnPhases(b);
        b.learn(pa, pb, EMPTY, EMPTY, EMPTY, EMPTY, betaSign);
        continue;
      }
      const ps = this.slotOf(b.layer - 1);
      const ns = b.isOutput ? -1 : this.slotOf(b.layer + 1);
      const before = b.counts.weightSramWrites;
      // The free-phase registers feed the first-order contrast (the blocks ignore them otherwise).
      const pF = this.atFree[ps] as Uint32Array;
      const nF = ns < 0 ? EMPTY : (this.atFree[ns] as Uint32Array);
      if (symmetric) {
        b.learn(b.nudgedSpikes, b.spikes, this.atNudged[ps] as Uint32Array, this.next[ps] as Uint32Array, ns < 0 ? EMPTY : (this.atNudged[ns] as Uint32Array), ns < 0 ? EMPTY : (this.next[ns] as Uint32Array), betaSign, plasticityKey, pF, nF, epoch);
      } else {
        b.learn(b.spikes, b.freeSpikes, this.next[ps] as Uint32Array, this.atFree[ps] as Uint32Array, ns < 0 ? EMPTY : (this.next[ns] as Uint32Array), nF, betaSign, plasticityKey, pF, nF, epoch);
      }
      // Rows the block updated = SRAM word writes / words per row (rows with no contribution are skipped).
      const rowsUpdated = (b.counts.weightSramWrites - before) / b.rowSramWords;
      cycles += rowsUpdated * (this.learnRow[k] as number);
    }
    for (let k = 0; k < this.slices.length; k++) {
      const q = this.slices[k] as SynapseSlice;
      const w = this.wiring[k] as SliceWiring;
      // Pre-synaptic columns of phases A and B (as for the blocks above).
      const regsA = symmetric ? this.atNudged : this.next;
      const regsB = symmetric ? this.next : this.atFree;
      const first = q.firstOrder;
      if (w.prevSlot >= 0) {
        extractBits(regsA[w.prevSlot] as Uint32Array, q.f0, q.nF, w.bufFA);
        extractBits(regsB[w.prevSlot] as Uint32Array, q.f0, q.nF, w.bufFB);
        if (first) extractBits(this.atFree[w.prevSlot] as Uint32Array, q.f0, q.nF, w.bufFF);
      }
      if (w.nextSlot >= 0) {
        extractBits(regsA[w.nextSlot] as Uint32Array, q.b0, q.nB, w.bufBA);
        extractBits(regsB[w.nextSlot] as Uint32Array, q.b0, q.nB, w.bufBB);
        if (first) extractBits(this.atFree[w.nextSlot] as Uint32Array, q.b0, q.nB, w.bufBF);
      }
      const rows = q.learn(w.postA, w.postB, w.bufFA, w.bufFB, w.bufBA, w.bufBB, betaSign, plasticityKey, w.postF, w.bufFF, w.bufBF, epoch);
      cycles += rows * (this.sliceLearnRow[k] as number);
    }
    this.activeCycles += cycles;
    return cycles;
  }

  /**
   * Register this core's VCD signals: chip.core<id>.busy (group core.busy) and, for
   * selected neurons (group neuron.spikes, global index = layerOffset[l] + neuron of
   * layer l), chip.core<id>.L<l>_n<i> = its spike bit, changing at its commit.
   */
  attachVcd(vcd: VcdWriter, layerOffset: readonly number[]): void {
    this.vcd = vcd;
    this.datapath.vcd = vcd;
    const scope = ['chip', `core${this.id}`];
    if (vcd.wants('core.busy', this.id)) this.busySig = vcd.addSignal(scope, 'busy', 1);
    this.rowSig = new Int32Array(this.rowBlock.length).fill(-1);
    if (!vcd.wants('neuron.spikes')) return;
    for (let r = 0; r < this.rowBlock.length; r++) {
      const b = this.blocks[this.rowBlock[r] as number] as NeuronBlock;
      const n = b.rowStart + (this.rowLocal[r] as number);
      if (vcd.wants('neuron.spikes', (layerOffset[b.layer] as number) + n)) this.rowSig[r] = vcd.addSignal(scope, `L${b.layer}_n${n}`, 1);
    }
  }

  /** VCD: the datapath becomes busy (1) or idle (0) at `cycle`. */
  traceBusy(cycle: number, v: number): void {
    if (this.busySig >= 0) (this.vcd as VcdWriter).set(this.busySig, cycle, v);
  }

  /** VCD: every traced neuron's signal takes its current spike bit at `cycle` (after a reset or a restore). */
  traceSpikes(cycle: number): void {
    if (this.vcd === null) return;
    for (let r = 0; r < this.rowSig.length; r++) {
      const sig = this.rowSig[r] as number;
      if (sig < 0) continue;
      const i = this.rowLocal[r] as number;
      const spikes = (this.blocks[this.rowBlock[r] as number] as NeuronBlock).spikes;
      this.vcd.set(sig, cycle, ((spikes[i >>> 5] as number) >>> (i & 31)) & 1);
    }
  }

  /** Sum of the block counters of this core into `into`. */
  addCounts(into: BlockCounts): void {
    for (const b of this.blocks) into.add(b.counts);
    for (const q of this.slices) into.add(q.counts);
  }

  /** Load the core's rows from a canonical snapshot. */
  load(s: NetworkSnapshot): void {
    for (const b of this.blocks) b.load(s);
    for (const q of this.slices) q.load(s);
    this.loadSpikes(s);
  }

  /** Load the spikes of the core's source layers from a canonical snapshot (load does it after the rows). */
  loadSpikes(s: NetworkSnapshot): void {
    this.sourceLayers.forEach((src, slot) => {
      (this.next[slot] as Uint32Array).set(s.spikes[src] as Uint32Array);
      (this.cur[slot] as Uint32Array).set(s.spikes[src] as Uint32Array);
    });
  }
}

/** Mask of the valid bits of the last word of an n-bit vector. */
function tailBits(n: number): number {
  const r = n & 31;
  return r === 0 ? 0xffffffff : (1 << r) - 1;
}
