/**
 * The neuron core's commit stage and output queue, in time.
 *
 * A pass (one network step, or the readout) is a list of entries in ascending local
 * row order; entry e commits at
 *   C_e = t0 + offset_e + sum_{f<e} stall_f
 * where offset_e = sum_{m<=row(e)} R_m + pipelineDepth, and pushes its packets
 * into the output queue (outQueueDepth flits). When the queue is full the commit
 * stage waits: stall_e = (cycle its last packet entered the queue) - C_e, and every
 * later row of the pass is delayed by as much (an in-order pipeline). The pass ends
 * at t0 + passLength + sum_e stall_e, passLength = sum_m R_m + pipelineDepth.
 *
 * The queue hands at most one flit per cycle to the router's Local input, when that
 * input has a credit: a flit pushed at cycle c is handed over at c at the earliest and
 * so enters the router's buffer at c + 1. A slot freed at cycle d can be refilled in
 * cycle d. A queue without credit sleeps until the credit returns (no polling).
 * Rows that send nothing cost no event; an idle core schedules nothing.
 *
 * A packet whose destination is negative is a multicast packet (noc.multicast
 * "tree"): destination set -1 - dest of the core, handed to `multicast` instead of
 * the port. It takes one queue slot and one hand-over like any packet.
 */
import type { Kernel } from '../../sim/kernel';
import { PHASE_FIRST_FREE } from '../noc/phases';
import type { VcdWriter } from '../../sim/vcd';

/** The router port the output queue drains into. */
export interface InjectPort {
  /** True when the Local input of router `node` can take a flit this cycle. */
  canInject(node: number): boolean;
  /** Put a flit for (dest node, axon, payload bit) into the Local input of router `node`. */
  inject(node: number, dest: number, axon: number, payload: number): void;
  /** The queue of `node` found no credit and sleeps until onCredit (a port that calls onCredit on every credit return may omit it). */
  awaitCredit?(node: number): void;
  /** True when the Local input of `node` certainly has no credit next cycle (then the queue sleeps now instead of trying then); omitted: never assumed. */
  noCreditNext?(node: number): boolean;
}

/** Sends a multicast packet of the core's destination set `set` (see CoreDatapath.multicast). */
export type MulticastSend = (set: number, axon: number, payload: number) => void;

/** Told when a core has committed every entry of its pass. */
export interface PassListener {
  passDone(core: number, cycle: number): void;
  /** With CoreDatapath.passAhead: the pass will end at `cycle` (told as soon as that is known, without an event at the end). */
  passDoneAt?(core: number, cycle: number): void;
}

/** Kernel phase of a row's commit (after the network's phases of the cycle). */
export const PHASE_CORE_COMMIT = PHASE_FIRST_FREE;
/** Kernel phase of the output queue handing a flit to the router (after the commits of the cycle). */
export const PHASE_CORE_DRAIN = PHASE_FIRST_FREE + 1;
/** Kernel phase of the end of a core's pass. */
export const PHASE_CORE_PASS_DONE = PHASE_FIRST_FREE + 2;

/** Commit stage + output queue of one core. */
export class CoreDatapath {
  /** Per entry: commit offset from t0, before stalls (cycles). */
  readonly commitOffset: Int32Array;
  /** Per entry: VCD signal that takes the entry's payload bit at its commit (-1 = none). */
  readonly entrySig: Int32Array;
  /** Waveform the entry signals go to (null = no trace). */
  vcd: VcdWriter | null = null;
  /**
   * Tell the listener the pass's end cycle (passDoneAt) as soon as it is known (after
   * the last entry's packets are queued; at the start of a pass without entries),
   * instead of with an event at that cycle. Nothing in the core changes after that point.
   */
  passAhead = false;
  /** Sender of the multicast packets (destination < 0); null on a unicast chip. */
  multicast: MulticastSend | null = null;
  /** Per entry e: its packets are pkt*[pktStart[e] .. pktStart[e+1]). */
  readonly pktStart: Int32Array;
  readonly pktDest: Int32Array;
  readonly pktAxon: Int32Array;
  readonly pktPayload: Int32Array;
  private entries = 0;
  private packets = 0;

  // Pass progress.
  private t0 = 0;
  private passLength = 0;
  private stall = 0;
  private cursor = 0;
  private nextPacket = 0;
  private stalledSince = -1;
  private busy = false;

  // Output queue: ring of (dest, axon, payload).
  private readonly qDest: Int32Array;
  private readonly qAxon: Int32Array;
  private readonly qPayload: Int32Array;
  private qHead = 0;
  private qLen = 0;
  private drainPending = false;
  private waitingCredit = false;
  /** Last cycle a flit was handed to the router (at most one per cycle). */
  private lastInject = -1;

  /** Datapath cycles stalled on a full output queue. */
  queueStalls = 0;
  /** Packets pushed into the output queue. */
  packetsQueued = 0;
  /** Flits handed to the router. */
  flitsInjected = 0;

  constructor(
    readonly id: number,
    private readonly kernel: Kernel,
    private readonly port: InjectPort,
    private readonly listener: PassListener,
    private readonly hCommit: number,
    private readonly hDrain: number,
    private readonly hPassDone: number,
    maxEntries: number,
    maxPackets: number,
    readonly queueDepth: number,
  ) {
    this.commitOffset = new Int32Array(maxEntries);
    this.entrySig = new Int32Array(maxEntries);
    this.pktStart = new Int32Array(maxEntries + 1);
    this.pktDest = new Int32Array(maxPackets);
    this.pktAxon = new Int32Array(maxPackets);
    this.pktPayload = new Int32Array(maxPackets);
    this.qDest = new Int32Array(queueDepth);
    this.qAxon = new Int32Array(queueDepth);
    this.qPayload = new Int32Array(queueDepth);
    kernel.onRebase((delta) => {
      this.t0 -= delta;
      this.lastInject -= delta;
      if (this.stalledSince >= 0) this.stalledSince -= delta;
    });
  }

  /** Start describing a new pass. */
  beginPass(): void {
    this.entries = 0;
    this.packets = 0;
    this.pktStart[0] = 0;
  }

  /** Open an entry committing at `offset` cycles after t0 (offsets strictly ascending); `sig` = its VCD signal or -1. */
  addEntry(offset: number, sig: number): void {
    this.commitOffset[this.entries] = offset;
    this.entrySig[this.entries] = sig;
    this.entries++;
    this.pktStart[this.entries] = this.packets;
  }

  /** Add one packet to the entry opened last. */
  addPacket(dest: number, axon: number, payload: number): void {
    const k = this.packets++;
    this.pktDest[k] = dest;
    this.pktAxon[k] = axon;
    this.pktPayload[k] = payload;
    this.pktStart[this.entries] = this.packets;
  }

  /** Entries of the pass being described. */
  get entryCount(): number {
    return this.entries;
  }

  /** True while a pass is committing. */
  get committing(): boolean {
    return this.busy;
  }

  /** Flits waiting in the output queue. */
  get queued(): number {
    return this.qLen;
  }

  /**
   * True when the core hands no flit to its router in any cycle from now to `cycle` - 1:
   * nothing queued or waiting, and no entry left to commit before `cycle` (a new pass
   * starts only after the step barrier).
   */
  quietBefore(cycle: number): boolean {
    if (this.qLen !== 0 || this.drainPending || this.waitingCredit) return false;
    if (this.cursor >= this.entries) return true;
    return this.t0 + (this.commitOffset[this.cursor] as number) + this.stall >= cycle;
  }

  /** Run the described pass from cycle t0; it ends passLength (+ stalls) cycles later. */
  start(t0: number, passLength: number): void {
    this.t0 = t0;
    this.passLength = passLength;
    this.stall = 0;
    this.cursor = 0;
    this.busy = true;
    if (this.entries > 0) {
      this.nextPacket = this.pktStart[0] as number;
      this.kernel.at(t0 + (this.commitOffset[0] as number), PHASE_CORE_COMMIT, this.hCommit, this.id, 0);
    } else {
      this.passEnds(t0 + passLength);
    }
  }

  /** The pass ends at cycle `end` (> now): an event then, or the listener told now (passAhead). */
  private passEnds(end: number): void {
    if (this.passAhead) {
      this.busy = false;
      (this.listener.passDoneAt as (core: number, cycle: number) => void)(this.id, end);
    } else this.kernel.at(end, PHASE_CORE_PASS_DONE, this.hPassDone, this.id, 0);
  }

  /** Event: the current entry reaches its commit cycle. */
  onCommit(cycle: number): void {
    if (this.vcd !== null) {
      const sig = this.entrySig[this.cursor] as number;
      if (sig >= 0) this.vcd.set(sig, cycle, this.pktPayload[this.pktStart[this.cursor] as number] as number);
    }
    this.pushFrom(cycle);
  }

  /** Push the current entry's remaining packets; advance or stall. */
  private pushFrom(cycle: number): void {
    const depth = this.queueDepth;
    for (;;) {
      const end = this.pktStart[this.cursor + 1] as number;
      while (this.nextPacket < end) {
        if (this.qLen === depth) {
          if (this.stalledSince < 0) this.stalledSince = cycle;
          return; // resumed by onDrain
        }
        const k = this.nextPacket++;
        this.packetsQueued++;
        // An empty queue whose router input is free hands the flit over at once: what the
        // drain later in this cycle would do, without its event.
        if (this.qLen === 0 && !this.drainPending && !this.waitingCredit && this.lastInject < cycle && this.port.canInject(this.id)) {
          this.handOver(this.pktDest[k] as number, this.pktAxon[k] as number, this.pktPayload[k] as number);
          this.flitsInjected++;
          this.lastInject = cycle;
          continue;
        }
        let tail = this.qHead + this.qLen;
        if (tail >= depth) tail -= depth;
        this.qDest[tail] = this.pktDest[k] as number;
        this.qAxon[tail] = this.pktAxon[k] as number;
        this.qPayload[tail] = this.pktPayload[k] as number;
        this.qLen++;
        if (!this.drainPending && !this.waitingCredit) {
          this.drainPending = true;
          // One flit per cycle into the router: after a direct hand-over, the next drain is next cycle.
          this.kernel.at(this.lastInject === cycle ? cycle + 1 : cycle, PHASE_CORE_DRAIN, this.hDrain, this.id, 0);
        }
      }
      // Entry done: account its stall, move to the next.
      if (this.stalledSince >= 0) {
        const nominal = this.t0 + (this.commitOffset[this.cursor] as number) + this.stall;
        const s = cycle - nominal;
        this.stall += s;
        this.queueStalls += s;
        this.stalledSince = -1;
      }
      this.cursor++;
      if (this.cursor === this.entries) {
        this.passEnds(this.t0 + this.passLength + this.stall);
        return;
      }
      const next = this.t0 + (this.commitOffset[this.cursor] as number) + this.stall;
      if (next > cycle) {
        this.kernel.at(next, PHASE_CORE_COMMIT, this.hCommit, this.id, 0);
        return;
      }
    }
  }

  /** Event: the head flit may move into the router. */
  onDrain(cycle: number): void {
    if (this.qLen === 0) {
      this.drainPending = false;
      return;
    }
    const node = this.id;
    if (!this.port.canInject(node)) {
      // No credit at the router's Local input: sleep until onCredit.
      this.drainPending = false;
      this.waitingCredit = true;
      this.port.awaitCredit?.(node);
      return;
    }
    const h = this.qHead;
    // Dequeued before the hand-over: a lean network may deliver the flit inside it, and the chip's barrier then reads the queue.
    this.qHead = h + 1 === this.queueDepth ? 0 : h + 1;
    this.qLen--;
    this.handOver(this.qDest[h] as number, this.qAxon[h] as number, this.qPayload[h] as number);
    this.flitsInjected++;
    this.lastInject = cycle;
    if (this.stalledSince >= 0) this.pushFrom(cycle);
    if (this.qLen === 0) this.drainPending = false;
    else if (this.port.noCreditNext?.(node) === true) {
      // Next cycle's drain would find no credit and sleep: sleep now (the same wake-up cycle).
      this.drainPending = false;
      this.waitingCredit = true;
      this.port.awaitCredit?.(node);
    } else this.kernel.at(cycle + 1, PHASE_CORE_DRAIN, this.hDrain, this.id, 0);
  }

  /** Hand one packet to the router: unicast through the port, multicast (dest < 0) through `multicast`. */
  private handOver(dest: number, axon: number, payload: number): void {
    if (dest >= 0) this.port.inject(this.id, dest, axon, payload);
    else (this.multicast as MulticastSend)(-1 - dest, axon, payload);
  }

  /** The router's Local input returned a credit: wake a queue that waited for one. */
  onCredit(cycle: number): void {
    if (!this.waitingCredit) return;
    this.waitingCredit = false;
    this.drainPending = true;
    this.kernel.at(cycle, PHASE_CORE_DRAIN, this.hDrain, this.id, 0);
  }

  /** Event: the pass's last row committed. */
  onPassDone(cycle: number): void {
    this.busy = false;
    this.listener.passDone(this.id, cycle);
  }
}
