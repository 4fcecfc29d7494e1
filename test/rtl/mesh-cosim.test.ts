import { buildMesh, cosimMesh } from './mesh-cosim';
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
    expect(m.signal).toMatch(/^noc\.(router\d+\.(in|out)_\w+\.(credits|occupancy|arrive|grant)|endpoint\d+\.(inject|deliver))$/);
    expect(m.rtl).not.toBe(m.model);
    expect(m.cycle).toBeGreaterThan(0);
    console.log(`reported: cycle ${m.cycle}, ${m.signal}: RTL ${m.rtl}, model ${m.model}`);
  });
});
