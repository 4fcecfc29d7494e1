/**
 * Newest modification time (ms) of the TypeScript sources under a folder: what the
 * scripts compare with dist/ to tell whether the compiled code is current.
 */
'use strict';
const fs = require('fs');
const path = require('path');

/** Newest mtime of the .ts files under `dir`, recursively (0 when there are none). */
function newestSource(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

module.exports = { newestSource };
