import { makeMesh, atCycle } from './helpers';

/** Events the kernel executes to carry one packet from (1,1) to (3,2). */
function eventsForOneRoute(size: number): number {
  const { kernel, mesh, deliveries } = makeMesh(size, size);
  const src = 1 * size + 1;
  const dst = 2 * size + 3;
  atCycle(kernel, 0, () => mesh.inject(src, dst, 0, 1));
  kernel.run();
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0]!.hops).toBe(3);
  return kernel.eventsExecuted;
}

describe('idle routers cost nothing', () => {
  it('the same route costs the same events on a 4x4 and a 32x32 mesh', () => {
    const small = eventsForOneRoute(4);
    const large = eventsForOneRoute(32);
    expect(large).toBe(small);
    // Per hop: arrival, router tick, credit; plus injection, final tick and delivery.
    expect(small).toBeLessThanOrEqual(3 * 4 + 3);
  });

  it('an idle stretch of simulated time costs no events', () => {
    const { kernel, mesh } = makeMesh(8, 8);
    atCycle(kernel, 0, () => mesh.inject(0, 63, 0, 1));
    atCycle(kernel, 1_000_000, () => mesh.inject(63, 0, 0, 1));
    kernel.run();
    expect(kernel.now).toBeGreaterThan(1_000_000);
    expect(kernel.eventsExecuted).toBeLessThan(200);
  });
});
