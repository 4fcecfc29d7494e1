/**
 * A stop request that arrives without a signal: worker threads receive no SIGINT, so
 * a pool that runs commands in threads shares one flag word (a SharedArrayBuffer)
 * that the parent sets on Ctrl-C, and long work polls `stopRequested()` beside its
 * own signal handlers.
 */

let flag: Int32Array | null = null;

/** Use the first 32-bit word of `buffer` as this thread's stop flag (non-zero = stop). */
export function attachStopFlag(buffer: SharedArrayBuffer): void {
  flag = new Int32Array(buffer, 0, 1);
}

/** Whether the attached stop flag is set (false when none is attached). */
export function stopRequested(): boolean {
  return flag !== null && Atomics.load(flag, 0) !== 0;
}
