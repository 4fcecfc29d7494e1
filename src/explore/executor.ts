/**
 * What an executor is given and what it reports. An executor knows nothing of what a
 * point computes: it runs one bitspike command line per point (`sweep-point FOLDER
 * --index K`) and reports the command's exit code; the sweep reads the outcome from
 * the point's folder.
 */
import * as path from 'path';

/** One command to run: the point's index and the bitspike arguments that run it. */
export interface PointTask {
  index: number;
  argv: readonly string[];
}

/** How one command ended: its exit code and the last line it wrote to stderr. */
export interface TaskOutcome {
  index: number;
  code: number;
  message: string;
}

/** Exit code of a command the user stopped (Ctrl-C) after it saved its state. */
export const INTERRUPTED_EXIT = 130;

/** The bitspike arguments that run point `index` of the sweep in `folder`. */
export function pointCommand(folder: string, index: number): string[] {
  return ['sweep-point', folder, '--index', String(index)];
}

/** The bitspike arguments that run the shared training of the architecture-only sweep in `folder`. */
export function trainCommand(folder: string): string[] {
  return ['sweep-point', folder, '--train'];
}

/**
 * The compiled module `rel` (e.g. "src/cli/pool-worker.js"): beside this file when it
 * runs from dist/, else (TypeScript run directly, as under jest) in the build's dist/.
 */
export function compiledFile(rel: string): string {
  const root = path.resolve(__dirname, '..', '..');
  return path.basename(__filename).endsWith('.ts') ? path.join(root, 'dist', rel) : path.join(root, rel);
}
