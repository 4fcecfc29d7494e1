import { main } from '../../src/cli/main';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Run the CLI in-process with `argv`, capturing stdout and stderr; with `console`
 * (default true) also console.log / console.error, through which yargs prints --help
 * and its own usage errors.
 */
export async function captureCli(argv: readonly string[], options: { console?: boolean } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const spies: { mockRestore(): void }[] = [
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true)),
  ];
  if (options.console ?? true) {
    spies.push(jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`)));
    spies.push(jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`)));
  }
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}
