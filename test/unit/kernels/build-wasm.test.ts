import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { WasmKernels } from '../../../src/kernels';
import { packageRoot, wasmPath } from '../../../src/kernels/wasm/load-module';
import { webAssembly } from '../../../src/kernels/wasm/wasm-api';

const script = join(packageRoot(), 'scripts', 'build-wasm.js');

function build(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/build-wasm.js', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bitspike-wasm-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('assembles every .wat of src/kernels/wasm into modules with the kernel exports, byte-identical to the loaded build', () => {
    const r = build(['--out', dir]);
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['kernels.wasm', 'sliced.wasm']);
    const names = (file: string): string[] =>
      webAssembly.Module.exports(new webAssembly.Module(readFileSync(join(dir, file)))).map((e) => e.name).sort();
    expect(names('kernels.wasm')).toEqual(['matvec_and', 'matvec_xnor', 'plasticity_layer', 'stream_xor']);
    expect(names('sliced.wasm')).toEqual(['plasticity_sliced']);
    WasmKernels.create(1 << 16); // makes sure build/wasm is current
    expect(readFileSync(join(dir, 'kernels.wasm')).equals(readFileSync(wasmPath('kernels')))).toBe(true);
  });

  test('a source that does not validate stops the build with one line naming the file, and writes nothing', () => {
    const src = join(dir, 'src');
    const out = join(dir, 'out');
    mkdirSync(src);
    writeFileSync(join(src, 'bad.wat'), '(module (func (export "f") (result i32) (i32.add (i32.const 1))))\n');
    const r = build(['--src', src, '--out', out]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(src, 'bad.wat'));
    expect(lines[0]).toMatch(/type mismatch/);
    expect(readdirSync(out)).toEqual([]);
  });
});
