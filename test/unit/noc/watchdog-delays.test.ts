import { makeMesh } from './helpers';
import { DeadlockError } from '../../../src/sim/watchdog';
import type { NocParams } from '../../../src/hw/noc-params';

/**
 * The watchdog counts only cycles in which progress was possible: waiting for a
 * credit or a flit that is already on its way is not a deadlock, however long the
 * configured delays are compared with noc.watchdogCycles (docs/timing-model.md,
 * "Deadlock watchdog").
 */
function burst(noc: Partial<NocParams>, vc: boolean, n = 6): { delivered: number[]; err: unknown } {
  const { kernel, mesh, deliveries } = makeMesh(3, 1, { bufferDepth: 1, watchdogCycles: 10, ...noc }, undefined, vc);
  // Routers 0 and 1 both send to router 2: router 1's east output is shared, so flits wait there for credits.
  let sent = 0;
  const h = kernel.register(() => {
    for (const src of [0, 1]) if (sent < n && mesh.canInject(src)) mesh.inject(src, 2, sent++, 1);
    if (sent < n) kernel.after(1, 3, h, 0, 0);
  });
  kernel.at(0, 3, h, 0, 0);
  let err: unknown = null;
  try {
    kernel.run(1_000_000);
  } catch (e) {
    err = e;
  }
  return { delivered: deliveries.map((d) => d.axon).sort((a, b) => a - b), err };
}

const SLOW: [string, Partial<NocParams>][] = [
  ['creditDelay 200', { creditDelay: 200 }],
  ['routerDelay 50 + linkDelay 60', { routerDelay: 50, linkDelay: 60 }],
];
const SLOW_VC: [string, Partial<NocParams>][] = [
  ...SLOW,
  ['routeDelay 40, vcAllocDelay 30, switchAllocDelay 20', { vcs: 2, routeDelay: 40, vcAllocDelay: 30, switchAllocDelay: 20 }],
  ['injectionDelay 70', { vcs: 2, injectionDelay: 70 }],
  ['ejectionDelay 90 with a finite ejection buffer', { vcs: 2, ejectionDelay: 90, ejectionDepth: 1, creditDelay: 30 }],
];

describe('watchdog shorter than the network delays (watchdogCycles 10)', () => {
  it.each(SLOW)('wormhole router, %s: every packet arrives, no deadlock reported', (_name, noc) => {
    const { delivered, err } = burst(noc, false, 8);
    expect(err).toBeNull();
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
  it.each(SLOW_VC)('VC router, %s: every packet arrives, no deadlock reported', (_name, noc) => {
    const { delivered, err } = burst(noc, true, 8);
    expect(err).toBeNull();
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it.each([false, true])('a real block still trips it with creditDelay 200 (VC router %s)', (vc) => {
    const { kernel, mesh } = makeMesh(2, 1, { bufferDepth: 2, watchdogCycles: 10, creditDelay: 200 }, undefined, vc);
    mesh.holdEjection(1, true);
    let sent = 0;
    const h = kernel.register(() => {
      if (mesh.canInject(0)) mesh.inject(0, 1, sent++, 0);
      if (sent < 20) kernel.after(1, 3, h, 0, 0);
    });
    kernel.at(0, 3, h, 0, 0);
    expect(() => kernel.run(100_000)).toThrow(DeadlockError);
  });
});
