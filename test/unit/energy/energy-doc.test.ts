/**
 * docs/energy-model.md carries the per-event price table generated from the code and
 * the bundled tables; this test fails when it is stale. Regenerate with
 *   UPDATE_DOCS=1 npx jest test/unit/energy/energy-doc
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { energyChipOf } from '../../../src/energy/chip-view';
import { priceTableMarkdown } from '../../../src/energy/price-table';
import { loadTechTable } from '../../../src/energy/tech-table';

const DOC = path.resolve(__dirname, '../../../docs/energy-model.md');
const BEGIN = /<!-- prices:begin[^>]*-->\n/;
const END = '<!-- prices:end -->';

it('docs/energy-model.md has the current price table', () => {
  const tables = ['28nm-bulk', '22nm-fdsoi', '7nm'].map((n) => loadTechTable(path.resolve(__dirname, '../../../hw/tech', `${n}.json`)));
  const table = priceTableMarkdown(energyChipOf(loadChipFile('default')), tables);
  const doc = fs.readFileSync(DOC, 'utf8');
  const m = BEGIN.exec(doc);
  expect(m).not.toBeNull();
  const start = m!.index + m![0].length;
  const end = doc.indexOf(END, start);
  expect(end).toBeGreaterThan(0);
  const fresh = doc.slice(0, start) + table + doc.slice(end);
  if (process.env['UPDATE_DOCS'] === '1') fs.writeFileSync(DOC, fresh);
  else expect(doc.slice(start, end)).toBe(table);
});
