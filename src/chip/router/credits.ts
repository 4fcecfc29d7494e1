/**
 * Credit-based flow control of a router's outputs: an output toward a neighbour
 * holds one credit per free slot of the downstream input buffer (sending takes
 * one, the downstream grant returns one creditDelay cycles later); an ejection
 * output is unbounded unless its endpoint holds ejection.
 */

/** Credits of an ejection output: effectively unbounded. */
export const UNBOUNDED = 1 << 30;

/** Credit counters of every output port of the mesh. */
export class OutputCredits {
  /** Credits per global output port. */
  readonly count: Int32Array;

  constructor(ports: number) {
    this.count = new Int32Array(ports);
  }

  /** Whether output `o` may send a flit now. */
  has(o: number): boolean {
    return (this.count[o] as number) > 0;
  }

  /** Spend one credit of output `o` (a flit was sent). */
  take(o: number): void {
    this.count[o] = (this.count[o] as number) - 1;
  }

  /** A credit of output `o` came back. */
  give(o: number): void {
    this.count[o] = (this.count[o] as number) + 1;
  }

  /** Set output `o`'s credits (initial buffer depth, UNBOUNDED or 0 for a held ejection). */
  set(o: number, n: number): void {
    this.count[o] = n;
  }
}
