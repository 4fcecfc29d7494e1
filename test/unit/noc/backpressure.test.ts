import { makeMesh, atCycle } from './helpers';
import { DeadlockError } from '../../../src/sim/watchdog';

/**
 * Core 0 of a 2x1 mesh (buffers of 4, watchdog after 50 cycles; 2 VCs with `vc`) sends
 * to core 1, whose ejection is held, until 20 packets are sent or the watchdog stops
 * the run; returns the DeadlockError it threw (checked to be one) and the packets sent.
 */
function blockedRun(vc: boolean): { err: DeadlockError; sent: number } {
  const { kernel, mesh } = vc ? makeMesh(2, 1, { bufferDepth: 4, watchdogCycles: 50, vcs: 2 }, undefined, true) : makeMesh(2, 1, { bufferDepth: 4, watchdogCycles: 50 });
  mesh.holdEjection(1, true);
  let sent = 0;
  const h = kernel.register(() => {
    if (mesh.canInject(0)) {
      mesh.inject(0, 1, sent, 0);
      sent++;
    }
    if (sent < 20) kernel.after(1, 3, h, 0, 0);
  });
  kernel.at(0, 3, h, 0, 0);
  let err: unknown;
  try {
    kernel.run(10_000);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DeadlockError);
  return { err: err as DeadlockError, sent };
}

/** Core 0 of a 3x1 mesh sends `n` packets to core 2 as fast as credits allow. */
function burst(depth: number, n: number) {
  const env = makeMesh(3, 1, { bufferDepth: depth, routerDelay: 1, linkDelay: 1, creditDelay: 1 });
  const { kernel, mesh } = env;
  const injected: number[] = [];
  let sent = 0;
  const trySend = (): void => {
    while (sent < n && mesh.canInject(0)) {
      mesh.inject(0, 2, sent, 1);
      injected.push(kernel.now);
      sent++;
    }
  };
  // Injection opportunities: every cycle while the burst lasts (the core's queue pops one per cycle).
  const h = kernel.register(() => {
    trySend();
    if (sent < n) kernel.after(1, 3, h, 0, 0);
  });
  kernel.at(0, 3, h, 0, 0);
  kernel.run();
  return { ...env, injected };
}

describe('backpressure and credits', () => {
  it('a depth-1 buffer meeting a burst: one flit per credit round trip (rd + ld + cd = 3 cycles)', () => {
    const { mesh, deliveries, injected, credits } = burst(1, 4);
    // Injection waits for the local credit: granted at 1, 4, 7 -> credit back at 2, 5, 8.
    expect(injected).toEqual([0, 2, 5, 8]);
    expect(credits.map(([e, c]) => [e, c])).toEqual([
      [0, 2],
      [0, 5],
      [0, 8],
      [0, 11],
    ]);
    expect(deliveries.map((d) => d.cycle)).toEqual([6, 9, 12, 15]);
    // Packets 1..3 each wait one cycle at router 0 for the east credit.
    expect(deliveries.map((d) => d.blocked)).toEqual([0, 1, 1, 1]);
    const c = mesh.counters().components;
    expect(c['router.0']!.counts['creditStalls']).toBe(3);
    expect(c['router.1']!.counts['creditStalls']).toBe(0);
    expect(c['router.0']!.counts['linkFlits']).toBe(4);
    expect(c['router.2']!.counts['packetsEjected']).toBe(4);
    // Router 0 holds a flit during cycles 1, 3-4, 6-7, 9-10.
    expect(c['router.0']!.counts['activeCycles']).toBe(7);
  });

  it('a buffer as deep as the credit round trip streams one flit per cycle without stalls', () => {
    const { mesh, deliveries, injected } = burst(3, 6);
    expect(injected).toEqual([0, 1, 2, 3, 4, 5]);
    expect(deliveries.map((d) => d.cycle)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(deliveries.every((d) => d.blocked === 0)).toBe(true);
    expect(mesh.routerCounters.total('creditStalls')).toBe(0);
  });

  it('inject without a credit throws and canInject allows one flit per cycle per lane', () => {
    const { kernel, mesh } = makeMesh(2, 1, { bufferDepth: 2 });
    atCycle(kernel, 0, () => {
      expect(mesh.canInject(0)).toBe(true);
      mesh.inject(0, 1, 0, 0);
      expect(mesh.canInject(0)).toBe(false);
      expect(() => mesh.inject(0, 1, 0, 0)).toThrow(/no injection credit/);
    });
    kernel.run();
  });

  it('the watchdog stops a blocked network and names the stuck buffers', () => {
    const { err, sent } = blockedRun(false);
    const d = err;
    expect(d.stuck).toEqual([
      { component: 'router.0', buffer: 'in.L', occupancy: 4, capacity: 4 },
      { component: 'router.1', buffer: 'in.W', occupancy: 4, capacity: 4 },
    ]);
    expect(d.idleCycles).toBe(51);
    expect(d.message).toMatch(/^deadlock: no progress for 51 cycles at cycle \d+; stuck buffers: router.0 in.L 4\/4, router.1 in.W 4\/4$/);
    expect(sent).toBe(8);
  });

  it('the VC router names its stuck buffers with port and VC', () => {
    const { err } = blockedRun(true);
    // As with one lane: the held core 1 fills router 1's West input and then router 0's local input, here both VCs of each.
    expect(err.stuck).toEqual([
      { component: 'router.0', buffer: 'in.L.vc0', occupancy: 4, capacity: 4 },
      { component: 'router.0', buffer: 'in.L.vc1', occupancy: 4, capacity: 4 },
      { component: 'router.1', buffer: 'in.W.vc0', occupancy: 4, capacity: 4 },
      { component: 'router.1', buffer: 'in.W.vc1', occupancy: 4, capacity: 4 },
    ]);
  });

  it('releasing a held endpoint drains the network', () => {
    const { kernel, mesh, deliveries } = makeMesh(2, 1, { bufferDepth: 2, watchdogCycles: 0 });
    mesh.holdEjection(1, true);
    atCycle(kernel, 0, () => mesh.inject(0, 1, 1, 1));
    atCycle(kernel, 1, () => mesh.inject(0, 1, 2, 1));
    kernel.run(100);
    expect(deliveries).toHaveLength(0);
    expect(mesh.flitsInNetwork).toBe(2);
    // Released in phase 3 of cycle 200, after that cycle's arbitration: granted at 201, delivered at 202.
    atCycle(kernel, 200, () => mesh.holdEjection(1, false));
    kernel.run(1000);
    expect(deliveries.map((d) => [d.axon, d.cycle])).toEqual([
      [1, 202],
      [2, 203],
    ]);
  });
});
