#!/usr/bin/env node
/**
 * Screenshot of a report page (or of one element of it) in the system's headless
 * Chromium (/usr/bin/chromium, installed by scripts/services/chromium.sh), for the docs:
 *   node scripts/report-screenshot.js REPORT.html OUT.png [CSS selector] [index]
 * e.g. node scripts/report-screenshot.js runs/explore-sram/report.html docs/images/explore-sram-pareto.png svg.pareto-scatter 1
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [page, out, selector, index] = process.argv.slice(2);
  if (!page || !out) {
    console.error('usage: node scripts/report-screenshot.js REPORT.html OUT.png [selector] [index]');
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-shot-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    offline: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`file://${path.resolve(page)}`);
    if (selector) {
      const all = await tab.$$(selector);
      const el = all[Number(index ?? 0)];
      if (!el) throw new Error(`${page}: no element ${selector} [${index ?? 0}]`);
      await el.screenshot({ path: out });
    } else await tab.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`report-screenshot: ${e.message}`);
  process.exit(1);
});
