/**
 * Every write error is a user error (issue 13, part 2): output paths the user or a
 * config names that cannot be written give one line (path and reason) and exit 2,
 * before any long work and without leaving a folder behind; kernel pseudo file
 * systems are refused at once (mkdir -p on /proc used to loop forever).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';

const dir = tempDir('output-paths');
const config = writeTinyConfig(dir);
const blocker = path.join(dir, 'a-file');
fs.writeFileSync(blocker, 'x');
const readOnly = path.join(dir, 'read-only');
fs.mkdirSync(readOnly);

/** A read-only tmpfs over `readOnly` when this process may mount (root, as in CI containers); null otherwise. */
let mounted = false;
beforeAll(() => {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', [readOnly], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
});

const noc = ['noc', '--mesh', '2x2', '--rate', '0.1', '--warmup', '10', '--measure', '20', '--drain', '200'];

/** The CLI's one-line refusal: exit 2, exactly one line on stderr, and how long it took. */
async function refused(argv: string[]): Promise<string> {
  const before = fs.readdirSync(dir).sort();
  const t0 = Date.now();
  const r = await captureCli(argv);
  expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
  expect(r.err.split('\n')).toHaveLength(2);
  expect(r.err).not.toContain('    at ');
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
  return r.err.trim();
}

describe('unwritable output paths', () => {
  test('--out under /proc or /sys is refused at once (no mkdir loop), for train, run, sweep and noc', async () => {
    expect(await refused(['train', config, '--out', '/proc/anything'])).toBe(
      'bitspike: /proc/anything: cannot write here (proc is a kernel pseudo file system, not a place for files)',
    );
    expect(await refused(['run', config, '--out', '/proc/x/y'])).toContain('/proc/x/y: cannot write here (proc is a kernel pseudo');
    expect(await refused(['sweep', config, '--grid', 'seed=1,2', '--out', '/sys/kernel/x'])).toContain('/sys/kernel/x: cannot write here (sys');
    expect(await refused([...noc, '--out', '/proc/self/curve.csv'])).toContain('/proc/self/curve.csv: cannot write here (proc');
  });

  test('a missing parent folder or a file in the way: --json, --vcd, --packet-csv, --out', async () => {
    const missing = path.join(dir, 'no-such-dir');
    expect(await refused([...noc, '--out', path.join(missing, 'c.csv')])).toBe(`bitspike: ${path.join(missing, 'c.csv')}: cannot write the file (folder ${missing} does not exist)`);
    expect(await refused([...noc, '--vcd', path.join(missing, 'w.vcd')])).toContain('does not exist');
    expect(await refused([...noc, '--packet-csv', path.join(blocker, 'p.csv')])).toBe(`bitspike: ${path.join(blocker, 'p.csv')}: cannot write the file (${blocker} is not a directory)`);
    expect(await refused(['budget', config, '--json', path.join(missing, 'b.json')])).toContain('does not exist');
    expect(await refused(['train', config, '--out', path.join(blocker, 'run')])).toBe(`bitspike: ${path.join(blocker, 'run')}: cannot create the folder (${blocker} is not a directory)`);
    expect(await refused([...noc, '--out', dir])).toBe(`bitspike: ${dir}: cannot write the file (is a directory)`);
  });

  test('a trace path in the config that cannot be written leaves no folder holding only config.resolved.json', async () => {
    const out = path.join(dir, 'traced');
    const msg = await refused(['train', config, '--out', out, '--set', 'run.mode=cycle', '--set', `trace.vcd.path=${path.join(dir, 'nowhere', 'w.vcd')}`]);
    expect(msg).toContain('w.vcd: cannot write the file (folder');
    expect(fs.existsSync(out)).toBe(false);
    const msg2 = await refused(['run', config, '--out', out, '--set', 'trace.packets.path=sub/p.csv']);
    expect(msg2).toBe(`bitspike: ${path.join(out, 'sub', 'p.csv')}: cannot write the file (folder ${path.join(out, 'sub')} does not exist)`);
  });

  test('a read-only file system: one line naming the path and the reason', async () => {
    if (!mounted) {
      // Only root may mount; the other cases of this file still run.
      process.stdout.write('output-paths: no read-only mount possible here (not root); read-only case not run\n');
      return;
    }
    expect(await refused([...noc, '--out', path.join(readOnly, 'c.csv')])).toBe(`bitspike: ${path.join(readOnly, 'c.csv')}: cannot write in ${readOnly} (read-only file system)`);
    expect(await refused(['train', config, '--out', path.join(readOnly, 'run')])).toBe(`bitspike: ${path.join(readOnly, 'run')}: cannot write in ${readOnly} (read-only file system)`);
    expect(await refused(['budget', config, '--json', path.join(readOnly, 'b.json')])).toContain('(read-only file system)');
  });
});
