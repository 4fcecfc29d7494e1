import fc from 'fast-check';
import { popcount32 } from '../../../src/kernels';
import { roundRobinPick } from '../../../src/chip/router/arbiter';
import { makeMesh } from './helpers';

describe('round-robin arbiter', () => {
  it('grants the first requester at or after the pointer, cyclically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.nat(), fc.nat(), (n, rawMask, rawPtr) => {
        const mask = n === 32 ? rawMask | 0 : rawMask & ((1 << n) - 1);
        const ptr = rawPtr % n;
        if (mask === 0) return;
        const i = roundRobinPick(mask, ptr, n);
        expect((mask >>> i) & 1).toBe(1);
        for (let k = ptr; k !== i; k = (k + 1) % n) expect((mask >>> k) & 1).toBe(0);
      }),
      { seed: 13 },
    );
  });

  it('popcount32 (used for stall and conflict counts) counts bits of any 32-bit mask', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        let n = 0;
        for (let i = 0; i < 32; i++) n += (v >>> i) & 1;
        expect(popcount32(v)).toBe(n);
      }),
      { seed: 13 },
    );
  });

  it('shares a congested output fairly: backlogged inputs alternate', () => {
    // 3x1 mesh: cores 0 and 1 both stream to core 2; router 1's East output is shared by
    // its West input (core 0's flits) and its Local input (core 1's flits).
    const { kernel, mesh, deliveries } = makeMesh(3, 1, { bufferDepth: 4 });
    const h = kernel.register(() => {
      for (const s of [0, 1]) if (mesh.canInject(s)) mesh.inject(s, 2, 0, 0);
      if (kernel.now < 200) kernel.after(1, 3, h, 0, 0);
    });
    kernel.at(0, 3, h, 0, 0);
    kernel.run();
    const srcs = deliveries.map((d) => d.src);
    // After the first few packets both inputs are backlogged: strict alternation.
    const steady = srcs.slice(10, 150);
    for (let i = 1; i < steady.length; i++) expect(steady[i]).not.toBe(steady[i - 1]);
    const from0 = srcs.filter((s) => s === 0).length;
    expect(Math.abs(from0 - (srcs.length - from0))).toBeLessThanOrEqual(2);
    expect(mesh.counters().components['router.1']!.counts['arbitrationConflicts']).toBeGreaterThan(100);
  });
});
