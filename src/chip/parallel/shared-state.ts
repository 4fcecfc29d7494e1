/**
 * The shared memory of a region-parallel run (one SharedArrayBuffer for all threads):
 *   control words  barrier count and generation, waiters, abort flag, command and reply sequence numbers
 *   slots          per round parity and region: what the region publishes at a synchronisation
 *                  (its next event cycle, the earliest cycle of what it sent, barrier terms, messages per receiver)
 *   messages       per round parity, sender and receiver: flits and credits crossing a region border
 *   error text     the first failure's message, so that every thread can report it
 * Slots and messages alternate between two buffers by round parity: a region writes
 * round k+1's while the others may still read round k's, and round k+2 reuses round
 * k's only after every region has passed round k+1's barrier.
 */

/** Control word indices (Int32). */
export const CTL_COUNT = 0;
export const CTL_GEN = 1;
export const CTL_WAITERS = 2;
export const CTL_ABORT = 3;
export const CTL_COMMAND = 4;
/** Reply sequence number of region r: CTL_REPLY + r. */
export const CTL_REPLY = 8;

/** Slot fields (Float64). */
export const S_NEXT = 0;
export const S_MIN_OUT = 1;
export const S_COMMITTING = 2;
export const S_OWED = 3;
export const S_QUEUED = 4;
export const S_STREAMING = 5;
export const S_PREDICTION = 6;
export const S_TIME = 7;
export const S_ERRORS = 8;
/** Messages for region d: S_OUT + d. */
export const S_OUT = 9;

/** Message fields (Float64): kind, port, cycle, then the flit's pool fields. */
export const M_KIND = 0;
export const M_PORT = 1;
export const M_CYCLE = 2;
export const M_SRC = 3;
export const M_DST = 4;
export const M_AXON = 5;
export const M_BIT = 6;
export const M_TAG = 7;
export const M_HOPS = 8;
export const M_BLOCKED = 9;
export const M_ENTER = 10;
export const M_SERIAL = 11;
export const MSG = 12;
/** Message kinds. */
export const KIND_FLIT = 0;
export const KIND_CREDIT = 1;

const ERROR_BYTES = 4096;

/** Views of one shared buffer for `regions` regions, each sending at most `capacity` messages to one other region per round. */
export class SharedState {
  readonly ctl: Int32Array;
  readonly slots: Float64Array;
  readonly msgs: Float64Array;
  readonly errorText: Uint8Array;
  readonly slotStride: number;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly regions: number,
    readonly capacity: number,
  ) {
    const P = regions;
    this.slotStride = S_OUT + P;
    const ctlBytes = 8 * Math.ceil(((CTL_REPLY + P) * 4) / 8);
    const slotBytes = 2 * P * this.slotStride * 8;
    const msgBytes = 2 * P * P * capacity * MSG * 8;
    let at = 0;
    this.ctl = new Int32Array(buffer, at, ctlBytes / 4);
    at += ctlBytes;
    this.slots = new Float64Array(buffer, at, slotBytes / 8);
    at += slotBytes;
    this.msgs = new Float64Array(buffer, at, msgBytes / 8);
    at += msgBytes;
    this.errorText = new Uint8Array(buffer, at, ERROR_BYTES);
  }

  /** Bytes of the shared buffer for `regions` regions and `capacity` messages per pair and round. */
  static bytes(regions: number, capacity: number): number {
    const P = regions;
    return 8 * Math.ceil(((CTL_REPLY + P) * 4) / 8) + 2 * P * (S_OUT + P) * 8 + 2 * P * P * capacity * MSG * 8 + ERROR_BYTES;
  }

  /** Index of the slot of region r in round parity `par`. */
  slot(par: number, r: number): number {
    return (par * this.regions + r) * this.slotStride;
  }

  /** Index of message 0 from region `src` to region `dst` in round parity `par`. */
  msgBase(par: number, src: number, dst: number): number {
    return ((par * this.regions + src) * this.regions + dst) * this.capacity * MSG;
  }

  /** Record the first failure (later ones are dropped) and wake every waiting thread. */
  abort(message: string): void {
    if (Atomics.compareExchange(this.ctl, CTL_ABORT, 0, 1) === 0) {
      const bytes = Buffer.from(message.slice(0, ERROR_BYTES / 4), 'utf8');
      const n = Math.min(bytes.length, ERROR_BYTES - 4);
      new DataView(this.errorText.buffer, this.errorText.byteOffset).setUint32(0, n, true);
      this.errorText.set(bytes.subarray(0, n), 4);
      Atomics.store(this.ctl, CTL_ABORT, 2);
    }
    Atomics.add(this.ctl, CTL_GEN, 1);
    Atomics.notify(this.ctl, CTL_GEN);
    Atomics.notify(this.ctl, CTL_COMMAND);
    for (let r = 0; r < this.regions; r++) Atomics.notify(this.ctl, CTL_REPLY + r);
  }

  /** True once some thread failed. */
  get aborted(): boolean {
    return Atomics.load(this.ctl, CTL_ABORT) !== 0;
  }

  /** The first failure's message. */
  failure(): string {
    while (Atomics.load(this.ctl, CTL_ABORT) === 1) {
      // The failing thread is still writing its message.
    }
    const n = new DataView(this.errorText.buffer, this.errorText.byteOffset).getUint32(0, true);
    return Buffer.from(this.errorText.subarray(4, 4 + n)).toString('utf8');
  }
}

/** Thrown in every thread of a region-parallel run after one of them failed; carries the first failure's message. */
export class RegionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionFailure';
  }
}
