import * as fs from 'fs';
import * as path from 'path';
import { renderCliReference } from '../../../src/cli/cli-reference';
import { COMMANDS } from '../../../src/cli/commands';

describe('docs/cli-reference.md', () => {
  test('is generated from the command definitions and up to date (regenerate: npm run docs:config)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'cli-reference.md'), 'utf8');
    const fresh = await renderCliReference();
    if (committed !== fresh) throw new Error('docs/cli-reference.md is out of date with the command definitions: run `npm run docs:config` and commit it');
  });

  test('holds the help of every command, including its options', async () => {
    const md = await renderCliReference();
    for (const c of COMMANDS) {
      const name = String(c.command).split(' ')[0];
      expect(md).toContain(`## bitspike ${name}\n`);
    }
    expect(md).toContain('--resume');
    expect(md).toContain('--grid');
  });
});
