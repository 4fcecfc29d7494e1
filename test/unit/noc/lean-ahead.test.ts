/**
 * The lean single-lane router's decisions taken ahead (a core flit's arrival at its
 * own router decided at injection, the last hop decided one hop before) give the
 * deliveries and counters of the router that simulates every arrival, when two flits
 * meet at their destination router in the same cycle: one injected by a neighbour
 * core in the cycle another flit's last hop could have been decided.
 */
import { Kernel } from '../../../src/sim/kernel';
import { Mesh } from '../../../src/chip/noc/mesh';
import { packetBits } from '../../../src/hw/packet';

interface Run {
  deliveries: string[];
  counters: unknown;
  ahead: number;
  lastHops: number;
}

/** 4x1 mesh, I/O port at (3, 0); `plan` = [cycle, src, dst] injections in phase 3; the client tells truthfully which cores are quiet. */
function run(lean: boolean, plan: Array<[number, number, number]>): Run {
  const kernel = new Kernel();
  const mesh = new Mesh(kernel, {
    width: 4,
    height: 1,
    noc: { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 1000 },
    io: { x: 3, y: 0, flitsPerCycle: 1 },
    packetBits: packetBits(4, 1, 64),
  });
  const deliveries: string[] = [];
  const done = new Set<number>();
  mesh.attach({
    onEject: (dst, axon, _bit, f, cycle) => deliveries.push(`${mesh.flitSerial(f)}: ${mesh.flitSource(f)}->${dst} axon ${axon} at ${cycle} blocked ${mesh.flitBlocked(f)}`),
    onCredit: () => undefined,
    ioDone: () => true,
    quietBefore: (e, cycle) => plan.every(([c, src], k) => done.has(k) || src !== e || c >= cycle),
  });
  mesh.setLean(lean);
  plan.forEach(([c, src, dst], k) => {
    const h = kernel.register(() => {
      done.add(k);
      mesh.inject(src, dst, k, 1);
    });
    kernel.at(c, 3, h, 0, 0);
  });
  kernel.run();
  deliveries.sort();
  return { deliveries, counters: mesh.counters(), ahead: mesh.arrivalsAhead, lastHops: mesh.lastHopsAhead };
}

describe('lean router decisions taken ahead', () => {
  test.each([
    ['two neighbours of router 1 inject for it in the same cycle', [[5, 0, 1], [5, 2, 1]]],
    ['the second neighbour injects first', [[5, 2, 1], [5, 0, 1]]],
    ['a flit from the I/O port meets a neighbour core flit at router 1', [[2, 4, 1], [5, 0, 1]]],
    ['a two-hop flit and a one-hop flit to router 1 in the same cycle', [[4, 3, 1], [5, 0, 1]]],
    ['one flit alone, two hops', [[5, 3, 1]]],
  ] as Array<[string, Array<[number, number, number]>]>)('%s', (_name, plan) => {
    const slow = run(false, plan);
    const fast = run(true, plan);
    expect(fast.deliveries).toEqual(slow.deliveries);
    expect(fast.counters).toEqual(slow.counters);
    expect(slow.ahead + slow.lastHops).toBe(0);
  });

  test('the ahead paths run: a lone two-hop core flit is decided at injection and its last hop one hop before', () => {
    const fast = run(true, [[5, 3, 1]]);
    expect(fast.ahead).toBe(1);
    expect(fast.lastHops).toBe(1);
    expect(fast.deliveries).toEqual(['0: 3->1 axon 0 at 11 blocked 0']);
  });
});
