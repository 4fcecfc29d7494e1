/**
 * Switch allocation of a VC router (separable, input first), once per cycle per router:
 *   input stage: each input port picks one of its VCs among those that may send
 *     their front flit now: past their switch-ready cycle, and on every requested
 *     branch an output VC with a credit (with the combined allocator a head without an
 *     output VC may request when a free output VC of its class has a credit: the switch
 *     grant allocates it). Non-speculative VCs first. Combined: round robin over the
 *     VCs from the port's VC pointer. Separable (BookSim's sparse separable input-first
 *     allocator): each output port keeps one request per input, from the first VC in
 *     round-robin order from the VC pointer that requests it, and the input arbiter
 *     picks among those output ports, round robin from the port's output pointer;
 *   output stage: each output port grants, among the inputs requesting it, the first
 *     at or after its round-robin pointer (non-speculative requests first).
 * Pointers move past a grant: the VC pointer of the input past the granted VC, the
 * output pointer of the input past the granted output, the output's past the input.
 * A multicast front flit requests all its pending branches at once; each output
 * grants independently and the flit leaves the buffer when every branch has taken it.
 * With one VC, single-flit packets, the combined allocator and no stage delays this
 * is exactly the single-lane router's arbitration (switch-alloc.ts).
 */
import type { VcState } from './vc-state';

/** Port masks are 32-bit words. */
const MAX_PORTS = 32;

/** Allocator with its scratch space; results in `grantIn`, `grantOut` (local ports) and `grantVc` (global input VC). */
export class VcSwitchAllocator {
  readonly grantIn = new Int32Array(MAX_PORTS);
  readonly grantOut = new Int32Array(MAX_PORTS);
  readonly grantVc = new Int32Array(MAX_PORTS);
  /** Requests that lost at an output, and VC-cycles held back for lack of credit, in the last call. */
  conflicts = 0;
  stalls = 0;
  private readonly inVc = new Int32Array(MAX_PORTS);
  private readonly inReq = new Int32Array(MAX_PORTS);
  private readonly inSpec = new Uint8Array(MAX_PORTS);
  private readonly outBest = new Int32Array(MAX_PORTS);
  private readonly outKey = new Int32Array(MAX_PORTS);
  private readonly outCount = new Int32Array(MAX_PORTS);
  /** Separable input stage: per output port, the VC of this input that requests it, and that VC's requests. */
  private readonly candVc = new Int32Array(MAX_PORTS);
  private readonly candReq = new Int32Array(MAX_PORTS);
  private readonly candSpec = new Uint8Array(MAX_PORTS);

  constructor(
    private readonly s: VcState,
    private readonly combined: boolean,
    private readonly speculative: boolean,
  ) {}

  /** Allocate for the router whose ports are base .. base + n - 1; returns the number of grants. */
  allocate(base: number, n: number, busyPorts: number, c: number): number {
    const s = this.s;
    const V = s.vcs;
    const S = s.slots;
    this.conflicts = 0;
    this.stalls = 0;
    let inputs = 0;
    for (let busy = busyPorts; busy !== 0; busy &= busy - 1) {
      const i = 31 - Math.clz32(busy & -busy);
      const g = base + i;
      const vb = s.busyVcs[g] as number;
      const start = s.inPtr[g] as number;
      let pick = -1;
      let pickReq = 0;
      let pickSpec = 0;
      let cands = 0;
      for (let k = 0; k < V; k++) {
        let v = start + k;
        if (v >= V) v -= V;
        if (((vb >>> v) & 1) === 0) continue;
        const gv = g * V + v;
        const pend = s.pending[gv] as number;
        if (pend === 0) continue;
        let spec = 0;
        if ((s.saReady[gv] as number) > c || (s.ready[gv] as number) > c) {
          if (this.speculative && s.vaWon[gv] === c && (s.missing[gv] as number) === 0) spec = 1;
          else continue;
        }
        if (!this.combined && (s.missing[gv] as number) !== 0) continue;
        let req = 0;
        let short = false;
        for (let m = pend; m !== 0; m &= m - 1) {
          const o = 31 - Math.clz32(m & -m);
          const og = base + o;
          const ov = s.outVc[gv * S + o] as number;
          let ok: boolean;
          if (s.held[og] !== 0) ok = false;
          else if (ov >= 0) ok = (s.credits[og * V + ov] as number) > 0;
          else ok = s.freeVcWithCredit(og, s.lo[gv] as number, s.hi[gv] as number, s.lo[gv] as number) >= 0;
          if (ok) req |= 1 << o;
          else short = true;
        }
        if (short) this.stalls++;
        if (req === 0) continue;
        if (!this.combined) {
          // Each output keeps the first requesting VC in round-robin order, non-speculative first.
          for (let m = req; m !== 0; m &= m - 1) {
            const o = 31 - Math.clz32(m & -m);
            if (((cands >>> o) & 1) === 0 || ((this.candSpec[o] as number) === 1 && spec === 0)) {
              cands |= 1 << o;
              this.candVc[o] = gv;
              this.candReq[o] = req;
              this.candSpec[o] = spec;
            }
          }
          continue;
        }
        if (pick < 0 || (pickSpec === 1 && spec === 0)) {
          pick = gv;
          pickReq = req;
          pickSpec = spec;
          if (spec === 0) break;
        }
      }
      if (cands !== 0) {
        // The input arbiter chooses an output port, round robin from its pointer (non-speculative first).
        const ptr = s.inOutPtr[g] as number;
        let bestKey = 2 * n;
        for (let m = cands; m !== 0; m &= m - 1) {
          const o = 31 - Math.clz32(m & -m);
          let key = o - ptr;
          if (key < 0) key += n;
          key += (this.candSpec[o] as number) * n;
          if (key < bestKey) {
            bestKey = key;
            pick = this.candVc[o] as number;
            pickReq = this.candReq[o] as number;
            pickSpec = this.candSpec[o] as number;
          }
        }
      }
      if (pick < 0) continue;
      this.inVc[i] = pick;
      this.inReq[i] = pickReq;
      this.inSpec[i] = pickSpec;
      inputs |= 1 << i;
    }
    let outs = 0;
    for (let m = inputs; m !== 0; m &= m - 1) {
      const i = 31 - Math.clz32(m & -m);
      const spec = this.inSpec[i] as number;
      for (let r = this.inReq[i] as number; r !== 0; r &= r - 1) {
        const o = 31 - Math.clz32(r & -r);
        let key = i - (s.outPtr[base + o] as number);
        if (key < 0) key += n;
        key += spec * n;
        if (((outs >>> o) & 1) === 0) {
          outs |= 1 << o;
          this.outBest[o] = i;
          this.outKey[o] = key;
          this.outCount[o] = 1;
        } else {
          this.outCount[o] = (this.outCount[o] as number) + 1;
          if (key < (this.outKey[o] as number)) {
            this.outBest[o] = i;
            this.outKey[o] = key;
          }
        }
      }
    }
    let k = 0;
    for (; outs !== 0; outs &= outs - 1) {
      const o = 31 - Math.clz32(outs & -outs);
      const i = this.outBest[o] as number;
      const gv = this.inVc[i] as number;
      this.conflicts += (this.outCount[o] as number) - 1;
      s.outPtr[base + o] = i + 1 === n ? 0 : i + 1;
      const g = base + i;
      const v = gv - g * V;
      s.inPtr[g] = v + 1 === V ? 0 : v + 1;
      s.inOutPtr[g] = o + 1 === n ? 0 : o + 1;
      this.grantIn[k] = i;
      this.grantOut[k] = o;
      this.grantVc[k] = gv;
      k++;
    }
    return k;
  }
}
