/**
 * The unbounded source queues of the synthetic traffic generator: one FIFO per
 * node of (creation cycle, destination), as growable typed-array rings, so a run
 * past saturation (queues grow without bound) still allocates only on growth.
 */

/** One FIFO of generated, not yet injected packets per node. */
export class SourceQueues {
  private created: Float64Array[] = [];
  private dst: Int32Array[] = [];
  private readonly head: Int32Array;
  /** Packets waiting per node. */
  readonly length: Int32Array;

  constructor(nodes: number) {
    for (let i = 0; i < nodes; i++) {
      this.created.push(new Float64Array(16));
      this.dst.push(new Int32Array(16));
    }
    this.head = new Int32Array(nodes);
    this.length = new Int32Array(nodes);
  }

  /** Append a packet created at `cycle` for `dst` to node `n`'s queue. */
  push(n: number, cycle: number, dst: number): void {
    let c = this.created[n] as Float64Array;
    let d = this.dst[n] as Int32Array;
    const len = this.length[n] as number;
    if (len === c.length) {
      const h = this.head[n] as number;
      const c2 = new Float64Array(c.length * 2);
      const d2 = new Int32Array(c.length * 2);
      for (let i = 0; i < len; i++) {
        const j = (h + i) % c.length;
        c2[i] = c[j] as number;
        d2[i] = d[j] as number;
      }
      this.created[n] = c = c2;
      this.dst[n] = d = d2;
      this.head[n] = 0;
    }
    const slot = ((this.head[n] as number) + len) % c.length;
    c[slot] = cycle;
    d[slot] = dst;
    this.length[n] = len + 1;
  }

  /** Creation cycle of node `n`'s head packet. */
  headCreated(n: number): number {
    return (this.created[n] as Float64Array)[this.head[n] as number] as number;
  }

  /** Destination of node `n`'s head packet. */
  headDst(n: number): number {
    return (this.dst[n] as Int32Array)[this.head[n] as number] as number;
  }

  /** Drop node `n`'s head packet. */
  shift(n: number): void {
    const cap = (this.created[n] as Float64Array).length;
    const h = (this.head[n] as number) + 1;
    this.head[n] = h === cap ? 0 : h;
    this.length[n] = (this.length[n] as number) - 1;
  }
}
