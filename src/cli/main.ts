#!/usr/bin/env node
/**
 * The `bitspike` command line: yargs over the command modules of commands.ts.
 * Exit codes: 0 success; 2 a user mistake (UserError or a bad flag: one line on
 * stderr, no stack trace); 3 a sweep ran to its end but some of its points failed
 * (each keeps its error in its folder); 130 interrupted by Ctrl-C (after a
 * checkpoint); 1 an internal error (with its stack, because it is a bug).
 */
import yargs, { type Argv } from 'yargs';
import { UserError } from '../util/errors';
import { CommandExit } from './command-exit';
import { COMMANDS } from './commands';

/** Run the CLI on `argv` (without "node" and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(`${await buildParser([]).getHelp()}\n\nbitspike: give a command, e.g. \`bitspike train\`\n`);
    return UserError.EXIT_CODE;
  }
  const parser = buildParser(argv);
  try {
    await parser.parseAsync();
    return 0;
  } catch (e) {
    if (e instanceof CommandExit) return e.code;
    if (e instanceof UserError) {
      process.stderr.write(`bitspike: ${e.message}\n`);
      return UserError.EXIT_CODE;
    }
    if (e instanceof UsageError || (e as Error).name === 'YError') {
      process.stderr.write(`bitspike: ${(e as Error).message} (see bitspike --help)\n`);
      return UserError.EXIT_CODE;
    }
    process.stderr.write(`bitspike: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** The yargs parser of the CLI over `argv`; `width` fixes the help's line width (default: the terminal's, at most 110). */
export function buildParser(argv: readonly string[], width: number = Math.min(110, process.stdout.columns || 100)): Argv {
  return yargs([...argv])
    .scriptName('bitspike')
    .usage('$0 <command> [options]\n\nCycle-accurate simulator of a binary neuromorphic chip with on-chip Equilibrium Propagation.')
    .command(COMMANDS as CommandModule[])
    .demandCommand(1, 'give a command')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(width)
    .exitProcess(false)
    .fail((msg, error) => {
      throw error ?? new UsageError(msg);
    });
}

/** A command-line usage mistake reported by yargs (unknown flag, missing command). */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type CommandModule = import('yargs').CommandModule;

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
