/**
 * The mesh network-on-chip: W x H input-buffered routers joined by links, with an
 * injection/ejection interface to the cores and the I/O port.
 *
 * Two datapaths implement the routers: the single-lane router (single-lane-path.ts,
 * the chip's default: one buffer per input port, single-flit packets, a router delay
 * that adds latency only) and the VC router (vc-path.ts: virtual channels, wormhole
 * packets, pipelined allocators, multicast trees), chosen by the chip file's `noc`
 * section. Their timing rules are in the headers of those files and in
 * docs/timing-model.md.
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
 * This file assembles the routers, links (links.ts), the flit pool and the counters,
 * and gives the cores one interface whichever datapath runs.
 */
import { COUNTER_CATALOG } from '../../sim/counter-catalog';
import type { CounterSnapshot } from '../../sim/counter-catalog';
import { CounterTable } from '../../sim/counters';
import type { Kernel } from '../../sim/kernel';
import type { StuckBuffer } from '../../sim/watchdog';
import type { PacketCsvWriter } from '../../sim/packet-csv';
import type { VcdWriter } from '../../sim/vcd';
import { MESH_PORTS, PORT_IO0, PORT_LOCAL, portName } from '../router/ports';
import { xyHops, xyTreeSavedLinks } from '../router/route';
import { MAX_PORTS, type SwitchAllocator } from '../router/switch-alloc';
import type { MeshObserver, NocClient } from './client';
import { FlitPool } from './flit-pool';
import type { PathHost } from './path-host';
import type { InjectionChannels } from './injection';
import { MeshLinks, type LinkLoad } from './links';
import { SingleLanePath, type LaneBorder } from './single-lane-path';
import { VcPath, needsVcRouter } from './vc-path';
import { bitsFor } from '../../hw/packet';
import type { IoPlacement, NocParams } from '../../hw/noc-params';

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

export type { MeshObserver, NocClient } from './client';

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
  /** Ports, links and per-link flit counts. */
  readonly links: MeshLinks;
  /** Injection lanes of the single-lane router (their round-robin rotation is routing state). */
  readonly injection: InjectionChannels;
  /** Switch allocators of the single-lane router (their round-robin pointers are routing state). */
  readonly alloc: SwitchAllocator;

  private readonly width: number;
  private readonly depth: number;
  private readonly routerDelay: number;
  private readonly linkDelay: number;
  private readonly bits: number;
  private readonly ioLanes: number;
  private readonly mcBits: number;
  private readonly mcSet: Uint32Array;
  private readonly cMcSaved: number;
  private readonly pool: FlitPool;
  private readonly rc: Float64Array;
  private readonly rs: number;
  private serialNext = 0;
  private observer: MeshObserver | null = null;
  private client: NocClient | null = null;
  private vcd: VcdWriter | null = null;
  private packetCsv: PacketCsvWriter | null = null;
  private readonly occSig: Int32Array;
  private readonly linkSig: Int32Array;

  /** The single-lane router (also built, idle, when the VC router runs). */
  private readonly lane: SingleLanePath;
  /** The VC router (general path); null for the single-lane router. */
  private readonly vc: VcPath | null = null;

  constructor(kernel: Kernel, cfg: MeshConfig) {
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
    this.bits = cfg.packetBits;
    this.mcBits = cfg.multicastPacketBits ?? cfg.packetBits - bitsFor(width) - bitsFor(height) - 1 + width * height;
    this.mcSet = new Uint32Array(noc.multicast === 'tree' ? Math.ceil((width * height) / 32) : 0);
    this.pool = new FlitPool(64, noc.multicast === 'tree' ? Math.ceil((width * height) / 32) : 0);
    kernel.watchdog.limit = noc.watchdogCycles;

    const R = this.routers;
    const links = new MeshLinks(width, height, this.ioRouter, this.ioLanes);
    this.links = links;
    this.occSig = new Int32Array(links.ports).fill(-1);
    this.linkSig = new Int32Array(links.ports).fill(-1);

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
    const t = this.routerCounters;
    // Counter indices (looked up by catalog name, so a renamed counter fails loudly).
    const ci = {
      bufW: t.index('bufferWrites'),
      bufR: t.index('bufferReads'),
      xbar: t.index('crossbarTraversals'),
      conf: t.index('arbitrationConflicts'),
      stall: t.index('creditStalls'),
      linkF: t.index('linkFlits'),
      linkB: t.index('linkBits'),
      eject: t.index('packetsEjected'),
      active: t.index('activeCycles'),
    };
    this.cMcSaved = t.index('multicastFlitsSaved');
    const io_ = this.ioCounters;
    const cio = { flitsIn: io_.index('flitsIn'), flitsOut: io_.index('flitsOut'), bitsIn: io_.index('bitsIn'), bitsOut: io_.index('bitsOut') };
    const ioc = this.ioCounters.values;

    // What both datapaths count into and trace with.
    const common: PathHost = { kernel, pool: this.pool, rc: this.rc, rs: this.rs, ci, ioc, cio, occSig: this.occSig, linkSig: this.linkSig };
    this.lane = new SingleLanePath(
      {
        ...common,
        links,
        ioEndpoint: this.ioEndpoint,
        ioRouter: this.ioRouter,
        ioLanes: this.ioLanes,
        bits: this.bits,
      },
      noc,
    );
    this.injection = this.lane.injection;
    this.alloc = this.lane.alloc;
    kernel.watchdog.addReporter(() => this.stuckBuffers());
    if (cfg.forceVcRouter === true || needsVcRouter(noc)) {
      this.vc = new VcPath(
        {
          ...common,
          linkCount: links.count,
          nextSerial: () => this.serialNext++,
          vcd: () => this.vcd,
          packetCsv: () => this.packetCsv,
          onEject: (e, axon, bit, f, cycle) => this.client?.onEject(e, axon, bit, f, cycle),
          onCredit: (e, cycle) => this.client?.onCredit(e, cycle),
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
    this.lane.client = client;
  }

  /**
   * Send flits and credits for the routers `border.remote` marks to `border` (a
   * region-parallel run, single-lane router only); returns the datapath that takes
   * those of the other regions (arriveFromBorder, creditFromBorder).
   */
  attachBorder(border: LaneBorder): SingleLanePath {
    if (this.vc !== null) throw new Error('a region-parallel run needs the single-lane router');
    this.lane.border = border;
    return this.lane;
  }

  /** Report flit movements and credit returns to `o` (null = stop). */
  attachObserver(o: MeshObserver | null): void {
    this.observer = o;
    this.lane.observer = o;
    this.lane.updateLean();
  }

  /**
   * Lean mode of the single-lane router (single-lane-path.ts): same cycles, fewer
   * events; credits return without events, the client hears onCredit only after
   * awaitCredit, and onEject comes at the grant with the (later) cycle the delivery
   * completes. For a client (the chip) that sleeps only on a missing credit and reads
   * what it receives only after a barrier it holds until that cycle.
   */
  setLean(on: boolean): void {
    this.lane.setLean(on);
  }

  /** Endpoint `e` found no injection credit and waits for onCredit (needed in lean mode, harmless otherwise). */
  awaitCredit(e: number): void {
    if (this.vc === null) this.lane.awaitCredit(e);
  }

  /** Clients woken after awaitCredit in lean mode so far. */
  get creditWakeups(): number {
    return this.lane.wakeups;
  }

  /** Core flits whose arrival at their own router was decided at injection (lean mode) so far. */
  get arrivalsAhead(): number {
    return this.lane.arrivalsAhead;
  }

  /** Flits whose arrival at their destination router was decided one hop before (lean mode) so far. */
  get lastHopsAhead(): number {
    return this.lane.lastHopsAhead;
  }

  /** Router ticks the lean single-lane router skipped while routers slept on a missing credit (lean mode) so far. */
  get ticksSlept(): number {
    return this.lane.ticksSlept;
  }

  /** True while a credit returned without an event (lean mode) is still on its way after the current cycle. */
  get creditsInFlight(): boolean {
    return this.vc === null && this.lane.creditsInFlight;
  }

  /** Flits in input buffer `port` of router `r` now. */
  inputOccupancy(r: number, port: number): number {
    const g = (this.links.portBase[r] as number) + port;
    return this.vc !== null ? this.vc.occupancy(g) : this.lane.occupancy(g);
  }

  /**
   * Credits now held for output `port` of router `r`: free slots of the neighbour's
   * input buffer for a mesh port, the endpoint's injection credits for the Local port
   * or an I/O lane (the sender of that input), -1 for a mesh port at the mesh edge.
   */
  senderCredits(r: number, port: number): number {
    const g = (this.links.portBase[r] as number) + port;
    if (this.vc !== null) return port < PORT_LOCAL ? ((this.links.down[g] as number) >= 0 ? this.vc.credits(g, false) : -1) : this.vc.credits(g, true);
    return this.lane.senderCredits(g, port < PORT_LOCAL);
  }

  /** Ports of router `r` (5, plus the I/O lanes at the I/O router). */
  portsOf(r: number): number {
    return this.links.portCount[r] as number;
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

  /** True when endpoint `e` certainly has no injection credit next cycle (lean single-lane router, after the routers' phase); false when unsure. */
  noCreditNext(e: number): boolean {
    return this.vc === null && this.lane.noCreditNext(e);
  }

  /** Whether endpoint `e` can inject a flit in the current cycle. */
  canInject(e: number, cls = 0): boolean {
    if (this.vc !== null) return this.vc.freeLane(e, cls, false) >= 0;
    return this.lane.canInject(e);
  }

  /**
   * Endpoint `src` injects a packet for endpoint `dst` in the current cycle; it
   * enters the source router's input buffer next cycle. Returns its serial number.
   */
  inject(src: number, dst: number, axon: number, bit: number, tag = 0, cls = 0, bits = this.bits): number {
    if (!(dst >= 0 && dst <= this.routers) || !Number.isInteger(dst)) throw new Error(`inject: no endpoint ${dst}`);
    if (this.vc !== null) return this.vc.inject(src, dst, null, axon, bit, tag, cls, bits);
    const serial = this.serialNext;
    // Counted before: in lean mode the packet may be delivered (ahead) inside the call, and the chip's barrier counts both.
    this.serialNext = serial + 1;
    this.lane.inject(src, dst, axon, bit, tag, serial);
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
    for (const d of dsts) {
      if (!(Number.isInteger(d) && d >= 0 && d < this.routers)) throw new Error(`injectMulticast: ${d} is not a core of the ${w}x${this.routers / w} mesh`);
      if ((((set[d >>> 5] as number) >>> (d & 31)) & 1) === 1) throw new Error(`injectMulticast: destination ${d} listed twice`);
      set[d >>> 5] = ((set[d >>> 5] as number) | (1 << (d & 31))) >>> 0;
    }
    return this.injectMulticastSet(src, set, xyTreeSavedLinks(this.routerOf(src), dsts, w), axon, bit, tag, bits);
  }

  /**
   * As injectMulticast, with the destination bit-vector (bit d = core d; W*H bits) and
   * the router-to-router links its tree saves (xyTreeSavedLinks) prepared by the
   * caller, so a core sending the same set again allocates nothing.
   */
  injectMulticastSet(src: number, set: Uint32Array, savedLinks: number, axon: number, bit: number, tag = 0, bits = this.mcBits): number {
    if (this.vc === null || this.mcSet.length === 0) throw new Error('injectMulticast: the chip has noc.multicast "unicast"');
    const sr = this.routerOf(src);
    this.rc[sr * this.rs + this.cMcSaved] += savedLinks * this.vc.flitsOf(bits);
    return this.vc.inject(src, -1, set, axon, bit, tag, 0, bits);
  }

  /** Stop (held = true) or resume deliveries to endpoint `e` (models a receiver that cannot accept). */
  holdEjection(e: number, held: boolean): void {
    const base = this.links.portBase;
    const first = e === this.ioEndpoint ? (base[this.ioRouter] as number) + PORT_IO0 : (base[e] as number) + PORT_LOCAL;
    const n = e === this.ioEndpoint ? this.ioLanes : 1;
    for (let k = 0; k < n; k++) {
      if (this.vc !== null) this.vc.hold(first + k, held);
      else this.lane.hold(first + k, held);
    }
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
    this.lane.settleSleep();
    this.routerCounters.snapshot(into);
    this.ioCounters.snapshot(into);
    return into;
  }

  /** Zero all counters (per-link loads included). */
  resetCounters(): void {
    this.lane.settleSleep();
    this.routerCounters.reset();
    this.ioCounters.reset();
    this.links.count.fill(0);
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
    this.lane.vcd = vcd;
    this.lane.updateLean();
    for (let r = 0; r < this.routers; r++) {
      const base = this.links.portBase[r] as number;
      const n = this.links.portCount[r] as number;
      const scope = ['noc', `router${r}`];
      if (vcd.wants('router.occupancy', r)) {
        this.occSig[r] = vcd.addSignal(scope, 'occupancy', Math.max(1, bitsFor(n * this.depth + 1)));
      }
      if (vcd.wants('link.activity', r)) {
        for (let p = 0; p < n; p++) {
          if ((this.links.down[base + p] as number) >= 0) this.linkSig[base + p] = vcd.addSignal(scope, `link_${portName(p)}`, 1);
        }
      }
    }
  }

  /** Write one CSV row per delivered packet. */
  attachPacketCsv(w: PacketCsvWriter): void {
    this.packetCsv = w;
    this.lane.packetCsv = w;
    this.lane.updateLean();
  }

  /** Non-empty input buffers (for deadlock reports). */
  stuckBuffers(): StuckBuffer[] {
    return this.vc !== null ? this.vc.stuckBuffers() : this.lane.stuckBuffers();
  }

  private observeCredit(g: number, c: number): void {
    const r = this.links.portRouter[g] as number;
    (this.observer as MeshObserver).credit(r, g - (this.links.portBase[r] as number), c);
  }
}
