/**
 * The chip's skipped work (input-load replay, idle steps without events, the lean
 * router: credits without events, uncontested flits arbitrated on arrival or at injection,
 * last hops decided one hop before, a cycle's arrivals and ticks run from lists, routers
 * asleep while their tick would grant nothing; pass ends told ahead) and the kernel's
 * time-origin moves (Kernel.rebase, every sample here) change no
 * result: on random small experiments, a chip with the fast paths and one that
 * simulates every event agree after every sample on states, spikes, weights, every
 * counter of every component, link loads, cycles and step boundaries. Inputs come
 * from a small pool so that loads repeat and replays happen; the test also checks
 * that both fast paths actually ran.
 */
import { ChipEngine } from '../../../src/chip/chip-engine';
import { wordsFor } from '../../../src/kernels';
import { snapshotsEqual } from '../../../src/store/weights-file';
import { rngStream } from '../../../src/util/rng';
import { randomExperiment } from '../../differential/configs';

const SEEDS = Array.from({ length: 30 }, (_, i) => 300 + i);

describe('chip fast paths give the same results as simulating every event', () => {
  let hits = 0;
  let idle = 0;
  let rebased = 0;
  let wakeups = 0;
  let ahead = 0;
  let passes = 0;
  let lastHops = 0;
  let slept = 0;
  test.each(SEEDS)('random config %i', (seed) => {
    const { model, chip, mapping, label } = randomExperiment(seed);
    const fast = new ChipEngine(model, chip, seed, { mapping });
    const slow = new ChipEngine(model, chip, seed, { mapping, speed: { replayLoads: false, skipIdleSteps: false, rebaseTime: false, leanNetwork: false } });
    const rng = rngStream(seed, 'fast-paths');
    const n = model.network.inputs;
    const pool = [0, 1, 2].map(() => {
      const v = new Uint32Array(wordsFor(n));
      for (let j = 0; j < n; j++) if (rng.below(3) === 0) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
      return v;
    });
    for (let s = 0; s < 12; s++) {
      const input = pool[rng.below(pool.length)] as Uint32Array;
      const y = rng.below(model.network.classes);
      const mode = s % 4 === 3 ? ({ learn: false } as const) : ({ learn: true, betaSign: rng.below(2) === 1 ? 1 : -1 } as const);
      const a = fast.runSample(input, y, mode).prediction;
      const b = slow.runSample(input, y, mode).prediction;
      const where = `${label}, sample ${s}`;
      expect([where, a]).toEqual([where, b]);
      expect([where, snapshotsEqual(fast.snapshot(), slow.snapshot())]).toEqual([where, true]);
      expect([where, fast.counters()]).toEqual([where, slow.counters()]);
      expect([where, fast.lastSample]).toEqual([where, slow.lastSample]);
      expect([where, fast.chip.mesh.linkLoads()]).toEqual([where, slow.chip.mesh.linkLoads()]);
      expect([where, Array.from(fast.chip.stepStarts.subarray(0, fast.chip.stepCount))]).toEqual([where, Array.from(slow.chip.stepStarts.subarray(0, slow.chip.stepCount))]);
      expect([where, Array.from(fast.chip.stepEnds.subarray(0, fast.chip.stepCount))]).toEqual([where, Array.from(slow.chip.stepEnds.subarray(0, slow.chip.stepCount))]);
      expect([where, fast.chip.mesh.packetsInjected]).toEqual([where, slow.chip.mesh.packetsInjected]);
    }
    expect(slow.chip.idleSteps).toBe(0);
    expect(slow.chip.loadReplay).toBeNull();
    expect(slow.chip.timeBase).toBe(0);
    if (fast.chip.timeBase > 0) rebased++;
    wakeups += fast.chip.mesh.creditWakeups;
    expect(slow.chip.mesh.creditWakeups).toBe(0);
    ahead += fast.chip.mesh.arrivalsAhead;
    expect(slow.chip.mesh.arrivalsAhead).toBe(0);
    passes += fast.chip.passesAhead;
    lastHops += fast.chip.mesh.lastHopsAhead;
    expect(slow.chip.mesh.lastHopsAhead).toBe(0);
    slept += fast.chip.mesh.ticksSlept;
    expect(slow.chip.mesh.ticksSlept).toBe(0);
    expect(slow.chip.passesAhead).toBe(0);
    hits += fast.chip.loadReplay?.hits ?? 0;
    idle += fast.chip.idleSteps;
  });
  test('the fast paths ran', () => {
    expect(hits).toBeGreaterThan(20);
    expect(idle).toBeGreaterThan(20);
    expect(rebased).toBeGreaterThan(5);
    expect(wakeups).toBeGreaterThan(20);
    expect(ahead).toBeGreaterThan(1000);
    expect(passes).toBeGreaterThan(1000);
    expect(lastHops).toBeGreaterThan(1000);
    expect(slept).toBeGreaterThan(100);
  });
});
