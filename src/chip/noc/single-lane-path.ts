/**
 * The single-lane router's datapath for a whole mesh (the chip's default router, the
 * fast path of Mesh): one input buffer per port, single-flit packets, XY routing,
 * round-robin switch allocation per output, credit-based flow control, and a router
 * pipeline whose delay adds latency only.
 *
 * Timing (all integer cycles; docs/timing-model.md):
 *   inject at cycle c            -> flit in the source router's input buffer at c + 1
 *   granted at router at cycle g -> next router's input buffer at g + routerDelay + linkDelay
 *                                -> or, at its destination, delivered at g + routerDelay
 *   credit of the freed slot     -> back at the sender at g + creditDelay
 * A flit may be granted in the cycle it enters a buffer (PHASE_LINK runs before
 * PHASE_ROUTER). Each output grants at most one flit per cycle, chosen by a
 * round-robin arbiter among the inputs whose head flit requests it; each input
 * sends at most one flit per cycle (only its head can request). A neighbour output
 * needs a credit (one per free slot of the downstream buffer); ejection never
 * waits unless the endpoint is held. Idle routers cost nothing: a router ticks
 * (PHASE_ROUTER) only in cycles in which it holds at least one flit.
 *
 * Lean mode (setLean, the chip's; off while an observer, VCD or packet CSV watches):
 * the same cycles and decisions with fewer events. A credit returns without an event:
 * it is kept with its return cycle and counted by whoever next reads that output's or
 * lane's credits in a cycle at or after it (every reader runs after PHASE_LINK, where
 * the event would have given it). The endpoint client is woken (onCredit) only after
 * it asked (awaitCredit), at the return cycle of the credit it waits for. A flit that
 * arrives at a router holding no flit, with no other arrival due there in the same
 * cycle, is arbitrated on arrival: the router's tick of that cycle would see exactly
 * this flit and these credits, so it runs inside the arrival (when it grants). A flit
 * granted to its ejection port is handed to the client at the grant, with the cycle
 * its delivery completes (g + routerDelay): the chip writes axon registers that are
 * read only after the step barrier, and holds the barrier until that cycle.
 * In lean mode a cycle's arrivals and router ticks are kept in per-cycle lists, in the
 * order their events would have been scheduled, and run by one kernel event per cycle
 * and phase (they count as executed events). A router whose tick granted nothing (each
 * requested output without a credit) would repeat that tick unchanged every cycle: it
 * sleeps instead until a credit of a requested output is back, a flit enters it, an
 * ejection hold is released, or the watchdog's deadline (the kernel's alarm), and its
 * next tick first counts the skipped ones (activeCycles, creditStalls). A woken router
 * may tick in another order among the routers of its cycle; their ticks read nothing
 * another tick of that cycle writes (credits come back creditDelay >= 1 cycles later,
 * flits arrive routerDelay + linkDelay later), so no grant changes; only which flits
 * lastHopAhead's conservative tests decide early, and the order of one cycle's
 * deliveries to the client, may differ.
 *
 * The stages are the router's rooms: route computation (../router/route.ts), input
 * buffers (../router/input-buffers.ts), switch allocation (../router/switch-alloc.ts),
 * credits (../router/credits.ts), injection channels (injection.ts); this file
 * sequences them (arrive, tick, traverse, deliver).
 */
import type { Kernel } from '../../sim/kernel';
import type { PacketCsvWriter } from '../../sim/packet-csv';
import type { StuckBuffer, Watchdog } from '../../sim/watchdog';
import type { VcdWriter } from '../../sim/vcd';
import { popcount32 } from '../../kernels';
import { OutputCredits, UNBOUNDED } from '../router/credits';
import { InputBuffers } from '../router/input-buffers';
import { PORT_IO0, PORT_LOCAL, portName } from '../router/ports';
import { xyOutputPort } from '../router/route';
import { SwitchAllocator } from '../router/switch-alloc';
import { NO_CLIENT, type MeshObserver, type NocClient } from './client';
import type { FlitPool } from './flit-pool';
import { InjectionChannels } from './injection';
import type { MeshLinks } from './links';
import type { NocParams } from '../../hw/noc-params';
import type { PathHost } from './path-host';
import { PHASE_DELIVER, PHASE_LINK, PHASE_ROUTER } from './phases';
import { SlotLists } from './slot-lists';

/** What the single-lane path shares with its Mesh besides the common host state: links, the I/O port and the packet width. */
export interface SingleLaneHost extends PathHost {
  readonly links: MeshLinks;
  readonly ioEndpoint: number;
  readonly ioRouter: number;
  readonly ioLanes: number;
  /** Bits of one packet, paid per flit on links and at the I/O port. */
  readonly bits: number;
}

/**
 * Where flits and credits bound for another region's routers go in a region-parallel
 * run (../parallel): they cross through shared memory instead of this kernel.
 */
export interface LaneBorder {
  /** Per global port: 1 when its router belongs to another region. */
  readonly remote: Uint8Array;
  /** Flit f of `pool` (freed after the call) enters input port g of another region at `cycle`. */
  flit(g: number, f: number, cycle: number, pool: FlitPool): void;
  /** A credit for output port g of another region comes back at `cycle`. */
  credit(g: number, cycle: number): void;
}

/** The single-lane router of every tile of a mesh. */
export class SingleLanePath {
  /** Injection lanes (their round-robin rotation is routing state). */
  readonly injection: InjectionChannels;
  /** Switch allocators (their round-robin pointers are routing state). */
  readonly alloc: SwitchAllocator;
  /** Receiver of deliveries and credits; observer, VCD and packet CSV (null when off). */
  client: NocClient = NO_CLIENT;
  observer: MeshObserver | null = null;
  vcd: VcdWriter | null = null;
  packetCsv: PacketCsvWriter | null = null;
  /** Region border of a region-parallel run (null: this path simulates every router). */
  border: LaneBorder | null = null;

  private readonly kernel: Kernel;
  private readonly wd: Watchdog;
  /** routerDelay + linkDelay (grant to next arrival), and the later of that and creditDelay (what a grant lets move last). */
  private readonly hopDelay: number;
  private readonly flightDelay: number;
  private readonly pool: FlitPool;
  private readonly rc: Float64Array;
  private readonly rs: number;
  private readonly ioc: Float64Array;
  private readonly occSig: Int32Array;
  private readonly linkSig: Int32Array;
  private readonly ioEndpoint: number;
  private readonly ioRouter: number;
  private readonly ioLanes: number;
  private readonly bits: number;
  private readonly depth: number;
  private readonly routerDelay: number;
  private readonly linkDelay: number;
  private readonly creditDelay: number;
  private readonly routers: number;
  private readonly portBase: Int32Array;
  private readonly portCount: Int32Array;
  private readonly portRouter: Int32Array;
  private readonly down: Int32Array;
  private readonly up: Int32Array;
  private readonly routerX: Int32Array;
  private readonly routerY: Int32Array;
  private readonly linkCount: Float64Array;
  /** Per endpoint: the router it attaches to. */
  private readonly endpointRouter: Int32Array;
  private readonly credits: OutputCredits;
  private readonly buffers: InputBuffers;
  /** Per router: the cycle of its scheduled tick (-1 = none), flits buffered, and bit i set when input port i holds a flit. */
  private readonly tickAt: Float64Array;
  private readonly occ: Int32Array;
  private readonly busyInputs: Int32Array;
  /** Per router and cycle mod arrMask + 1: flit arrivals scheduled and not yet run. */
  private readonly arrPend: Int32Array;
  private readonly arrMask: number;
  private readonly arrShift: number;
  /** Lean mode asked for (setLean) and in force (no observer, VCD or packet CSV). */
  private leanAsked = false;
  private lean = false;
  /** Credits on their way back (lean mode), per global port (a mesh output, or an injection lane): return cycles, FIFO of at most `depth`. */
  private readonly due: Float64Array;
  private readonly dueHead: Int32Array;
  private readonly dueLen: Int32Array;
  /** Latest return cycle of a credit kept in `due`. */
  private lastDue = -1;
  /** Per endpoint: 1 while its client waits for a credit that has not been granted back yet. */
  private readonly awaiting: Uint8Array;
  /** Clients woken after awaitCredit in lean mode (tests check that the path runs). */
  wakeups = 0;
  /** Core flits whose first arrival was decided at their injection (arriveAhead; tests check that the path runs). */
  arrivalsAhead = 0;
  /** Flits whose arrival at their destination router was decided at their grant one hop before (lastHopAhead; tests check that the path runs). */
  lastHopsAhead = 0;
  /** Per router: the cycle of the last arrival decided by lastHopAhead (-1: none). */
  private readonly aheadAt: Float64Array;
  /**
   * Lean mode: per cycle slot (t & arrMask), the arrivals due at t (pairs g, f) and the
   * routers to tick at t, each in scheduling order, run by one kernel event per cycle
   * and phase: the order of the per-flit events they replace (the only events of their
   * phase in lean mode, besides the client wake-ups, which touch neither buffers nor
   * router state), without a kernel event each. slotCycle: the cycle a non-empty slot holds.
   */
  private readonly arrivals: SlotLists;
  private readonly ticks: SlotLists;
  private readonly hArrivals: number;
  private readonly hTicks: number;
  /** A router's tick at a cycle too far ahead for the per-cycle lists (a wake-up; stale when tickAt moved). */
  private readonly hTickAt: number;
  /** The watchdog's deadline for the sleeping routers: the kernel's alarm (cleared when none sleeps), one for all of them. */
  private readonly hWatchdogWake: number;
  private alarmSet = false;
  /** Routers asleep now. */
  private sleepers = 0;
  /**
   * Lean mode, per router asleep: the first cycle whose tick it skipped (-1: awake), the
   * credit stalls each skipped tick would have counted, and the local outputs its head
   * flits wait for. A router whose tick granted nothing (every requested output without
   * a credit) repeats that tick every cycle, unchanged, until a flit enters it or a
   * credit of a requested output is back: it sleeps until then instead, and its next
   * tick first counts the skipped ones (activeCycles, creditStalls). It wakes in the
   * cycle the credit is back (the earliest return already kept, or one kept later), when
   * a flit enters (enter schedules its tick), when an ejection hold is released, or at
   * the watchdog's deadline (the kernel's alarm, one for all sleepers; so a deadlock
   * trips in the same cycle as before).
   */
  private readonly sleepFrom: Float64Array;
  private readonly sleepStalls: Float64Array;
  private readonly sleepOuts: Int32Array;
  /** Router ticks skipped by sleeping so far (tests check that the path runs). */
  ticksSlept = 0;

  private readonly hArrive: number;
  private readonly hCredit: number;
  private readonly hInjCredit: number;
  private readonly hTick: number;
  private readonly hEject: number;
  private readonly hLinkTrace: number;
  private readonly hWake: number;

  // Counter indices.
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

  constructor(host: SingleLaneHost, noc: NocParams) {
    const links = host.links;
    this.kernel = host.kernel;
    this.wd = host.kernel.watchdog;
    this.pool = host.pool;
    this.rc = host.rc;
    this.rs = host.rs;
    this.ioc = host.ioc;
    this.occSig = host.occSig;
    this.linkSig = host.linkSig;
    this.ioEndpoint = host.ioEndpoint;
    this.ioRouter = host.ioRouter;
    this.ioLanes = host.ioLanes;
    this.bits = host.bits;
    this.depth = noc.bufferDepth;
    this.routerDelay = noc.routerDelay;
    this.linkDelay = noc.linkDelay;
    this.creditDelay = noc.creditDelay;
    this.hopDelay = noc.routerDelay + noc.linkDelay;
    this.flightDelay = Math.max(this.hopDelay, noc.creditDelay);
    this.cBufW = host.ci.bufW;
    this.cBufR = host.ci.bufR;
    this.cXbar = host.ci.xbar;
    this.cConf = host.ci.conf;
    this.cStall = host.ci.stall;
    this.cLinkF = host.ci.linkF;
    this.cLinkB = host.ci.linkB;
    this.cEject = host.ci.eject;
    this.cActive = host.ci.active;
    this.cIoFlitsIn = host.cio.flitsIn;
    this.cIoFlitsOut = host.cio.flitsOut;
    this.cIoBitsIn = host.cio.bitsIn;
    this.cIoBitsOut = host.cio.bitsOut;

    const R = links.routerX.length;
    const P = links.ports;
    this.routers = R;
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
    this.tickAt = new Float64Array(R).fill(-1);
    this.sleepFrom = new Float64Array(R).fill(-1);
    this.sleepStalls = new Float64Array(R);
    this.sleepOuts = new Int32Array(R);
    this.occ = new Int32Array(R);
    this.busyInputs = new Int32Array(R);
    // Arrivals lie at most routerDelay + linkDelay cycles ahead.
    let k = 2;
    while (k <= this.routerDelay + this.linkDelay) k *= 2;
    this.arrMask = k - 1;
    this.arrShift = 31 - Math.clz32(k);
    this.arrPend = new Int32Array(R * k);
    this.arrivals = new SlotLists(k, 2, 32, 'arrival');
    this.ticks = new SlotLists(k, 1, 32, 'tick');
    this.due = new Float64Array(P * this.depth);
    this.dueHead = new Int32Array(P);
    this.dueLen = new Int32Array(P);
    this.awaiting = new Uint8Array(R + 1);
    this.aheadAt = new Float64Array(R).fill(-1);
    this.endpointRouter = new Int32Array(R + 1);
    for (let r = 0; r < R; r++) this.endpointRouter[r] = r;
    this.endpointRouter[R] = host.ioRouter;
    this.buffers = new InputBuffers(P, this.depth);
    for (let g = 0; g < P; g++) if ((this.down[g] as number) >= 0) this.credits.set(g, this.depth);
    for (let r = 0; r < R; r++) {
      // Local port: the core injects into it and receives from it.
      const local = (this.portBase[r] as number) + PORT_LOCAL;
      this.credits.set(local, UNBOUNDED);
      this.injection.connect(r, local, 1, this.depth);
    }
    const ioBase = (this.portBase[host.ioRouter] as number) + PORT_IO0;
    for (let k = 0; k < this.ioLanes; k++) this.credits.set(ioBase + k, UNBOUNDED);
    this.injection.connect(this.ioEndpoint, ioBase, this.ioLanes, this.depth);

    const kernel = this.kernel;
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
    this.hTick = kernel.register((r, _b, c) => {
      if (this.tickAt[r] === c) this.tick(r, c);
    });
    this.hTickAt = kernel.register((r, _b, c) => {
      if (this.tickAt[r] === c) this.tick(r, c);
    });
    this.hWatchdogWake = kernel.register((_a, _b, c) => this.watchdogWake(c));
    this.hArrivals = kernel.register((_a, _b, c) => this.runArrivals(c));
    this.hTicks = kernel.register((_a, _b, c) => this.runTicks(c));
    this.hEject = kernel.register((f, g, c) => this.deliver(f, g, c));
    this.hLinkTrace = kernel.register((g, _b, c) => this.vcd?.pulse(this.linkSig[g] as number, c));
    this.hWake = kernel.register((e, _b, c) => {
      this.wakeups++;
      this.absorbLanes(e, c);
      this.client.onCredit(e, c);
    });
    kernel.onRebase((delta) => {
      const t = this.tickAt;
      for (let r = 0; r < t.length; r++) {
        t[r] = (t[r] as number) - delta;
        if ((this.sleepFrom[r] as number) >= 0) this.sleepFrom[r] = (this.sleepFrom[r] as number) - delta;
      }
      this.injection.rebase(delta);
      const d = this.due;
      for (let k = 0; k < d.length; k++) d[k] = (d[k] as number) - delta;
      const a = this.aheadAt;
      for (let r = 0; r < a.length; r++) a[r] = (a[r] as number) - delta;
      this.lastDue -= delta;
    });
  }

  /** Flits in input buffer `g` (a global port index) now. */
  occupancy(g: number): number {
    return this.buffers.count[g] as number;
  }

  /** Credits now held for global output port `g` (see Mesh.senderCredits). */
  senderCredits(g: number, meshPort: boolean): number {
    const now = this.kernel.now;
    if (meshPort) {
      if ((this.down[g] as number) < 0) return -1;
      this.absorb(g, now, this.credits.count);
      return this.credits.count[g] as number;
    }
    this.absorb(g, now, this.injection.credits);
    return this.injection.credits[g] as number;
  }

  /**
   * Lean mode on or off (see the file header): the chip's, whose client needs onCredit
   * only as a wake-up after awaitCredit and takes deliveries ahead of their cycle
   * (onEject's cycle may lie ahead of now). In force only while nothing watches the mesh.
   */
  setLean(on: boolean): void {
    this.leanAsked = on;
    this.updateLean();
  }

  /** Re-evaluate lean mode after a change of what watches the mesh; leaving it, credits still on their way go back to events. */
  updateLean(): void {
    const lean = this.leanAsked && this.observer === null && this.vcd === null && this.packetCsv === null;
    if (lean === this.lean) return;
    this.lean = lean;
    if (lean) return;
    const now = this.kernel.now;
    // Sleeping routers tick every cycle again, from the cycle their next tick would have come
    // (the current one unless the routers' phase of it is over); the lists' pending entries still run.
    const next = this.kernel.isRunning && this.kernel.phase > PHASE_ROUTER ? now + 1 : now;
    for (let r = 0; r < this.routers; r++) {
      const from = this.sleepFrom[r] as number;
      if (from < 0) continue;
      const w = from > next ? from : next;
      if ((this.tickAt[r] as number) < 0 || (this.tickAt[r] as number) > w) this.scheduleTick(r, w);
    }
    const depth = this.depth;
    for (let g = 0; g < this.dueLen.length; g++) {
      const lane = (this.down[g] as number) < 0;
      const into = lane ? this.injection.credits : this.credits.count;
      while ((this.dueLen[g] as number) > 0) {
        const h = this.dueHead[g] as number;
        const t = this.due[g * depth + h] as number;
        this.dueHead[g] = h + 1 === depth ? 0 : h + 1;
        this.dueLen[g] = (this.dueLen[g] as number) - 1;
        if (t <= now) into[g] = (into[g] as number) + 1;
        else if (lane) this.kernel.at(t, PHASE_LINK, this.hInjCredit, g, 0);
        else this.kernel.at(t, PHASE_LINK, this.hCredit, g, 0);
      }
    }
    this.awaiting.fill(0);
  }

  /** True while a credit returned without an event (lean mode) is still on its way after the current cycle. */
  get creditsInFlight(): boolean {
    return this.lastDue > this.kernel.now;
  }

  /** Count the credits of global port `g` that are back by cycle `now` into `into[g]`. */
  private absorb(g: number, now: number, into: Int32Array): void {
    let n = this.dueLen[g] as number;
    if (n === 0) return;
    const depth = this.depth;
    let h = this.dueHead[g] as number;
    while (n > 0 && (this.due[g * depth + h] as number) <= now) {
      into[g] = (into[g] as number) + 1;
      h = h + 1 === depth ? 0 : h + 1;
      n--;
    }
    this.dueHead[g] = h;
    this.dueLen[g] = n;
  }

  /** Count the injection credits of endpoint `e`'s lanes that are back by `now`. */
  private absorbLanes(e: number, now: number): void {
    const inj = this.injection;
    const first = inj.laneFirst[e] as number;
    const end = first + (inj.laneCount[e] as number);
    for (let g = first; g < end; g++) this.absorb(g, now, inj.credits);
  }

  /** Keep a credit of global port `g` returning at cycle `t` (lean mode). */
  private keepCredit(g: number, t: number): void {
    const n = this.dueLen[g] as number;
    let slot = (this.dueHead[g] as number) + n;
    if (slot >= this.depth) slot -= this.depth;
    this.due[g * this.depth + slot] = t;
    this.dueLen[g] = n + 1;
    if (t > this.lastDue) this.lastDue = t;
  }

  /**
   * Endpoint `e` found no injection credit and sleeps until onCredit (lean mode: only
   * then is it told; otherwise every credit return tells it anyway).
   */
  awaitCredit(e: number): void {
    if (!this.lean) return;
    const inj = this.injection;
    const first = inj.laneFirst[e] as number;
    const end = first + (inj.laneCount[e] as number);
    let t = Infinity;
    for (let g = first; g < end; g++) {
      if ((this.dueLen[g] as number) > 0) {
        const d = this.due[g * this.depth + (this.dueHead[g] as number)] as number;
        if (d < t) t = d;
      }
    }
    if (t !== Infinity) this.kernel.at(t, PHASE_LINK, this.hWake, e, 0);
    else this.awaiting[e] = 1;
  }

  /** Whether endpoint `e` can inject a flit in the current cycle. */
  canInject(e: number): boolean {
    const now = this.kernel.now;
    if (this.lean) this.absorbLanes(e, now);
    return this.injection.freeLane(e, now, false) >= 0;
  }

  /**
   * Lean mode, after the routers' phase of the current cycle: true when no lane of
   * endpoint `e` will hold a credit next cycle (none held now, none due back by then:
   * a credit back by next cycle comes from a grant up to this cycle, all kept by now).
   * False when unsure (not lean).
   */
  noCreditNext(e: number): boolean {
    if (!this.lean || this.kernel.phase <= PHASE_ROUTER) return false;
    const inj = this.injection;
    const first = inj.laneFirst[e] as number;
    const end = first + (inj.laneCount[e] as number);
    const next = this.kernel.now + 1;
    for (let g = first; g < end; g++) {
      if ((inj.credits[g] as number) > 0) return false;
      if ((this.dueLen[g] as number) > 0 && (this.due[g * this.depth + (this.dueHead[g] as number)] as number) <= next) return false;
    }
    return true;
  }

  /** A flit is due at input port `g` at cycle `t`. */
  private scheduleArrival(g: number, f: number, t: number): void {
    const r = this.portRouter[g] as number;
    const k = (r << this.arrShift) + (t & this.arrMask);
    this.arrPend[k] = (this.arrPend[k] as number) + 1;
    if (!this.lean) {
      this.kernel.at(t, PHASE_LINK, this.hArrive, g, f);
      return;
    }
    if (this.arrivals.push(t & this.arrMask, t, g, f)) this.kernel.at(t, PHASE_LINK, this.hArrivals, 0, 0);
  }

  /** Router r ticks at cycle c (PHASE_ROUTER). */
  private scheduleTick(r: number, c: number): void {
    this.tickAt[r] = c;
    if (!this.lean) {
      this.kernel.at(c, PHASE_ROUTER, this.hTick, r, 0);
      return;
    }
    if (this.ticks.push(c & this.arrMask, c, r, 0)) this.kernel.at(c, PHASE_ROUTER, this.hTicks, 0, 0);
  }

  /** Router r, asleep, ticks again at cycle w (>= its first skipped cycle), unless an earlier tick is due. */
  private wake(r: number, w: number): void {
    const at = this.tickAt[r] as number;
    if (at >= 0 && at <= w) return;
    if (w - this.kernel.now <= this.arrMask) this.scheduleTick(r, w);
    else {
      this.tickAt[r] = w;
      this.kernel.at(w, PHASE_ROUTER, this.hTickAt, r, 0);
    }
  }

  /**
   * Router r's tick at cycle c granted nothing: every output in `outs` (local mask)
   * lacks a credit and its head flits wait, which counted `stalls` credit stalls. Sleep
   * until the first credit of those outputs already on its way is back (or the
   * watchdog's deadline), unless that is the next cycle anyway.
   */
  private sleep(r: number, c: number, outs: number, stalls: number): void {
    const base = this.portBase[r] as number;
    const depth = this.depth;
    let w = Infinity;
    for (let m = outs; m !== 0; m &= m - 1) {
      const og = base + (31 - Math.clz32(m & -m));
      if ((this.dueLen[og] as number) > 0) {
        const t = this.due[og * depth + (this.dueHead[og] as number)] as number;
        if (t < w) w = t;
      }
    }
    if (w <= c + 1) {
      this.scheduleTick(r, c + 1);
      return;
    }
    this.sleepFrom[r] = c + 1;
    this.sleepStalls[r] = stalls;
    this.sleepOuts[r] = outs;
    this.sleepers++;
    if (w !== Infinity) this.wake(r, w);
    if (!this.alarmSet) {
      const d = this.wd.deadline;
      if (d !== Infinity) {
        this.alarmSet = true;
        this.kernel.setAlarm(d, PHASE_ROUTER, this.hWatchdogWake);
      }
    }
  }

  /**
   * Alarm at the watchdog's deadline as it stood when a router fell asleep: when progress
   * has moved it since, wait for the new one; otherwise every sleeping router ticks now,
   * and those ticks check (and trip) the watchdog as their every-cycle ticks would have.
   */
  private watchdogWake(c: number): void {
    this.alarmSet = false;
    if (this.sleepers === 0) return;
    const d = this.wd.deadline;
    if (d > c) {
      if (d === Infinity) return;
      this.alarmSet = true;
      this.kernel.setAlarm(d, PHASE_ROUTER, this.hWatchdogWake);
      return;
    }
    for (let r = 0; r < this.routers; r++) {
      const from = this.sleepFrom[r] as number;
      if (from >= 0) this.wake(r, from > c ? from : c);
    }
  }

  /**
   * Count the ticks sleeping routers skipped up to now into their counters (for a
   * reader of the counters while flits wait: the chip reads them only at barriers, with
   * the network empty). Inside a run, a tick of the current cycle counts once the
   * routers' phase is over.
   */
  settleSleep(): void {
    const k = this.kernel;
    const upTo = !k.isRunning || k.phase > PHASE_ROUTER ? k.now + 1 : k.now;
    for (let r = 0; r < this.routers; r++) {
      const from = this.sleepFrom[r] as number;
      if (from < 0) continue;
      const at = this.tickAt[r] as number;
      const to = at >= 0 && at < upTo ? at : upTo;
      if (to <= from) continue;
      const ci = r * this.rs;
      this.rc[ci + this.cActive] += to - from;
      this.rc[ci + this.cStall] += (to - from) * (this.sleepStalls[r] as number);
      this.ticksSlept += to - from;
      this.sleepFrom[r] = to;
    }
  }

  /** Event: the arrivals of cycle c, in the order they were scheduled (lean mode). */
  private runArrivals(c: number): void {
    const s = c & this.arrMask;
    const k = this.kernel;
    const a = this.arrivals;
    let i = 0;
    while (i < (a.len[s] as number)) {
      // Read the list each time: an arrival may grow it (a decision ahead for this cycle).
      const list = a.lists[s] as Int32Array;
      const g = list[2 * i] as number;
      const f = list[2 * i + 1] as number;
      i++;
      this.arrive(g, f, c);
      if (k.stopping && i < (a.len[s] as number)) {
        // The kernel returns after this event: the rest waits for its next run, in order.
        a.keepFrom(s, i);
        k.countBatched(i - 1);
        k.at(c, PHASE_LINK, this.hArrivals, 0, 0);
        return;
      }
    }
    k.countBatched(i - 1);
    a.len[s] = 0;
  }

  /** Event: the router ticks of cycle c, in the order they were scheduled (lean mode). */
  private runTicks(c: number): void {
    const s = c & this.arrMask;
    const k = this.kernel;
    const ticks = this.ticks;
    let i = 0;
    while (i < (ticks.len[s] as number)) {
      const r = (ticks.lists[s] as Int32Array)[i] as number;
      i++;
      // Stale when the router's tick moved (woken earlier, or already ran in this cycle).
      if (this.tickAt[r] === c) this.tick(r, c);
      if (k.stopping && i < (ticks.len[s] as number)) {
        ticks.keepFrom(s, i);
        k.countBatched(i - 1);
        k.at(c, PHASE_ROUTER, this.hTicks, 0, 0);
        return;
      }
    }
    k.countBatched(i - 1);
    ticks.len[s] = 0;
  }

  /** Endpoint `src` injects packet `serial` for endpoint `dst` in the current cycle; it enters the source router's input buffer next cycle. */
  inject(src: number, dst: number, axon: number, bit: number, tag: number, serial: number): void {
    const now = this.kernel.now;
    if (this.lean) this.absorbLanes(src, now);
    const lane = this.injection.freeLane(src, now, true);
    if (lane < 0) throw new Error(`inject: endpoint ${src} has no injection credit in cycle ${now}`);
    this.injection.take(lane, now);
    const p = this.pool;
    const f = p.alloc();
    p.src[f] = src;
    p.dst[f] = dst;
    p.axon[f] = axon;
    p.bit[f] = bit;
    p.tag[f] = tag;
    p.hops[f] = 0;
    p.blocked[f] = 0;
    p.enter[f] = now + 1;
    p.serial[f] = serial;
    this.wd.expect(now + 1);
    if (this.lean && src !== this.ioEndpoint && this.kernel.phase > PHASE_ROUTER && this.arriveAhead(src, lane, f, now + 1)) return;
    this.scheduleArrival(lane, f, now + 1);
    if (src === this.ioEndpoint) {
      this.ioc[this.cIoFlitsIn]++;
      this.ioc[this.cIoBitsIn] += this.bits;
    }
  }

  /** A flit sent by another region's router enters input port `g` at `cycle` (its fields as the sender's pool held them). */
  arriveFromBorder(g: number, cycle: number, src: number, dst: number, axon: number, bit: number, tag: number, hops: number, blocked: number, enter: number, serial: number): void {
    const p = this.pool;
    const f = p.alloc();
    p.src[f] = src;
    p.dst[f] = dst;
    p.axon[f] = axon;
    p.bit[f] = bit;
    p.tag[f] = tag;
    p.hops[f] = hops;
    p.blocked[f] = blocked;
    p.enter[f] = enter;
    p.serial[f] = serial;
    this.scheduleArrival(g, f, cycle);
    this.wd.expect(cycle);
  }

  /** A credit sent back by another region's router reaches output port `g` at `cycle`. */
  creditFromBorder(g: number, cycle: number): void {
    this.kernel.at(cycle, PHASE_LINK, this.hCredit, g, 0);
    this.wd.expect(cycle);
  }

  /** Stop (held = true) or resume deliveries through global output port `g`. */
  hold(g: number, held: boolean): void {
    this.credits.set(g, held ? 0 : UNBOUNDED);
    const r = this.portRouter[g] as number;
    const from = this.sleepFrom[r] as number;
    if (held || from < 0) return;
    // A router asleep on this ejection ticks again in the next cycle whose tick has not run yet.
    const k = this.kernel;
    const now = k.isRunning && k.phase > PHASE_ROUTER ? k.now + 1 : k.now;
    this.wake(r, from > now ? from : now);
  }

  /** Non-empty input buffers (for deadlock reports). */
  stuckBuffers(): StuckBuffer[] {
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

  /** Tell the observer that a credit came back to global output port `g`. */
  observeCredit(g: number, c: number): void {
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

  /**
   * Lean mode, a core's flit injected in cycle t - 1 after the routers' phase: when its
   * router holds no flit and no other arrival is due there at t, its arrival at t is
   * decided now. Every arrival at t was scheduled already (from grants at t -
   * routerDelay - linkDelay or earlier; the core's lane takes one flit per cycle; at
   * the I/O router, the port injects in a later phase, so only while the client says
   * it is done for the cycle: client.ioDone), and every credit
   * back by t comes from a grant at t - creditDelay or earlier, so the arrival would
   * be alone and see these credits: it is granted now for cycle t, or, without a
   * credit, waits in the buffer for its tick at t (nothing else reads that buffer
   * before then). Returns false (nothing done) when another flit is or may be at the
   * router at t, or when the flit leaves through an ejection port of its own router.
   */
  private arriveAhead(src: number, lane: number, f: number, t: number): boolean {
    const r = this.endpointRouter[src] as number;
    if (this.occ[r] !== 0 || (r === this.ioRouter && this.client.ioDone?.() !== true) || this.arrPend[(r << this.arrShift) + (t & this.arrMask)] !== 0) return false;
    // A flit for its own router's core or I/O port stays an event: its delivery must not run inside the injection.
    if (this.endpointRouter[this.pool.dst[f] as number] === r) return false;
    this.arrivalsAhead++;
    this.enter(lane, f, t, true);
    this.wd.progressAt(t);
    return true;
  }

  /**
   * Lean mode, flit f granted at cycle g toward input port gd of its destination core's
   * router d, where it arrives at t: decide that arrival now when nothing else can be at
   * d in cycle t. Everything arriving at d by t comes from a grant at g or earlier, or
   * from d's core injecting before t. So: d holds no flit and has no arrival scheduled
   * for g..t; no other neighbour of d holds a flit or expects one at g (it could grant
   * toward d in cycle g; decided inside an injection in cycle g - 1, also none of their
   * cores or I/O port injects before g); d's core hands no flit to d before t (client.quietBefore:
   * nothing queued, no commit before then; a new pass starts only after the barrier,
   * which waits for this delivery); no other arrival at d was decided for t; d is not
   * the I/O port's router; the flit's ejection has a credit (the chip, the only client
   * answering quietBefore, never holds one). Then it passes straight
   * through d at t (enter), its progress counted from (t, PHASE_LINK) on as its
   * arrival event would.
   */
  private lastHopAhead(gd: number, f: number, g: number, t: number): boolean {
    const d = this.portRouter[gd] as number;
    const dst = this.pool.dst[f] as number;
    if (dst !== d || d === this.ioRouter || this.occ[d] !== 0 || this.aheadAt[d] === t) return false;
    const mask = this.arrMask;
    const row = d << this.arrShift;
    for (let c = g; c <= t; c++) if ((this.arrPend[row + (c & mask)] as number) !== 0) return false;
    const base = this.portBase[d] as number;
    const from = gd - base;
    // Decided at injection (arriveAhead, now = g - 1): a neighbour's core or I/O port may still inject for g this cycle.
    const early = this.kernel.now < g;
    for (let q = 0; q < PORT_LOCAL; q++) {
      if (q === from) continue;
      const u = this.up[base + q] as number;
      if (u < 0) continue;
      const n = this.portRouter[u] as number;
      if (this.occ[n] !== 0 || (this.arrPend[(n << this.arrShift) + (g & mask)] as number) !== 0) return false;
      if (early && (this.client.quietBefore?.(n, g) !== true || (n === this.ioRouter && this.client.ioDone?.() !== true))) return false;
    }
    const eg = base + PORT_LOCAL;
    if ((this.credits.count[eg] as number) <= 0 || this.client.quietBefore?.(dst, t) !== true) return false;
    this.lastHopsAhead++;
    this.aheadAt[d] = t;
    this.enter(gd, f, t, true);
    this.wd.progressLater(t, PHASE_LINK);
    return true;
  }

  private arrive(g: number, f: number, c: number): void {
    const r = this.portRouter[g] as number;
    const k = (r << this.arrShift) + (c & this.arrMask);
    const others = (this.arrPend[k] as number) - 1;
    this.arrPend[k] = others;
    this.enter(g, f, c, others === 0 && this.occ[r] === 0);
  }

  /** Flit f enters input buffer g at cycle c (now, or the next cycle from arriveAhead); `alone`: no other flit is at its router in c. */
  private enter(g: number, f: number, c: number, alone: boolean): void {
    const r = this.portRouter[g] as number;
    const local = g - (this.portBase[r] as number);
    const p = this.pool;
    p.out[f] = this.route(r, local, f);
    if (alone && this.lean) {
      // The only flit at r in cycle c: its tick would see just this request (lean mode, header).
      // With a credit it passes straight through: the counters, the arbiter's pointer (one
      // requester wins) and the credits of a buffer write, a grant and a read in cycle c.
      const og = (this.portBase[r] as number) + (p.out[f] as number);
      if (this.hasCredit(og, c)) {
        const rc = this.rc;
        const ci = r * this.rs;
        rc[ci + this.cBufW]++;
        rc[ci + this.cActive]++;
        rc[ci + this.cBufR]++;
        rc[ci + this.cXbar]++;
        // forward records the progress.
        this.alloc.rr[og] = local + 1 === (this.portCount[r] as number) ? 0 : local + 1;
        this.forward(r, g, og, f, c);
        return;
      }
    }
    this.buffers.push(g, f);
    this.busyInputs[r] = (this.busyInputs[r] as number) | (1 << local);
    p.arrive[f] = c;
    this.rc[r * this.rs + this.cBufW]++;
    this.occ[r] = (this.occ[r] as number) + 1;
    this.wd.progress();
    if (this.observer !== null) this.observer.arrive(r, local, f, c);
    if (this.vcd !== null && (this.occSig[r] as number) >= 0) this.vcd.set(this.occSig[r] as number, c, this.occ[r] as number);
    if (this.tickAt[r] !== c) this.scheduleTick(r, c);
  }

  private tick(r: number, c: number): void {
    this.tickAt[r] = -1;
    const base = this.portBase[r] as number;
    const n = this.portCount[r] as number;
    const rc = this.rc;
    const ci = r * this.rs;
    const from = this.sleepFrom[r] as number;
    if (from >= 0) {
      // Asleep since `from`: each tick of cycles from .. c - 1 would have found the same stalled requests.
      const skipped = c - from;
      rc[ci + this.cActive] += skipped;
      rc[ci + this.cStall] += skipped * (this.sleepStalls[r] as number);
      this.ticksSlept += skipped;
      this.sleepFrom[r] = -1;
      if (--this.sleepers === 0 && this.alarmSet) {
        this.alarmSet = false;
        this.kernel.clearAlarm();
      }
    }
    rc[ci + this.cActive]++;
    // Switch allocation: the head flit of every busy input requests its output.
    const alloc = this.alloc;
    let granted = false;
    let stalls = 0;
    const requested = alloc.request(base, this.busyInputs[r] as number, this.buffers, this.pool.out);
    for (let outs = requested; outs !== 0; outs &= outs - 1) {
      const o = 31 - Math.clz32(outs & -outs);
      const m = alloc.requests(o);
      const og = base + o;
      if (!this.hasCredit(og, c)) {
        stalls += popcount32(m);
        continue;
      }
      const i = alloc.grant(og, m, n);
      rc[ci + this.cConf] += popcount32(m) - 1;
      this.traverse(r, base + i, og, c);
      granted = true;
    }
    rc[ci + this.cStall] += stalls;
    if (!granted) this.wd.check();
    if ((this.occ[r] as number) === 0) return;
    if (!granted && this.lean && this.border === null) this.sleep(r, c, requested, stalls);
    else this.scheduleTick(r, c + 1);
  }

  /** Whether output `og` has a credit at cycle c (counting those back by then in lean mode). */
  private hasCredit(og: number, c: number): boolean {
    const n = this.credits.count;
    if ((n[og] as number) > 0) return true;
    if ((this.dueLen[og] as number) === 0) return false;
    this.absorb(og, c, n);
    return (n[og] as number) > 0;
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
    this.forward(r, gin, og, f, c);
    if (this.vcd !== null && (this.occSig[r] as number) >= 0) this.vcd.set(this.occSig[r] as number, c, this.occ[r] as number);
  }

  /** The granted flit f leaves input `gin` of router r for output `og` at cycle c: credit upstream, link or ejection. */
  private forward(r: number, gin: number, og: number, f: number, c: number): void {
    const p = this.pool;
    const rc = this.rc;
    const ci = r * this.rs;
    const up = this.up[gin] as number;
    const border = this.border;
    const back = c + this.creditDelay;
    if (up >= 0 && border !== null && border.remote[up] === 1) border.credit(up, back);
    else if (this.lean) {
      if (up >= 0) {
        this.keepCredit(up, back);
        const ru = this.portRouter[up] as number;
        if ((this.sleepFrom[ru] as number) >= 0 && (((this.sleepOuts[ru] as number) >>> (up - (this.portBase[ru] as number))) & 1) === 1) this.wake(ru, back);
      } else {
        this.keepCredit(gin, back);
        const e = this.injection.endpointOf[gin] as number;
        if (this.awaiting[e] === 1) {
          this.awaiting[e] = 0;
          this.kernel.at(back, PHASE_LINK, this.hWake, e, 0);
        }
      }
    } else if (up >= 0) this.kernel.at(back, PHASE_LINK, this.hCredit, up, 0);
    else this.kernel.at(back, PHASE_LINK, this.hInjCredit, gin, 0);
    // The credit and the flit in flight let waiters move later: no deadlock before then.
    const wd = this.wd;
    wd.expect(c + this.flightDelay);
    const d = this.down[og] as number;
    if (d >= 0) {
      this.credits.take(og);
      this.linkCount[og]++;
      rc[ci + this.cLinkF]++;
      rc[ci + this.cLinkB] += this.bits;
      p.hops[f] = (p.hops[f] as number) + 1;
      if (border !== null && border.remote[d] === 1) {
        border.flit(d, f, c + this.hopDelay, p);
        p.free(f);
      } else if (!this.lean || !this.lastHopAhead(d, f, c, c + this.hopDelay)) {
        this.scheduleArrival(d, f, c + this.hopDelay);
      }
      if (this.vcd !== null && (this.linkSig[og] as number) >= 0) {
        // The flit enters the link at c + routerDelay; a trace event keeps VCD time in order.
        this.kernel.at(c + this.routerDelay, PHASE_ROUTER, this.hLinkTrace, og, 0);
      }
    } else {
      // Lean mode: the client takes the delivery now, told the cycle it completes (setLean).
      if (this.lean) this.deliver(f, og, c + this.routerDelay);
      else this.kernel.at(c + this.routerDelay, PHASE_DELIVER, this.hEject, f, og);
    }
    wd.progress();
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
