/**
 * docs/cli-reference.md: the `--help` text of the program and of every command,
 * generated from the same yargs definitions the CLI runs, at a fixed width of 100
 * columns so the file does not depend on the terminal that generated it.
 */
import { COMMANDS } from './commands';
import { buildParser } from './main';

const WIDTH = 100;

/** The help text yargs prints for `argv` (e.g. ["train", "--help"]). */
async function helpText(argv: readonly string[]): Promise<string> {
  let text = '';
  const original = console.log;
  console.log = (...parts: unknown[]): void => {
    text += `${parts.join(' ')}\n`;
  };
  try {
    await buildParser(argv, WIDTH).parseAsync();
  } finally {
    console.log = original;
  }
  return text.trimEnd();
}

/** The name of a command module ("train" of "train [config]"). */
function commandName(command: unknown): string {
  const c = Array.isArray(command) ? command[0] : command;
  return String(c).split(' ')[0] as string;
}

/** The Markdown CLI reference. */
export async function renderCliReference(): Promise<string> {
  const out: string[] = [
    '# Command-line reference',
    '',
    'Generated from the command definitions by `npm run docs:config`; do not edit by hand. Every command also prints this with `--help`.',
    'Exit codes: 0 success, 2 a user mistake (one line on stderr naming the file and JSON path), 130 interrupted by Ctrl-C after a checkpoint, 1 an internal error.',
    '',
    '## bitspike',
    '',
    '```',
    await helpText(['--help']),
    '```',
    '',
  ];
  for (const c of COMMANDS) {
    const name = commandName(c.command);
    out.push(`## bitspike ${name}`, '', '```', await helpText([name, '--help']), '```', '');
  }
  return out.join('\n');
}
