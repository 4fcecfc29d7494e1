#!/usr/bin/env node
/**
 * Marks the compiled CLI entry (package.json "bin") executable. tsc writes files
 * without the execute bit, and `npx bitspike` runs the root package's bin directly,
 * so without this the shell refuses it ("Permission denied").
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const rel of Object.values(pkg.bin || {})) {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) {
    console.error(`mark-bin-executable: ${rel} is missing; did tsc run?`);
    process.exit(1);
  }
  fs.chmodSync(file, fs.statSync(file).mode | 0o111);
}
