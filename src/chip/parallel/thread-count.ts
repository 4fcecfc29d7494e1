/** The checks of run.threads that need the experiment and the machine, before any work. */
import * as os from 'os';
import type { TraceParams } from '../../sim/trace-params';
import { userError } from '../../util/errors';

/**
 * Refuse `threads` > 1 where it cannot run: more threads than this machine runs at
 * once, or traces (written by one thread). `where` names the config file (or --set).
 * The chip engine refuses the rest (more threads than mesh rows, the VC router, split layers).
 */
export function checkThreadCount(threads: number, trace: TraceParams, where: string): void {
  if (threads <= 1) return;
  const cores = os.availableParallelism();
  if (threads > cores) throw userError(where, 'run.threads', `is ${threads}, but this machine runs ${cores} threads at once`);
  if (trace.vcd.path !== '' || trace.packets.path !== '') throw userError(where, 'run.threads', `is ${threads}, but traces (trace.vcd, trace.packets) are written by one thread only; set it to 1 or turn the traces off`);
}
