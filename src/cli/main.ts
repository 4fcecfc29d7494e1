#!/usr/bin/env node
/**
 * The `bitspike` command line: yargs over the command modules of commands.ts.
 * Exit codes: 0 success; 2 a user mistake (UserError or a bad flag: one line on
 * stderr, no stack trace); 3 a sweep ran to its end but some of its points failed
 * (each keeps its error in its folder); 130 interrupted by Ctrl-C (after a
 * checkpoint); 1 an internal error (with its stack, because it is a bug).
 */
import type { Argv } from 'yargs';
import { UserError } from '../util/errors';
import { buildCliParser, runCli } from './cli-core';
import { COMMANDS } from './commands';

/** Run the CLI on `argv` (without "node" and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(`${await buildParser([]).getHelp()}\n\nbitspike: give a command, e.g. \`bitspike train\`\n`);
    return UserError.EXIT_CODE;
  }
  return runCli(argv, COMMANDS);
}

/** The yargs parser of the CLI over `argv`; `width` fixes the help's line width (default: the terminal's, at most 110). */
export function buildParser(argv: readonly string[], width?: number): Argv {
  return buildCliParser(argv, COMMANDS, width);
}

/**
 * Stop as on SIGTERM when the parent process goes away: `npx bitspike` (npm exec)
 * dies on a job scheduler's SIGTERM without passing it on, which would leave the
 * work running orphaned. The signal is raised on this process, so the command's own
 * handler (checkpoint, then exit 130) or the default action ends it.
 */
function stopWhenOrphaned(): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  timer.unref();
}

if (require.main === module) {
  stopWhenOrphaned();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bitspike: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
