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

  constructor(private readonly clock: { readonly now: number }) {}

  /** Cycle of the last recorded progress. */
  get lastProgress(): number {
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

  /** Something already scheduled can make progress at `cycle` (a credit or flit in flight, a stage ending): idle cycles count only after it; never moves the mark back. */
  expect(cycle: number): void {
    if (cycle > this.due) this.due = cycle;
  }

  /** The time origin moved back by `delta` cycles (Kernel.rebase). */
  rebase(delta: number): void {
    this.last -= delta;
    this.due -= delta;
  }

  /** Add a reporter consulted when the watchdog trips. */
  addReporter(r: StuckReporter): void {
    this.reporters.push(r);
  }

  /** Throw a DeadlockError if the limit is set and exceeded by the cycles since the last progress or expected movement, whichever is later. */
  check(): void {
    const now = this.clock.now;
    if (this.limit > 0 && now - (this.due > this.last ? this.due : this.last) > this.limit) {
      const stuck: StuckBuffer[] = [];
      for (const r of this.reporters) stuck.push(...r());
      throw new DeadlockError(now, now - this.last, stuck);
    }
  }
}
