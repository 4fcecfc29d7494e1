import { makeMesh, atCycle } from './helpers';

describe('zero-load latency', () => {
  const cases: [number, number, number, number, number, number][] = [
    // width, height, routerDelay, linkDelay, I/O port x, y
    [1, 1, 1, 1, 0, 0],
    [3, 2, 1, 1, 0, 0],
    [4, 4, 1, 1, 0, 0],
    [4, 3, 2, 1, 3, 2],
    [3, 5, 1, 3, 1, 2],
    [5, 5, 3, 2, 0, 4],
  ];
  it.each(cases)('%ix%i mesh, routerDelay %i, linkDelay %i, I/O at (%i, %i): H*(rd+ld)+rd for every pair', (w, h, rd, ld, ix, iy) => {
    const { kernel, mesh, deliveries } = makeMesh(w, h, { routerDelay: rd, linkDelay: ld, creditDelay: 2 }, { x: ix, y: iy, flitsPerCycle: 1 });
    const n = mesh.endpoints;
    // One packet alone in the network at a time: inject each pair far apart in time.
    const gap = 4 * (w + h) * (rd + ld) + 10;
    let t = 0;
    const expected: { src: number; dst: number; inject: number }[] = [];
    for (let s = 0; s < n; s++) {
      for (let d = 0; d < n; d++) {
        const at = t;
        expected.push({ src: s, dst: d, inject: at });
        atCycle(kernel, at, () => mesh.inject(s, d, (s * 7 + d) % 64, (s + d) & 1));
        t += gap;
      }
    }
    kernel.run();
    expect(deliveries).toHaveLength(expected.length);
    deliveries.forEach((got, i) => {
      const e = expected[i]!;
      const hops = mesh.hopsBetween(e.src, e.dst);
      const sr = mesh.routerOf(e.src);
      const dr = mesh.routerOf(e.dst);
      expect(hops).toBe(Math.abs((sr % w) - (dr % w)) + Math.abs(Math.floor(sr / w) - Math.floor(dr / w)));
      expect({ src: got.src, dst: got.dst, hops: got.hops, blocked: got.blocked }).toEqual({ src: e.src, dst: e.dst, hops, blocked: 0 });
      expect(got.enter).toBe(e.inject + 1);
      expect(got.cycle - got.enter).toBe(hops * (rd + ld) + rd);
      expect(got.axon).toBe((e.src * 7 + e.dst) % 64);
      expect(got.bit).toBe((e.src + e.dst) & 1);
    });
    expect(mesh.flitsInNetwork).toBe(0);
  });
});
