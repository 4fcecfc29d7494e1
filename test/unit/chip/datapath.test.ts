/**
 * The commit stage and output queue alone, against a router port that takes one flit
 * every `gap` cycles: pins C_i = t + offset_i + sum of earlier stalls, stall_i = (cycle
 * its last packet entered the queue) - C_i, and the pass end t + passLength + stalls.
 */
import { CoreDatapath } from '../../../src/chip/core/datapath';
import type { InjectPort } from '../../../src/chip/core/datapath';
import { Kernel } from '../../../src/sim/kernel';

function setup(depth: number, gap: number) {
  const kernel = new Kernel();
  const injected: number[] = [];
  const done: number[] = [];
  let nextFree = 0;
  let dp: CoreDatapath;
  const hCredit = kernel.register((_a, _b, c) => dp.onCredit(c));
  const port: InjectPort = {
    canInject: () => kernel.now >= nextFree,
    inject: () => {
      injected.push(kernel.now);
      nextFree = kernel.now + gap;
      kernel.at(nextFree, 0, hCredit, 0, 0);
    },
  };
  const hCommit = kernel.register((_a, _b, c) => dp.onCommit(c));
  const hDrain = kernel.register((_a, _b, c) => dp.onDrain(c));
  const hDone = kernel.register((_a, _b, c) => dp.onPassDone(c));
  dp = new CoreDatapath(0, kernel, port, { passDone: (_core, c) => done.push(c) }, hCommit, hDrain, hDone, 8, 64, depth);
  return { kernel, dp, injected, done };
}

describe('core datapath', () => {
  test('a queue that never fills: commits at t + offset, flits leave in the commit cycle', () => {
    const { kernel, dp, injected, done } = setup(4, 1);
    dp.beginPass();
    dp.addEntry(3, -1);
    dp.addPacket(1, 10, 1);
    dp.addEntry(5, -1);
    dp.addPacket(2, 11, 0);
    dp.start(100, 7);
    kernel.run();
    expect(injected).toEqual([103, 105]);
    expect(done).toEqual([107]);
    expect(dp.queueStalls).toBe(0);
    expect(dp.packetsQueued).toBe(2);
  });

  test('a full queue stalls the commit stage and delays every later row by as much', () => {
    // depth 2, the port takes one flit every 3 cycles; row 0 (offset 5) sends 4 packets, row 1 (offset 6) one.
    const { kernel, dp, injected, done } = setup(2, 3);
    dp.beginPass();
    dp.addEntry(5, -1);
    for (let k = 0; k < 4; k++) dp.addPacket(k, k, 1);
    dp.addEntry(6, -1);
    dp.addPacket(9, 9, 1);
    dp.start(0, 8);
    kernel.run();
    // p0 leaves at 5 (p2 refills), p1 at 8 (p3 enters: row 0 done, stall 3), row 1 commits at 6 + 3 = 9,
    // finds the queue full, p2 leaves at 11 (row 1's packet enters: stall 2); pass ends at 8 + 3 + 2.
    expect(injected).toEqual([5, 8, 11, 14, 17]);
    expect(dp.queueStalls).toBe(5);
    expect(done).toEqual([13]);
  });

  test('an empty pass ends at t + passLength without a commit event', () => {
    const { kernel, dp, done } = setup(2, 1);
    dp.beginPass();
    dp.start(40, 9);
    expect(kernel.run()).toBe('empty');
    expect(done).toEqual([49]);
    expect(kernel.eventsExecuted).toBe(1);
  });
});
