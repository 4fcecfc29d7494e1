import { CounterTable } from '../../../src/sim/counters';
import { Kernel } from '../../../src/sim/kernel';
import { DeadlockError } from '../../../src/sim/watchdog';

describe('CounterTable', () => {
  it('keeps named counters per component and snapshots them', () => {
    const t = new CounterTable('router', ['router.0', 'router.1'], ['a', 'b']);
    t.values[1 * t.stride + t.index('b')] += 3;
    t.values[0 * t.stride + t.index('a')] += 2;
    expect(t.get(1, 'b')).toBe(3);
    expect(t.total('a')).toBe(2);
    expect(t.snapshot()).toEqual({
      components: {
        'router.0': { kind: 'router', counts: { a: 2, b: 0 } },
        'router.1': { kind: 'router', counts: { a: 0, b: 3 } },
      },
    });
    expect(() => t.index('c')).toThrow(/not declared/);
    t.reset();
    expect(t.total('b')).toBe(0);
  });
});

describe('Watchdog', () => {
  it('trips only when waiting components see no progress for more than the limit', () => {
    const k = new Kernel();
    k.watchdog.limit = 10;
    k.watchdog.addReporter(() => [{ component: 'x.0', buffer: 'q', occupancy: 1, capacity: 2 }]);
    const waiter = k.register((a, _b, c) => {
      if (a === 1) k.watchdog.progress();
      k.watchdog.check();
      if (c < 100) k.after(1, 0, waiter, c === 5 ? 1 : 0, 0);
    });
    k.at(0, 0, waiter, 0, 0);
    expect(() => k.run()).toThrow(DeadlockError);
    // Last progress at cycle 6 (the event scheduled at 5 carries a = 1); trips at 6 + 11.
    expect(k.now).toBe(17);
    const k2 = new Kernel();
    k2.watchdog.limit = 0;
    const w2 = k2.register((_a, _b, c) => {
      k2.watchdog.check();
      if (c < 100) k2.after(1, 0, w2, 0, 0);
    });
    k2.at(0, 0, w2, 0, 0);
    expect(k2.run()).toBe('empty');
  });

  it('counts progress recorded ahead (progressLater) only from its cycle and phase on, as progress() called there', () => {
    // A waiter checks in phase 1 of every cycle and makes progress at cycle 5; at cycle 6 it
    // records progress at (16, phase) ahead. Without the mark the watchdog trips at 5 + 11 = 16.
    // A mark at (16, 5) comes after the check at (16, 1), so that check still trips; a mark at
    // (16, 0) precedes it, so the next trip is at 16 + 11.
    const trips = (phase: number): number => {
      const k = new Kernel();
      k.watchdog.limit = 10;
      const waiter = k.register((_a, _b, c) => {
        if (c === 5) k.watchdog.progress();
        if (c === 6 && phase >= 0) k.watchdog.progressLater(16, phase);
        k.watchdog.check();
        if (c < 100) k.after(1, 1, waiter, 0, 0);
      });
      k.at(0, 1, waiter, 0, 0);
      expect(() => k.run()).toThrow(DeadlockError);
      return k.now;
    };
    expect(trips(-1)).toBe(16);
    expect(trips(5)).toBe(16);
    expect(trips(0)).toBe(27);
    // lastProgress counts the marks up to the current cycle.
    const k = new Kernel();
    k.watchdog.limit = 10;
    const h = k.register((_a, _b, c) => {
      if (c === 2) k.watchdog.progressLater(30, 0);
      if (c === 30) expect(k.watchdog.lastProgress).toBe(30);
      k.watchdog.check();
      if (c < 40) k.after(c === 9 ? 21 : 1, 1, h, 0, 0);
    });
    k.at(0, 1, h, 0, 0);
    expect(k.run()).toBe('empty');
    // Marks follow a rebase of the time origin.
    const r = new Kernel();
    const noop = r.register(() => undefined);
    r.at(600, 0, noop, 0, 0);
    r.run();
    r.watchdog.progressLater(700, 0);
    expect(r.rebase()).toBe(512);
    r.at(188, 1, noop, 0, 0);
    r.run();
    expect(r.watchdog.lastProgress).toBe(188);
  });
});
