import { makeMesh, atCycle } from './helpers';

describe('I/O port', () => {
  it('is its own endpoint at its router, with io.flitsPerCycle lanes', () => {
    const { kernel, mesh, deliveries } = makeMesh(3, 3, {}, { x: 2, y: 1, flitsPerCycle: 2 });
    expect(mesh.ioEndpoint).toBe(9);
    expect(mesh.routerOf(9)).toBe(5);
    atCycle(kernel, 0, () => {
      mesh.inject(9, 0, 1, 1);
      mesh.inject(9, 5, 2, 1);
      expect(mesh.canInject(9)).toBe(false);
    });
    atCycle(kernel, 1, () => mesh.inject(9, 9, 3, 0));
    atCycle(kernel, 50, () => mesh.inject(0, 9, 4, 1));
    kernel.run();
    const byAxon = new Map(deliveries.map((d) => [d.axon, d]));
    expect(byAxon.get(1)!.dst).toBe(0);
    expect(byAxon.get(1)!.hops).toBe(3);
    expect(byAxon.get(1)!.cycle).toBe(1 + 3 * 2 + 1);
    expect(byAxon.get(2)!.dst).toBe(5);
    expect(byAxon.get(2)!.hops).toBe(0);
    expect(byAxon.get(3)!.dst).toBe(9);
    expect(byAxon.get(4)!.dst).toBe(9);
    expect(byAxon.get(4)!.cycle).toBe(51 + 3 * 2 + 1);
    // packetBits(3, 3, 64 axons) = 2 + 2 + 6 + 1 payload + 1 I/O select = 12.
    const io = mesh.counters().components['io']!.counts;
    expect(io).toEqual({ flitsIn: 3, flitsOut: 2, bitsIn: 3 * 12, bitsOut: 2 * 12 });
  });
});

describe('per-link loads', () => {
  it('count the flits on every directed link of the XY routes', () => {
    const { kernel, mesh } = makeMesh(3, 2);
    // 0 -> 5: E, E (0->1->2), then S (2->5). 4 -> 0: W (4->3), N (3->0).
    atCycle(kernel, 0, () => mesh.inject(0, 5, 0, 1));
    atCycle(kernel, 1, () => mesh.inject(0, 5, 0, 1));
    atCycle(kernel, 0, () => mesh.inject(4, 0, 0, 1));
    kernel.run();
    const used = mesh.linkLoads().filter((l) => l.flits > 0);
    expect(used).toEqual([
      { from: 0, to: 1, direction: 'E', flits: 2 },
      { from: 1, to: 2, direction: 'E', flits: 2 },
      { from: 2, to: 5, direction: 'S', flits: 2 },
      { from: 3, to: 0, direction: 'N', flits: 1 },
      { from: 4, to: 3, direction: 'W', flits: 1 },
    ]);
    // 3x2 mesh: 2 * (2 * 2 + 3 * 1) = 14 directed links.
    expect(mesh.linkLoads()).toHaveLength(14);
    expect(mesh.routerCounters.total('linkFlits')).toBe(8);
    mesh.resetCounters();
    expect(mesh.linkLoads().every((l) => l.flits === 0)).toBe(true);
  });
});
