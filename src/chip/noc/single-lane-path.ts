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
 * The stages are the router's rooms: route computation (../router/route.ts), input
 * buffers (../router/input-buffers.ts), switch allocation (../router/switch-alloc.ts),
 * credits (../router/credits.ts), injection channels (injection.ts); this file
 * sequences them (arrive, tick, traverse, deliver).
 */
import type { Kernel } from '../../sim/kernel';
import type { PacketCsvWriter } from '../../sim/packet-csv';
import type { StuckBuffer } from '../../sim/watchdog';
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
  private readonly pool: FlitPool;
  private readonly rc: Float64Array;
  private readonly rs: number;
  private readonly ioc: Float64Array;
  private readonly occSig: Int32Array;
  private readonly linkSig: Int32Array;
  private readonly ioEndpoint: number;
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

  private readonly hArrive: number;
  private readonly hCredit: number;
  private readonly hInjCredit: number;
  private readonly hTick: number;
  private readonly hEject: number;
  private readonly hLinkTrace: number;

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
    this.pool = host.pool;
    this.rc = host.rc;
    this.rs = host.rs;
    this.ioc = host.ioc;
    this.occSig = host.occSig;
    this.linkSig = host.linkSig;
    this.ioEndpoint = host.ioEndpoint;
    this.ioLanes = host.ioLanes;
    this.bits = host.bits;
    this.depth = noc.bufferDepth;
    this.routerDelay = noc.routerDelay;
    this.linkDelay = noc.linkDelay;
    this.creditDelay = noc.creditDelay;
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
    this.occ = new Int32Array(R);
    this.busyInputs = new Int32Array(R);
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
    this.hTick = kernel.register((r, _b, c) => this.tick(r, c));
    this.hEject = kernel.register((f, g, c) => this.deliver(f, g, c));
    this.hLinkTrace = kernel.register((g, _b, c) => this.vcd?.pulse(this.linkSig[g] as number, c));
  }

  /** Flits in input buffer `g` (a global port index) now. */
  occupancy(g: number): number {
    return this.buffers.count[g] as number;
  }

  /** Credits now held for global output port `g` (see Mesh.senderCredits). */
  senderCredits(g: number, meshPort: boolean): number {
    if (meshPort) return (this.down[g] as number) >= 0 ? (this.credits.count[g] as number) : -1;
    return this.injection.credits[g] as number;
  }

  /** Whether endpoint `e` can inject a flit in the current cycle. */
  canInject(e: number): boolean {
    return this.injection.freeLane(e, this.kernel.now, false) >= 0;
  }

  /** Endpoint `src` injects packet `serial` for endpoint `dst` in the current cycle; it enters the source router's input buffer next cycle. */
  inject(src: number, dst: number, axon: number, bit: number, tag: number, serial: number): void {
    const now = this.kernel.now;
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
    this.kernel.at(now + 1, PHASE_LINK, this.hArrive, lane, f);
    this.kernel.watchdog.expect(now + 1);
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
    this.kernel.at(cycle, PHASE_LINK, this.hArrive, g, f);
    this.kernel.watchdog.expect(cycle);
  }

  /** A credit sent back by another region's router reaches output port `g` at `cycle`. */
  creditFromBorder(g: number, cycle: number): void {
    this.kernel.at(cycle, PHASE_LINK, this.hCredit, g, 0);
    this.kernel.watchdog.expect(cycle);
  }

  /** Stop (held = true) or resume deliveries through global output port `g`. */
  hold(g: number, held: boolean): void {
    this.credits.set(g, held ? 0 : UNBOUNDED);
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
    const border = this.border;
    if (up < 0) this.kernel.at(c + this.creditDelay, PHASE_LINK, this.hInjCredit, gin, 0);
    else if (border !== null && border.remote[up] === 1) border.credit(up, c + this.creditDelay);
    else this.kernel.at(c + this.creditDelay, PHASE_LINK, this.hCredit, up, 0);
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
      if (border !== null && border.remote[d] === 1) {
        border.flit(d, f, c + this.routerDelay + this.linkDelay, p);
        p.free(f);
      } else {
        this.kernel.at(c + this.routerDelay + this.linkDelay, PHASE_LINK, this.hArrive, d, f);
      }
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
