/**
 * Separable input-first VC allocation (per packet), once per cycle per router:
 *   input stage: every input VC whose front packet is routed (cycle >= ready) picks,
 *     for each branch still without an output VC, one free output VC of its class's
 *     VC set, round robin from its pointer (which runs over all the router's output
 *     VCs, port-major, as BookSim's input arbiter of that VC: after a grant on another
 *     port the search starts at the class's first VC);
 *   output stage: every output VC picks, among the input VCs that picked it, the
 *     first at or after its round-robin pointer (over the router's input VCs, port-major).
 * A winner holds the output VC until its tail flit passes the switch; it may request
 * the switch from cycle + vcAllocDelay. Pointers move past the winner.
 */
import type { VcState } from './vc-state';

/** Allocator with its scratch space. */
export class VcAllocator {
  private readonly best: Int32Array;
  private readonly bestKey: Int32Array;
  private readonly touched: Int32Array;

  constructor(private readonly s: VcState) {
    const pv = s.owner.length;
    this.best = new Int32Array(pv).fill(-1);
    this.bestKey = new Int32Array(pv);
    this.touched = new Int32Array(pv);
  }

  /**
   * Allocate for the router whose ports are base .. base + n - 1, whose inputs with
   * a bit set in `busyPorts` hold flits; returns the number of output VCs granted.
   */
  allocate(base: number, n: number, busyPorts: number, c: number, vcAllocDelay: number): number {
    const s = this.s;
    const V = s.vcs;
    const S = s.slots;
    const nv = n * V;
    let t = 0;
    for (let busy = busyPorts; busy !== 0; busy &= busy - 1) {
      const i = 31 - Math.clz32(busy & -busy);
      const g = base + i;
      for (let vb = s.busyVcs[g] as number; vb !== 0; vb &= vb - 1) {
        const v = 31 - Math.clz32(vb & -vb);
        const gv = g * V + v;
        const miss = s.missing[gv] as number;
        if (miss === 0 || (s.ready[gv] as number) > c) continue;
        const lo = s.lo[gv] as number;
        const hi = s.hi[gv] as number;
        const span = hi - lo;
        const me = i * V + v;
        for (let m = miss; m !== 0; m &= m - 1) {
          const o = 31 - Math.clz32(m & -m);
          const gob = (base + o) * V;
          // The pointer runs over the router's output VCs (port-major), as one arbiter per input VC.
          let from = (s.vaPtr[gv] as number) - o * V;
          if (from < lo || from >= hi) from = lo;
          for (let k = 0; k < span; k++) {
            let ov = from + k;
            if (ov >= hi) ov -= span;
            const go = gob + ov;
            if ((s.owner[go] as number) >= 0) continue;
            let key = me - (s.ovPtr[go] as number);
            if (key < 0) key += nv;
            const b = this.best[go] as number;
            if (b < 0) {
              this.touched[t++] = go;
              this.best[go] = gv;
              this.bestKey[go] = key;
            } else if (key < (this.bestKey[go] as number)) {
              this.best[go] = gv;
              this.bestKey[go] = key;
            }
            break;
          }
        }
      }
    }
    for (let k = 0; k < t; k++) {
      const go = this.touched[k] as number;
      const gv = this.best[go] as number;
      this.best[go] = -1;
      const og = (go / V) | 0;
      const ov = go - og * V;
      const o = og - base;
      s.owner[go] = gv;
      s.outVc[gv * S + o] = ov;
      s.missing[gv] = (s.missing[gv] as number) & ~(1 << o);
      const ig = (gv / V) | 0;
      const me = (ig - base) * V + (gv - ig * V);
      s.ovPtr[go] = me + 1 === nv ? 0 : me + 1;
      s.vaPtr[gv] = o * V + ov + 1 === nv ? 0 : o * V + ov + 1;
      const r = c + vcAllocDelay;
      if ((s.saReady[gv] as number) < r) s.saReady[gv] = r;
      s.vaWon[gv] = c;
    }
    return t;
  }
}
