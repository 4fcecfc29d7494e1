import type { NocParams } from '../../../src/hw/noc-params';
import { makeMesh, atCycle } from './helpers';

/** Packet bits of the helpers' meshes: enough to make 1..4 flits with flitWidth = 8. */
const BITS = 30;

describe('VC router: multi-flit packets and pipeline stages at zero load', () => {
  const cases: [string, Partial<NocParams>][] = [
    ['1 VC, 4 flits', { flitWidth: 8, bufferDepth: 8 }],
    ['2 VCs, separable, VA 1 cycle', { vcs: 2, flitWidth: 8, bufferDepth: 8, vcAllocator: 'separable-input-first', vcAllocDelay: 1 }],
    ['speculative hides the VA cycle', { vcs: 2, flitWidth: 8, bufferDepth: 8, vcAllocator: 'separable-input-first', vcAllocDelay: 1, speculative: true }],
    ['route 1, SA +1, router 2, link 2', { flitWidth: 16, bufferDepth: 8, routeDelay: 1, switchAllocDelay: 1, routerDelay: 2, linkDelay: 2 }],
    ['injection 2, ejection 3', { vcs: 3, flitWidth: 10, bufferDepth: 8, injectionDelay: 2, ejectionDelay: 3 }],
  ];
  it.each(cases)('%s: tail delivered at H*(a+ld) + a + ejectionDelay + (F-1)(sad+1) after the head enters', (_n, noc) => {
    const { kernel, mesh, deliveries } = makeMesh(4, 3, { creditDelay: 1, ...noc }, { x: 3, y: 2, flitsPerCycle: 1 });
    expect(mesh.isVcRouter).toBe(true);
    const injected: { src: number; dst: number; at: number }[] = [];
    let t = 0;
    for (let s = 0; s < mesh.endpoints; s += 3) {
      for (let d = 0; d < mesh.endpoints; d += 2) {
        const at = t;
        injected.push({ src: s, dst: d, at });
        atCycle(kernel, at, () => mesh.inject(s, d, 5, 1, 0, 0, BITS));
        t += 80;
      }
    }
    kernel.run();
    expect(deliveries).toHaveLength(injected.length);
    const flits = mesh.flitsOf(BITS);
    deliveries.forEach((got, i) => {
      const e = injected[i]!;
      const hops = mesh.hopsBetween(e.src, e.dst);
      expect({ src: got.src, dst: got.dst, hops: got.hops, blocked: got.blocked, axon: got.axon, bit: got.bit }).toEqual({ src: e.src, dst: e.dst, hops, blocked: 0, axon: 5, bit: 1 });
      expect(got.enter).toBe(e.at + (noc.injectionDelay ?? 1));
      expect(got.cycle - got.enter).toBe(mesh.zeroLoadLatency(hops, flits));
    });
    // The formula itself, spelled out for the first case: 4 flits of 8 bits, a = 1.
    if (noc.flitWidth === 8 && noc.vcs === undefined) expect(mesh.zeroLoadLatency(3, 4)).toBe(3 * 2 + 1 + 3);
  });

  it('routing yx moves along y first: the same hops, other links', () => {
    const loads = (routing: 'xy' | 'yx'): string[] => {
      const { kernel, mesh, deliveries } = makeMesh(3, 3, { routing, vcs: 1, routeDelay: 0 }, { x: 0, y: 0, flitsPerCycle: 1 }, true);
      atCycle(kernel, 0, () => mesh.inject(0, 8, 0, 1));
      kernel.run();
      expect(deliveries.map((d) => [d.dst, d.hops])).toEqual([[8, 4]]);
      return mesh.linkLoads().filter((l) => l.flits > 0).map((l) => `${l.from}${l.direction}`);
    };
    expect(loads('xy')).toEqual(['0E', '1E', '2S', '5S']);
    expect(loads('yx')).toEqual(['0S', '3S', '6E', '7E']);
  });

  it('counts buffers, crossbar and links per flit and link bits as flits x flit width', () => {
    const { kernel, mesh } = makeMesh(3, 1, { flitWidth: 8, bufferDepth: 4 });
    atCycle(kernel, 0, () => mesh.inject(0, 2, 0, 1, 0, 0, BITS));
    kernel.run();
    const c = mesh.counters().components;
    const r0 = c['router.0']!.counts;
    const r1 = c['router.1']!.counts;
    const r2 = c['router.2']!.counts;
    expect([r0['bufferWrites'], r0['crossbarTraversals'], r0['linkFlits'], r0['linkBits']]).toEqual([4, 4, 4, 32]);
    expect([r1['bufferWrites'], r1['linkFlits'], r1['linkBits']]).toEqual([4, 4, 32]);
    expect([r2['bufferWrites'], r2['linkFlits'], r2['packetsEjected']]).toEqual([4, 0, 1]);
  });
});

describe('VC router: wormhole switching and virtual channels', () => {
  it('a packet holds its output VC until its tail passes: two 4-flit packets to one output do not interleave', () => {
    // Cores 0 (west) and 4 (south... of router 1 in a 3x2 mesh) both send to core 2 through router 1's East output.
    const { kernel, mesh, deliveries } = makeMesh(3, 2, { flitWidth: 8, bufferDepth: 8 });
    const arrivals: [number, number][] = [];
    mesh.attachObserver({
      arrive: (r, port, f, cycle) => {
        if (r === 2 && port === 3) arrivals.push([mesh.flitSource(f), cycle]);
      },
      grant: () => undefined,
      credit: () => undefined,
    });
    atCycle(kernel, 0, () => {
      mesh.inject(0, 2, 0, 1, 0, 0, BITS);
      mesh.inject(1, 2, 0, 1, 0, 0, BITS);
    });
    kernel.run();
    expect(deliveries).toHaveLength(2);
    // Flits reach router 2's West input grouped by packet: 4 of one source, then 4 of the other.
    const order = arrivals.map(([src]) => src);
    expect(order).toHaveLength(8);
    expect(new Set(order.slice(0, 4)).size).toBe(1);
    expect(new Set(order.slice(4)).size).toBe(1);
    expect(order[0]).not.toBe(order[4]);
  });

  it('message classes on separate VCs: partial sums pass spikes that are stuck behind a held core', () => {
    const run = (noc: Partial<NocParams>): number[] => {
      const { kernel, mesh, deliveries } = makeMesh(3, 1, { bufferDepth: 2, ...noc });
      mesh.holdEjection(2, true);
      // Spikes (class 0) to held core 2 fill the path; then partial sums (class 1) to core 1... through router 1
      // would not cross them, so send the partial sums to core 2's neighbour route: 0 -> 2 is blocked, 0 -> 1 shares router 0's East output.
      for (let k = 0; k < 6; k++) atCycle(kernel, k, () => mesh.canInject(0, 0) && mesh.inject(0, 2, k, 1, 0, 0));
      for (let k = 0; k < 3; k++) atCycle(kernel, 20 + k, () => mesh.canInject(0, 1) && mesh.inject(0, 1, 100 + k, 7, 0, 1));
      atCycle(kernel, 200, () => mesh.holdEjection(2, false));
      kernel.run(400);
      return deliveries.filter((d) => d.dst === 1).map((d) => d.cycle);
    };
    // One VC: the partial sums wait until the held core is released at 200.
    const shared = run({ vcs: 1 });
    // Two VCs, one per class: they arrive long before 200.
    const split = run({ vcs: 2, vcClasses: [0, 1], vcAllocator: 'separable-input-first' });
    expect(split.length).toBeGreaterThan(0);
    expect(Math.max(...split)).toBeLessThan(200);
    expect(shared.every((c) => c > 200)).toBe(true);
  });

  it('a finite ejection buffer pushes back: delivery rate is depth / (routerDelay + ejectionDelay + creditDelay) per cycle', () => {
    const { kernel, mesh, deliveries } = makeMesh(2, 1, { ejectionDepth: 1, creditDelay: 3, bufferDepth: 8, routerDelay: 1 });
    for (let k = 0; k < 6; k++) atCycle(kernel, k, () => mesh.inject(0, 1, k, 1));
    kernel.run();
    const cycles = deliveries.map((d) => d.cycle);
    const gaps = cycles.slice(1).map((c, i) => c - cycles[i]!);
    // One slot: the next flit is granted when the credit is back, 1 + 3 cycles after the previous grant.
    expect(gaps).toEqual([4, 4, 4, 4, 4]);
  });
});
