/**
 * The sweep report in a real browser: headless Chromium (Debian's /usr/bin/chromium,
 * installed by scripts/services/chromium.sh, driven by playwright-core; nothing is
 * downloaded) opens the generated report.html from the file system with the network
 * off, and the test checks that no console error appears, that every scatter shows one
 * point per design point with a non-empty Pareto front, and that hovering text names
 * the swept values; a screenshot is written to .cache/screenshots/sweep-report.png.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { runSweep } from '../../../src/explore/sweep';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { builtCli } from './built';

const dir = tempDir('report-browser');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the sweep report loads without console errors and shows every point and a Pareto front', async () => {
  builtCli();
  const out = path.join(dir, 'sweep');
  const quiet = { out: () => undefined, err: () => undefined, progressStream: { write: () => true, isTTY: false } };
  const s = await runSweep({ config, grid: ['chip.core.sram.wordBits=32,64', 'tech.sram.readAnchor.value=1,3'], sets: ['run.mode=cycle', 'data.trainLimit=20', 'data.testLimit=10'], epochs: 1, out, workers: 2 }, quiet);
  expect(s.status).toBe('finished');
  expect((await captureCli(['report', out])).code).toBe(0);
  const profile = tempDir('chromium-profile');
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    offline: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => void errors.push(e.message));
    page.on('request', (r) => void (r.url().startsWith('file:') || errors.push(`network request: ${r.url()}`)));
    await page.goto(`file://${path.join(out, 'report.html')}`);
    const charts = await page.$$eval('svg.pareto-scatter', (svgs) => svgs.map((g) => ({ points: g.querySelectorAll('circle.point').length, front: g.querySelectorAll('circle.front').length })));
    // Four points of an architecture-only sweep (trained once); the varying metrics are energy per inference, chip area and SRAM bits (and maybe latency).
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(c.points).toBe(4);
      expect(c.front).toBeGreaterThanOrEqual(1);
    }
    const tip = await page.$eval('svg.pareto-scatter circle.point title', (t) => t.textContent ?? '');
    expect(tip).toMatch(/chip\.core\.sram\.wordBits = (32|64)/);
    expect(tip).toMatch(/energy \/ inference: [\d.]+ [pnµm]?J/);
    expect(await page.$$eval('details', (d) => d.length)).toBe(4);
    const shot = path.resolve(__dirname, '..', '..', '..', '.cache', 'screenshots', 'sweep-report.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: false });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
