/**
 * docs/energy-model.md carries the counter table (from the counter catalog) and the
 * per-event price table (from the code and the bundled tables); this test fails when
 * either is stale. Regenerate with
 *   UPDATE_DOCS=1 npx jest test/unit/energy/energy-doc
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { energyChipOf } from '../../../src/energy/chip-view';
import { counterTableMarkdown, priceTableMarkdown } from '../../../src/energy/price-table';
import { loadTechTable } from '../../../src/energy/tech-table';

const DOC = path.resolve(__dirname, '../../../docs/energy-model.md');
/** The generated block between `<!-- NAME:begin ... -->` and `<!-- NAME:end -->` must be `table` (or is rewritten). */
function checkBlock(name: string, table: string): void {
  const doc = fs.readFileSync(DOC, 'utf8');
  const m = new RegExp(`<!-- ${name}:begin[^>]*-->\\n`).exec(doc);
  expect(m).not.toBeNull();
  const start = m!.index + m![0].length;
  const end = doc.indexOf(`<!-- ${name}:end -->`, start);
  expect(end).toBeGreaterThan(0);
  const fresh = doc.slice(0, start) + table + doc.slice(end);
  if (process.env['UPDATE_DOCS'] === '1') fs.writeFileSync(DOC, fresh);
  else expect(doc.slice(start, end)).toBe(table);
}

it('docs/energy-model.md has the current price table', () => {
  const tables = ['28nm-bulk', '22nm-fdsoi', '7nm'].map((n) => loadTechTable(path.resolve(__dirname, '../../../hw/tech', `${n}.json`)));
  checkBlock('prices', priceTableMarkdown(energyChipOf(loadChipFile('default')), tables));
});

it('docs/energy-model.md has the current counter table: every catalog counter with its unit, models and meaning', () => {
  const table = counterTableMarkdown();
  expect(table).toContain('| core.weightFlips | synapses | both models | binary weights that changed sign in the learning phase |');
  expect(table).toContain('| router.creditStalls | cycles | cycle model |');
  checkBlock('counters', table);
});
