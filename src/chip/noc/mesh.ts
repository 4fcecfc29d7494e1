/**
 * The mesh network-on-chip: W x H input-buffered routers joined by links, with an
 * injection/ejection interface to the cores and the I/O port.
 *
 * Timing (all integer cycles; DESIGN.md section 3, docs/timing-model.md):
 *   inject at cycle c            -> flit in the source router's input buffer at c + 1
 *   granted at router at cycle g -> next router's input buffer at g + routerDelay + linkDelay
 *                                -> or, at its destination, delivered at g + routerDelay
 *   credit of the freed slot     -> back at the sender at g + creditDelay
 *   zero-load latency of H hops, buffer entry to delivery: H * (routerDelay + linkDelay) + routerDelay
 * A flit may be granted in the cycle it enters a buffer (PHASE_LINK runs before
 * PHASE_ROUTER). Each output grants at most one flit per cycle, chosen by a
 * round-robin arbiter among the inputs whose head flit requests it; each input
 * sends at most one flit per cycle (only its head can request). A neighbour output
 * needs a credit (one per free slot of the downstream buffer); ejection never
 * waits unless the endpoint is held (`holdEjection`).
 *
 * Interface for the cores and the I/O port:
 *   endpoints: core id e = y * width + x (0 .. W*H - 1); the I/O port is endpoint
 *   `ioEndpoint` = W*H, attached to router (io.x, io.y) through io.flitsPerCycle
 *   dedicated I/O lanes (input buffer + ejection output each; flits to the I/O port
 *   leave on lane (input port index mod flitsPerCycle)).
 *   - `canInject(e)`: a lane of e has a credit and has not taken a flit this cycle;
 *   - `inject(e, dst, axon, bit, tag)`: enter the network (throws without a credit);
 *   - client.onEject(dst, axon, bit, flit, cycle): delivery, in PHASE_DELIVER; the
 *     flit handle can be queried (flitSource, flitHops, ...) only during the call;
 *   - client.onCredit(e, cycle): an injection credit of e came back (PHASE_LINK);
 *   - `flitsInNetwork` (0 = empty, for the step barrier), `counters()` (router.<id>
 *     and io), `linkLoads()` (flits per directed link), `attachVcd`, `attachPacketCsv`.
 * Idle routers cost nothing: a router ticks (PHASE_ROUTER) only in cycles in which
 * it holds at least one flit.
 *
 * This file assembles the pipeline; the stages live beside it: route computation
 * (../router/route.ts), input buffers (../router/input-buffers.ts), switch
 * allocation (../router/switch-alloc.ts, ../router/arbiter.ts), credits
 * (../router/credits.ts); links and port wiring (links.ts), injection channels
 * (injection.ts). Crossbar traversal and ejection are `traverse` and `deliver` here.
 */
import { COUNTER_CATALOG } from '../../sim/counter-catalog';
import type { CounterSnapshot } from '../../sim/counter-catalog';
import { CounterTable } from '../../sim/counters';
import type { Kernel } from '../../sim/kernel';
import type { StuckBuffer } from '../../sim/watchdog';
import type { PacketCsvWriter } from '../../sim/packet-csv';
import type { VcdWriter } from '../../sim/vcd';
import { popcount32 } from '../../kernels';
import { OutputCredits, UNBOUNDED } from '../router/credits';
import { InputBuffers } from '../router/input-buffers';
import { MESH_PORTS, PORT_IO0, PORT_LOCAL, portName } from '../router/ports';
import { xyHops, xyOutputPort } from '../router/route';
import { MAX_PORTS, SwitchAllocator } from '../router/switch-alloc';
import { FlitPool } from './flit-pool';
import { InjectionChannels } from './injection';
import { MeshLinks, type LinkLoad } from './links';
import { VcPath, needsVcRouter } from './vc-path';
import { bitsFor } from './packet';
import type { IoPlacement, NocParams } from './params';
import { PHASE_DELIVER, PHASE_LINK, PHASE_ROUTER } from './phases';

/** What a mesh is built from. */
export interface MeshConfig {
  /** Tiles per row. */
  width: number;
  /** Tiles per column. */
  height: number;
  /** Router and link parameters. */
  noc: NocParams;
  /** I/O port placement and lanes. */
  io: IoPlacement;
  /** Bits of one packet (see packetBits), paid per flit on links. */
  packetBits: number;
  /**
   * Run the VC router even for the single-lane configuration (which otherwise takes
   * the dedicated single-lane loop): tests use it to show both give the same results.
   */
  forceVcRouter?: boolean;
  /** Bits of a multicast packet (default: packetBits with the destination x, y and I/O bit replaced by a W*H-bit vector). */
  multicastPacketBits?: number;
}

export type { LinkLoad } from './links';

/** The receiver of deliveries and injection credits (one per mesh). */
export interface NocClient {
  /** Packet `flit` reached endpoint `endpoint` at `cycle`. */
  onEject(endpoint: number, axon: number, bit: number, flit: number, cycle: number): void;
  /** An injection credit of `endpoint` came back: canInject may have become true. */
  onCredit(endpoint: number, cycle: number): void;
}

/**
 * Watches the routers' flit movements and credit returns (for co-simulation against
 * the RTL twin in hw/rtl); off by default, and then it costs one null test per event.
 */
export interface MeshObserver {
  /** Flit `f` entered input buffer `port` of router `r` at `cycle`. */
  arrive(r: number, port: number, f: number, cycle: number): void;
  /** Router `r` granted the head flit `f` of input `inPort` to output `outPort` at `cycle`. */
  grant(r: number, inPort: number, outPort: number, f: number, cycle: number): void;
  /** A credit came back to output `port` of router `r` (a mesh port, or the injection lane `port` for the endpoint's input). */
  credit(r: number, port: number, cycle: number): void;
}

const NO_CLIENT: NocClient = { onEject: () => undefined, onCredit: () => undefined };

/** A W x H mesh of routers with its endpoints. */
export class Mesh {
  /** Routers (= cores) in the mesh. */
  readonly routers: number;
  /** Endpoint id of the I/O port. */
  readonly ioEndpoint: number;
  /** Router the I/O port attaches to. */
  readonly ioRouter: number;
  /** Router counters, component ids "router.<id>". */
  readonly routerCounters: CounterTable<'router'>;
  /** I/O port counters, component id "io". */
  readonly ioCounters: CounterTable<'io'>;

  private readonly width: number;
  private readonly depth: number;
  private readonly routerDelay: number;
  private readonly linkDelay: number;
  private readonly creditDelay: number;
  private readonly bits: number;
  private readonly ioLanes: number;
  private readonly mcBits: number;
  private readonly mcSet: Uint32Array;
  private readonly cMcSaved: number;

  /** Ports, links and per-link flit counts. */
  readonly links: MeshLinks;
  private readonly portBase: Int32Array;
  private readonly portCount: Int32Array;
  private readonly portRouter: Int32Array;
  private readonly down: Int32Array;
  private readonly up: Int32Array;
  private readonly credits: OutputCredits;
  /** Injection lanes (their round-robin rotation is routing state). */
  readonly injection: InjectionChannels;
  /** Switch allocators (their round-robin pointers are routing state). */
  readonly alloc: SwitchAllocator;
  private readonly tickAt: Float64Array;
  private readonly occ: Int32Array;
  /** Per router: bit i set when input port i holds a flit. */
  private readonly busyInputs: Int32Array;
  /** Per router: column and row; per endpoint: the router it attaches to. */
  private readonly routerX: Int32Array;
  private readonly routerY: Int32Array;
  private readonly endpointRouter: Int32Array;
  /** Flits sent per output port on its link to a neighbour. */
  private readonly linkCount: Float64Array;
  private readonly buffers: InputBuffers;
  private readonly pool: FlitPool;
  private readonly rc: Float64Array;
  private readonly rs: number;
  private readonly ioc: Float64Array;
  private serialNext = 0;
  private client: NocClient = NO_CLIENT;
  private observer: MeshObserver | null = null;

  private readonly hArrive: number;
  private readonly hCredit: number;
  private readonly hInjCredit: number;
  private readonly hTick: number;
  private readonly hEject: number;
  private readonly hLinkTrace: number;

  // Counter indices (looked up by catalog name, so a renamed counter fails loudly).
  private readonly cBufW: number;
  private readonly cBufR: number;
  private readonly cXbar: number;
  private readonly cConf: number;
  private readonly cStall: number;
  private readonly cLinkF: number;
  private readonly cLinkB: number;
  private readonly cEject: number;
  private readonly cActive: number;
  private readonly cIoFlitsIn: number;
  private readonly cIoFlitsOut: number;
  private readonly cIoBitsIn: number;
  private readonly cIoBitsOut: number;

  /** The VC router (general path); null for the single-lane router. */
  private readonly vc: VcPath | null = null;

  private vcd: VcdWriter | null = null;
  private occSig: Int32Array;
  private linkSig: Int32Array;
  private packetCsv: PacketCsvWriter | null = null;

  constructor(
    private readonly kernel: Kernel,
    cfg: MeshConfig,
  ) {
    const { width, height, noc, io } = cfg;
    if (!(width >= 1 && height >= 1)) throw new Error(`mesh ${width}x${height}: sizes must be >= 1`);
    if (io.x < 0 || io.x >= width || io.y < 0 || io.y >= height) throw new Error(`I/O port (${io.x}, ${io.y}) outside the mesh`);
    if (MESH_PORTS + io.flitsPerCycle > MAX_PORTS) {
      throw new Error(`io.flitsPerCycle ${io.flitsPerCycle} exceeds the ${MAX_PORTS - MESH_PORTS} I/O lanes a router can have`);
    }
    if (noc.routerDelay < 1 || noc.linkDelay < 1 || noc.creditDelay < 1) throw new Error('router, link and credit delays must be >= 1');
    this.width = width;
    this.routers = width * height;
    this.ioEndpoint = this.routers;
    this.ioRouter = io.y * width + io.x;
    this.ioLanes = io.flitsPerCycle;
    this.depth = noc.bufferDepth;
    this.routerDelay = noc.routerDelay;
    this.linkDelay = noc.linkDelay;
    this.creditDelay = noc.creditDelay;
    this.bits = cfg.packetBits;
    this.mcBits = cfg.multicastPacketBits ?? cfg.packetBits - bitsFor(width) - bitsFor(height) - 1 + width * height;
    this.mcSet = new Uint32Array(noc.multicast === 'tree' ? Math.ceil((width * height) / 32) : 0);
    this.pool = new FlitPool(64, noc.multicast === 'tree' ? Math.ceil((width * height) / 32) : 0);
    kernel.watchdog.limit = noc.watchdogCycles;

    const R = this.routers;
    const links = new MeshLinks(width, height, this.ioRouter, this.ioLanes);
    this.links = links;
    const P = links.ports;
    this.portBase = links.portBase;
    this.portCount = links.portCount;
    this.portRouter = links.portRouter;
    this.down = links.down;
    this.up = links.up;
    this.routerX = links.routerX;
    this.routerY = links.routerY;
    this.linkCount = links.count;
    this.credits = new OutputCredits(P);
    this.injection = new InjectionChannels(P, R + 1);
    this.alloc = new SwitchAllocator(P);
    this.occSig = new Int32Array(P).fill(-1);
    this.linkSig = new Int32Array(P).fill(-1);
    this.tickAt = new Float64Array(R).fill(-1);
    this.occ = new Int32Array(R);
    this.busyInputs = new Int32Array(R);
    this.endpointRouter = new Int32Array(R + 1);
    for (let r = 0; r < R; r++) this.endpointRouter[r] = r;
    this.endpointRouter[R] = this.ioRouter;
    this.buffers = new InputBuffers(P, this.depth);
    for (let g = 0; g < P; g++) if ((this.down[g] as number) >= 0) this.credits.set(g, this.depth);
    for (let r = 0; r < R; r++) {
      // Local port: the core injects into it and receives from it.
      const local = (this.portBase[r] as number) + PORT_LOCAL;
      this.credits.set(local, UNBOUNDED);
      this.injection.connect(r, local, 1, this.depth);
    }
    const ioBase = (this.portBase[this.ioRouter] as number) + PORT_IO0;
    for (let k = 0; k < this.ioLanes; k++) this.credits.set(ioBase + k, UNBOUNDED);
    this.injection.connect(this.ioEndpoint, ioBase, this.ioLanes, this.depth);

    const routerIds: string[] = [];
    for (let r = 0; r < R; r++) routerIds.push(`router.${r}`);
    this.routerCounters = new CounterTable(
      'router',
      routerIds,
      COUNTER_CATALOG.router.map((d) => d.name),
    );
    this.ioCounters = new CounterTable(
      'io',
      ['io'],
      COUNTER_CATALOG.io.map((d) => d.name),
    );
    this.rc = this.routerCounters.values;
    this.rs = this.routerCounters.stride;
    this.ioc = this.ioCounters.values;
    const t = this.routerCounters;
    this.cBufW = t.index('bufferWrites');
    this.cBufR = t.index('bufferReads');
    this.cXbar = t.index('crossbarTraversals');
    this.cConf = t.index('arbitrationConflicts');
    this.cStall = t.index('creditStalls');
    this.cLinkF = t.index('linkFlits');
    this.cLinkB = t.index('linkBits');
    this.cEject = t.index('packetsEjected');
    this.cActive = t.index('activeCycles');
    this.cMcSaved = t.index('multicastFlitsSaved');
    this.cIoFlitsIn = this.ioCounters.index('flitsIn');
    this.cIoFlitsOut = this.ioCounters.index('flitsOut');
    this.cIoBitsIn = this.ioCounters.index('bitsIn');
    this.cIoBitsOut = this.ioCounters.index('bitsOut');

    this.hArrive = kernel.register((g, f, c) => this.arrive(g, f, c));
    this.hCredit = kernel.register((g, _b, c) => {
      this.credits.give(g);
      if (this.observer !== null) this.observeCredit(g, c);
    });
    this.hInjCredit = kernel.register((g, _b, c) => {
      const e = this.injection.give(g);
      if (this.observer !== null) this.observeCredit(g, c);
      this.client.onCredit(e, c);
    });
    this.hTick = kernel.register((r, _b, c) => this.tick(r, c));
    this.hEject = kernel.register((f, g, c) => this.deliver(f, g, c));
    this.hLinkTrace = kernel.register((g, _b, c) => this.vcd?.pulse(this.linkSig[g] as number, c));
    kernel.watchdog.addReporter(() => this.stuckBuffers());
    if (cfg.forceVcRouter === true || needsVcRouter(noc)) {
      const c = {
        bufW: this.cBufW,
        bufR: this.cBufR,
        xbar: this.cXbar,
        conf: this.cConf,
        stall: this.cStall,
        linkF: this.cLinkF,
        linkB: this.cLinkB,
        eject: this.cEject,
        active: this.cActive,
      };
      const cio = { flitsIn: this.cIoFlitsIn, flitsOut: this.cIoFlitsOut, bitsIn: this.cIoBitsIn, bitsOut: this.cIoBitsOut };
      this.vc = new VcPath(
        {
          kernel,
          pool: this.pool,
          rc: this.rc,
          rs: this.rs,
          ci: c,
          ioc: this.ioc,
          cio,
          linkCount: this.linkCount,
          occSig: this.occSig,
          linkSig: this.linkSig,
          nextSerial: () => this.serialNext++,
          vcd: () => this.vcd,
          packetCsv: () => this.packetCsv,
          onEject: (e, axon, bit, f, cycle) => this.client.onEject(e, axon, bit, f, cycle),
          onCredit: (e, cycle) => this.client.onCredit(e, cycle),
          observeArrive: (r, port, f, cycle) => this.observer?.arrive(r, port, f, cycle),
          observeGrant: (r, i, o, f, cycle) => this.observer?.grant(r, i, o, f, cycle),
          observeCredit: (g, cycle) => this.observeCredit(g, cycle),
          observing: () => this.observer !== null,
        },
        noc,
        links,
        this.ioEndpoint,
        this.ioRouter,
        this.ioLanes,
      );
    }
  }

  /** Whether this mesh runs the VC router (VCs, multi-flit packets, stage delays, multicast). */
  get isVcRouter(): boolean {
    return this.vc !== null;
  }

  /** Set the receiver of deliveries and credits. */
  attach(client: NocClient): void {
    this.client = client;
  }

  /** Report flit movements and credit returns to `o` (null = stop). */
  attachObserver(o: MeshObserver | null): void {
    this.observer = o;
  }

  /** Flits in input buffer `port` of router `r` now. */
  inputOccupancy(r: number, port: number): number {
    if (this.vc !== null) return this.vc.occupancy((this.portBase[r] as number) + port);
    return this.buffers.count[(this.portBase[r] as number) + port] as number;
  }

  /**
   * Credits now held for output `port` of router `r`: free slots of the neighbour's
   * input buffer for a mesh port, the endpoint's injection credits for the Local port
   * or an I/O lane (the sender of that input), -1 for a mesh port at the mesh edge.
   */
  senderCredits(r: number, port: number): number {
    const g = (this.portBase[r] as number) + port;
    if (this.vc !== null) return port < PORT_LOCAL ? ((this.down[g] as number) >= 0 ? this.vc.credits(g, false) : -1) : this.vc.credits(g, true);
    if (port < PORT_LOCAL) return (this.down[g] as number) >= 0 ? (this.credits.count[g] as number) : -1;
    return this.injection.credits[g] as number;
  }

  /** Ports of router `r` (5, plus the I/O lanes at the I/O router). */
  portsOf(r: number): number {
    return this.portCount[r] as number;
  }

  /** Mesh width in tiles. */
  get meshWidth(): number {
    return this.width;
  }

  /** Mesh height in tiles. */
  get meshHeight(): number {
    return this.routers / this.width;
  }

  /** Endpoints (cores + the I/O port). */
  get endpoints(): number {
    return this.routers + 1;
  }

  /** Flits injected and not yet delivered (0 = the network is empty). */
  get flitsInNetwork(): number {
    if (this.vc !== null) return this.vc.flitsLive;
    return this.pool.inUse;
  }

  /** True when no trace, packet CSV or observer watches the mesh, so a replayed traffic pattern is indistinguishable from a simulated one. */
  get unobserved(): boolean {
    return this.vcd === null && this.packetCsv === null && this.observer === null;
  }

  /** Count `n` packets as injected and delivered without simulating them (the chip's load replay, which applies their counters itself). */
  addReplayedPackets(n: number): void {
    this.serialNext += n;
  }

  /** Packets injected so far (the next packet's serial number). */
  get packetsInjected(): number {
    return this.serialNext;
  }

  /** Router an endpoint attaches to. */
  routerOf(endpoint: number): number {
    return endpoint === this.ioEndpoint ? this.ioRouter : endpoint;
  }

  /** Router-to-router hops of the XY route between two endpoints. */
  hopsBetween(src: number, dst: number): number {
    const a = this.routerOf(src);
    const b = this.routerOf(dst);
    const w = this.width;
    return xyHops(a % w, Math.floor(a / w), b % w, Math.floor(b / w));
  }

  /** Zero-load latency in cycles of an H-hop packet of `flits` flits, from its head entering the source router's buffer to its tail's delivery. */
  zeroLoadLatency(hops: number, flits = 1): number {
    if (this.vc !== null) return this.vc.zeroLoadLatency(hops, flits);
    return hops * (this.routerDelay + this.linkDelay) + this.routerDelay;
  }

  /** Whether endpoint `e` can inject a flit in the current cycle. */
  canInject(e: number, cls = 0): boolean {
    if (this.vc !== null) return this.vc.freeLane(e, cls, false) >= 0;
    return this.injection.freeLane(e, this.kernel.now, false) >= 0;
  }

  /**
   * Endpoint `src` injects a packet for endpoint `dst` in the current cycle; it
   * enters the source router's input buffer next cycle. Returns its serial number.
   */
  inject(src: number, dst: number, axon: number, bit: number, tag = 0, cls = 0, bits = this.bits): number {
    if (!(dst >= 0 && dst <= this.routers) || !Number.isInteger(dst)) throw new Error(`inject: no endpoint ${dst}`);
    if (this.vc !== null) return this.vc.inject(src, dst, null, axon, bit, tag, cls, bits);
    const now = this.kernel.now;
    const lane = this.injection.freeLane(src, now, true);
    if (lane < 0) throw new Error(`inject: endpoint ${src} has no injection credit in cycle ${now}`);
    this.injection.take(lane, now);
    const p = this.pool;
    const f = p.alloc();
    const serial = this.serialNext++;
    p.src[f] = src;
    p.dst[f] = dst;
    p.axon[f] = axon;
    p.bit[f] = bit;
    p.tag[f] = tag;
    p.hops[f] = 0;
    p.blocked[f] = 0;
    p.enter[f] = now + 1;
    p.serial[f] = serial;
    this.kernel.at(now + 1, PHASE_LINK, this.hArrive, lane, f);
    this.kernel.watchdog.expect(now + 1);
    if (src === this.ioEndpoint) {
      this.ioc[this.cIoFlitsIn]++;
      this.ioc[this.cIoBitsIn] += this.bits;
    }
    return serial;
  }

  /** Bits of a multicast packet on this mesh. */
  get multicastPacketBits(): number {
    return this.mcBits;
  }

  /**
   * Endpoint `src` sends one packet to every core in `dsts` (distinct core ids; needs
   * noc.multicast "tree"): routers replicate it along the XY tree, each core receives
   * it once (onEject per destination). Counts the link flits the tree saves over one
   * unicast packet per destination at the source router. Returns its serial number.
   */
  injectMulticast(src: number, dsts: readonly number[], axon: number, bit: number, tag = 0, bits = this.mcBits): number {
    if (this.vc === null || this.mcSet.length === 0) throw new Error('injectMulticast: the chip has noc.multicast "unicast"');
    const set = this.mcSet;
    set.fill(0);
    const w = this.width;
    const sr = this.routerOf(src);
    const sx = sr % w;
    const sy = (sr - sx) / w;
    let unicastLinks = 0;
    let east = 0;
    let west = 0;
    for (const d of dsts) {
      if (!(Number.isInteger(d) && d >= 0 && d < this.routers)) throw new Error(`injectMulticast: ${d} is not a core of the ${w}x${this.routers / w} mesh`);
      if ((((set[d >>> 5] as number) >>> (d & 31)) & 1) === 1) throw new Error(`injectMulticast: destination ${d} listed twice`);
      set[d >>> 5] = ((set[d >>> 5] as number) | (1 << (d & 31))) >>> 0;
      const dx = d % w;
      unicastLinks += xyHops(sx, sy, dx, (d - dx) / w);
      east = Math.max(east, dx - sx);
      west = Math.max(west, sx - dx);
    }
    // XY tree links: the row segments from the source, then in each column the vertical span from row sy.
    let treeLinks = east + west;
    const colN = new Int32Array(w);
    const colS = new Int32Array(w);
    for (const d of dsts) {
      const dx = d % w;
      const dy = (d - dx) / w;
      colN[dx] = Math.max(colN[dx] as number, sy - dy);
      colS[dx] = Math.max(colS[dx] as number, dy - sy);
    }
    for (let x = 0; x < w; x++) treeLinks += (colN[x] as number) + (colS[x] as number);
    this.rc[sr * this.rs + this.cMcSaved] += (unicastLinks - treeLinks) * this.vc.flitsOf(bits);
    return this.vc.inject(src, -1, set, axon, bit, tag, 0, bits);
  }

  /** Stop (held = true) or resume deliveries to endpoint `e` (models a receiver that cannot accept). */
  holdEjection(e: number, held: boolean): void {
    const first = e === this.ioEndpoint ? (this.portBase[this.ioRouter] as number) + PORT_IO0 : (this.portBase[e] as number) + PORT_LOCAL;
    const n = e === this.ioEndpoint ? this.ioLanes : 1;
    if (this.vc !== null) {
      for (let k = 0; k < n; k++) this.vc.hold(first + k, held);
      return;
    }
    for (let k = 0; k < n; k++) this.credits.set(first + k, held ? 0 : UNBOUNDED);
  }

  /** Flits of a packet of `bits` bits (1 unless noc.flitWidth is set). */
  flitsOf(bits: number): number {
    return this.vc !== null ? this.vc.flitsOf(bits) : 1;
  }

  /** Source endpoint of a flit being delivered. */
  flitSource(f: number): number {
    return this.pool.src[f] as number;
  }

  /** Router-to-router hops a flit crossed. */
  flitHops(f: number): number {
    return this.pool.hops[f] as number;
  }

  /** Cycle a flit entered its source router's input buffer. */
  flitEnterCycle(f: number): number {
    return this.pool.enter[f] as number;
  }

  /** Cycles a flit waited in input buffers beyond the zero-load latency. */
  flitBlocked(f: number): number {
    return this.pool.blocked[f] as number;
  }

  /** The tag given at injection. */
  flitTag(f: number): number {
    return this.pool.tag[f] as number;
  }

  /** Serial number (injection order) of a flit. */
  flitSerial(f: number): number {
    return this.pool.serial[f] as number;
  }

  /** Add router and I/O counters to a snapshot (created when absent). */
  counters(into: CounterSnapshot = { components: {} }): CounterSnapshot {
    this.routerCounters.snapshot(into);
    this.ioCounters.snapshot(into);
    return into;
  }

  /** Zero all counters (per-link loads included). */
  resetCounters(): void {
    this.routerCounters.reset();
    this.ioCounters.reset();
    this.linkCount.fill(0);
  }

  /** Flits carried by every router-to-router link since the last reset, in router then port order. */
  linkLoads(): LinkLoad[] {
    return this.links.loads();
  }

  /**
   * Register the network's VCD signals the writer selects: router.occupancy (flits
   * buffered per router) and link.activity (1 in cycles a flit is sent on a link).
   */
  attachVcd(vcd: VcdWriter): void {
    this.vcd = vcd;
    for (let r = 0; r < this.routers; r++) {
      const base = this.portBase[r] as number;
      const n = this.portCount[r] as number;
      const scope = ['noc', `router${r}`];
      if (vcd.wants('router.occupancy', r)) {
        this.occSig[r] = vcd.addSignal(scope, 'occupancy', Math.max(1, bitsFor(n * this.depth + 1)));
      }
      if (vcd.wants('link.activity', r)) {
        for (let p = 0; p < n; p++) {
          if ((this.down[base + p] as number) >= 0) this.linkSig[base + p] = vcd.addSignal(scope, `link_${portName(p)}`, 1);
        }
      }
    }
  }

  /** Write one CSV row per delivered packet. */
  attachPacketCsv(w: PacketCsvWriter): void {
    this.packetCsv = w;
  }

  /** Non-empty input buffers (for deadlock reports). */
  stuckBuffers(): StuckBuffer[] {
    if (this.vc !== null) return this.vc.stuckBuffers();
    const out: StuckBuffer[] = [];
    for (let r = 0; r < this.routers; r++) {
      const base = this.portBase[r] as number;
      for (let p = 0; p < (this.portCount[r] as number); p++) {
        const n = this.buffers.count[base + p] as number;
        if (n > 0) out.push({ component: `router.${r}`, buffer: `in.${portName(p)}`, occupancy: n, capacity: this.depth });
      }
    }
    return out;
  }

  private observeCredit(g: number, c: number): void {
    const r = this.portRouter[g] as number;
    (this.observer as MeshObserver).credit(r, g - (this.portBase[r] as number), c);
  }

  /** Output port (local index) a flit at router r, in local input port `inPort`, requests. */
  private route(r: number, inPort: number, f: number): number {
    const d = this.pool.dst[f] as number;
    const dr = this.endpointRouter[d] as number;
    if (dr === r) return d === this.ioEndpoint ? PORT_IO0 + (inPort % this.ioLanes) : PORT_LOCAL;
    return xyOutputPort(this.routerX[r] as number, this.routerY[r] as number, this.routerX[dr] as number, this.routerY[dr] as number);
  }

  private arrive(g: number, f: number, c: number): void {
    const r = this.portRouter[g] as number;
    this.buffers.push(g, f);
    const local = g - (this.portBase[r] as number);
    this.busyInputs[r] = (this.busyInputs[r] as number) | (1 << local);
    const p = this.pool;
    p.arrive[f] = c;
    p.out[f] = this.route(r, local, f);
    this.rc[r * this.rs + this.cBufW]++;
    this.occ[r] = (this.occ[r] as number) + 1;
    this.kernel.watchdog.progress();
    if (this.observer !== null) this.observer.arrive(r, local, f, c);
    if (this.vcd !== null && (this.occSig[r] as number) >= 0) this.vcd.set(this.occSig[r] as number, c, this.occ[r] as number);
    if (this.tickAt[r] !== c) {
      this.tickAt[r] = c;
      this.kernel.at(c, PHASE_ROUTER, this.hTick, r, 0);
    }
  }

  private tick(r: number, c: number): void {
    this.tickAt[r] = -1;
    const base = this.portBase[r] as number;
    const n = this.portCount[r] as number;
    const rc = this.rc;
    const ci = r * this.rs;
    rc[ci + this.cActive]++;
    // Switch allocation: the head flit of every busy input requests its output.
    const alloc = this.alloc;
    let granted = false;
    for (let outs = alloc.request(base, this.busyInputs[r] as number, this.buffers, this.pool.out); outs !== 0; outs &= outs - 1) {
      const o = 31 - Math.clz32(outs & -outs);
      const m = alloc.requests(o);
      const og = base + o;
      if (!this.credits.has(og)) {
        rc[ci + this.cStall] += popcount32(m);
        continue;
      }
      const i = alloc.grant(og, m, n);
      rc[ci + this.cConf] += popcount32(m) - 1;
      this.traverse(r, base + i, og, c);
      granted = true;
    }
    if ((this.occ[r] as number) > 0) {
      this.tickAt[r] = c + 1;
      this.kernel.at(c + 1, PHASE_ROUTER, this.hTick, r, 0);
    }
    if (!granted) this.kernel.watchdog.check();
  }

  /** Crossbar traversal of the flit granted from input `gin` to output `og` at cycle c. */
  private traverse(r: number, gin: number, og: number, c: number): void {
    const f = this.buffers.pop(gin);
    if (this.buffers.count[gin] === 0) {
      this.busyInputs[r] = (this.busyInputs[r] as number) & ~(1 << (gin - (this.portBase[r] as number)));
    }
    const p = this.pool;
    const rc = this.rc;
    const ci = r * this.rs;
    this.occ[r] = (this.occ[r] as number) - 1;
    rc[ci + this.cBufR]++;
    rc[ci + this.cXbar]++;
    p.blocked[f] = (p.blocked[f] as number) + c - (p.arrive[f] as number);
    if (this.observer !== null) {
      const base = this.portBase[r] as number;
      this.observer.grant(r, gin - base, og - base, f, c);
    }
    const up = this.up[gin] as number;
    if (up >= 0) this.kernel.at(c + this.creditDelay, PHASE_LINK, this.hCredit, up, 0);
    else this.kernel.at(c + this.creditDelay, PHASE_LINK, this.hInjCredit, gin, 0);
    // The credit and the flit in flight let waiters move later: no deadlock before then.
    const wd = this.kernel.watchdog;
    wd.expect(c + this.creditDelay);
    wd.expect(c + this.routerDelay + this.linkDelay);
    const d = this.down[og] as number;
    if (d >= 0) {
      this.credits.take(og);
      this.linkCount[og]++;
      rc[ci + this.cLinkF]++;
      rc[ci + this.cLinkB] += this.bits;
      p.hops[f] = (p.hops[f] as number) + 1;
      this.kernel.at(c + this.routerDelay + this.linkDelay, PHASE_LINK, this.hArrive, d, f);
      if (this.vcd !== null && (this.linkSig[og] as number) >= 0) {
        // The flit enters the link at c + routerDelay; a trace event keeps VCD time in order.
        this.kernel.at(c + this.routerDelay, PHASE_ROUTER, this.hLinkTrace, og, 0);
      }
    } else {
      this.kernel.at(c + this.routerDelay, PHASE_DELIVER, this.hEject, f, og);
    }
    wd.progress();
    if (this.vcd !== null && (this.occSig[r] as number) >= 0) this.vcd.set(this.occSig[r] as number, c, this.occ[r] as number);
  }

  private deliver(f: number, og: number, c: number): void {
    const r = this.portRouter[og] as number;
    this.rc[r * this.rs + this.cEject]++;
    const p = this.pool;
    const dst = p.dst[f] as number;
    if (dst === this.ioEndpoint) {
      this.ioc[this.cIoFlitsOut]++;
      this.ioc[this.cIoBitsOut] += this.bits;
    }
    if (this.packetCsv !== null) {
      this.packetCsv.packet(
        p.serial[f] as number,
        p.src[f] as number,
        dst,
        p.hops[f] as number,
        p.enter[f] as number,
        c,
        p.blocked[f] as number,
      );
    }
    this.client.onEject(dst, p.axon[f] as number, p.bit[f] as number, f, c);
    p.free(f);
  }
}
