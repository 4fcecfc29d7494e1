/**
 * The compiled CLI (dist/src/cli/main.js) for tests that need real processes (kill -9,
 * signals, a parent that dies): `npm ci` builds it; a build older than the sources
 * fails the test with what to do rather than testing stale code.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '../..');

/** Newest modification time (ms) of the .ts files under `dir`: the scan the scripts use (scripts/newest-source.cjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { newestSource } = require('../../scripts/newest-source.cjs') as { newestSource: (dir: string) => number };

/** Path of the compiled CLI entry; throws if it is missing or older than src/. */
export function builtCli(): string {
  const main = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  const built = fs.statSync(main, { throwIfNoEntry: false });
  if (built === undefined) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const src = newestSource(path.join(ROOT, 'src'));
  if (built.mtimeMs + 1 < src) throw new Error(`${main} is older than src/: run \`npm run build\` first`);
  return main;
}
