/**
 * Storage of the flits in the network, as parallel typed arrays indexed by a flit
 * handle, with a free list: the steady state allocates nothing (the arrays only
 * double when more flits are in flight than ever before).
 */

/** Pool of packets (a packet's flits share its handle). */
export class FlitPool {
  /** Destination endpoint. */
  dst = new Int32Array(0);
  /** Source endpoint. */
  src = new Int32Array(0);
  /** Axon index at the destination. */
  axon = new Int32Array(0);
  /** Payload: the spike bit, or a partial sum. */
  bit = new Int32Array(0);
  /** Flits of the packet. */
  flits = new Int32Array(0);
  /** Message class. */
  cls = new Int32Array(0);
  /** Bits of the packet (header and payload). */
  bits = new Int32Array(0);
  /** 1 for a multicast packet (its destinations are in `sets`). */
  mc = new Uint8Array(0);
  /** Multicast destination bit-vectors, `setWords` words per handle. */
  sets = new Uint32Array(0);
  /** Caller's tag (e.g. a measurement flag). */
  tag = new Int32Array(0);
  /** Output port requested at the current router. */
  out = new Int32Array(0);
  /** Router-to-router links crossed so far. */
  hops = new Int32Array(0);
  /** Cycles waited in input buffers so far. */
  blocked = new Float64Array(0);
  /** Cycle the flit entered its source router's input buffer. */
  enter = new Float64Array(0);
  /** Cycle the flit entered its current input buffer. */
  arrive = new Float64Array(0);
  /** Serial number in injection order. */
  serial = new Float64Array(0);
  private next = new Int32Array(0);
  private freeHead = -1;
  private live = 0;

  constructor(
    initial = 64,
    /** Words of a destination bit-vector (0 without multicast). */
    readonly setWords = 0,
  ) {
    this.grow(initial);
  }

  /** Flits currently allocated. */
  get inUse(): number {
    return this.live;
  }

  /** Take a free handle. */
  alloc(): number {
    if (this.freeHead < 0) this.grow(this.dst.length * 2);
    const f = this.freeHead;
    this.freeHead = this.next[f] as number;
    this.live++;
    return f;
  }

  /** Return handle `f` to the pool. */
  free(f: number): void {
    this.next[f] = this.freeHead;
    this.freeHead = f;
    this.live--;
  }

  private grow(n: number): void {
    const old = this.dst.length;
    const i32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.dst = i32(this.dst);
    this.src = i32(this.src);
    this.axon = i32(this.axon);
    this.bit = i32(this.bit);
    this.flits = i32(this.flits);
    this.cls = i32(this.cls);
    this.bits = i32(this.bits);
    const mc = new Uint8Array(n);
    mc.set(this.mc);
    this.mc = mc;
    const sets = new Uint32Array(n * this.setWords);
    sets.set(this.sets);
    this.sets = sets;
    this.tag = i32(this.tag);
    this.out = i32(this.out);
    this.hops = i32(this.hops);
    this.blocked = f64(this.blocked);
    this.enter = f64(this.enter);
    this.arrive = f64(this.arrive);
    this.serial = f64(this.serial);
    this.next = i32(this.next);
    for (let f = n - 1; f >= old; f--) {
      this.next[f] = this.freeHead;
      this.freeHead = f;
    }
  }
}
