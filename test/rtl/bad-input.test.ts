import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../scripts/rtl-cosim';
import { requireVerilator, verilatorVersion } from './build';

function run(args: string[]): { code: number; err: string[] } {
  const err: string[] = [];
  const code = main(args, () => undefined, (s) => err.push(s));
  return { code, err };
}

describe('RTL co-simulation: bad input', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-bad-'));
  const chip = (over: Record<string, unknown>): string => {
    const base = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'hw', 'chips', 'tiny.json'), 'utf8'));
    const f = path.join(dir, `chip-${Object.keys(over).join('-')}.json`);
    fs.writeFileSync(f, JSON.stringify({ ...base, noc: { ...base.noc, ...(over['noc'] as object) }, core: { ...base.core, ...(over['core'] as object) } }));
    return f;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    [{ noc: { vcs: 2 } }, 'noc.vcs', 'virtual channels'],
    [{ noc: { flitWidth: 8 } }, 'noc.flitWidth', 'wormhole'],
    [{ noc: { routing: 'yx' } }, 'noc.routing', 'XY'],
    [{ core: { sram: { wordBits: 128, banks: 1, capacityBits: 1 << 20, counterCapacityBits: 1 << 22 } } }, 'core.sram.wordBits', '64-bit'],
  ])('a chip file the RTL does not support: one line naming file, JSON path and why, exit 2 (%j)', (over, jsonPath, why) => {
    const f = chip(over);
    const r = run(['--chip', f]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(f);
    expect(r.err[0]).toContain(jsonPath);
    expect(r.err[0]).toContain(why);
    expect(r.err[0]).not.toContain('\n');
  });

  it('bad flags: exit 2 with one line', () => {
    expect(run(['--cycles', 'many']).code).toBe(2);
    expect(run(['--bogus', '1']).err[0]).toMatch(/unknown or incomplete flag --bogus/);
    const v = run(['--vcd', path.join(dir, 'no-such-folder')]);
    expect(v.code).toBe(2);
    expect(v.err).toEqual([`rtl-cosim: --vcd ${path.join(dir, 'no-such-folder')}: not an existing folder`]);
  });

  it('a missing Verilator: one line saying how to install it (exit code 2 through UserError)', () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = dir;
    try {
      expect(verilatorVersion()).toBeNull();
      expect(() => requireVerilator()).toThrow(/^verilator not found: run `sh scripts\/services\/verilator.sh start`.*apt-get install -y verilator/);
      const r = run(['--chip', 'tiny', '--cycles', '10']);
      expect(r.code).toBe(2);
      expect(r.err[0]).toMatch(/^verilator not found/);
    } finally {
      process.env['PATH'] = saved;
    }
  });
});
