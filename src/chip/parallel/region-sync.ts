/**
 * One region of a region-parallel run: conservative parallel discrete-event
 * simulation with a lookahead of one cycle. Flits between routers take routerDelay +
 * linkDelay >= 2 cycles and credits creditDelay >= 1, so whatever a region sends
 * another while executing cycle c is due at c + 1 or later. Every region therefore
 * executes the events of the same cycle c (the earliest pending anywhere), then all
 * synchronise (a barrier on shared memory), hand over what crossed a border, and agree
 * on the next cycle; cycles without events anywhere are skipped.
 *
 * Why the results equal a one-thread run's bit for bit: within a cycle and phase, the
 * events of different routers and cores touch disjoint state (a router's buffers,
 * credits, arbiters and counters; a core's registers and queue) and commute; each
 * component's own events keep their order. What a region cannot see is the chip-wide
 * step barrier, so each region publishes its terms of it (cores still committing,
 * packets injected minus delivered here, flits queued, the I/O port streaming): the
 * barrier falls in the first synchronised cycle after which all sums are zero, the
 * cycle the one-thread run stops in (its condition is completed by a delivery or a
 * pass end, events that run in that cycle in some region).
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import type { Chip, ChipRegion } from '../chip';
import type { LaneBorder, SingleLanePath } from '../noc/single-lane-path';
import type { FlitPool } from '../noc/flit-pool';
import {
  CTL_COUNT, CTL_GEN, CTL_WAITERS, KIND_CREDIT, KIND_FLIT, MSG, M_AXON, M_BIT, M_BLOCKED, M_CYCLE, M_DST, M_ENTER, M_HOPS, M_KIND, M_PORT, M_SERIAL, M_SRC, M_TAG,
  RegionFailure, SharedState, S_COMMITTING, S_ERRORS, S_MIN_OUT, S_NEXT, S_OUT, S_OWED, S_PREDICTION, S_QUEUED, S_STREAMING, S_TIME,
} from './shared-state';
import type { RegionPlan } from './plan';

/**
 * Spins on the barrier word before sleeping on it. A sleep and wake-up (Atomics.wait /
 * notify) costs ~100 us; a spin costs ~1 us when every thread has a core of its own,
 * but when the cores are taken (more regions than cores, or other processes keeping
 * them busy: 1-minute load average + regions > cores) a spinning thread holds the
 * core the thread it waits for needs. Measured on the filled 64x64 chip, 2 threads on
 * 2 cores at load ~19 (docs/performance.md): 20,000 spins 0.63x, 2,000 0.74x, none
 * 0.85x of the one-thread speed. Timing only: the results never depend on it.
 */
function spinsFor(regions: number): number {
  const cores = os.availableParallelism();
  return regions <= cores && (os.loadavg()[0] as number) + regions <= cores + 0.5 ? 20000 : 0;
}

/** The synchronisation of one region with the others. */
export class RegionSync implements ChipRegion, LaneBorder {
  readonly ownsIo: boolean;
  remote: Uint8Array = new Uint8Array(0);
  /** Synchronisation rounds so far (barriers passed). */
  rounds = 0;
  /** Wall milliseconds this thread spent in barriers (waiting for the others included). */
  barrierMs = 0;
  private lane: SingleLanePath | null = null;
  /** Per global port: the region of its router. */
  private portRegion: Int32Array = new Int32Array(0);
  private readonly outCount: Int32Array;
  private minOut = Infinity;
  // What the last exchange agreed on.
  private next = Infinity;
  private done = false;
  private prediction = -1;
  private errors = 0;
  private readonly spins: number;

  constructor(
    private readonly shared: SharedState,
    private readonly plan: RegionPlan,
    readonly index: number,
    ioRouter: number,
  ) {
    this.ownsIo = plan.regionOf(ioRouter) === index;
    this.outCount = new Int32Array(shared.regions);
    this.spins = spinsFor(shared.regions);
  }

  /** Regions of the run. */
  get regions(): number {
    return this.shared.regions;
  }

  /** Stop every region at its next synchronisation, reporting `message`. */
  abort(message: string): void {
    this.shared.abort(`region ${this.index}: ${message}`);
  }

  owns(tile: number): boolean {
    return this.plan.regionOf(tile) === this.index;
  }

  /** Attach to the chip built for this region (after its constructor): its mesh sends border traffic here. */
  bind(chip: Chip): void {
    const links = chip.mesh.links;
    this.portRegion = new Int32Array(links.ports);
    this.remote = new Uint8Array(links.ports);
    for (let g = 0; g < links.ports; g++) {
      const r = this.plan.regionOf(links.portRouter[g] as number);
      this.portRegion[g] = r;
      this.remote[g] = r === this.index ? 0 : 1;
    }
    this.lane = chip.mesh.attachBorder(this);
  }

  /** LaneBorder: flit f enters input port g of another region at `cycle`. */
  flit(g: number, f: number, cycle: number, p: FlitPool): void {
    const m = this.put(g, cycle, KIND_FLIT);
    const q = this.shared.msgs;
    q[m + M_SRC] = p.src[f] as number;
    q[m + M_DST] = p.dst[f] as number;
    q[m + M_AXON] = p.axon[f] as number;
    q[m + M_BIT] = p.bit[f] as number;
    q[m + M_TAG] = p.tag[f] as number;
    q[m + M_HOPS] = p.hops[f] as number;
    q[m + M_BLOCKED] = p.blocked[f] as number;
    q[m + M_ENTER] = p.enter[f] as number;
    q[m + M_SERIAL] = p.serial[f] as number;
  }

  /** LaneBorder: a credit for output port g of another region comes back at `cycle`. */
  credit(g: number, cycle: number): void {
    this.put(g, cycle, KIND_CREDIT);
  }

  /** Reserve the next message to port g's region in this round's buffer; returns its index. */
  private put(g: number, cycle: number, kind: number): number {
    const d = this.portRegion[g] as number;
    const k = this.outCount[d] as number;
    if (k >= this.shared.capacity) throw new Error(`region ${this.index}: more than ${this.shared.capacity} border messages to region ${d} in one cycle`);
    this.outCount[d] = k + 1;
    if (cycle < this.minOut) this.minOut = cycle;
    const m = this.shared.msgBase(this.rounds & 1, this.index, d) + k * MSG;
    const q = this.shared.msgs;
    q[m + M_KIND] = kind;
    q[m + M_PORT] = g;
    q[m + M_CYCLE] = cycle;
    return m;
  }

  /** ChipRegion: execute cycle by cycle with the other regions until the chip-wide barrier. */
  runToBarrier(chip: Chip): number {
    const k = chip.kernel;
    this.exchange(chip, -1);
    if (this.done) return k.now;
    for (;;) {
      const c = this.next;
      if (c === Infinity) {
        throw new Error(`chip stopped at cycle ${k.now} before the step barrier: no event left in any region (region ${this.index}: ${chip.coresCommitting} cores committing, ${chip.packetsOwed} packets owed)`);
      }
      k.run(c);
      this.exchange(chip, -1);
      if (this.done) return c;
    }
  }

  /**
   * After a sample: every region learns the I/O port's prediction (from the region that
   * owns it) and the output errors summed over the regions' output blocks, and checks
   * that all agree on the cycle count.
   */
  finishSample(chip: Chip, prediction: number, errors: number): { prediction: number; errors: number } {
    this.exchange(chip, this.ownsIo ? prediction : -1, errors);
    return { prediction: this.prediction, errors: this.errors };
  }

  /** Publish this region's state, pass the barrier, read everyone's and take in the messages addressed here. */
  private exchange(chip: Chip, prediction: number, errors = 0): void {
    const sh = this.shared;
    const P = sh.regions;
    const par = this.rounds & 1;
    const s = sh.slots;
    const mine = sh.slot(par, this.index);
    const nc = chip.kernel.nextCycle;
    s[mine + S_NEXT] = nc < 0 ? Infinity : nc;
    s[mine + S_MIN_OUT] = this.minOut;
    s[mine + S_COMMITTING] = chip.coresCommitting;
    s[mine + S_OWED] = chip.packetsOwed;
    s[mine + S_QUEUED] = chip.flitsQueued;
    s[mine + S_STREAMING] = this.ownsIo && chip.io.streaming ? 1 : 0;
    s[mine + S_PREDICTION] = prediction;
    s[mine + S_TIME] = chip.time;
    s[mine + S_ERRORS] = errors;
    for (let d = 0; d < P; d++) s[mine + S_OUT + d] = this.outCount[d] as number;
    const t0 = performance.now();
    this.barrier();
    this.barrierMs += performance.now() - t0;
    this.rounds++;
    let next = Infinity;
    let committing = 0;
    let owed = 0;
    let queued = 0;
    let streaming = 0;
    this.prediction = -1;
    this.errors = 0;
    for (let r = 0; r < P; r++) {
      const o = sh.slot(par, r);
      next = Math.min(next, s[o + S_NEXT] as number, s[o + S_MIN_OUT] as number);
      committing += s[o + S_COMMITTING] as number;
      owed += s[o + S_OWED] as number;
      queued += s[o + S_QUEUED] as number;
      streaming += s[o + S_STREAMING] as number;
      if ((s[o + S_PREDICTION] as number) >= 0) this.prediction = s[o + S_PREDICTION] as number;
      this.errors += s[o + S_ERRORS] as number;
      if (s[o + S_TIME] !== chip.time) throw new Error(`region ${r} is at cycle ${s[o + S_TIME]} of the sample sequence, region ${this.index} at ${chip.time}`);
    }
    this.next = next;
    this.done = committing === 0 && owed === 0 && queued === 0 && streaming === 0;
    this.outCount.fill(0);
    this.minOut = Infinity;
    // Take in what the others sent here this round (in region order: the order cannot change a result, see above).
    const lane = this.lane as SingleLanePath;
    const q = sh.msgs;
    for (let r = 0; r < P; r++) {
      if (r === this.index) continue;
      const n = s[sh.slot(par, r) + S_OUT + this.index] as number;
      const base = sh.msgBase(par, r, this.index);
      for (let i = 0; i < n; i++) {
        const m = base + i * MSG;
        const g = q[m + M_PORT] as number;
        const cycle = q[m + M_CYCLE] as number;
        if (q[m + M_KIND] === KIND_CREDIT) lane.creditFromBorder(g, cycle);
        else lane.arriveFromBorder(g, cycle, q[m + M_SRC] as number, q[m + M_DST] as number, q[m + M_AXON] as number, q[m + M_BIT] as number, q[m + M_TAG] as number, q[m + M_HOPS] as number, q[m + M_BLOCKED] as number, q[m + M_ENTER] as number, q[m + M_SERIAL] as number);
      }
    }
  }

  /** Sense-counting barrier of all regions: spin, then sleep; throws when some thread failed. */
  private barrier(): void {
    const sh = this.shared;
    const ctl = sh.ctl;
    const gen = Atomics.load(ctl, CTL_GEN);
    if (sh.aborted) throw new RegionFailure(sh.failure());
    if (Atomics.add(ctl, CTL_COUNT, 1) === sh.regions - 1) {
      Atomics.store(ctl, CTL_COUNT, 0);
      Atomics.add(ctl, CTL_GEN, 1);
      if (Atomics.load(ctl, CTL_WAITERS) > 0) Atomics.notify(ctl, CTL_GEN);
      return;
    }
    let spins = 0;
    while (Atomics.load(ctl, CTL_GEN) === gen) {
      if (++spins < this.spins) continue;
      Atomics.add(ctl, CTL_WAITERS, 1);
      Atomics.wait(ctl, CTL_GEN, gen, 50);
      Atomics.sub(ctl, CTL_WAITERS, 1);
      if (sh.aborted) throw new RegionFailure(sh.failure());
    }
    if (sh.aborted) throw new RegionFailure(sh.failure());
  }
}
