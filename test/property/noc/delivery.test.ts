import fc from 'fast-check';
import type { Delivery } from '../../unit/noc/helpers';
import { meshOf, meshShape, type MeshShape } from './mesh-scenario';

interface Scenario extends MeshShape {
  traffic: { cycle: number; src: number; dst: number; bit: number }[];
}

const scenario = fc
  .record({
    shape: meshShape(4, 3),
    raw: fc.array(fc.tuple(fc.nat(40), fc.nat(), fc.nat(), fc.boolean()), { maxLength: 150 }),
  })
  .map(({ raw, shape: s }): Scenario => {
    const n = s.w * s.h + 1;
    return { ...s, traffic: raw.map(([cycle, a, b, bit]) => ({ cycle, src: a % n, dst: b % n, bit: bit ? 1 : 0 })) };
  });

/** Run a scenario; each source keeps a FIFO of packets and injects its head whenever it can. */
function run(s: Scenario): { deliveries: Delivery[]; injectedSerials: Map<number, { src: number; dst: number; axon: number; bit: number }> } {
  const { kernel, mesh, deliveries } = meshOf(s, s.w - 1, 0);
  const n = mesh.endpoints;
  const queues: { dst: number; axon: number; bit: number }[][] = Array.from({ length: n }, () => []);
  const injected = new Map<number, { src: number; dst: number; axon: number; bit: number }>();
  const byCycle = new Map<number, typeof s.traffic>();
  s.traffic.forEach((t) => byCycle.set(t.cycle, [...(byCycle.get(t.cycle) ?? []), t]));
  let axon = 0;
  const h = kernel.register((_a, _b, c) => {
    for (const t of byCycle.get(c) ?? []) queues[t.src]!.push({ dst: t.dst, axon: axon++, bit: t.bit });
    let waiting = false;
    for (let e = 0; e < n; e++) {
      const q = queues[e]!;
      while (q.length > 0 && mesh.canInject(e)) {
        const p = q.shift()!;
        const serial = mesh.inject(e, p.dst, p.axon, p.bit);
        injected.set(serial, { src: e, ...p });
      }
      if (q.length > 0) waiting = true;
    }
    if (waiting || c < 40) kernel.after(1, 3, h, 0, 0);
  });
  kernel.at(0, 3, h, 0, 0);
  kernel.run();
  expect(mesh.flitsInNetwork).toBe(0);
  // Every delivered packet: right place, right route length, latency = zero-load + blocked.
  for (const d of deliveries) {
    expect(d.hops).toBe(mesh.hopsBetween(d.src, d.dst));
    expect(d.cycle - d.enter).toBe(mesh.zeroLoadLatency(d.hops) + d.blocked);
  }
  return { deliveries, injectedSerials: injected };
}

describe('mesh delivery (property)', () => {
  it('delivers every injected packet exactly once, intact, in a deterministic order', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const a = run(s);
        expect(a.injectedSerials.size).toBe(s.traffic.length);
        const seen = new Set<number>();
        for (const d of a.deliveries) {
          expect(seen.has(d.serial)).toBe(false);
          seen.add(d.serial);
          const sent = a.injectedSerials.get(d.serial)!;
          expect({ src: d.src, dst: d.dst, axon: d.axon, bit: d.bit }).toEqual(sent);
        }
        expect(seen.size).toBe(s.traffic.length);
        const b = run(s);
        expect(b.deliveries).toEqual(a.deliveries);
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});
