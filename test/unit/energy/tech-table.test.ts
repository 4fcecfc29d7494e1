import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTechTable, parseTechTable, resolveTechFile } from '../../../src/energy/tech-table';
import { TECH_ENTRIES, entryPath } from '../../../src/energy/tech-schema';
import { sramReadPJ, sramWritePJ } from '../../../src/energy/event-prices';
import { UserError } from '../../../src/util/errors';
import { userErrorMessage } from '../user-error';

const TECH_DIR = path.resolve(__dirname, '../../../hw/tech');
const TABLES = fs.readdirSync(TECH_DIR).filter((f) => f.endsWith('.json'));
const raw28 = (): Record<string, Record<string, Record<string, unknown>>> =>
  JSON.parse(fs.readFileSync(path.join(TECH_DIR, '28nm-bulk.json'), 'utf8'));

function refusal(mutate: (t: ReturnType<typeof raw28>) => void): string {
  const t = raw28();
  mutate(t);
  return userErrorMessage(() => parseTechTable(t, 'bad.json'), 'table was accepted');
}

describe('bundled technology tables', () => {
  it('ships the 28 nm bulk, 22 nm FDSOI and 7 nm tables', () => {
    expect(TABLES.sort()).toEqual(expect.arrayContaining(['28nm-bulk.json', '22nm-fdsoi.json', '7nm.json']));
  });
  it.each(TABLES)('%s loads, defines every declared entry and cites a source for each', (f) => {
    const t = loadTechTable(path.join(TECH_DIR, f));
    for (const d of TECH_ENTRIES) {
      expect(t.values[entryPath(d)]).toBeGreaterThanOrEqual(0);
      expect((t.sources[entryPath(d)] ?? '').length).toBeGreaterThan(10);
    }
  });
  it('resolves a bundled table by name', () => {
    expect(resolveTechFile('22nm-fdsoi')).toBe(path.join(TECH_DIR, '22nm-fdsoi.json'));
  });
});

describe('SRAM power law against the CACTI 7 points it was fitted to (ENERGY-SOURCES.md)', () => {
  // [node file, KB, word bits, read pJ, write pJ]
  const points: Array<[string, number, number, number, number]> = [
    ['28nm-bulk', 1, 64, 0.73, 1.54],
    ['28nm-bulk', 8, 64, 2.97, 3.54],
    ['28nm-bulk', 32, 64, 7.09, 6.2],
    ['28nm-bulk', 8, 256, 5.63, 12.3],
    ['28nm-bulk', 32, 256, 13.6, 24.1],
    ['22nm-fdsoi', 1, 64, 0.43, 0.89],
    ['22nm-fdsoi', 8, 64, 1.83, 2.03],
    ['22nm-fdsoi', 8, 256, 3.4, 7.1],
    ['22nm-fdsoi', 32, 256, 8.4, 14.0],
  ];
  it.each(points)('%s %d KB x %d b within 15%%', (name, kb, w, rd, wr) => {
    const t = loadTechTable(path.join(TECH_DIR, `${name}.json`));
    expect(Math.abs(sramReadPJ(t, kb * 8192, w) / rd - 1)).toBeLessThan(0.15);
    expect(Math.abs(sramWritePJ(t, kb * 8192, w) / wr - 1)).toBeLessThan(0.15);
  });
});

describe('bad tables are refused with one line naming the file and JSON path', () => {
  it('a missing entry', () => {
    expect(refusal((t) => delete t['sram']!['readAnchor'])).toBe('bad.json: sram.readAnchor: missing entry (one word read at the anchor size and width)');
  });
  it('a missing section', () => {
    expect(refusal((t) => delete t['noc'])).toMatch(/^bad\.json: noc: missing section/);
  });
  it('a negative energy', () => {
    expect(refusal((t) => (t['logic']!['xnorPerBit']!['value'] = -0.1))).toBe('bad.json: logic.xnorPerBit.value: an energy cannot be negative, got -0.1');
  });
  it('an unknown unit', () => {
    expect(refusal((t) => (t['noc']!['routerFlit32']!['unit'] = 'pj'))).toBe(
      'bad.json: noc.routerFlit32.unit: unknown unit "pj" for an energy (expected one of fJ, pJ, nJ)',
    );
  });
  it('a unit of the wrong dimension', () => {
    expect(refusal((t) => (t['sram']!['leakagePerBit']!['unit'] = 'pJ'))).toMatch(/^bad\.json: sram\.leakagePerBit\.unit: unknown unit "pJ" for a power/);
  });
  it('a value with no source', () => {
    expect(refusal((t) => delete t['io']!['perBit']!['source'])).toMatch(/^bad\.json: io\.perBit\.source: every value needs a source/);
  });
  it('an empty source', () => {
    expect(refusal((t) => (t['io']!['perBit']!['source'] = '  '))).toMatch(/^bad\.json: io\.perBit\.source: /);
  });
  it('a non-numeric value', () => {
    expect(refusal((t) => (t['io']!['perBit']!['value'] = '20'))).toBe('bad.json: io.perBit.value: expected a finite number, got "20"');
  });
  it('an unknown entry (a typo)', () => {
    expect(refusal((t) => (t['logic']!['xnorPerBits'] = { value: 1, unit: 'fJ', source: 'x' }))).toMatch(/^bad\.json: logic\.xnorPerBits: unknown entry/);
  });
  it('a zero macro area', () => {
    expect(refusal((t) => (t['sram']!['macroAreaPerBit']!['value'] = 0))).toBe('bad.json: sram.macroAreaPerBit.value: expected a value > 0, got 0');
  });
  it('invalid JSON and a missing file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tech-'));
    const f = path.join(dir, 'broken.json');
    fs.writeFileSync(f, '{"name": ');
    expect(() => loadTechTable(f)).toThrow(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON`));
    expect(() => loadTechTable(path.join(dir, 'none.json'))).toThrow(UserError);
    fs.rmSync(dir, { recursive: true });
  });
});
