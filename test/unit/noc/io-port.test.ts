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
