/**
 * The VC router's datapath for a whole mesh (the general path of Mesh): input VCs
 * with per-VC buffers and credits, multi-flit wormhole packets, route computation,
 * VC allocation (router/vc-alloc.ts), switch allocation (router/vc-switch-alloc.ts),
 * crossbar traversal, links, injection channels that stream a packet's flits one per
 * cycle as credits allow, ejection channels with finite buffers, and XY-tree
 * multicast (a branch's copy of the packet carries the destinations of its subtree).
 *
 * Flits are coded handle * 256 + sequence number (0 = head, flits - 1 = tail).
 * Timing of a flit granted the switch at cycle g (docs/timing-model.md):
 *   leaves its buffer (credit upstream at + creditDelay)  g + switchAllocDelay
 *   next router's input VC                                g + switchAllocDelay + routerDelay + linkDelay
 *   delivered at its endpoint                             g + switchAllocDelay + routerDelay + ejectionDelay
 */
import type { PacketCsvWriter } from '../../sim/packet-csv';
import type { StuckBuffer } from '../../sim/watchdog';
import type { VcdWriter } from '../../sim/vcd';
import { UNBOUNDED } from '../router/credits';
import { InputBuffers } from '../router/input-buffers';
import { PORT_IO0, PORT_LOCAL, portName } from '../router/ports';
import { xyOutputPort, xyTreeBranch, xyTreePorts, yxOutputPort } from '../router/route';
import { VcAllocator } from '../router/vc-alloc';
import { VcState } from '../router/vc-state';
import { VcSwitchAllocator } from '../router/vc-switch-alloc';
import type { PathHost } from './path-host';
import type { MeshLinks } from './links';
import { MESSAGE_CLASSES, vcAllocatorOf, type NocParams } from '../../hw/noc-params';
import { PHASE_DELIVER, PHASE_LINK, PHASE_ROUTER } from './phases';

/** Most flits a packet may have (the sequence number's 8 bits). */
export const MAX_PACKET_FLITS = 256;

/** Whether a `noc` section needs the VC router (anything beyond the single-lane, single-flit, single-cycle router). */
export function needsVcRouter(n: NocParams): boolean {
  return (
    (n.vcs ?? 1) !== 1 ||
    (n.flitWidth ?? 0) !== 0 ||
    vcAllocatorOf(n) !== 'combined' ||
    (n.routeDelay ?? 0) !== 0 ||
    (n.vcAllocDelay ?? 0) !== 0 ||
    (n.switchAllocDelay ?? 0) !== 0 ||
    (n.speculative ?? false) ||
    (n.routing ?? 'xy') !== 'xy' ||
    (n.injectionDelay ?? 1) !== 1 ||
    (n.ejectionDelay ?? 0) !== 0 ||
    (n.ejectionDepth ?? 0) !== 0 ||
    (n.multicast ?? 'unicast') !== 'unicast'
  );
}

/** What the VC path shares with its Mesh (counters, client, traces). */
export interface VcHost extends PathHost {
  readonly linkCount: Float64Array;
  nextSerial(): number;
  vcd(): VcdWriter | null;
  packetCsv(): PacketCsvWriter | null;
  onEject(endpoint: number, axon: number, bit: number, packet: number, cycle: number): void;
  onCredit(endpoint: number, cycle: number): void;
  observeArrive(r: number, port: number, f: number, cycle: number): void;
  observeGrant(r: number, inPort: number, outPort: number, f: number, cycle: number): void;
  observeCredit(g: number, cycle: number): void;
  readonly observing: () => boolean;
}

/** The general (VC) datapath of a mesh. */
export class VcPath {
  /** Flits injected (or replicated) and not yet delivered. */
  flitsLive = 0;
  private readonly V: number;
  private readonly S: number;
  private readonly depth: number;
  private readonly flitWidth: number;
  private readonly routerDelay: number;
  private readonly linkDelay: number;
  private readonly creditDelay: number;
  private readonly routeDelay: number;
  private readonly vcAllocDelay: number;
  private readonly switchAllocDelay: number;
  private readonly injectionDelay: number;
  private readonly ejectionDelay: number;
  private readonly ejectionFinite: boolean;
  private readonly separable: boolean;
  private readonly speculative: boolean;
  /** Cycles a head spends in route computation and VC allocation at zero load. */
  private readonly headStages: number;
  private readonly yx: boolean;
  private readonly width: number;
  private readonly classLo: Int32Array;
  private readonly classHi: Int32Array;
  private readonly s: VcState;
  private readonly va: VcAllocator;
  private readonly sa: VcSwitchAllocator;
  private readonly buf: InputBuffers;
  private readonly occ: Int32Array;
  private readonly busyInputs: Int32Array;
  private readonly tickAt: Float64Array;
  private readonly endpointRouter: Int32Array;
  /** Injection lanes: credits per input VC, and the packet being streamed per lane port. */
  private readonly injCred: Int32Array;
  private readonly laneFirst: Int32Array;
  private readonly laneCount: Int32Array;
  private readonly laneNext: Int32Array;
  private readonly laneEndpoint: Int32Array;
  private readonly stPkt: Int32Array;
  private readonly stSeq: Int32Array;
  private readonly stVc: Int32Array;
  private readonly stWaiting: Uint8Array;
  private readonly stVcPtr: Int32Array;
  private readonly lastSend: Float64Array;
  private readonly pendingPop: Int32Array;
  private readonly hArrive: number;
  private readonly hCredit: number;
  private readonly hInjCredit: number;
  private readonly hTick: number;
  private readonly hEject: number;
  private readonly hStep: number;
  private readonly hLinkTrace: number;

  constructor(
    private readonly h: VcHost,
    noc: NocParams,
    private readonly links: MeshLinks,
    private readonly ioEndpoint: number,
    ioRouter: number,
    private readonly ioLanes: number,
  ) {
    const V = noc.vcs ?? 1;
    this.V = V;
    let S = 0;
    for (let r = 0; r < links.routers; r++) S = Math.max(S, links.portCount[r] as number);
    this.S = S;
    this.depth = noc.bufferDepth;
    this.flitWidth = noc.flitWidth ?? 0;
    this.routerDelay = noc.routerDelay;
    this.linkDelay = noc.linkDelay;
    this.creditDelay = noc.creditDelay;
    this.routeDelay = noc.routeDelay ?? 0;
    this.vcAllocDelay = noc.vcAllocDelay ?? 0;
    this.switchAllocDelay = noc.switchAllocDelay ?? 0;
    this.injectionDelay = noc.injectionDelay ?? 1;
    this.ejectionDelay = noc.ejectionDelay ?? 0;
    const ejectionDepth = noc.ejectionDepth ?? 0;
    this.ejectionFinite = ejectionDepth > 0;
    this.separable = vcAllocatorOf(noc) === 'separable-input-first';
    this.yx = (noc.routing ?? 'xy') === 'yx';
    this.speculative = noc.speculative ?? false;
    this.headStages = this.routeDelay + (this.separable && !this.speculative ? this.vcAllocDelay : 0);
    this.width = links.width;
    const classes = noc.vcClasses ?? [];
    this.classLo = new Int32Array(MESSAGE_CLASSES.length);
    this.classHi = new Int32Array(MESSAGE_CLASSES.length).fill(V);
    if (classes.length > 0) {
      for (let k = 0; k < MESSAGE_CLASSES.length; k++) {
        this.classLo[k] = classes.indexOf(k);
        this.classHi[k] = classes.lastIndexOf(k) + 1;
      }
    }
    const P = links.ports;
    const R = links.routers;
    this.s = new VcState(P, V, S);
    this.va = new VcAllocator(this.s);
    this.sa = new VcSwitchAllocator(this.s, !this.separable, noc.speculative ?? false);
    this.buf = new InputBuffers(P * V, this.depth);
    this.occ = new Int32Array(R);
    this.busyInputs = new Int32Array(R);
    this.tickAt = new Float64Array(R).fill(-1);
    this.endpointRouter = new Int32Array(R + 1);
    for (let r = 0; r < R; r++) this.endpointRouter[r] = r;
    this.endpointRouter[R] = ioRouter;
    this.injCred = new Int32Array(P * V);
    this.laneFirst = new Int32Array(R + 1);
    this.laneCount = new Int32Array(R + 1);
    this.laneNext = new Int32Array(R + 1);
    this.laneEndpoint = new Int32Array(P).fill(-1);
    this.stPkt = new Int32Array(P).fill(-1);
    this.stSeq = new Int32Array(P);
    this.stVc = new Int32Array(P);
    this.stWaiting = new Uint8Array(P);
    this.stVcPtr = new Int32Array(P);
    this.lastSend = new Float64Array(P).fill(-1);
    this.pendingPop = new Int32Array(32);
    const cr = this.s.credits;
    for (let g = 0; g < P; g++) {
      const isLink = (links.down[g] as number) >= 0;
      for (let v = 0; v < V; v++) cr[g * V + v] = isLink ? this.depth : ejectionDepth > 0 ? ejectionDepth : UNBOUNDED;
    }
    const connect = (e: number, first: number, n: number): void => {
      this.laneFirst[e] = first;
      this.laneCount[e] = n;
      for (let k = 0; k < n; k++) {
        this.laneEndpoint[first + k] = e;
        for (let v = 0; v < V; v++) this.injCred[(first + k) * V + v] = this.depth;
      }
    };
    for (let r = 0; r < R; r++) connect(r, (links.portBase[r] as number) + PORT_LOCAL, 1);
    connect(ioEndpoint, (links.portBase[ioRouter] as number) + PORT_IO0, ioLanes);

    const k = h.kernel;
    this.hArrive = k.register((gv, f, c) => this.arrive(gv, f, c));
    this.hCredit = k.register((go, _b, c) => {
      this.s.credits[go] = (this.s.credits[go] as number) + 1;
      if (h.observing()) h.observeCredit((go / this.V) | 0, c);
    });
    this.hInjCredit = k.register((gv, _b, c) => this.injCredit(gv, c));
    this.hTick = k.register((r, _b, c) => this.tick(r, c));
    this.hEject = k.register((f, go, c) => this.deliver(f, go, c));
    this.hStep = k.register((lane, _b, c) => this.step(lane, c));
    this.hLinkTrace = k.register((g, _b, c) => h.vcd()?.pulse(h.linkSig[g] as number, c));
  }

  /**
   * Zero-load latency of an H-hop packet of F flits, head entering the source buffer
   * to tail delivered (buffers at least a credit round trip deep):
   *   per router a = routeDelay + vcAllocDelay (separable, not speculative) + switchAllocDelay + routerDelay
   *   latency = H * (a + linkDelay) + a + ejectionDelay + (F - 1) * (switchAllocDelay + 1)
   */
  zeroLoadLatency(hops: number, flits: number): number {
    const va = this.separable && !this.speculative ? this.vcAllocDelay : 0;
    const a = this.routeDelay + va + this.switchAllocDelay + this.routerDelay;
    return hops * (a + this.linkDelay) + a + this.ejectionDelay + (flits - 1) * (this.switchAllocDelay + 1);
  }

  /** Flits of a packet of `bits` bits. */
  flitsOf(bits: number): number {
    return this.flitWidth > 0 ? Math.ceil(bits / this.flitWidth) : 1;
  }

  /** A lane of endpoint e that can start a packet of class `cls` now; `take` advances the rotation. */
  freeLane(e: number, cls: number, take: boolean): number {
    const n = this.laneCount[e] as number;
    const first = this.laneFirst[e] as number;
    const start = this.laneNext[e] as number;
    const now = this.h.kernel.now;
    const lo = this.classLo[cls] as number;
    const hi = this.classHi[cls] as number;
    for (let k = 0; k < n; k++) {
      let i = start + k;
      if (i >= n) i -= n;
      const lane = first + i;
      if ((this.stPkt[lane] as number) >= 0 || (this.lastSend[lane] as number) >= now) continue;
      for (let v = lo; v < hi; v++) {
        if ((this.injCred[lane * this.V + v] as number) > 0) {
          if (take) this.laneNext[e] = i + 1 === n ? 0 : i + 1;
          return lane;
        }
      }
    }
    return -1;
  }

  /** Start a packet at endpoint src: unicast to `dst`, or multicast to the routers in `set` (dst ignored). */
  inject(src: number, dst: number, set: Uint32Array | null, axon: number, bit: number, tag: number, cls: number, bits: number): number {
    const lane = this.freeLane(src, cls, true);
    const now = this.h.kernel.now;
    if (lane < 0) throw new Error(`inject: endpoint ${src} has no injection credit in cycle ${now}`);
    const flits = this.flitsOf(bits);
    if (flits > MAX_PACKET_FLITS) throw new Error(`inject: a packet of ${bits} bits needs ${flits} flits, more than ${MAX_PACKET_FLITS}`);
    const p = this.h.pool;
    const f = p.alloc();
    const serial = this.h.nextSerial();
    p.src[f] = src;
    p.dst[f] = dst;
    p.axon[f] = axon;
    p.bit[f] = bit;
    p.tag[f] = tag;
    p.hops[f] = 0;
    p.blocked[f] = 0;
    p.enter[f] = now + this.injectionDelay;
    p.serial[f] = serial;
    p.flits[f] = flits;
    p.cls[f] = cls;
    p.bits[f] = bits;
    p.mc[f] = set !== null ? 1 : 0;
    if (set !== null) p.sets.set(set, f * p.setWords);
    // Injection VC: round robin over the class's VCs that have a credit.
    const lo = this.classLo[cls] as number;
    const hi = this.classHi[cls] as number;
    const span = hi - lo;
    let from = this.stVcPtr[lane] as number;
    if (from < lo || from >= hi) from = lo;
    let vc = lo;
    for (let k = 0; k < span; k++) {
      let v = from + k;
      if (v >= hi) v -= span;
      if ((this.injCred[lane * this.V + v] as number) > 0) {
        vc = v;
        break;
      }
    }
    this.stVcPtr[lane] = vc + 1 >= hi ? lo : vc + 1;
    this.stPkt[lane] = f;
    this.stSeq[lane] = 0;
    this.stVc[lane] = vc;
    this.flitsLive += flits;
    if (src === this.ioEndpoint) {
      this.h.ioc[this.h.cio.flitsIn]++;
      this.h.ioc[this.h.cio.bitsIn] += bits;
    }
    this.step(lane, now);
    return serial;
  }

  /** Stop or resume ejection on output port g. */
  hold(g: number, held: boolean): void {
    // A router keeps ticking while it holds flits, so a release needs no event.
    this.s.held[g] = held ? 1 : 0;
  }

  /** Flits in the VCs of input port g. */
  occupancy(g: number): number {
    let n = 0;
    for (let v = 0; v < this.V; v++) n += this.buf.count[g * this.V + v] as number;
    return n;
  }

  /** Credits summed over the VCs of output port g (link ports), or of injection lane g. */
  credits(g: number, lane: boolean): number {
    let n = 0;
    for (let v = 0; v < this.V; v++) n += (lane ? this.injCred[g * this.V + v] : this.s.credits[g * this.V + v]) as number;
    return n;
  }

  /** Non-empty input VCs (for deadlock reports). */
  stuckBuffers(): StuckBuffer[] {
    const out: StuckBuffer[] = [];
    const L = this.links;
    for (let r = 0; r < L.routers; r++) {
      const base = L.portBase[r] as number;
      for (let p = 0; p < (L.portCount[r] as number); p++) {
        for (let v = 0; v < this.V; v++) {
          const n = this.buf.count[(base + p) * this.V + v] as number;
          if (n > 0) out.push({ component: `router.${r}`, buffer: this.V === 1 ? `in.${portName(p)}` : `in.${portName(p)}.vc${v}`, occupancy: n, capacity: this.depth });
        }
      }
    }
    return out;
  }

  /** Send the next flit of the packet streaming on `lane`, if its VC has a credit. */
  private step(lane: number, c: number): void {
    const f = this.stPkt[lane] as number;
    if (f < 0) return;
    const gv = lane * this.V + (this.stVc[lane] as number);
    if ((this.injCred[gv] as number) <= 0 || (this.lastSend[lane] as number) >= c) {
      this.stWaiting[lane] = 1;
      return;
    }
    this.stWaiting[lane] = 0;
    this.injCred[gv] = (this.injCred[gv] as number) - 1;
    this.lastSend[lane] = c;
    const seq = this.stSeq[lane] as number;
    this.h.kernel.at(c + this.injectionDelay, PHASE_LINK, this.hArrive, gv, f * MAX_PACKET_FLITS + seq);
    this.h.kernel.watchdog.expect(c + this.injectionDelay);
    if (seq + 1 === (this.h.pool.flits[f] as number)) {
      this.stPkt[lane] = -1;
      // The lane is free from the next cycle; a later tail lets the endpoint know.
      if (seq > 0) this.h.kernel.at(c + 1, PHASE_LINK, this.hInjCredit, -1 - lane, 0);
    } else {
      this.stSeq[lane] = seq + 1;
      this.h.kernel.at(c + 1, PHASE_DELIVER, this.hStep, lane, 0);
    }
  }

  private injCredit(gv: number, c: number): void {
    if (gv < 0) {
      this.h.onCredit(this.laneEndpoint[-1 - gv] as number, c);
      return;
    }
    this.injCred[gv] = (this.injCred[gv] as number) + 1;
    const lane = (gv / this.V) | 0;
    if (this.h.observing()) this.h.observeCredit(lane, c);
    if (this.stWaiting[lane] === 1 && (this.stVc[lane] as number) === gv - lane * this.V) {
      this.h.kernel.at(c, PHASE_DELIVER, this.hStep, lane, 0);
      return;
    }
    this.h.onCredit(this.laneEndpoint[lane] as number, c);
  }

  private scheduleTick(r: number, c: number): void {
    if (this.tickAt[r] !== c) {
      this.tickAt[r] = c;
      this.h.kernel.at(c, PHASE_ROUTER, this.hTick, r, 0);
    }
  }

  private arrive(gv: number, f: number, c: number): void {
    const V = this.V;
    const g = (gv / V) | 0;
    const v = gv - g * V;
    const L = this.links;
    const r = L.portRouter[g] as number;
    const local = g - (L.portBase[r] as number);
    this.buf.push(gv, f);
    const s = this.s;
    s.busyVcs[g] = (s.busyVcs[g] as number) | (1 << v);
    this.busyInputs[r] = (this.busyInputs[r] as number) | (1 << local);
    const pkt = (f / MAX_PACKET_FLITS) | 0;
    if (f - pkt * MAX_PACKET_FLITS === 0) this.h.pool.arrive[pkt] = c;
    const h = this.h;
    h.rc[r * h.rs + h.ci.bufW]++;
    this.occ[r] = (this.occ[r] as number) + 1;
    h.kernel.watchdog.progress();
    if (h.observing()) h.observeArrive(r, local, pkt, c);
    const vcd = h.vcd();
    if (vcd !== null && (h.occSig[r] as number) >= 0) vcd.set(h.occSig[r] as number, c, this.occ[r] as number);
    if ((s.mask[gv] as number) === 0) this.setupFront(gv, c);
    this.scheduleTick(r, c);
  }

  /** The head flit at the front of input VC gv starts route computation at cycle c. */
  private setupFront(gv: number, c: number): void {
    const V = this.V;
    const g = (gv / V) | 0;
    const L = this.links;
    const r = L.portRouter[g] as number;
    const pkt = (this.buf.peek(gv) / MAX_PACKET_FLITS) | 0;
    const p = this.h.pool;
    let mask: number;
    if (p.mc[pkt] === 1) {
      mask = xyTreePorts(L.routerX[r] as number, L.routerY[r] as number, p.sets, pkt * p.setWords, p.setWords, this.width);
    } else {
      const d = p.dst[pkt] as number;
      const dr = this.endpointRouter[d] as number;
      let o: number;
      if (dr === r) o = d === this.ioEndpoint ? PORT_IO0 + ((g - (L.portBase[r] as number)) % this.ioLanes) : PORT_LOCAL;
      else {
        const x = L.routerX[r] as number;
        const y = L.routerY[r] as number;
        o = this.yx ? yxOutputPort(x, y, L.routerX[dr] as number, L.routerY[dr] as number) : xyOutputPort(x, y, L.routerX[dr] as number, L.routerY[dr] as number);
      }
      mask = 1 << o;
    }
    const s = this.s;
    s.mask[gv] = mask;
    s.pending[gv] = mask;
    s.missing[gv] = this.separable ? mask : 0;
    s.ready[gv] = c + this.routeDelay;
    s.saReady[gv] = c + this.routeDelay;
    this.h.kernel.watchdog.expect(c + this.routeDelay);
    const cls = p.cls[pkt] as number;
    s.lo[gv] = this.classLo[cls] as number;
    s.hi[gv] = this.classHi[cls] as number;
  }

  private tick(r: number, c: number): void {
    this.tickAt[r] = -1;
    const L = this.links;
    const base = L.portBase[r] as number;
    const n = L.portCount[r] as number;
    const h = this.h;
    const ci = r * h.rs;
    h.rc[ci + h.ci.active]++;
    const busy = this.busyInputs[r] as number;
    if (this.separable && this.va.allocate(base, n, busy, c, this.vcAllocDelay) > 0) h.kernel.watchdog.expect(c + this.vcAllocDelay);
    const sa = this.sa;
    const k = sa.allocate(base, n, busy, c);
    h.rc[ci + h.ci.stall] += sa.stalls;
    h.rc[ci + h.ci.conf] += sa.conflicts;
    let pops = 0;
    for (let j = 0; j < k; j++) {
      const gv = sa.grantVc[j] as number;
      this.send(r, base, gv, sa.grantOut[j] as number, sa.grantIn[j] as number, c);
      if ((this.s.pending[gv] as number) === 0) {
        let seen = false;
        for (let q = 0; q < pops; q++) if (this.pendingPop[q] === gv) seen = true;
        if (!seen) this.pendingPop[pops++] = gv;
      }
    }
    for (let q = 0; q < pops; q++) this.pop(r, this.pendingPop[q] as number, c);
    if ((this.occ[r] as number) > 0) {
      this.tickAt[r] = c + 1;
      h.kernel.at(c + 1, PHASE_ROUTER, this.hTick, r, 0);
    }
    if (k === 0) h.kernel.watchdog.check();
  }

  /** Crossbar traversal of the front flit of input VC gv to local output o at cycle c. */
  private send(r: number, base: number, gv: number, o: number, inPort: number, c: number): void {
    const s = this.s;
    const V = this.V;
    const S = this.S;
    const h = this.h;
    const p = h.pool;
    const f = this.buf.peek(gv);
    const pkt = (f / MAX_PACKET_FLITS) | 0;
    const seq = f - pkt * MAX_PACKET_FLITS;
    const og = base + o;
    const slot = gv * S + o;
    let ov = s.outVc[slot] as number;
    if (ov < 0) {
      ov = s.freeVcWithCredit(og, s.lo[gv] as number, s.hi[gv] as number, s.lo[gv] as number);
      s.owner[og * V + ov] = gv;
      s.outVc[slot] = ov;
    }
    s.pending[gv] = (s.pending[gv] as number) & ~(1 << o);
    const ci = r * h.rs;
    h.rc[ci + h.ci.xbar]++;
    if (h.observing()) h.observeGrant(r, inPort, o, pkt, c);
    let out = pkt;
    if (p.mc[pkt] === 1) {
      if (seq === 0) {
        out = this.replicate(r, pkt, o, c);
        s.copy[slot] = out;
      } else out = s.copy[slot] as number;
    } else if (seq === 0) {
      p.blocked[pkt] = (p.blocked[pkt] as number) + c - (p.arrive[pkt] as number) - this.headStages;
    }
    const go = og * V + ov;
    const down = this.links.down[og] as number;
    if (down >= 0 || this.ejectionFinite) s.credits[go] = (s.credits[go] as number) - 1;
    const t = c + this.switchAllocDelay + this.routerDelay;
    this.flitsLive++;
    if (down >= 0) {
      h.linkCount[og]++;
      h.rc[ci + h.ci.linkF]++;
      h.rc[ci + h.ci.linkB] += this.flitWidth > 0 ? this.flitWidth : (p.bits[out] as number);
      if (seq === 0) p.hops[out] = (p.hops[out] as number) + 1;
      h.kernel.at(t + this.linkDelay, PHASE_LINK, this.hArrive, down * V + ov, out * MAX_PACKET_FLITS + seq);
      if (h.vcd() !== null && (h.linkSig[og] as number) >= 0) h.kernel.at(t, PHASE_ROUTER, this.hLinkTrace, og, 0);
    } else {
      h.kernel.at(t + this.ejectionDelay, PHASE_DELIVER, this.hEject, out * MAX_PACKET_FLITS + seq, go);
    }
    // The flit in flight lets waiters move later: no deadlock before then.
    h.kernel.watchdog.expect(down >= 0 ? t + this.linkDelay : t + this.ejectionDelay);
    if (seq + 1 === (p.flits[pkt] as number)) {
      // The tail passed: the output VC is free for another packet from the next cycle.
      s.owner[go] = -1;
      s.outVc[slot] = -1;
    }
    h.kernel.watchdog.progress();
  }

  /** The copy of multicast packet `pkt` that leaves router r on local port o (its subtree's destinations). */
  private replicate(r: number, pkt: number, o: number, c: number): number {
    const p = this.h.pool;
    const q = p.alloc();
    p.src[q] = p.src[pkt] as number;
    p.axon[q] = p.axon[pkt] as number;
    p.bit[q] = p.bit[pkt] as number;
    p.tag[q] = p.tag[pkt] as number;
    p.hops[q] = p.hops[pkt] as number;
    p.blocked[q] = (p.blocked[pkt] as number) + c - (p.arrive[pkt] as number) - this.headStages;
    p.enter[q] = p.enter[pkt] as number;
    p.serial[q] = p.serial[pkt] as number;
    p.flits[q] = p.flits[pkt] as number;
    p.cls[q] = p.cls[pkt] as number;
    p.bits[q] = p.bits[pkt] as number;
    const W = p.setWords;
    const L = this.links;
    if (o === PORT_LOCAL) {
      p.mc[q] = 0;
      p.dst[q] = r;
      return q;
    }
    const n = xyTreeBranch(L.routerX[r] as number, L.routerY[r] as number, o, p.sets, pkt * W, W, this.width, p.sets, q * W);
    if (n === 1) {
      p.mc[q] = 0;
      for (let w = 0; w < W; w++) {
        const bits = p.sets[q * W + w] as number;
        if (bits !== 0) p.dst[q] = w * 32 + (31 - Math.clz32(bits & -bits));
      }
    } else {
      p.mc[q] = 1;
      p.dst[q] = -1;
    }
    return q;
  }

  /** The front flit of gv has been sent on every branch: it leaves the buffer. */
  private pop(r: number, gv: number, c: number): void {
    const V = this.V;
    const s = this.s;
    const h = this.h;
    const p = h.pool;
    const f = this.buf.pop(gv);
    const pkt = (f / MAX_PACKET_FLITS) | 0;
    const seq = f - pkt * MAX_PACKET_FLITS;
    const g = (gv / V) | 0;
    const L = this.links;
    h.rc[r * h.rs + h.ci.bufR]++;
    this.occ[r] = (this.occ[r] as number) - 1;
    this.flitsLive--;
    const leave = c + this.switchAllocDelay;
    const up = L.up[g] as number;
    if (up >= 0) h.kernel.at(leave + this.creditDelay, PHASE_LINK, this.hCredit, up * V + (gv - g * V), 0);
    else h.kernel.at(leave + this.creditDelay, PHASE_LINK, this.hInjCredit, gv, 0);
    h.kernel.watchdog.expect(leave + this.creditDelay);
    if ((this.buf.count[gv] as number) === 0) {
      s.busyVcs[g] = (s.busyVcs[g] as number) & ~(1 << (gv - g * V));
      if ((s.busyVcs[g] as number) === 0) this.busyInputs[r] = (this.busyInputs[r] as number) & ~(1 << (g - (L.portBase[r] as number)));
    }
    if ((s.saReady[gv] as number) < leave + 1) s.saReady[gv] = leave + 1;
    if (seq + 1 === (p.flits[pkt] as number)) {
      if (p.mc[pkt] === 1) p.free(pkt);
      s.mask[gv] = 0;
      s.pending[gv] = 0;
      if ((this.buf.count[gv] as number) > 0) this.setupFront(gv, leave + 1);
    } else {
      s.pending[gv] = s.mask[gv] as number;
    }
    const vcd = h.vcd();
    if (vcd !== null && (h.occSig[r] as number) >= 0) vcd.set(h.occSig[r] as number, c, this.occ[r] as number);
  }

  private deliver(f: number, go: number, c: number): void {
    const h = this.h;
    const p = h.pool;
    const pkt = (f / MAX_PACKET_FLITS) | 0;
    const seq = f - pkt * MAX_PACKET_FLITS;
    this.flitsLive--;
    if (this.ejectionFinite) {
      h.kernel.at(c + this.creditDelay, PHASE_LINK, this.hCredit, go, 0);
      h.kernel.watchdog.expect(c + this.creditDelay);
    }
    if (seq + 1 !== (p.flits[pkt] as number)) return;
    const og = (go / this.V) | 0;
    const r = this.links.portRouter[og] as number;
    h.rc[r * h.rs + h.ci.eject]++;
    const dst = p.dst[pkt] as number;
    if (dst === this.ioEndpoint) {
      h.ioc[h.cio.flitsOut]++;
      h.ioc[h.cio.bitsOut] += p.bits[pkt] as number;
    }
    const csv = h.packetCsv();
    if (csv !== null) {
      csv.packet(p.serial[pkt] as number, p.src[pkt] as number, dst, p.hops[pkt] as number, p.enter[pkt] as number, c, p.blocked[pkt] as number);
    }
    h.onEject(dst, p.axon[pkt] as number, p.bit[pkt] as number, pkt, c);
    p.free(pkt);
  }
}
