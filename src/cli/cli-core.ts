/**
 * The parser and exit-code rules of the `bitspike` CLI over a given list of commands:
 * main.ts runs them over every command; a sweep's pool threads run `sweep-point` with
 * only that command loaded (src/cli/pool-worker.ts), so a thread starts without
 * loading the modules of every other command.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { UserError } from '../util/errors';
import { CommandExit } from './command-exit';

/** A command-line usage mistake reported by yargs (unknown flag, missing command). */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The yargs parser over `argv` and `commands`; `width` fixes the help's line width (default: the terminal's, at most 110). */
export function buildCliParser(argv: readonly string[], commands: readonly CommandModule<object, never>[], width: number = Math.min(110, process.stdout.columns || 100)): Argv {
  return yargs([...argv])
    .scriptName('bitspike')
    .usage('$0 <command> [options]\n\nCycle-accurate simulator of a binary neuromorphic chip with on-chip Equilibrium Propagation.')
    .command(commands as CommandModule[])
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

/**
 * Run `argv` over `commands`; resolves to the exit code: 0 success, 2 a user mistake
 * (one line on stderr), the code of a CommandExit, 1 an internal error (with its stack).
 */
export async function runCli(argv: readonly string[], commands: readonly CommandModule<object, never>[]): Promise<number> {
  try {
    await buildCliParser(argv, commands).parseAsync();
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
