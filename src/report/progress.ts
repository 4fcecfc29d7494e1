/**
 * A one-line progress bar on stderr for long work. It draws only when the stream is
 * a terminal or when forced, and redraws at most every 100 ms so that drawing never
 * costs measurable time in the loops that report to it.
 */

/** Where and whether to draw. */
export interface ProgressOptions {
  /** Stream to draw on (default: process.stderr). */
  stream?: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean };
  /** "auto" draws only on a terminal; "always" forces; "never" disables. */
  when?: 'auto' | 'always' | 'never';
  /** Minimum time between redraws, in milliseconds. */
  intervalMs?: number;
  /** Bar width in characters. */
  width?: number;
}

/** A progress bar over `total` units of work. */
export class ProgressBar {
  private readonly stream: { write(s: string): boolean; isTTY?: boolean };
  private readonly enabled: boolean;
  private readonly intervalMs: number;
  private readonly width: number;
  private total = 1;
  private label = '';
  private lastDraw = 0;
  private startMs = 0;
  private drawn = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    const when = options.when ?? 'auto';
    this.enabled = when === 'always' || (when === 'auto' && this.stream.isTTY === true);
    this.intervalMs = options.intervalMs ?? 100;
    this.width = options.width ?? 30;
  }

  /** Whether this bar draws at all. */
  get active(): boolean {
    return this.enabled;
  }

  /** Start a new phase of `total` units named `label`. */
  start(label: string, total: number): void {
    this.label = label;
    this.total = Math.max(1, total);
    this.startMs = Date.now();
    this.lastDraw = 0;
    this.update(0, '');
  }

  /**
   * Report `done` units finished; `extra` is appended (e.g. a running accuracy). Pass
   * a function to build the text only when the bar actually redraws.
   */
  update(done: number, extra: string | (() => string)): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < this.total && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * this.width);
    const elapsed = (now - this.startMs) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const bar = '#'.repeat(filled) + '.'.repeat(this.width - filled);
    const tail = typeof extra === 'function' ? extra() : extra;
    const text =
      `${this.label} [${bar}] ${done}/${this.total} ${(100 * frac).toFixed(0)}%` +
      ` ${rate.toFixed(0)}/s eta ${eta.toFixed(0)}s${tail ? ` ${tail}` : ''}`;
    this.stream.write(`\r${text}\x1b[K`);
    this.drawn = true;
  }

  /** Clear the bar's line so that ordinary output can follow. */
  clear(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
