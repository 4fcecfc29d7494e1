/**
 * The entry a local sweep's worker threads load (src/explore/local-pool.ts): it runs
 * one bitspike command line in this thread, exactly as the CLI would in a process,
 * and returns its exit code and what it wrote to stderr. stdout and stderr are
 * captured rather than passed on, so that parallel points do not interleave on the
 * terminal (each point keeps its own log in its folder).
 */
import { primeDecoded, type SharedDecoded } from '../data/load-data';
import { attachStopFlag } from '../util/stop-request';
import { main } from './main';

/**
 * Run `argv` as a bitspike command; `stop` is the pool's shared stop flag, `shared` the
 * data sets the sweep already decoded, in shared memory (taken into this thread's cache).
 */
export default async function runCommand(task: { argv: string[]; stop: SharedArrayBuffer; shared?: readonly SharedDecoded[] }): Promise<{ code: number; stderr: string }> {
  attachStopFlag(task.stop);
  if (task.shared !== undefined) primeDecoded(task.shared);
  let stderr = '';
  const outWrite = process.stdout.write;
  const errWrite = process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(task.argv), stderr };
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
  }
}
