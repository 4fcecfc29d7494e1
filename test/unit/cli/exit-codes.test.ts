import type { CommandModule } from 'yargs';

type Errors = typeof import('../../../src/util/errors');
type Exits = typeof import('../../../src/cli/command-exit');

/**
 * main() with a command list of one command that throws what `make` returns; the
 * error classes come from the same module registry as main's, so instanceof holds.
 */
async function mainWithThrowing(make: (e: Errors, x: Exits) => unknown): Promise<{ code: number; err: string }> {
  let main!: (argv: readonly string[]) => Promise<number>;
  jest.isolateModules(() => {
    const errors = require('../../../src/util/errors') as Errors;
    const exits = require('../../../src/cli/command-exit') as Exits;
    const boom: CommandModule = {
      command: 'boom',
      describe: 'throws',
      handler: () => {
        throw make(errors, exits);
      },
    };
    jest.doMock('../../../src/cli/commands', () => ({ COMMANDS: [boom] }));
    main = (require('../../../src/cli/main') as typeof import('../../../src/cli/main')).main;
  });
  let err = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await main(['boom']), err };
  } finally {
    spy.mockRestore();
    jest.dontMock('../../../src/cli/commands');
  }
}

describe('exit codes', () => {
  test('a UserError: exit 2, its message on one line, no stack', async () => {
    const r = await mainWithThrowing((e) => new e.UserError('c.json: run.epochs: expected an integer, got "x"'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('bitspike: c.json: run.epochs: expected an integer, got "x"\n');
  });

  test('an internal error: exit 1 with the stack trace', async () => {
    const r = await mainWithThrowing(() => new RangeError('index 7 out of range'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bitspike: internal error: RangeError: index 7 out of range\n\s+at /);
  });

  test('a CommandExit sets the exit code quietly', async () => {
    const r = await mainWithThrowing((_e, x) => new x.CommandExit(130));
    expect(r.code).toBe(130);
    expect(r.err).toBe('');
  });
});
