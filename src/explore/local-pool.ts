/**
 * The local executor: a pool of worker threads (piscina) on this machine, each running
 * one point's command at a time through the CLI's pool worker (src/cli/pool-worker.ts,
 * loaded by file name, so this room imports nothing of the CLI). Points are handed out
 * one at a time as threads free up, so a stop request never starts a new point, and
 * the threads share one stop flag that the running commands poll (worker threads get
 * no SIGINT of their own).
 */
import Piscina from 'piscina';
import { compiledFile, type PointTask, type TaskOutcome } from './executor';

/** What the pool tells its caller while it runs. */
export interface PoolHooks {
  onStart?: (index: number) => void;
  onEnd?: (outcome: TaskOutcome) => void;
}

/** What the pool worker file returns for one command. */
interface WorkerResult {
  code: number;
  stderr: string;
}

/** A fixed-size pool of worker threads running point commands. */
export class LocalPool {
  private readonly stopBuffer = new SharedArrayBuffer(4);
  private stopped = false;
  private pool: Piscina | null = null;
  /** Handed to every command with its arguments (the sweep's decoded data in shared memory); opaque here. */
  shared: unknown = undefined;

  constructor(
    readonly workers: number,
    private readonly workerFile: string = compiledFile('src/cli/pool-worker.js'),
  ) {}

  /**
   * Start `threads` threads now (at most `workers`): each loads the command modules while
   * the caller goes on (a sweep checks its points meanwhile). `run` starts them if not.
   */
  open(threads: number = this.workers): void {
    if (this.pool !== null) return;
    const n = Math.max(1, Math.min(this.workers, threads));
    this.pool = new Piscina({ filename: this.workerFile, minThreads: n, maxThreads: n, idleTimeout: 1000 });
  }

  /** Run every task (at most `workers` at once); resolves with the outcomes in completion order. */
  async run(tasks: readonly PointTask[], hooks: PoolHooks = {}): Promise<TaskOutcome[]> {
    this.open(tasks.length);
    const pool = this.pool as Piscina;
    const threads = Math.max(1, Math.min(pool.maxThreads, tasks.length));
    const outcomes: TaskOutcome[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < tasks.length && !this.stopped) {
        const task = tasks[next++] as PointTask;
        hooks.onStart?.(task.index);
        let outcome: TaskOutcome;
        try {
          const r = (await pool.run({ argv: task.argv, stop: this.stopBuffer, shared: this.shared })) as WorkerResult;
          outcome = { index: task.index, code: r.code, message: lastLine(r.stderr) };
        } catch (e) {
          // The thread itself died (out of memory, a crash): the point failed.
          outcome = { index: task.index, code: 1, message: (e as Error).message.split('\n')[0] ?? String(e) };
        }
        outcomes.push(outcome);
        hooks.onEnd?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: threads }, lane));
    return outcomes;
  }

  /** Stop the threads (after `run` has resolved); the pool can be opened again. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await pool.destroy();
  }

  /** Start no further point and ask the running ones to stop after their current sample (with a checkpoint). */
  stop(): void {
    this.stopped = true;
    Atomics.store(new Int32Array(this.stopBuffer), 0, 1);
  }

  /** Whether stop() was called. */
  get stopping(): boolean {
    return this.stopped;
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
