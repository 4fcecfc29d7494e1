#!/usr/bin/env node
/**
 * Assemble the WebAssembly kernels: src/kernels/wasm/*.wat -> build/wasm/*.wasm, with
 * the `wabt` package (SIMD enabled). Run by `npm run build` (and so by `npm ci`
 * through `prepare`), and by the kernel loader when a .wasm file is missing.
 * Each output is written to a temporary file and renamed, so a reader never sees
 * half a module.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src', 'kernels', 'wasm');
const outDir = path.join(root, 'build', 'wasm');

async function main() {
  const wabt = await require('wabt')();
  fs.mkdirSync(outDir, { recursive: true });
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.wat')).sort();
  if (sources.length === 0) throw new Error(`no .wat sources in ${srcDir}`);
  for (const file of sources) {
    const text = fs.readFileSync(path.join(srcDir, file), 'utf8');
    const mod = wabt.parseWat(file, text, { simd: true });
    try {
      mod.validate();
      const { buffer } = mod.toBinary({});
      // Compiling here catches what wabt accepts but V8 rejects.
      new WebAssembly.Module(buffer);
      const out = path.join(outDir, file.replace(/\.wat$/, '.wasm'));
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, buffer);
      fs.renameSync(tmp, out);
      console.log(`build-wasm: ${path.relative(root, out)} (${buffer.length} bytes)`);
    } finally {
      mod.destroy();
    }
  }
}

main().catch((err) => {
  console.error(`build-wasm: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
