/**
 * Switch allocation of a single-lane router, once per cycle: the head flit of every
 * non-empty input requests its routed output; outputs, in ascending order, each
 * grant one requesting input chosen by a round-robin arbiter whose pointer then
 * moves past the winner. An input has one head, so it wins at most one output.
 */
import { roundRobinPick } from './arbiter';
import type { InputBuffers } from './input-buffers';

/** Port masks are 32-bit words. */
export const MAX_PORTS = 32;

/** Request matrix and round-robin pointers of every output port of the mesh. */
export class SwitchAllocator {
  /** Round-robin pointer per global output port (read and restored by the chip's load replay). */
  readonly rr: Int32Array;
  /** Scratch: bit i of req[o] = input i requests local output o (valid for outputs in the last request mask). */
  private readonly req = new Int32Array(MAX_PORTS);

  constructor(ports: number) {
    this.rr = new Int32Array(ports);
  }

  /**
   * Collect the requests of a router whose inputs (global ports base + i) with bit i
   * set in `busy` hold flits, each head flit asking for output `out[flit]`; returns
   * the mask of requested local outputs.
   */
  request(base: number, busy: number, buffers: InputBuffers, out: Int32Array): number {
    const req = this.req;
    let outs = 0;
    for (; busy !== 0; busy &= busy - 1) {
      const i = 31 - Math.clz32(busy & -busy);
      const o = out[buffers.peek(base + i)] as number;
      if (((outs >>> o) & 1) === 0) {
        outs |= 1 << o;
        req[o] = 1 << i;
      } else {
        req[o] = (req[o] as number) | (1 << i);
      }
    }
    return outs;
  }

  /** Inputs requesting local output `o` (after `request`). */
  requests(o: number): number {
    return this.req[o] as number;
  }

  /** Grant global output `og` to one of the `requests` among `n` inputs (round robin); returns the local input. */
  grant(og: number, requests: number, n: number): number {
    const i = roundRobinPick(requests, this.rr[og] as number, n);
    this.rr[og] = i + 1 === n ? 0 : i + 1;
    return i;
  }
}
