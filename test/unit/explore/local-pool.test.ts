/**
 * The local pool's threads run a `sweep-point` line with that command alone
 * (src/cli/cli-core.ts) and any other line through the whole CLI: both give the exit
 * code and the one-line message the `bitspike` process would.
 */
import { LocalPool } from '../../../src/explore/local-pool';
import { builtCli } from './built';

beforeAll(() => builtCli());

test('a pool thread runs sweep-point with its own parser and other commands through the whole CLI, with the CLI exit codes', async () => {
  const pool = new LocalPool(1);
  try {
    const outcomes = await pool.run([
      { index: 0, argv: ['sweep-point', '/nonexistent-sweep', '--index', '0'] },
      { index: 1, argv: ['sweep-point', '/nonexistent-sweep', '--bogus'] },
      { index: 2, argv: ['validate', '/nonexistent-config.json'] },
    ]);
    expect(outcomes.map((o) => [o.index, o.code, o.message])).toEqual([
      [0, 2, 'bitspike: /nonexistent-sweep: not a sweep folder (no sweep.json)'],
      [1, 2, 'bitspike: Unknown argument: bogus (see bitspike --help)'],
      [2, 2, expect.stringMatching(/^bitspike: \/nonexistent-config\.json: /)],
    ]);
  } finally {
    await pool.close();
  }
});
