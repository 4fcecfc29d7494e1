/**
 * Per-cycle lists of a lean router path: for each cycle slot (t & mask), the integer
 * records (fixed width) scheduled for that cycle, in scheduling order, held in growable
 * typed arrays that are reused from cycle to cycle (no allocation once grown).
 */
export class SlotLists {
  /** Per slot, the records (width words each); read by the owner's run loop. */
  readonly lists: Int32Array[] = [];
  /** Per slot, how many records it holds. */
  readonly len: Int32Array;
  /** Per slot, the cycle a non-empty slot holds. */
  private readonly cycle: Float64Array;

  constructor(slots: number, private readonly width: number, records: number, private readonly what: string) {
    this.len = new Int32Array(slots);
    this.cycle = new Float64Array(slots);
    for (let s = 0; s < slots; s++) this.lists.push(new Int32Array(records * width));
  }

  /**
   * Append a record (a, and b when the width is 2) for cycle t to slot s; true when the
   * slot was empty (the caller then schedules the slot's event).
   */
  push(s: number, t: number, a: number, b: number): boolean {
    const n = this.len[s] as number;
    if (n === 0) this.cycle[s] = t;
    else if (this.cycle[s] !== t) throw new Error(`${this.what} slot of cycle ${t} still holds cycle ${this.cycle[s]}`);
    const w = this.width;
    let list = this.lists[s] as Int32Array;
    if (w * n + w > list.length) {
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      this.lists[s] = list = grown;
    }
    list[w * n] = a;
    if (w === 2) list[w * n + 1] = b;
    this.len[s] = n + 1;
    return n === 0;
  }

  /** Keep only the records from index i on (the kernel stopped in the middle of the slot's run). */
  keepFrom(s: number, i: number): void {
    const w = this.width;
    const n = (this.len[s] as number) - i;
    (this.lists[s] as Int32Array).copyWithin(0, w * i, w * (i + n));
    this.len[s] = n;
  }
}
