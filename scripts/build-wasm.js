#!/usr/bin/env node
/**
 * Assemble the WebAssembly kernels: src/kernels/wasm/*.wat -> build/wasm/*.wasm, with
 * the `wabt` package (SIMD enabled). Run by `npm run build` (and so by `npm ci`
 * through `prepare`), and by the kernel loader when a .wasm file is missing.
 * Each output is written to a temporary file and renamed, so a reader never sees
 * half a module; a source that does not assemble or validate stops the build with a
 * one-line message naming the file, and writes nothing for it.
 *   node scripts/build-wasm.js [--src <dir of .wat>] [--out <dir for .wasm>]
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}
const srcDir = option('--src', path.join(root, 'src', 'kernels', 'wasm'));
const outDir = option('--out', path.join(root, 'build', 'wasm'));

async function main() {
  const wabt = await require('wabt')();
  fs.mkdirSync(outDir, { recursive: true });
  const sources = fs.readdirSync(srcDir).filter((f) => f.endsWith('.wat')).sort();
  if (sources.length === 0) throw new Error(`no .wat sources in ${srcDir}`);
  for (const file of sources) {
    const wat = path.join(srcDir, file);
    const buffer = assemble(wabt, wat, fs.readFileSync(wat, 'utf8'));
    const out = path.join(outDir, file.replace(/\.wat$/, '.wasm'));
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, buffer);
    fs.renameSync(tmp, out);
    console.log(`build-wasm: ${path.relative(process.cwd(), out)} (${buffer.length} bytes)`);
  }
}

/** The binary of one .wat source, or an error naming the file with wabt's (or V8's) first complaint. */
function assemble(wabt, file, text) {
  let mod;
  try {
    mod = wabt.parseWat(path.basename(file), text, { simd: true });
    mod.validate();
    const { buffer } = mod.toBinary({});
    // Compiling here catches what wabt accepts but V8 rejects.
    new WebAssembly.Module(buffer);
    return buffer;
  } catch (err) {
    const lines = String(err && err.message ? err.message : err).split('\n').map((l) => l.trim()).filter(Boolean);
    const detail = lines.find((l) => /error/i.test(l)) || lines[0] || 'unknown error';
    throw new Error(`${file}: ${detail}`);
  } finally {
    if (mod) mod.destroy();
  }
}

main().catch((err) => {
  console.error(`build-wasm: ${err && err.message ? err.message : err}`);
  process.exit(1);
});
