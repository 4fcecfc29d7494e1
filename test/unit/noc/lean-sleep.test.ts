/**
 * The lean single-lane router's batches and sleeping routers (single-lane-path.ts: a
 * cycle's arrivals and ticks run from per-cycle lists; a router whose tick granted
 * nothing sleeps until a credit it waits for is back, a flit enters, a hold is released
 * or the watchdog's deadline) give exactly the deliveries, counters and link loads of
 * the router that simulates every arrival and tick as an event: on random congested
 * traffic (fast-check, fixed seed), with counters read in the middle of a run, with an
 * ejection held and released, and when a held ejection deadlocks the mesh (the
 * watchdog trips in the same cycle with the same report).
 */
import fc from 'fast-check';
import { Kernel } from '../../../src/sim/kernel';
import { DeadlockError } from '../../../src/sim/watchdog';
import { Mesh } from '../../../src/chip/noc/mesh';
import type { NocParams } from '../../../src/hw/noc-params';
import { packetBits } from '../../../src/hw/packet';

const SEED = 20261203;

interface Traffic {
  width: number;
  height: number;
  noc: NocParams;
  /** Per packet: [cycle it becomes ready, source endpoint, destination endpoint] (endpoint W*H = the I/O port). */
  packets: Array<[number, number, number]>;
}

interface Outcome {
  deliveries: string[];
  counters: unknown;
  links: number[];
  slept: number;
  /**
   * Credit stalls per router read when the run was paused at `stopAt` (sleeping routers
   * count their skipped ticks on reading). Only those: the lean router counts a delivery
   * at its grant, and a flit decided at injection one cycle early, so other counters may
   * run ahead midway.
   */
  midway: number[];
}

/**
 * Run `t` on a fresh mesh, lean or not: each endpoint injects its packets in order, one
 * per cycle at most, when it has a credit (waiting for onCredit after awaitCredit
 * otherwise). `hold`: ejection of that endpoint held from the start and released at
 * cycle `release` (never when -1). `stopAt`: also read the counters there (run paused).
 */
function simulate(t: Traffic, lean: boolean, stopAt: number, hold: { e: number; release: number } | null = null): Outcome {
  const kernel = new Kernel();
  const { width, height } = t;
  const mesh = new Mesh(kernel, { width, height, noc: t.noc, io: { x: 0, y: 0, flitsPerCycle: 1 }, packetBits: packetBits(width, height, 64) });
  const E = width * height + 1;
  const todo: Array<Array<[number, number, number]>> = Array.from({ length: E }, () => []);
  t.packets.forEach(([c, s, d], k) => todo[s]!.push([c, d, k]));
  const next = new Int32Array(E);
  const waiting = new Uint8Array(E);
  const scheduledAt = new Float64Array(E).fill(-1);
  const deliveries: string[] = [];
  const hTry = kernel.register((e, _b, c) => {
    scheduledAt[e] = -1;
    const list = todo[e]!;
    const k = next[e]!;
    if (k >= list.length) return;
    const [ready, dst, id] = list[k]!;
    if (ready > c) return schedule(e, ready);
    if (!mesh.canInject(e)) {
      waiting[e] = 1;
      mesh.awaitCredit(e);
      return;
    }
    mesh.inject(e, dst, id, 1);
    next[e] = k + 1;
    if (k + 1 < list.length) schedule(e, Math.max(c + 1, list[k + 1]![0]));
  });
  function schedule(e: number, c: number): void {
    if (scheduledAt[e] >= 0 && scheduledAt[e] <= c) return;
    scheduledAt[e] = c;
    kernel.at(c, 3, hTry, e, 0);
  }
  mesh.attach({
    onEject: (dst, axon, _bit, f, cycle) => deliveries.push(`#${axon} ${mesh.flitSource(f)}->${dst} at ${cycle} hops ${mesh.flitHops(f)} blocked ${mesh.flitBlocked(f)}`),
    onCredit: (e, cycle) => {
      if (waiting[e] !== 1) return;
      waiting[e] = 0;
      schedule(e, cycle);
    },
  });
  mesh.setLean(lean);
  for (let e = 0; e < E; e++) if (todo[e]!.length > 0) schedule(e, todo[e]![0]![0]);
  if (hold !== null) {
    mesh.holdEjection(hold.e, true);
    if (hold.release >= 0) {
      const h = kernel.register(() => mesh.holdEjection(hold.e, false));
      kernel.at(hold.release, 3, h, 0, 0);
    }
  }
  kernel.run(stopAt);
  const midway = Object.values(mesh.counters().components)
    .filter((c) => c.kind === 'router')
    .map((c) => c.counts['creditStalls'] as number);
  kernel.run();
  deliveries.sort();
  return { deliveries, counters: mesh.counters(), links: mesh.linkLoads().map((l) => l.flits), slept: mesh.ticksSlept, midway };
}

const trafficArb: fc.Arbitrary<Traffic> = fc
  .record({
    width: fc.integer({ min: 2, max: 6 }),
    height: fc.integer({ min: 1, max: 5 }),
    bufferDepth: fc.integer({ min: 1, max: 4 }),
    routerDelay: fc.integer({ min: 1, max: 3 }),
    linkDelay: fc.integer({ min: 1, max: 2 }),
    // Credit delays past the per-cycle lists' reach (routerDelay + linkDelay) wake routers by kernel events.
    creditDelay: fc.integer({ min: 1, max: 9 }),
    hotspots: fc.integer({ min: 1, max: 3 }),
    picks: fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.nat(), fc.nat(), fc.boolean()), { minLength: 20, maxLength: 160 }),
  })
  .map(({ width, height, bufferDepth, routerDelay, linkDelay, creditDelay, hotspots, picks }) => {
    const E = width * height + 1;
    // Most packets go to a few hot cores: queues build up and routers wait for credits.
    const packets = picks.map(([c, s, d, hot]): [number, number, number] => [c, s % E, hot ? d % Math.min(hotspots, E) : d % E]);
    return { width, height, noc: { bufferDepth, routerDelay, linkDelay, creditDelay, watchdogCycles: 1000 }, packets };
  });

describe('lean single-lane router: per-cycle batches and sleeping routers', () => {
  test(`random congested traffic: same deliveries, counters (credit stalls also midway) and link loads as every event simulated (fast-check seed ${SEED})`, () => {
    let slept = 0;
    fc.assert(
      fc.property(trafficArb, fc.integer({ min: 5, max: 80 }), (t, stopAt) => {
        const slow = simulate(t, false, stopAt);
        const fast = simulate(t, true, stopAt);
        expect(fast.deliveries).toEqual(slow.deliveries);
        expect(fast.deliveries).toHaveLength(t.packets.length);
        expect(fast.counters).toEqual(slow.counters);
        expect(fast.links).toEqual(slow.links);
        expect(fast.midway).toEqual(slow.midway);
        expect(slow.slept).toBe(0);
        slept += fast.slept;
      }),
      { numRuns: 60, seed: SEED },
    );
    // The sleeping path ran.
    expect(slept).toBeGreaterThan(100);
  });

  const hot: Traffic = {
    width: 4,
    height: 3,
    noc: { bufferDepth: 2, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 300 },
    packets: Array.from({ length: 60 }, (_v, k): [number, number, number] => [k % 7, (k * 5) % 13, k % 3 === 0 ? 6 : 1]),
  };

  test('an ejection held until cycle 200, then released: same outcome, the waiting routers slept', () => {
    const slow = simulate(hot, false, 150, { e: 1, release: 200 });
    const fast = simulate(hot, true, 150, { e: 1, release: 200 });
    expect(fast).toEqual({ ...slow, slept: fast.slept });
    expect(fast.deliveries).toHaveLength(60);
    expect(fast.slept).toBeGreaterThan(500);
  });

  test('an ejection held for ever: the watchdog trips in the same cycle with the same report', () => {
    const trip = (lean: boolean): DeadlockError => {
      try {
        simulate(hot, lean, 10, { e: 1, release: -1 });
      } catch (e) {
        if (e instanceof DeadlockError) return e;
        throw e;
      }
      throw new Error('no deadlock reported');
    };
    const slow = trip(false);
    const fast = trip(true);
    expect(fast.message).toBe(slow.message);
    expect(fast.cycle).toBe(slow.cycle);
    expect(fast.stuck).toEqual(slow.stuck);
    expect(slow.cycle).toBeGreaterThan(300);
  });
});
