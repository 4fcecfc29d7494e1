import fc from 'fast-check';
import { Kernel, PHASES } from '../../../src/sim/kernel';
import { EventQueue, RING_CYCLES } from '../../../src/sim/event-queue';

describe('Kernel', () => {
  it('runs events in (cycle, phase, seq) order, FIFO among equal (cycle, phase)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * RING_CYCLES }), fc.integer({ min: 0, max: PHASES - 1 })), {
          maxLength: 200,
        }),
        (times) => {
          const k = new Kernel();
          const seen: number[] = [];
          const h = k.register((a) => seen.push(a));
          times.forEach(([c, p], i) => k.at(c, p, h, i, 0));
          expect(k.run()).toBe('empty');
          const expected = times
            .map(([c, p], i) => ({ c, p, i }))
            .sort((x, y) => x.c - y.c || x.p - y.p || x.i - y.i)
            .map((e) => e.i);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it('orders events scheduled from handlers, including far-future ones, by (cycle, phase, seq)', () => {
    // Each handler schedules children at random offsets; a naive sorted list is the oracle.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 * RING_CYCLES + 5 }), { minLength: 1, maxLength: 60 }), (offsets) => {
        const k = new Kernel();
        const log: string[] = [];
        let next = 0;
        const oracle: { c: number; p: number; s: number; id: number }[] = [];
        let seq = 0;
        const h = k.register((id, depth, c) => {
          log.push(`${c}:${k.phase}:${id}`);
          if (depth < 2 && next < offsets.length) {
            const off = offsets[next++] as number;
            const p = off === 0 ? Math.min(PHASES - 1, k.phase + (id % 2)) : id % PHASES;
            const child = 1000 + next;
            oracle.push({ c: c + off, p, s: seq++, id: child });
            k.at(c + off, p, h, child, depth + 1);
          }
        });
        for (let i = 0; i < 5; i++) {
          oracle.push({ c: i * 7, p: i % PHASES, s: seq++, id: i });
          k.at(i * 7, i % PHASES, h, i, 0);
        }
        k.run();
        const order = oracle.sort((a, b) => a.c - b.c || a.p - b.p || a.s - b.s).map((e) => `${e.c}:${e.p}:${e.id}`);
        expect(log).toEqual(order);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('refuses events in the past and stops at a cycle limit', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const h = k.register((a, _b, c) => {
      seen.push(c);
      if (a === 1) expect(() => k.at(c, 0, h, 0, 0)).toThrow(/past/);
    });
    k.at(5, 2, h, 1, 0);
    k.at(50, 0, h, 0, 0);
    expect(k.run(20)).toBe('limit');
    expect(k.now).toBe(20);
    expect(seen).toEqual([5]);
    expect(() => k.at(19, 0, h, 0, 0)).toThrow(/past/);
    expect(k.run()).toBe('empty');
    expect(seen).toEqual([5, 50]);
  });

  it('stop() returns after the current event and keeps the rest in order', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const h = k.register((a) => {
      seen.push(a);
      if (a === 2) k.stop();
    });
    for (let i = 0; i < 5; i++) k.at(3, 1, h, i, 0);
    expect(k.run()).toBe('stopped');
    expect(seen).toEqual([0, 1, 2]);
    k.run();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('jumps over idle time: cost follows events, not cycles', () => {
    const k = new Kernel();
    let n = 0;
    const h = k.register((a) => {
      n++;
      if (a > 0) k.after(1_000_000, 0, h, a - 1, 0);
    });
    k.at(0, 0, h, 100, 0);
    k.run();
    expect(n).toBe(101);
    expect(k.now).toBe(100_000_000);
    expect(k.eventsExecuted).toBe(101);
  });

  it('counts each cycle that ran events once, also across a stop inside a cycle', () => {
    const k = new Kernel();
    const h = k.register((a) => {
      if (a === 1) k.stop();
    });
    for (const [c, a] of [[3, 0], [3, 1], [3, 0], [5, 0], [9, 0], [9, 0]] as const) k.at(c, 0, h, a, 0);
    expect(k.run()).toBe('stopped');
    expect(k.cyclesWithEvents).toBe(1);
    k.run();
    expect(k.cyclesWithEvents).toBe(3);
    expect(k.eventsExecuted).toBe(6);
  });

  it('rebase moves the time origin back to a multiple of RING_CYCLES, tells the hooks, and refuses with events pending', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const h = k.register((_a, _b, c) => seen.push(c));
    const shifts: number[] = [];
    k.onRebase((d) => shifts.push(d));
    k.at(3 * RING_CYCLES + 7, 0, h, 0, 0);
    k.run();
    k.watchdog.progress();
    expect(k.rebase()).toBe(3 * RING_CYCLES);
    expect(shifts).toEqual([3 * RING_CYCLES]);
    expect(k.now).toBe(7);
    expect(k.watchdog.lastProgress).toBe(7);
    // Events after a rebase run at the new numbering, in order, near and far.
    k.at(9, 1, h, 0, 0);
    k.at(8, 0, h, 0, 0);
    k.at(7 + 2 * RING_CYCLES, 0, h, 0, 0);
    expect(() => k.rebase()).toThrow(/no event pending/);
    k.run();
    expect(seen).toEqual([3 * RING_CYCLES + 7, 8, 9, 7 + 2 * RING_CYCLES]);
    expect(k.cyclesWithEvents).toBe(4);
    expect(() => k.at(7 + 2 * RING_CYCLES - 1, 0, h, 0, 0)).toThrow(/past/);
    // Below one ring of cycles there is nothing to move.
    const k2 = new Kernel();
    expect(k2.rebase()).toBe(0);
  });

  it('the event queue itself refuses a rebase with events pending, by a delta off the ring, or past its window start', () => {
    const q = new EventQueue();
    q.moveTo(2 * RING_CYCLES + 5);
    expect(() => q.rebase(RING_CYCLES + 1)).toThrow(`event queue rebase by ${RING_CYCLES + 1} at window start ${2 * RING_CYCLES + 5} with 0 events`);
    expect(() => q.rebase(3 * RING_CYCLES)).toThrow(/event queue rebase/);
    q.push(2 * RING_CYCLES + 6, 0, 0, 0, 0);
    expect(() => q.rebase(RING_CYCLES)).toThrow(`with 1 events`);
    const empty = new EventQueue();
    empty.moveTo(RING_CYCLES + 3);
    empty.rebase(RING_CYCLES);
    expect(empty.windowStart).toBe(3);
  });
});
