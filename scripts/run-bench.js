#!/usr/bin/env node
/**
 * Run every benchmark in test/bench (files not ending in -util.ts), each in a fresh
 * Node process so one benchmark's JIT state cannot slow another. Benchmarks are
 * TypeScript, run from their compiled form in dist/; the TypeScript is compiled
 * first when dist/ is missing or older than a source. Usage:
 *   npm run bench                 (all)
 *   npm run bench -- matvec       (those whose file name contains "matvec")
 */
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { newestSource } = require('./newest-source.cjs');

const root = path.resolve(__dirname, '..');
const benchDir = path.join(root, 'test', 'bench');
const distDir = path.join(root, 'dist', 'test', 'bench');
const filter = process.argv[2] || '';

const benches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('-util.ts') && f.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`run-bench: no benchmark in test/bench matches "${filter}"`);
  process.exit(2);
}

const newest = Math.max(newestSource(path.join(root, 'src')), newestSource(benchDir));
const stale = benches.some((f) => {
  const js = path.join(distDir, f.replace(/\.ts$/, '.js'));
  return !fs.existsSync(js) || fs.statSync(js).mtimeMs < newest;
});
if (stale) {
  console.log('run-bench: compiling TypeScript to dist/ ...');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) console.warn('run-bench: tsc reported errors (see above); running what it emitted');
}
// The WebAssembly module is assembled by the loader on first use if the build has not.
let failed = 0;
for (const f of benches) {
  const js = path.join(distDir, f.replace(/\.ts$/, '.js'));
  console.log(`\n== ${f} ==`);
  try {
    execFileSync(process.execPath, [js], { stdio: 'inherit' });
  } catch {
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
