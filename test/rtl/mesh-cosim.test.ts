import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildMesh, compareVcd, cosimMesh } from './mesh-cosim';
import type { MeshRtlParams } from './mesh-cosim';

// The build is cached under .cache/rtl (keyed by the RTL sources and parameters); a
// missing Verilator fails here with the one-line message saying how to install it.
describe('router mesh: RTL (Verilator) and TypeScript model agree cycle by cycle', () => {
  const p: MeshRtlParams = { w: 3, h: 2, depth: 2, rd: 1, ld: 1, cd: 1, lanes: 2, ioX: 1, ioY: 0, axonBits: 20 };
  const exe = buildMesh(p);

  it.each([
    [0.05, 1],
    [0.2, 2],
    [0.5, 3],
  ])('3x2 mesh, depth-2 buffers, 2 I/O lanes: 3000 cycles of random traffic at %p packets/endpoint/cycle (seed %p)', (rate, seed) => {
    const r = cosimMesh(p, 3000, rate, seed, exe);
    expect(r.mismatch).toBeNull();
    expect(r.delivered).toBeGreaterThan(0.5 * r.packets * Math.min(1, 0.3 / rate));
    // The router counters are observations of every cycle: the agreement covered non-zero values.
    expect(r.counters['bufferWrites']).toBeGreaterThan(r.delivered);
    expect(r.counters['activeCycles']).toBeGreaterThan(0);
    if (rate >= 0.5) {
      expect(r.counters['creditStalls']).toBeGreaterThan(100);
      expect(r.counters['arbitrationConflicts']).toBeGreaterThan(100);
    }
  });

  it('2x3 mesh with longer pipelines (depth 3, router delay 2, link delay 3, credit delay 2, I/O at (0, 2)): 3000 cycles (seed 5)', () => {
    const q: MeshRtlParams = { w: 2, h: 3, depth: 3, rd: 2, ld: 3, cd: 2, lanes: 1, ioX: 0, ioY: 2, axonBits: 20 };
    const r = cosimMesh(q, 3000, 0.25, 5);
    expect(r.mismatch).toBeNull();
    expect(r.delivered).toBeGreaterThan(1000);
  });

  it('finds and reports a disagreement (model with credit delay 2 against the RTL with 1)', () => {
    const r = cosimMesh(p, 3000, 0.3, 4, exe, { ...p, cd: 2 });
    expect(r.mismatch).not.toBeNull();
    const m = r.mismatch!;
    // The first injection waits for a credit one cycle longer in the model.
    expect(m.signal).toMatch(/^noc\.(router\d+\.(in|out)_\w+\.(credits|occupancy|arrive|grant)|router\d+\.counters\.\w+|endpoint\d+\.(inject|deliver))$/);
    expect(m.rtl).not.toBe(m.model);
    expect(m.cycle).toBeGreaterThan(0);
    console.log(`reported: cycle ${m.cycle}, ${m.signal}: RTL ${m.rtl}, model ${m.model}`);
  });
});

describe('VCD of the RTL run equals the simulator VCD of the same scenario', () => {
  const p: MeshRtlParams = { w: 3, h: 2, depth: 2, rd: 1, ld: 1, cd: 1, lanes: 2, ioX: 1, ioY: 0, axonBits: 20 };
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-vcd-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('3x2 mesh, 2000 cycles at 0.3 packets/endpoint/cycle (seed 6): same header byte for byte, same changes signal for signal', () => {
    const vcd = { rtl: path.join(dir, 'rtl.vcd'), model: path.join(dir, 'model.vcd') };
    const r = cosimMesh(p, 2000, 0.3, 6, buildMesh(p), p, vcd);
    expect(r.mismatch).toBeNull();
    const rtl = fs.readFileSync(vcd.rtl, 'utf8');
    const model = fs.readFileSync(vcd.model, 'utf8');
    expect(compareVcd(rtl, model)).toBeNull();
    // Same lines: the files differ at most in the order of changes inside a time step.
    expect(rtl.split('\n').sort()).toEqual(model.split('\n').sort());
    // 6 occupancy signals and 14 link signals (7 bidirectional neighbour pairs), busy traces.
    expect((rtl.match(/\$var wire/g) ?? []).length).toBe(20);
    expect(rtl).toMatch(/\$var wire 1 \S+ link_E \$end/);
    expect((rtl.match(/^#/gm) ?? []).length).toBeGreaterThan(1000);
  });

  it('a model with credit delay 2 against the RTL with 1 gives a VCD difference, reported as cycle, signal, RTL value, model value', () => {
    const vcd = { rtl: path.join(dir, 'rtl2.vcd'), model: path.join(dir, 'model2.vcd') };
    cosimMesh(p, 500, 0.3, 7, buildMesh(p), { ...p, cd: 2 }, vcd);
    const m = compareVcd(fs.readFileSync(vcd.rtl, 'utf8'), fs.readFileSync(vcd.model, 'utf8'));
    expect(m).not.toBeNull();
    expect(m!.signal).toMatch(/^noc\.router\d+\.(occupancy|link_[NESW])$/);
    expect(m!.rtl).not.toBe(m!.model);
    expect(m!.cycle).toBeGreaterThan(0);
  });
});
