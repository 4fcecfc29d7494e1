import * as fs from 'fs';
import * as path from 'path';
import { runSweep } from '../../../src/explore/sweep';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';

const dir = tempDir('estimate');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = () => {
  const io = { text: '', out: (s: string) => void (io.text += s), err: (s: string) => void (io.text += s), progressStream: { write: () => true, isTTY: false } };
  return io;
};

test('a budget-only sweep prices each point as `bitspike budget` does, trains nothing, and its report draws the design space', async () => {
  const out = path.join(dir, 'est');
  const io = quiet();
  const s = await runSweep({ config, grid: ['chip.core.sram.wordBits=32,64', 'tech=hw/tech/28nm-bulk.json,hw/tech/7nm.json'], out, estimate: true }, io);
  expect(s.status).toBe('finished');
  expect(io.text).toMatch(/4 point\(s\) priced in [\d.]+ s/);
  const rows = JSON.parse(fs.readFileSync(path.join(out, 'sweep-results.json'), 'utf8'));
  expect(rows).toHaveLength(4);
  expect(fs.existsSync(path.join(out, 'p000', 'weights.bin'))).toBe(false);
  // Point 3 (64-bit words, 7 nm) equals the budget command with the same overrides; it reuses point 2's functional-model runs (same model and words).
  const json = path.join(dir, 'budget.json');
  const b = await captureCli(['budget', config, '--set', 'chip.core.sram.wordBits=64', '--set', 'tech=hw/tech/7nm.json', '--json', json]);
  expect(b.code).toBe(0);
  const budget = JSON.parse(fs.readFileSync(json, 'utf8'));
  expect(rows[3].values).toEqual({ 'chip.core.sram.wordBits': 64, tech: 'hw/tech/7nm.json' });
  expect(rows[3].energyPerInferencePJ).toBe(budget.inference.energy.perSamplePJ);
  expect(rows[3].energyPerTrainingSamplePJ).toBe(budget.training.energy.perSamplePJ);
  expect(rows[3].chipAreaMm2).toBe(budget.area.chipMm2);
  // 7 nm is cheaper than 28 nm for the same chip.
  expect(rows[1].energyPerInferencePJ).toBeLessThan(rows[0].energyPerInferencePJ);
  const report = await captureCli(['report', out]);
  expect(report.code).toBe(0);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  expect(html).toContain('<h2>Design space</h2>');
  expect(html).not.toContain('test accuracy');
});
