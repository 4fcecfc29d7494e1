/**
 * A naive, cycle-stepped reference of the mesh timing rules (docs/timing-model.md),
 * written independently of src/chip/noc/single-lane-path.ts: every cycle it visits every router
 * (BookSim style), with plain JS arrays. Used as the oracle of the event-driven mesh.
 *
 * Per cycle c: (1) flits due at c enter input buffers, credits due at c return;
 * (2) every router arbitrates: each output grants, among inputs whose head flit
 * requests it, the first at or after its round-robin pointer (pointer -> winner + 1),
 * if it has a credit; a grant sends the flit to the neighbour's buffer at
 * c + rd + ld, or delivers it at c + rd, and returns the freed slot's credit at
 * c + cd; (3) deliveries due at c happen.
 */

const N = 0;
const E = 1;
const S = 2;
const W = 3;
const L = 4;

interface Flit {
  serial: number;
  src: number;
  dst: number;
  hops: number;
  blocked: number;
  arrived: number;
  enter: number;
}

/** One delivery seen by the reference. */
export interface RefDelivery {
  serial: number;
  src: number;
  dst: number;
  hops: number;
  enter: number;
  cycle: number;
  blocked: number;
}

/** Per-router counts kept by the reference. */
export interface RefCounts {
  bufferWrites: number;
  bufferReads: number;
  arbitrationConflicts: number;
  creditStalls: number;
  linkFlits: number;
  packetsEjected: number;
  activeCycles: number;
}

type Due =
  | { kind: 'arrive'; r: number; p: number; f: Flit }
  | { kind: 'credit'; r: number; p: number }
  | { kind: 'injCredit'; e: number; lane: number }
  | { kind: 'eject'; r: number; f: Flit };

/** The reference mesh. */
export class ReferenceMesh {
  readonly deliveries: RefDelivery[] = [];
  readonly counts: RefCounts[];
  private readonly R: number;
  private readonly ioR: number;
  private readonly buf: Flit[][][];
  private readonly credit: number[][];
  private readonly rr: number[][];
  private readonly injCredit: number[][];
  private readonly lastInj: number[][];
  private readonly laneNext: number[];
  private readonly due = new Map<number, Due[]>();
  private serial = 0;

  constructor(
    private readonly w: number,
    private readonly h: number,
    depth: number,
    private readonly rd: number,
    private readonly ld: number,
    private readonly cd: number,
    ioX: number,
    ioY: number,
    private readonly lanes: number,
  ) {
    this.R = w * h;
    this.ioR = ioY * w + ioX;
    this.buf = [];
    this.credit = [];
    this.rr = [];
    this.counts = [];
    for (let r = 0; r < this.R; r++) {
      const n = this.nPorts(r);
      this.buf.push(Array.from({ length: n }, () => []));
      this.credit.push(Array.from({ length: n }, (_, p) => (p < L ? depth : Infinity)));
      this.rr.push(new Array<number>(n).fill(0));
      this.counts.push({ bufferWrites: 0, bufferReads: 0, arbitrationConflicts: 0, creditStalls: 0, linkFlits: 0, packetsEjected: 0, activeCycles: 0 });
    }
    // Endpoints 0..R-1 (cores, one lane each) and R (the I/O port, `lanes` lanes).
    this.injCredit = [];
    this.lastInj = [];
    this.laneNext = [];
    for (let e = 0; e <= this.R; e++) {
      const k = e === this.R ? lanes : 1;
      this.injCredit.push(new Array<number>(k).fill(depth));
      this.lastInj.push(new Array<number>(k).fill(-1));
      this.laneNext.push(0);
    }
  }

  private nPorts(r: number): number {
    return r === this.ioR ? 5 + this.lanes : 5;
  }

  private neighbour(r: number, p: number): number {
    const x = r % this.w;
    const y = Math.floor(r / this.w);
    if (p === N) return y > 0 ? r - this.w : -1;
    if (p === S) return y < this.h - 1 ? r + this.w : -1;
    if (p === E) return x < this.w - 1 ? r + 1 : -1;
    return x > 0 ? r - 1 : -1;
  }

  private later(cycle: number, d: Due): void {
    const list = this.due.get(cycle);
    if (list) list.push(d);
    else this.due.set(cycle, [d]);
  }

  /** Whether endpoint e can inject during cycle c. */
  canInject(e: number, c: number): boolean {
    return this.pickLane(e, c, false) >= 0;
  }

  private pickLane(e: number, c: number, take: boolean): number {
    const k = this.injCredit[e]!.length;
    for (let j = 0; j < k; j++) {
      const lane = (this.laneNext[e]! + j) % k;
      if (this.injCredit[e]![lane]! > 0 && this.lastInj[e]![lane]! < c) {
        if (take) this.laneNext[e] = (lane + 1) % k;
        return lane;
      }
    }
    return -1;
  }

  /** Endpoint `src` injects a packet for `dst` during cycle c. */
  inject(src: number, dst: number, c: number): void {
    const lane = this.pickLane(src, c, true);
    if (lane < 0) throw new Error('reference: no credit');
    this.injCredit[src]![lane]!--;
    this.lastInj[src]![lane] = c;
    const r = src === this.R ? this.ioR : src;
    const p = src === this.R ? 5 + lane : L;
    this.later(c + 1, { kind: 'arrive', r, p, f: { serial: this.serial++, src, dst, hops: 0, blocked: 0, arrived: -1, enter: c + 1 } });
  }

  /** Whether flits remain anywhere. */
  busy(): boolean {
    return this.due.size > 0 || this.buf.some((ports) => ports.some((q) => q.length > 0));
  }

  private outPort(r: number, inPort: number, f: Flit): number {
    const dr = f.dst === this.R ? this.ioR : f.dst;
    const x = r % this.w;
    const y = Math.floor(r / this.w);
    const dx = dr % this.w;
    const dy = Math.floor(dr / this.w);
    if (dx > x) return E;
    if (dx < x) return W;
    if (dy > y) return S;
    if (dy < y) return N;
    return f.dst === this.R ? 5 + (inPort % this.lanes) : L;
  }

  /** Simulate cycle c's network phases (the caller injects afterwards). */
  step(c: number): void {
    const now = this.due.get(c) ?? [];
    this.due.delete(c);
    for (const d of now) {
      if (d.kind === 'arrive') {
        this.buf[d.r]![d.p]!.push(d.f);
        d.f.arrived = c;
        this.counts[d.r]!.bufferWrites++;
      } else if (d.kind === 'credit') this.credit[d.r]![d.p]!++;
      else if (d.kind === 'injCredit') this.injCredit[d.e]![d.lane]!++;
    }
    for (let r = 0; r < this.R; r++) {
      const n = this.nPorts(r);
      const queues = this.buf[r]!;
      if (!queues.some((q) => q.length > 0)) continue;
      const cnt = this.counts[r]!;
      cnt.activeCycles++;
      const wants = queues.map((q, i) => (q.length > 0 ? this.outPort(r, i, q[0]!) : -1));
      for (let o = 0; o < n; o++) {
        const reqs = wants.map((want, i) => (want === o ? i : -1)).filter((i) => i >= 0);
        if (reqs.length === 0) continue;
        if (this.credit[r]![o]! <= 0) {
          cnt.creditStalls += reqs.length;
          continue;
        }
        const ptr = this.rr[r]![o]!;
        const winner = reqs.find((i) => i >= ptr) ?? reqs[0]!;
        this.rr[r]![o] = (winner + 1) % n;
        cnt.arbitrationConflicts += reqs.length - 1;
        const f = queues[winner]!.shift()!;
        cnt.bufferReads++;
        f.blocked += c - f.arrived;
        // The freed slot's credit goes back to whoever feeds input `winner`.
        if (winner < L) this.later(c + this.cd, { kind: 'credit', r: this.neighbour(r, winner), p: (winner + 2) % 4 });
        else if (winner === L) this.later(c + this.cd, { kind: 'injCredit', e: r, lane: 0 });
        else this.later(c + this.cd, { kind: 'injCredit', e: this.R, lane: winner - 5 });
        if (o < L) {
          this.credit[r]![o]!--;
          f.hops++;
          cnt.linkFlits++;
          this.later(c + this.rd + this.ld, { kind: 'arrive', r: this.neighbour(r, o), p: (o + 2) % 4, f });
        } else {
          this.later(c + this.rd, { kind: 'eject', r, f });
        }
      }
    }
    for (const d of now) {
      if (d.kind !== 'eject') continue;
      this.counts[d.r]!.packetsEjected++;
      const f = d.f;
      this.deliveries.push({ serial: f.serial, src: f.src, dst: f.dst, hops: f.hops, enter: f.enter, cycle: c, blocked: f.blocked });
    }
  }
}
