/**
 * Builds a Verilator simulation of the RTL twin (hw/rtl) with a C++ testbench of
 * test/rtl/tb, cached under .cache/rtl/<top>-<hash>, where the hash covers the RTL and
 * testbench sources, the parameters, the defines and the Verilator version: a second run
 * with the same inputs reuses the executable.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../src/util/errors';

/** The repository root (the folder holding hw/rtl), from the sources or from dist/. */
export function repoRoot(): string {
  let d = __dirname;
  for (let k = 0; k < 6; k++) {
    if (fs.existsSync(path.join(d, 'hw', 'rtl')) && fs.existsSync(path.join(d, 'package.json'))) return d;
    d = path.dirname(d);
  }
  throw new Error('cannot find the repository root (hw/rtl) above ' + __dirname);
}

/** The Verilator version line, or null when the tool is not installed. */
export function verilatorVersion(): string | null {
  const r = spawnSync('verilator', ['--version'], { encoding: 'utf8', env: process.env });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim();
}

/** Throw a one-line UserError (exit code 2) when Verilator is missing. */
export function requireVerilator(): string {
  const v = verilatorVersion();
  if (v === null) {
    throw new UserError('verilator not found: run `sh scripts/services/verilator.sh start` as root, or `apt-get install -y verilator` (Debian package)');
  }
  return v;
}

/** What to build: top module, -G parameters, -D defines of the testbench, its C++ file. */
export interface BuildSpec {
  top: string;
  params: Record<string, number>;
  defines: Record<string, number>;
  testbench: string;
}

/** Path of the testbench executable of `spec`, building it when the cache has none. */
export function buildRtl(spec: BuildSpec): string {
  const version = requireVerilator();
  const root = repoRoot();
  const rtlDir = path.join(root, 'hw', 'rtl');
  const tbDir = path.join(root, 'test', 'rtl', 'tb');
  const sources = fs.readdirSync(rtlDir).filter((f) => f.endsWith('.sv')).sort().map((f) => path.join(rtlDir, f));
  const tbFiles = fs.readdirSync(tbDir).filter((f) => /\.(cpp|h)$/.test(f)).sort().map((f) => path.join(tbDir, f));
  const h = crypto.createHash('sha256');
  h.update(version);
  h.update(JSON.stringify(spec));
  for (const f of [...sources, ...tbFiles]) {
    h.update(path.basename(f));
    h.update(fs.readFileSync(f));
  }
  const hash = h.digest('hex').slice(0, 16);
  const cacheDir = path.join(root, '.cache', 'rtl');
  const dir = path.join(cacheDir, `${spec.top}-${hash}`);
  const exe = path.join(dir, 'tb');
  if (fs.existsSync(exe)) return exe;
  fs.mkdirSync(cacheDir, { recursive: true });
  // Build in a private folder and rename it into place, so concurrent builds cannot mix.
  const tmp = fs.mkdtempSync(path.join(cacheDir, `.${spec.top}-${hash}-`));
  const gflags = Object.entries(spec.params).map(([k, v]) => `-G${k}=${v}`);
  const dflags = Object.entries(spec.defines).map(([k, v]) => `-D${k}=${v}`);
  const args = [
    '--cc',
    '--exe',
    '--build',
    '-j',
    '2',
    '-Wno-fatal',
    '-Wno-lint',
    '-Wno-style',
    '--top-module',
    spec.top,
    '-DCOSIM',
    ...gflags,
    '-CFLAGS',
    ['-O1', `-I${tbDir}`, ...dflags].join(' '),
    '-Mdir',
    tmp,
    '-o',
    'tb',
    ...sources,
    path.join(tbDir, spec.testbench),
  ];
  const r = spawnSync('verilator', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const log = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /error/i.test(l)).slice(0, 5).join('\n');
    throw new Error(`verilator build of ${spec.top} failed:\n${log}`);
  }
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // Another process built the same thing first: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return exe;
}
