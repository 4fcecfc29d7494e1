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
});
