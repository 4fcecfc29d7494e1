/**
 * Injection channels: an endpoint (a core, or the I/O port) feeds one or more
 * router input ports (lanes). A lane takes at most one flit per cycle and holds
 * one credit per free slot of its input buffer; an endpoint with several lanes
 * uses them round robin, starting after the last lane it used.
 */

/** Injection lanes and their credits. */
export class InjectionChannels {
  /** Credits per global input port (only lanes have any). */
  readonly credits: Int32Array;
  /** Endpoint feeding each global input port, or -1. */
  readonly endpointOf: Int32Array;
  private readonly lastInject: Float64Array;
  /** Per endpoint: its first lane (global input port) and its number of lanes. */
  readonly laneFirst: Int32Array;
  readonly laneCount: Int32Array;
  /** Per endpoint: the lane its next flit tries first (read and restored by the chip's load replay). */
  readonly laneNext: Int32Array;

  constructor(ports: number, endpoints: number) {
    this.credits = new Int32Array(ports);
    this.endpointOf = new Int32Array(ports).fill(-1);
    this.lastInject = new Float64Array(ports).fill(-1);
    this.laneFirst = new Int32Array(endpoints);
    this.laneCount = new Int32Array(endpoints);
    this.laneNext = new Int32Array(endpoints);
  }

  /** Endpoint `e` injects through `n` lanes, global input ports first .. first + n - 1, each with `credits` credits. */
  connect(e: number, first: number, n: number, credits: number): void {
    this.laneFirst[e] = first;
    this.laneCount[e] = n;
    for (let k = 0; k < n; k++) {
      this.endpointOf[first + k] = e;
      this.credits[first + k] = credits;
    }
  }

  /** A lane of e that can take a flit at cycle `now` (round robin from the lane after the last used); `take` advances the rotation. */
  freeLane(e: number, now: number, take: boolean): number {
    const n = this.laneCount[e] as number;
    const first = this.laneFirst[e] as number;
    const start = this.laneNext[e] as number;
    for (let k = 0; k < n; k++) {
      let i = start + k;
      if (i >= n) i -= n;
      const lane = first + i;
      if ((this.credits[lane] as number) > 0 && (this.lastInject[lane] as number) < now) {
        if (take) this.laneNext[e] = i + 1 === n ? 0 : i + 1;
        return lane;
      }
    }
    return -1;
  }

  /** The time origin moved back by `delta` cycles (Kernel.rebase). */
  rebase(delta: number): void {
    const t = this.lastInject;
    for (let k = 0; k < t.length; k++) t[k] = (t[k] as number) - delta;
  }

  /** A flit enters `lane` at cycle `now`: spend a credit. */
  take(lane: number, now: number): void {
    this.credits[lane] = (this.credits[lane] as number) - 1;
    this.lastInject[lane] = now;
  }

  /** A credit of `lane` came back; returns the endpoint to notify. */
  give(lane: number): number {
    this.credits[lane] = (this.credits[lane] as number) + 1;
    return this.endpointOf[lane] as number;
  }
}
