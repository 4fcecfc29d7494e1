/**
 * Deadlock watchdog: a run stops when components are waiting but nothing has made
 * progress for more than `limit` cycles.
 *
 * Components call `progress()` whenever something moves (a flit granted, a neuron
 * committed) and `check()` from events they run because they are waiting (a router
 * holding flits ticks every cycle), so an idle system never trips it. When they
 * schedule something that will let a waiter move (a credit or a flit on its way, a
 * pipeline stage that ends later) they call `expect(cycle)`: cycles up to then are
 * not counted, because no progress was possible in them, so delays longer than the
 * limit never read as a deadlock. On a trip, every registered reporter lists what it
 * holds and a DeadlockError is thrown.
 */
import { UserError } from '../util/errors';
import { PHASES } from './event-queue';

/** One stuck buffer: where it is and how full. */
export interface StuckBuffer {
  /** Component id, e.g. "router.5". */
  component: string;
  /** Buffer name within the component, e.g. "in.E". */
  buffer: string;
  /** Entries held. */
  occupancy: number;
  /** Entries the buffer can hold. */
  capacity: number;
}

/** Lists a component group's non-empty buffers for a deadlock report. */
export type StuckReporter = () => StuckBuffer[];

/** Thrown when a run made no progress for more than the watchdog limit. */
export class DeadlockError extends UserError {
  constructor(
    readonly cycle: number,
    readonly idleCycles: number,
    readonly stuck: readonly StuckBuffer[],
  ) {
    const shown = stuck
      .slice(0, 8)
      .map((s) => `${s.component} ${s.buffer} ${s.occupancy}/${s.capacity}`)
      .join(', ');
    const more = stuck.length > 8 ? ` and ${stuck.length - 8} more` : '';
    super(
      `deadlock: no progress for ${idleCycles} cycles at cycle ${cycle}; stuck buffers: ${shown || 'none'}${more}`,
    );
    this.name = 'DeadlockError';
  }
}

/** The no-progress detector owned by a kernel. */
export class Watchdog {
  /** Cycles without progress that stop a run; 0 disables the watchdog. */
  limit = 0;
  private last = 0;
  private due = 0;
  private readonly reporters: StuckReporter[] = [];

  /** Progress recorded ahead of its time (progressLater), as keys cycle * PHASES + phase; counted once the clock has passed them. */
  private ahead = new Float64Array(16);
  private aheadLen = 0;

  constructor(private readonly clock: { readonly now: number; readonly phase: number }) {}

  /** Cycle of the last recorded progress (marks recorded ahead count once their cycle is reached). */
  get lastProgress(): number {
    this.settle(this.clock.now * PHASES + PHASES - 1);
    return this.last;
  }

  /** Record that something moved in the current cycle; never moves the mark back (it may lie ahead: progressAt). */
  progress(): void {
    const now = this.clock.now;
    if (now > this.last) this.last = now;
  }

  /** Record progress at `cycle` (a replayed stretch of traffic whose last movement lies at that cycle); never moves the mark back. */
  progressAt(cycle: number): void {
    if (cycle > this.last) this.last = cycle;
  }

  /**
   * Record progress that will happen at (cycle, phase), a point after now (a pass end known
   * ahead): it counts from then on exactly as progress() called at that point would.
   */
  progressLater(cycle: number, phase: number): void {
    if (this.aheadLen === this.ahead.length) {
      this.settle(this.clock.now * PHASES + this.clock.phase);
      if (this.aheadLen === this.ahead.length) {
        const grown = new Float64Array(this.ahead.length * 2);
        grown.set(this.ahead);
        this.ahead = grown;
      }
    }
    this.ahead[this.aheadLen++] = cycle * PHASES + phase;
  }

  /** Fold the marks at or before key (cycle * PHASES + phase) into the last progress. */
  private settle(key: number): void {
    const a = this.ahead;
    let k = 0;
    for (let i = 0; i < this.aheadLen; i++) {
      const m = a[i] as number;
      if (m <= key) {
        const c = Math.floor(m / PHASES);
        if (c > this.last) this.last = c;
      } else a[k++] = m;
    }
    this.aheadLen = k;
  }

  /** Something already scheduled can make progress at `cycle` (a credit or flit in flight, a stage ending): idle cycles count only after it; never moves the mark back. */
  expect(cycle: number): void {
    if (cycle > this.due) this.due = cycle;
  }

  /**
   * A cycle by which a component that stops calling check() while it waits must check
   * again: no check can trip before it unless progress or expectations move it (they only
   * move it later). Infinity when the watchdog is off.
   */
  get deadline(): number {
    return this.limit > 0 ? (this.due > this.last ? this.due : this.last) + this.limit + 1 : Infinity;
  }

  /** The time origin moved back by `delta` cycles (Kernel.rebase). */
  rebase(delta: number): void {
    this.last -= delta;
    this.due -= delta;
    for (let i = 0; i < this.aheadLen; i++) this.ahead[i] = (this.ahead[i] as number) - delta * PHASES;
  }

  /** Add a reporter consulted when the watchdog trips. */
  addReporter(r: StuckReporter): void {
    this.reporters.push(r);
  }

  /** Throw a DeadlockError if the limit is set and exceeded by the cycles since the last progress or expected movement, whichever is later. */
  check(): void {
    const now = this.clock.now;
    if (this.aheadLen > 0) this.settle(now * PHASES + this.clock.phase - 1);
    if (this.limit > 0 && now - (this.due > this.last ? this.due : this.last) > this.limit) {
      const stuck: StuckBuffer[] = [];
      for (const r of this.reporters) stuck.push(...r());
      throw new DeadlockError(now, now - this.last, stuck);
    }
  }
}
