/**
 * The sweep's progress line: points done, running and failed out of the total, and
 * an ETA. With several points in flight the ETA is the mean wall time per finished
 * point of this session times the points still to finish, divided by the points that
 * run at once:  eta = (elapsed / finished) * remaining / parallel  (shown once a point
 * has finished). On a terminal the line redraws in place; elsewhere nothing is drawn
 * (the sweep prints one line per finished point instead).
 */

/** Counts shown by the progress line. */
export interface SweepCounts {
  total: number;
  done: number;
  running: number;
  failed: number;
}

/** "1h02m", "3m05s", "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The text of the progress line; `finishedHere` counts points finished since this session started, over `elapsedS` seconds. */
export function progressText(c: SweepCounts, finishedHere: number, elapsedS: number, parallel: number): string {
  const remaining = c.total - c.done - c.failed;
  const eta = finishedHere > 0 && remaining > 0 ? ` eta ${formatDuration(((elapsedS / finishedHere) * remaining) / Math.max(1, Math.min(parallel, remaining)))}` : '';
  return `sweep: ${c.done}/${c.total} done, ${c.running} running, ${c.failed} failed${eta}`;
}

/** Draws progressText on a terminal stream, redrawing every second so the ETA stays current. */
export class SweepProgress {
  private readonly started = Date.now();
  private finishedHere = 0;
  private timer: NodeJS.Timeout | null = null;
  private drawn = false;

  constructor(
    private readonly counts: SweepCounts,
    private readonly parallel: number,
    private readonly stream: { write(s: string): boolean; isTTY?: boolean },
  ) {
    if (stream.isTTY === true) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /** Count a point finished in this session (done or failed). */
  finished(): void {
    this.finishedHere++;
  }

  /** Redraw (on a terminal only). */
  draw(): void {
    if (this.stream.isTTY !== true) return;
    this.stream.write(`\r${progressText(this.counts, this.finishedHere, (Date.now() - this.started) / 1000, this.parallel)}\x1b[K`);
    this.drawn = true;
  }

  /** Clear the line so that ordinary output can follow. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  /** Stop redrawing. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}
