#!/usr/bin/env node
/**
 * Sum V8 .cpuprofile files by function (self time) and print the top entries with
 * their share: node scripts/profile-summary.js [--top N] FILE...
 */
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
let top = 25;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else files.push(args[i]);
}
const self = new Map();
let total = 0;
for (const f of files) {
  const p = JSON.parse(fs.readFileSync(f, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let k = 0; k < p.samples.length; k++) dt.set(p.samples[k], (dt.get(p.samples[k]) || 0) + (p.timeDeltas[k] || 0));
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'} ${cf.url ? path.basename(cf.url) + ':' + (cf.lineNumber + 1) : ''}`.trim();
    self.set(key, (self.get(key) || 0) + us);
    total += us;
  }
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${files.length} profile(s), ${(total / 1e6).toFixed(2)} s sampled`);
for (const [k, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}`);
