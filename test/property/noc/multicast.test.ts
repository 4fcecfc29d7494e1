import fc from 'fast-check';
import type { NocParams } from '../../../src/hw/noc-params';
import { makeMesh } from '../../unit/noc/helpers';

const SEED = 7027;

interface Case {
  w: number;
  h: number;
  noc: Partial<NocParams>;
  /** (cycle, source, destination set, multicast?) */
  msgs: { cycle: number; src: number; dsts: number[]; mc: boolean }[];
}

const scenario = fc
  .record({
    w: fc.integer({ min: 1, max: 5 }),
    h: fc.integer({ min: 1, max: 4 }),
    vcs: fc.integer({ min: 1, max: 3 }),
    depth: fc.integer({ min: 1, max: 4 }),
    flitWidth: fc.constantFrom(0, 8, 12, 40),
    separable: fc.boolean(),
    rd: fc.integer({ min: 1, max: 2 }),
    cd: fc.integer({ min: 1, max: 3 }),
    raw: fc.array(fc.tuple(fc.nat(40), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.boolean()), { maxLength: 60 }),
  })
  .map((r): Case => {
    const n = r.w * r.h;
    return {
      w: r.w,
      h: r.h,
      noc: {
        vcs: r.vcs,
        bufferDepth: r.depth,
        flitWidth: r.flitWidth === 0 ? 0 : Math.max(r.flitWidth, n + 1),
        vcAllocator: r.separable ? 'separable-input-first' : 'combined',
        routerDelay: r.rd,
        creditDelay: r.cd,
        multicast: 'tree',
      },
      msgs: r.raw.map(([cycle, s, ds, mc]) => ({ cycle, src: s % n, dsts: [...new Set(ds.map((d) => d % n))], mc })),
    };
  });

describe('XY-tree multicast', () => {
  it(`every destination receives each packet exactly once, nothing is left in the network, and saved + sent link flits = unicast link flits (fast-check seed ${SEED})`, () => {
    process.stdout.write(`fast-check seed ${SEED}\n`);
    fc.assert(
      fc.property(scenario, (c) => {
        const { kernel, mesh, deliveries } = makeMesh(c.w, c.h, { watchdogCycles: 5000, ...c.noc }, { x: 0, y: 0, flitsPerCycle: 1 });
        const queues: Case['msgs'][] = Array.from({ length: c.w * c.h }, () => []);
        const expected = new Map<number, number[]>();
        let unicastLinkFlits = 0;
        const pump = kernel.register((_a, _b, cyc) => {
          for (const m of c.msgs) if (m.cycle === cyc) queues[m.src]!.push(m);
          let waiting = false;
          queues.forEach((q, e) => {
            while (q.length > 0 && mesh.canInject(e)) {
              const m = q.shift()!;
              const tag = expected.size;
              const flits = mesh.flitsOf(m.mc ? mesh.multicastPacketBits : 30);
              for (const d of m.dsts) unicastLinkFlits += mesh.hopsBetween(m.src, d) * flits;
              if (m.mc) {
                mesh.injectMulticast(m.src, m.dsts, 3, 1, tag);
                expected.set(tag, m.dsts.slice().sort((a, b) => a - b));
              } else {
                // Unicast traffic shares the network with the trees.
                mesh.inject(m.src, m.dsts[0]!, 3, 1, tag, 0, 30);
                expected.set(tag, [m.dsts[0]!]);
                unicastLinkFlits -= m.dsts.slice(1).reduce((s, d) => s + mesh.hopsBetween(m.src, d) * flits, 0);
              }
            }
            if (q.length > 0) waiting = true;
          });
          if (waiting || cyc < 40) kernel.after(1, 3, pump, 0, 0);
        });
        kernel.at(0, 3, pump, 0, 0);
        kernel.run();
        expect(mesh.flitsInNetwork).toBe(0);
        const got = new Map<number, number[]>();
        for (const d of deliveries) got.set(d.tag, [...(got.get(d.tag) ?? []), d.dst]);
        for (const [tag, ds] of expected) expect((got.get(tag) ?? []).sort((a, b) => a - b)).toEqual(ds);
        expect(deliveries).toHaveLength([...expected.values()].reduce((s, d) => s + d.length, 0));
        let linkFlits = 0;
        let saved = 0;
        for (const comp of Object.values(mesh.counters().components)) {
          linkFlits += comp.counts['linkFlits'] ?? 0;
          saved += comp.counts['multicastFlitsSaved'] ?? 0;
        }
        expect(linkFlits + saved).toBe(unicastLinkFlits);
      }),
      { numRuns: 120, seed: SEED },
    );
  });
});
