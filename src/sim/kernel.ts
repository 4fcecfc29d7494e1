/**
 * The discrete-event kernel: integer cycle time, events ordered by
 * (cycle, phase, seq) where seq is the scheduling order, so every run of the same
 * inputs executes the same events in the same order.
 *
 * Rules:
 *   - an event may be scheduled at (cycle, phase) >= (now, current phase); same
 *     (cycle, phase) runs later in the same pass (FIFO);
 *   - handlers are plain functions registered once and named by an integer id, and
 *     an event carries two integer arguments, so scheduling never allocates;
 *   - components with nothing to do schedule nothing and cost nothing: time jumps
 *     straight to the next pending event.
 */
import { EventQueue, PHASES, RING_CYCLES } from './event-queue';
import { Watchdog } from './watchdog';

export { PHASES } from './event-queue';

/** An event handler: `a` and `b` are the event's integer arguments, `cycle` the current cycle. */
export type EventHandler = (a: number, b: number, cycle: number) => void;

/** Why `run` returned. */
export type RunOutcome = 'empty' | 'limit' | 'stopped';

/** Discrete-event scheduler over integer cycles. */
export class Kernel {
  private readonly queue = new EventQueue();
  private readonly handlers: EventHandler[] = [];
  private currentCycle = 0;
  private currentPhase = 0;
  private running = false;
  private stopRequested = false;
  private executed = 0;
  private visited = 0;
  private lastVisited = -1;
  /** Stops runs that make no progress (off until its limit is set). */
  readonly watchdog = new Watchdog(this);
  /** Components holding cycle stamps, told when the time origin moves (rebase). */
  private readonly rebaseHooks: Array<(delta: number) => void> = [];
  /** The alarm (setAlarm): its cycle (-1: none), phase and handler. */
  private alarmCycle = -1;
  private alarmPhase = 0;
  private alarmHandler = 0;

  /** Current cycle. */
  get now(): number {
    return this.currentCycle;
  }

  /** Phase being executed (meaningful inside a handler). */
  get phase(): number {
    return this.currentPhase;
  }

  /** Events executed since construction. */
  get eventsExecuted(): number {
    return this.executed;
  }

  /** Distinct cycles at which events ran: the synchronisation rounds a conservative parallel run with a one-cycle lookahead would need. */
  get cyclesWithEvents(): number {
    return this.visited;
  }

  /** Earliest cycle holding an event (or the alarm), or -1 when none is pending (a region of a parallel run publishes it at every synchronisation). */
  get nextCycle(): number {
    const c = this.queue.peekCycle();
    return this.alarmCycle >= 0 && (c < 0 || this.alarmCycle < c) ? this.alarmCycle : c;
  }

  /** Events scheduled and not yet executed (an armed alarm counts as one). */
  get pending(): number {
    return this.queue.size + (this.alarmCycle >= 0 ? 1 : 0);
  }

  /**
   * Arm the kernel's one alarm: handler `h` runs at (cycle, phase), cycle > now, like an
   * event scheduled then, unless clearAlarm() comes first (an event cannot be taken
   * back). It becomes an ordinary event when the run reaches its cycle, appended after
   * the events of its (cycle, phase) scheduled before. One alarm at a time: arming moves it.
   */
  setAlarm(cycle: number, phase: number, h: number): void {
    if (!(cycle > this.currentCycle) || !Number.isInteger(cycle) || phase < 0 || phase >= PHASES) throw new Error(`bad alarm time (${cycle}, ${phase}) at cycle ${this.currentCycle}`);
    this.alarmCycle = cycle;
    this.alarmPhase = phase;
    this.alarmHandler = h;
  }

  /** Disarm the alarm (nothing happens when none is armed). */
  clearAlarm(): void {
    this.alarmCycle = -1;
  }

  /** Register a handler once; the returned id names it in `at` / `after`. */
  register(handler: EventHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedule handler `h` with arguments (a, b) at (cycle, phase). */
  at(cycle: number, phase: number, h: number, a: number, b: number): void {
    if (cycle < this.currentCycle || (cycle === this.currentCycle && this.running && phase < this.currentPhase)) {
      throw new Error(
        `event scheduled in the past: (${cycle}, ${phase}) at (${this.currentCycle}, ${this.currentPhase})`,
      );
    }
    if (phase < 0 || phase >= PHASES || !Number.isInteger(cycle)) {
      throw new Error(`bad event time (${cycle}, ${phase})`);
    }
    this.queue.push(cycle, phase, h, a, b);
  }

  /** Schedule handler `h` `delay` cycles from now (delay >= 0) in `phase`. */
  after(delay: number, phase: number, h: number, a: number, b: number): void {
    this.at(this.currentCycle + delay, phase, h, a, b);
  }

  /** Call `hook(delta)` whenever the time origin moves back by delta cycles (rebase): it must subtract delta from every cycle it keeps. */
  onRebase(hook: (delta: number) => void): void {
    this.rebaseHooks.push(hook);
  }

  /**
   * Move the time origin to the last multiple of RING_CYCLES at or before now, while no
   * event is pending; returns the cycles subtracted (0 when none). Cycle numbers then
   * stay small integers: past 2^30 V8 keeps them as heap doubles, boxed on every
   * handler call, which made long runs markedly slower. Nothing observable changes as
   * long as the caller adds the returned offset back to the cycles it reports.
   */
  rebase(): number {
    if (this.running || this.queue.size !== 0) throw new Error('Kernel.rebase: only between runs with no event pending');
    const now = this.currentCycle;
    const delta = now - (now % RING_CYCLES);
    if (delta === 0) return 0;
    this.queue.rebase(delta);
    this.currentCycle = now - delta;
    this.lastVisited -= delta;
    this.watchdog.rebase(delta);
    if (this.alarmCycle >= 0) this.alarmCycle -= delta;
    for (const h of this.rebaseHooks) h(delta);
    return delta;
  }

  /** Ask the current `run` to return after the event being executed. */
  stop(): void {
    this.stopRequested = true;
  }

  /** True while `run` executes events. */
  get isRunning(): boolean {
    return this.running;
  }

  /** True once `stop()` was asked inside the current run: a handler running a batch of its own events returns before the next one. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /**
   * A handler ran `n` events of its own batch (a component's per-cycle queue run by one
   * kernel event): they count as executed, as if each had been a kernel event.
   */
  countBatched(n: number): void {
    this.executed += n;
  }

  /**
   * Execute events in order until none is left, the next one lies after
   * `untilCycle` (then now = untilCycle), or `stop()` was called.
   */
  run(untilCycle = Infinity): RunOutcome {
    if (this.running) throw new Error('Kernel.run is not re-entrant');
    this.running = true;
    this.stopRequested = false;
    try {
      const q = this.queue;
      const handlers = this.handlers;
      for (;;) {
        let c = q.peekCycle();
        const alarm = this.alarmCycle;
        if (alarm >= 0 && (c < 0 || alarm <= c) && alarm <= untilCycle) {
          // The alarm's cycle is reached: from now on it is an ordinary event.
          this.alarmCycle = -1;
          q.push(alarm, this.alarmPhase, this.alarmHandler, 0, 0);
          c = alarm;
        }
        if (c < 0 || c > untilCycle) {
          if (untilCycle !== Infinity && untilCycle > this.currentCycle) {
            this.currentCycle = untilCycle;
            q.moveTo(untilCycle);
          }
          this.currentPhase = 0;
          return c < 0 ? 'empty' : 'limit';
        }
        q.moveTo(c);
        this.currentCycle = c;
        if (c !== this.lastVisited) {
          this.visited++;
          this.lastVisited = c;
        }
        // Only the phases that hold events (a handler may add to the current or a later phase).
        for (let p = 0; ; p++) {
          const pending = q.pendingPhases() >>> p;
          if (pending === 0) break;
          p += 31 - Math.clz32(pending & -pending);
          this.currentPhase = p;
          let i = 0;
          while (i < q.bucketLength(p)) {
            const buf = q.bucket(p);
            const h = buf[i] as number;
            const a = buf[i + 1] as number;
            const b = buf[i + 2] as number;
            i += 3;
            this.executed++;
            (handlers[h] as EventHandler)(a, b, c);
            if (this.stopRequested) {
              this.dropExecuted(p, i);
              return 'stopped';
            }
          }
          q.clearBucket(p);
        }
        this.currentPhase = 0;
      }
    } finally {
      this.running = false;
    }
  }

  /** After a stop inside a bucket, keep the not-yet-executed tail of that bucket (in place: a stop per step must not allocate). */
  private dropExecuted(phase: number, consumed: number): void {
    this.queue.dropHead(phase, consumed);
  }
}
