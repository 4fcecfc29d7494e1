/**
 * State of the virtual channels of every router, in flat typed arrays. Global
 * port g (src/chip/noc/links.ts) has V input VCs gv = g * V + v and, as an output,
 * V output VCs go = g * V + v. An input VC works on the packet at its front: the
 * branches it must leave on (one port for unicast, several for a multicast tree,
 * bit p = local port p), the output VC it holds on each branch (per-packet VC
 * allocation, held until the tail passes), and the branches still owed the front flit.
 */

/** Per-VC router state. */
export class VcState {
  /** Branches (local output ports) of the front packet; 0 = no packet at the front. */
  readonly mask: Int32Array;
  /** Branches still without an output VC. */
  readonly missing: Int32Array;
  /** Branches that have not yet taken the front flit. */
  readonly pending: Int32Array;
  /** First cycle the front packet may request a VC (after route computation). */
  readonly ready: Float64Array;
  /** First cycle the VC may request the switch. */
  readonly saReady: Float64Array;
  /** Cycle in which the VC won VC allocation (speculative switch requests). */
  readonly vaWon: Float64Array;
  /** Output VC held per branch: outVc[gv * slots + port], -1 = none. */
  readonly outVc: Int32Array;
  /** Multicast: the packet copy sent on each branch, copy[gv * slots + port]. */
  readonly copy: Int32Array;
  /** Class VC range [lo, hi) of the front packet. */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** VC allocation round-robin pointer of each input VC over its candidate output VCs. */
  readonly vaPtr: Int32Array;
  /** Input VC holding each output VC, -1 = free. */
  readonly owner: Int32Array;
  /** VC allocation round-robin pointer of each output VC over the router's input VCs. */
  readonly ovPtr: Int32Array;
  /** Credits of each output VC. */
  readonly credits: Int32Array;
  /** Switch allocation: round-robin pointer of each input port over its VCs. */
  readonly inPtr: Int32Array;
  /** Switch allocation: round-robin pointer of each output port over the router's inputs. */
  readonly outPtr: Int32Array;
  /** Switch allocation (separable): round-robin pointer of each input port over the router's outputs. */
  readonly inOutPtr: Int32Array;
  /** Per input port: bit v set when VC v holds a flit. */
  readonly busyVcs: Int32Array;
  /** Per output port: 1 while its endpoint holds ejection. */
  readonly held: Uint8Array;

  constructor(
    ports: number,
    readonly vcs: number,
    /** Branch slots per VC (the most ports a router has). */
    readonly slots: number,
  ) {
    const pv = ports * vcs;
    this.mask = new Int32Array(pv);
    this.missing = new Int32Array(pv);
    this.pending = new Int32Array(pv);
    this.ready = new Float64Array(pv);
    this.saReady = new Float64Array(pv);
    this.vaWon = new Float64Array(pv).fill(-1);
    this.outVc = new Int32Array(pv * slots).fill(-1);
    this.copy = new Int32Array(pv * slots).fill(-1);
    this.lo = new Int32Array(pv);
    this.hi = new Int32Array(pv);
    this.vaPtr = new Int32Array(pv);
    this.owner = new Int32Array(pv).fill(-1);
    this.ovPtr = new Int32Array(pv);
    this.credits = new Int32Array(pv);
    this.inPtr = new Int32Array(ports);
    this.outPtr = new Int32Array(ports);
    this.inOutPtr = new Int32Array(ports);
    this.busyVcs = new Int32Array(ports);
    this.held = new Uint8Array(ports);
  }

  /** A free output VC of output port `g` in [lo, hi) that has a credit, searching from `from`; -1 if none. */
  freeVcWithCredit(g: number, lo: number, hi: number, from: number): number {
    const V = this.vcs;
    const n = hi - lo;
    for (let k = 0; k < n; k++) {
      let v = from + k;
      if (v >= hi) v -= n;
      const go = g * V + v;
      if ((this.owner[go] as number) < 0 && (this.credits[go] as number) > 0) return v;
    }
    return -1;
  }
}
