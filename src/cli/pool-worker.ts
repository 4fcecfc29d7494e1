/**
 * The entry a local sweep's worker threads load (src/explore/local-pool.ts): it runs
 * one bitspike command line in this thread, exactly as the CLI would in a process,
 * and returns its exit code and what it wrote to stderr. stdout and stderr are
 * captured rather than passed on, so that parallel points do not interleave on the
 * terminal (each point keeps its own log in its folder). A `sweep-point` line (what
 * the sweep runs) is parsed with that command alone, so a thread loads only the
 * modules a point needs (a third of the CLI's; the rest loads on a first other command).
 */
import type { CommandModule } from 'yargs';
import { primeCoded, primeDecoded, type SharedCoded, type SharedDecoded } from '../data/load-data';
import { attachStopFlag } from '../util/stop-request';
import { runCli } from './cli-core';
import { command as sweepPoint } from './sweep-point';

const POINT_COMMANDS = [sweepPoint as CommandModule<object, never>];

/**
 * Run `argv` as a bitspike command; `stop` is the pool's shared stop flag, `shared` the
 * data the sweep already decoded and coded, in shared memory (taken into this thread's cache).
 */
export default async function runCommand(task: { argv: string[]; stop: SharedArrayBuffer; shared?: { decoded: readonly SharedDecoded[]; coded: readonly SharedCoded[] } }): Promise<{ code: number; stderr: string }> {
  attachStopFlag(task.stop);
  if (task.shared !== undefined) {
    primeDecoded(task.shared.decoded);
    primeCoded(task.shared.coded);
  }
  let stderr = '';
  const outWrite = process.stdout.write;
  const errWrite = process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    const code = task.argv[0] === 'sweep-point' ? await runCli(task.argv, POINT_COMMANDS) : await (await import('./main')).main(task.argv);
    return { code, stderr };
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
  }
}
