/**
 * The event queue of the discrete-event kernel.
 *
 * Order: events run in ascending (cycle, phase, seq), where seq is the order in
 * which they were scheduled. The order is total, so a run is deterministic.
 *
 * Storage (after PERF-NOTES): a ring of RING_CYCLES x PHASES buckets covers the
 * cycles [now, now + RING_CYCLES); each bucket is a contiguous Int32Array of
 * (handler, a, b) triples appended in seq order, so FIFO inside a bucket is the
 * seq order. Events further ahead wait in a typed-array binary heap keyed by
 * (cycle * PHASES + phase, seq) and move into the ring, in heap order, the moment
 * their cycle enters the window (before anything else can be scheduled there).
 * Nothing allocates in the steady state: buckets and heap only grow.
 */

/** Number of phases inside one cycle (phase 0 runs first). */
export const PHASES = 8;
/** Cycles covered by the bucket ring (a power of two). */
export const RING_CYCLES = 256;
const RING_MASK = RING_CYCLES - 1;
const STRIDE = 3;

/** Ring-of-buckets event queue with a heap for far-future events. */
export class EventQueue {
  /** Cycle of the bucket being (or about to be) drained. */
  private base = 0;
  private readonly buckets: Int32Array[] = [];
  private readonly bucketLen = new Int32Array(RING_CYCLES * PHASES);
  /** Pending events per ring cycle slot (all phases). */
  private readonly slotCount = new Int32Array(RING_CYCLES);
  /** Bit s: ring slot s holds an event; per slot, bit p: its phase-p bucket holds one (jumps over empty cycles and phases). */
  private readonly slotBits = new Int32Array(RING_CYCLES >>> 5);
  private readonly phaseBits = new Int32Array(RING_CYCLES);
  private ringCount = 0;

  // Far-future heap: parallel typed arrays, index 0 is the root.
  private heapKey = new Float64Array(64);
  private heapSeq = new Float64Array(64);
  private heapData = new Int32Array(64 * STRIDE);
  private heapSize = 0;
  private seq = 0;

  constructor() {
    for (let i = 0; i < RING_CYCLES * PHASES; i++) this.buckets.push(new Int32Array(4 * STRIDE));
  }

  /** Number of events not yet taken. */
  get size(): number {
    return this.ringCount + this.heapSize;
  }

  /** Cycle of the ring window start (the earliest cycle an event may still have). */
  get windowStart(): number {
    return this.base;
  }

  /** Move the time origin back by `delta` cycles (a multiple of RING_CYCLES, so every ring slot keeps its cycles); the queue must be empty. */
  rebase(delta: number): void {
    if (this.size !== 0 || delta % RING_CYCLES !== 0 || delta > this.base) throw new Error(`event queue rebase by ${delta} at window start ${this.base} with ${this.size} events`);
    this.base -= delta;
  }

  /** Append an event; `cycle` must be >= the window start (checked by the kernel). */
  push(cycle: number, phase: number, handler: number, a: number, b: number): void {
    if (cycle - this.base < RING_CYCLES) {
      this.append(cycle, phase, handler, a, b);
      this.seq++;
    } else {
      this.heapPush(cycle * PHASES + phase, this.seq++, handler, a, b);
    }
  }

  /** Earliest cycle holding an event, or -1 when the queue is empty. */
  peekCycle(): number {
    if (this.ringCount === 0) {
      return this.heapSize === 0 ? -1 : Math.floor((this.heapKey[0] as number) / PHASES);
    }
    let c = this.base;
    for (;;) {
      const slot = c & RING_MASK;
      const bits = (this.slotBits[slot >>> 5] as number) >>> (slot & 31);
      if (bits !== 0) return c + (31 - Math.clz32(bits & -bits));
      c += 32 - (slot & 31);
    }
  }

  /**
   * Move the window start to `cycle` (>= the current start, <= peekCycle() when
   * non-empty), pulling far-future events that now fall inside the window into the ring.
   */
  moveTo(cycle: number): void {
    if (cycle === this.base) return;
    this.base = cycle;
    this.migrate();
  }

  /** The bucket array of (cycle at window start, phase); valid until the next push. */
  bucket(phase: number): Int32Array {
    return this.buckets[(this.base & RING_MASK) * PHASES + phase] as Int32Array;
  }

  /** Current length (in ints) of the bucket (window start, phase). */
  bucketLength(phase: number): number {
    return this.bucketLen[(this.base & RING_MASK) * PHASES + phase] as number;
  }

  /** Mark the bucket (window start, phase) drained. */
  clearBucket(phase: number): void {
    const slot = this.base & RING_MASK;
    const bi = slot * PHASES + phase;
    const n = (this.bucketLen[bi] as number) / STRIDE;
    this.bucketLen[bi] = 0;
    this.phaseBits[slot] = (this.phaseBits[slot] as number) & ~(1 << phase);
    this.take(slot, n);
  }

  /** Phases of the window start's cycle that hold events (bit p = phase p). */
  pendingPhases(): number {
    return this.phaseBits[this.base & RING_MASK] as number;
  }

  /** n events of ring slot `slot` were taken. */
  private take(slot: number, n: number): void {
    const left = (this.slotCount[slot] as number) - n;
    this.slotCount[slot] = left;
    this.ringCount -= n;
    if (left === 0) this.slotBits[slot >>> 5] = (this.slotBits[slot >>> 5] as number) & ~(1 << (slot & 31));
  }

  /** Remove the first `ints` ints (executed events) of bucket (window start, phase), keeping the rest in order. */
  dropHead(phase: number, ints: number): void {
    const slot = this.base & RING_MASK;
    const bi = slot * PHASES + phase;
    const len = this.bucketLen[bi] as number;
    (this.buckets[bi] as Int32Array).copyWithin(0, ints, len);
    this.bucketLen[bi] = len - ints;
    if (len === ints) this.phaseBits[slot] = (this.phaseBits[slot] as number) & ~(1 << phase);
    this.take(slot, ints / STRIDE);
  }

  /** Events pending in (window start, phase). */
  pendingInPhase(phase: number): number {
    return (this.bucketLen[(this.base & RING_MASK) * PHASES + phase] as number) / STRIDE;
  }

  private migrate(): void {
    const limitKey = (this.base + RING_CYCLES) * PHASES;
    while (this.heapSize > 0 && (this.heapKey[0] as number) < limitKey) {
      const key = this.heapKey[0] as number;
      const h = this.heapData[0] as number;
      const a = this.heapData[1] as number;
      const b = this.heapData[2] as number;
      this.heapPop();
      const cycle = Math.floor(key / PHASES);
      this.append(cycle, key - cycle * PHASES, h, a, b);
    }
  }

  /** Append (handler, a, b) to the ring bucket of (cycle, phase), growing it when full; cycle must be inside the window. */
  private append(cycle: number, phase: number, h: number, a: number, b: number): void {
    const slot = cycle & RING_MASK;
    const bi = slot * PHASES + phase;
    let buf = this.buckets[bi] as Int32Array;
    const len = this.bucketLen[bi] as number;
    if (len + STRIDE > buf.length) buf = this.grow(bi);
    buf[len] = h;
    buf[len + 1] = a;
    buf[len + 2] = b;
    this.bucketLen[bi] = len + STRIDE;
    if (this.slotCount[slot]++ === 0) this.slotBits[slot >>> 5] = (this.slotBits[slot >>> 5] as number) | (1 << (slot & 31));
    this.phaseBits[slot] = (this.phaseBits[slot] as number) | (1 << phase);
    this.ringCount++;
  }

  /** Double bucket `bi` (kept out of append so the common path stays small enough to inline). */
  private grow(bi: number): Int32Array {
    const buf = this.buckets[bi] as Int32Array;
    const grown = new Int32Array(buf.length * 2);
    grown.set(buf);
    this.buckets[bi] = grown;
    return grown;
  }

  /** Whether entry (key, seq) orders before heap slot j. */
  private before(key: number, seq: number, j: number): boolean {
    const kj = this.heapKey[j] as number;
    return key < kj || (key === kj && seq < (this.heapSeq[j] as number));
  }

  /** Copy heap slot `from` into slot `to`. */
  private move(from: number, to: number): void {
    this.heapKey[to] = this.heapKey[from] as number;
    this.heapSeq[to] = this.heapSeq[from] as number;
    const d = this.heapData;
    d[to * STRIDE] = d[from * STRIDE] as number;
    d[to * STRIDE + 1] = d[from * STRIDE + 1] as number;
    d[to * STRIDE + 2] = d[from * STRIDE + 2] as number;
  }

  private put(i: number, key: number, seq: number, h: number, a: number, b: number): void {
    this.heapKey[i] = key;
    this.heapSeq[i] = seq;
    this.heapData[i * STRIDE] = h;
    this.heapData[i * STRIDE + 1] = a;
    this.heapData[i * STRIDE + 2] = b;
  }

  private heapPush(key: number, seq: number, h: number, a: number, b: number): void {
    if (this.heapSize === this.heapKey.length) {
      const n = this.heapKey.length * 2;
      const k = new Float64Array(n);
      k.set(this.heapKey);
      this.heapKey = k;
      const s = new Float64Array(n);
      s.set(this.heapSeq);
      this.heapSeq = s;
      const d = new Int32Array(n * STRIDE);
      d.set(this.heapData);
      this.heapData = d;
    }
    // Sift the hole up from the end, then write the entry once.
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(key, seq, p)) break;
      this.move(p, i);
      i = p;
    }
    this.put(i, key, seq, h, a, b);
  }

  private heapPop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    // Sift the hole down from the root with the last entry, then write it once.
    const key = this.heapKey[last] as number;
    const seq = this.heapSeq[last] as number;
    const h = this.heapData[last * STRIDE] as number;
    const a = this.heapData[last * STRIDE + 1] as number;
    const b = this.heapData[last * STRIDE + 2] as number;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && this.before(this.heapKey[r] as number, this.heapSeq[r] as number, l) ? r : l;
      if (this.before(key, seq, m)) break;
      this.move(m, i);
      i = m;
    }
    this.put(i, key, seq, h, a, b);
  }
}
