import * as fs from 'fs';
import * as path from 'path';
import { declaredParamDocuments } from '../../../src/cli/declared-params';
import { EXPERIMENT_PARAMS } from '../../../src/config/experiment';
import { paramRows } from '../../../src/config/param';
import { renderMarkdownReference } from '../../../src/report/param-reference';

describe('docs/config-reference.md', () => {
  test('is generated from the declarations and up to date (regenerate: npm run docs:config)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'config-reference.md'), 'utf8');
    const fresh = renderMarkdownReference(declaredParamDocuments());
    if (committed !== fresh) throw new Error('docs/config-reference.md is out of date with the parameter declarations: run `npm run docs:config` and commit it');
  });

  test('lists every leaf parameter of the experiment config with its default', () => {
    const md = renderMarkdownReference(declaredParamDocuments());
    for (const r of paramRows(EXPERIMENT_PARAMS)) {
      expect(md).toContain(`| \`${r.path}\` | ${r.type} | \`${r.default.replace(/\|/g, '\\|')}\` |`);
    }
    expect(md).toContain('| `data.threshold` | a number | `0.5` | in [0, 1] |');
    expect(md).toContain('## Chip file (`hw/chips/*.json`)');
    expect(md).toContain('## Technology table (`hw/tech/*.json`)');
  });
});
