/**
 * The input buffers of every router port, as fixed-size rings in one Int32Array:
 * port g holds flit handles data[g * depth + ((head[g] + k) mod depth)] for
 * k < count[g]. Credits keep a buffer from overflowing; push checks anyway.
 */

/** FIFO input buffers of `depth` flits for `ports` ports. */
export class InputBuffers {
  private readonly data: Int32Array;
  private readonly head: Int32Array;
  /** Flits held per port. */
  readonly count: Int32Array;

  constructor(
    readonly ports: number,
    readonly depth: number,
  ) {
    this.data = new Int32Array(ports * depth);
    this.head = new Int32Array(ports);
    this.count = new Int32Array(ports);
  }

  /** Append flit `f` to port `g`. */
  push(g: number, f: number): void {
    const n = this.count[g] as number;
    if (n >= this.depth) throw new Error(`input buffer ${g} overflow (credit protocol violated)`);
    let slot = (this.head[g] as number) + n;
    if (slot >= this.depth) slot -= this.depth;
    this.data[g * this.depth + slot] = f;
    this.count[g] = n + 1;
  }

  /** The flit at the head of port `g` (count must be > 0). */
  peek(g: number): number {
    return this.data[g * this.depth + (this.head[g] as number)] as number;
  }

  /** Remove and return the head flit of port `g`. */
  pop(g: number): number {
    const h = this.head[g] as number;
    const f = this.data[g * this.depth + h] as number;
    this.head[g] = h + 1 === this.depth ? 0 : h + 1;
    this.count[g] = (this.count[g] as number) - 1;
    return f;
  }
}
