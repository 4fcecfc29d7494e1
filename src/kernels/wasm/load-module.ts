/**
 * Finds and compiles build/wasm/<name>.wasm synchronously. The file is assembled from
 * src/kernels/wasm/<name>.wat by scripts/build-wasm.js at `npm run build` (and so at
 * `npm ci`); when it is missing (tests run from a fresh checkout without a build) the
 * loader runs that script once, synchronously, in a child process. Both the compiled
 * code in dist/ and the TypeScript sources under ts-jest find the package root by
 * walking up from their own directory to the one holding package.json. A .wasm older
 * than its .wat source is rebuilt too, so an edited kernel is never tested stale.
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, statSync } from 'fs';
import { dirname, join } from 'path';
import { webAssembly } from './wasm-api';
import type { WasmModule } from './wasm-api';

const compiled = new Map<string, WasmModule>();

/** The nearest directory at or above `start` that holds package.json. */
export function packageRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
}

/** Path of the assembled module `name` (e.g. "kernels") under the package root. */
export function wasmPath(name: string): string {
  return join(packageRoot(), 'build', 'wasm', `${name}.wasm`);
}

/** The compiled WebAssembly module `name`, assembling it first if the build has not. */
export function loadWasmModule(name: string): WasmModule {
  const cached = compiled.get(name);
  if (cached) return cached;
  const file = wasmPath(name);
  const source = join(packageRoot(), 'src', 'kernels', 'wasm', `${name}.wat`);
  const stale = existsSync(file) && existsSync(source) && statSync(source).mtimeMs > statSync(file).mtimeMs;
  if (!existsSync(file) || stale) {
    const script = join(packageRoot(), 'scripts', 'build-wasm.js');
    try {
      execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const why = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err);
      throw new Error(`${file} is ${stale ? 'older than its source' : 'missing'} and assembling it failed (run npm run build): ${why}`);
    }
  }
  const mod = new webAssembly.Module(readFileSync(file));
  compiled.set(name, mod);
  return mod;
}
