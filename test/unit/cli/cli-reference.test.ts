import * as fs from 'fs';
import * as path from 'path';
import { renderCliReference } from '../../../src/cli/cli-reference';
import { COMMANDS } from '../../../src/cli/commands';

const names = COMMANDS.map((c) => String(c.command).split(' ')[0] as string);

describe('docs/cli-reference.md', () => {
  test('the generated reference holds the help of every command, with its options', async () => {
    const md = await renderCliReference();
    for (const n of names) expect(md).toContain(`## bitspike ${n}\n\n\`\`\`\nbitspike ${n}`);
    expect(md).toContain('--resume');
    expect(md).toContain('--grid');
  });

  test('the committed file has a section for every command (regenerate: npm run docs:config)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'cli-reference.md'), 'utf8');
    const missing = names.filter((n) => !committed.includes(`## bitspike ${n}\n`));
    if (missing.length > 0) throw new Error(`docs/cli-reference.md lacks ${missing.join(', ')}: run \`npm run docs:config\` and commit it`);
  });
});
