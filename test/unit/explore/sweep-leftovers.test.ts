/**
 * A sweep killed while it creates its folder (before sweep.json) leaves point folders and
 * the creation marker: a new sweep on that --out clears them and runs; a folder holding
 * the same point folders without the marker is someone's data and stays refused. A sweep
 * killed between sweep.json and the marker's removal resumes and drops the marker.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CREATING_MARKER, SWEEP_FILES } from '../../../src/explore/sweep-folder';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';

const dir = tempDir('sweep-leftovers');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = writeTinyConfig(dir);
const grid = ['--grid', 'chip.core.sram.wordBits=32,64', '--estimate'];

function leftovers(out: string, marker: boolean): void {
  fs.mkdirSync(path.join(out, 'p000'), { recursive: true });
  fs.writeFileSync(path.join(out, 'p000', 'point.json'), '{"half": ');
  if (marker) fs.writeFileSync(path.join(out, CREATING_MARKER), '');
}

test('a killed creation (marker, no sweep.json) is cleared by a new sweep on the same --out', async () => {
  const out = path.join(dir, 'killed');
  leftovers(out, true);
  const r = await captureCli(['sweep', config, ...grid, '--out', out]);
  expect([r.code, r.err]).toEqual([0, '']);
  expect(fs.existsSync(path.join(out, SWEEP_FILES.spec))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(out, SWEEP_FILES.results), 'utf8'))).toHaveLength(2);
  expect(fs.readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
});

test('the same folders without the marker are refused and kept', async () => {
  const out = path.join(dir, 'theirs');
  leftovers(out, false);
  const r = await captureCli(['sweep', config, ...grid, '--out', out]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`${out}: output folder already exists (it is not empty`);
  expect(fs.readFileSync(path.join(out, 'p000', 'point.json'), 'utf8')).toBe('{"half": ');
});

test('a sweep whose marker outlived its sweep.json resumes and drops the marker', async () => {
  const out = path.join(dir, 'late');
  expect((await captureCli(['sweep', config, ...grid, '--out', out])).code).toBe(0);
  const want = fs.readFileSync(path.join(out, SWEEP_FILES.results), 'utf8');
  fs.writeFileSync(path.join(out, CREATING_MARKER), '');
  const r = await captureCli(['sweep', '--resume', out]);
  expect([r.code, r.err]).toEqual([0, '']);
  expect(fs.existsSync(path.join(out, CREATING_MARKER))).toBe(false);
  expect(fs.readFileSync(path.join(out, SWEEP_FILES.results), 'utf8')).toBe(want);
});
