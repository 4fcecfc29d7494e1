/**
 * The I/O port: streams a sample's input bits into the mesh and adds up the readout.
 *
 * Input: one flit per (sent input bit j, destination core d) with axon = base_d + j
 * (with split layers, only to the cores whose received range [lo_d, hi_d) holds j);
 * sent bits = the bits that differ from what the axon registers hold (encoding
 * state-change: after the reset, which clears them, the set bits) or every bit
 * (every-step); bits ascending, each to its destinations in ascending core id; at most
 * io.flitsPerCycle flits per cycle, one per lane with a credit; a port without credit
 * sleeps until one returns. With several input frames (rate coding) the port streams
 * each step's frame the same way during the step before (src/chip/chip.ts).
 * Readout: a packet with payload 1 at address c * sumBits + b adds 2^b to class sum c,
 * so partial sums from several cores add up in any arrival order.
 *
 * Multicast (noc.multicast "tree"): a sent bit whose destinations are two or more cores
 * leaves as one multicast packet naming input neuron j (its destination set: the
 * reachable first-layer cores whose range holds j), in the same order and at the same
 * rate as the unicast flits it replaces.
 */
import { popcount32 } from '../kernels';
import { readout } from '../learning/readout';
import type { Kernel } from '../sim/kernel';
import type { Mesh } from './noc/mesh';

/** The port's multicast packets (noc.multicast "tree"). */
export interface IoMulticast {
  /** Per input bit j: its destination set (index into the sets of `send`), or -1 for unicast flits. */
  setOfBit: Int32Array;
  /** Send one multicast packet of destination set `set` naming input neuron `j` with payload `bit`. */
  send(set: number, j: number, bit: number): void;
}

/** The chip's I/O port. */
export class IoPort {
  /** Class sums received in the current readout. */
  readonly sums: Int32Array;
  /** The input frame the cores' axon registers hold once the streamed flits arrive. */
  private readonly inputBits: Uint32Array;
  /** `inputBits` at the end of the free phase (restored with the cores' registers). */
  private readonly atFree: Uint32Array;
  private bitList: Int32Array;
  /** With ranges: the flits of the current load, destination index and input bit, in sending order. */
  private flitDest = new Int32Array(0);
  private flitBit = new Int32Array(0);
  private cursor = 0;
  private total = 0;
  /** Input bits the last sample sends (each to every reachable first-layer core). */
  bitsLoaded = 0;
  private waitingCredit = false;
  private pending = false;
  private readonly hInject: number;
  /** True when the flits of a load are listed one by one (ranges or multicast packets); destination index -1 - s = multicast set s. */
  private readonly listed: boolean;

  constructor(
    private readonly kernel: Kernel,
    private readonly mesh: Mesh,
    /** Destination cores of the input layer and the base of its axon segment there. */
    private readonly dest: Int32Array,
    private readonly base: Int32Array,
    private readonly nInputs: number,
    classes: number,
    /** Bits of one class sum in the readout address space. */
    readonly sumBits: number,
    private readonly lanes: number,
    private readonly everyStep: boolean,
    /** Kernel phase of the injections. */
    private readonly phase: number,
    /** Received input range of each destination (split layers); null: every core takes every bit. */
    private readonly range: { lo: Int32Array; hi: Int32Array } | null = null,
    /** Multicast packets (noc.multicast "tree"); null: one flit per destination core. */
    private readonly mc: IoMulticast | null = null,
  ) {
    this.listed = range !== null || mc !== null;
    if (this.listed) {
      let most = 0;
      for (let d = 0; d < dest.length; d++) most += range === null ? nInputs : (range.hi[d] as number) - (range.lo[d] as number);
      this.flitDest = new Int32Array(most);
      this.flitBit = new Int32Array(most);
    }
    this.sums = new Int32Array(classes);
    this.inputBits = new Uint32Array(Math.ceil(nInputs / 32));
    this.atFree = new Uint32Array(this.inputBits.length);
    this.bitList = new Int32Array(nInputs);
    this.hInject = kernel.register((_a, _b, cycle) => this.inject(cycle));
  }

  /** Endpoint id of the port in the mesh. */
  get endpoint(): number {
    return this.mesh.ioEndpoint;
  }

  /** True while input flits remain to be injected. */
  get streaming(): boolean {
    return this.cursor < this.total;
  }

  /** Stream `input` from cycle t after the reset (the axon registers hold zeros). */
  load(t: number, input: Uint32Array): void {
    this.inputBits.fill(0);
    this.update(t, input);
  }

  /** Stream input frame `input` from cycle t: the bits that differ from the registers' (every bit with every-step). */
  update(t: number, input: Uint32Array): void {
    this.prepare(input);
    this.cursor = 0;
    if (this.total > 0) this.schedule(t);
  }

  /** Flits the load of `input` after a reset sends (bits to send x destination cores). */
  loadFlits(input: Uint32Array): number {
    if (this.listed) {
      const keep = new Uint32Array(this.inputBits);
      this.inputBits.fill(0);
      this.prepare(input);
      const n = this.total;
      this.inputBits.set(keep);
      return n;
    }
    if (this.everyStep) return this.nInputs * this.dest.length;
    let m = 0;
    const words = this.inputBits.length;
    for (let k = 0; k < words; k++) {
      const tail = k === words - 1 && (this.nInputs & 31) !== 0 ? (1 << (this.nInputs & 31)) - 1 : 0xffffffff;
      m += popcount32((input[k] as number) & tail);
    }
    return m * this.dest.length;
  }

  /**
   * The load of `input` after a reset without the network (the chip replays its
   * timing and counters): hand every flit's (destination core, axon, payload) to
   * `deliver`, in the order the port would inject them, and end with nothing left to stream.
   */
  loadReplayed(input: Uint32Array, deliver: (core: number, axon: number, bit: number) => void): void {
    this.inputBits.fill(0);
    this.prepare(input);
    const nDest = this.dest.length;
    for (let seq = 0; seq < this.total; seq++) {
      const j = this.listed ? (this.flitBit[seq] as number) : (this.bitList[Math.floor(seq / nDest)] as number);
      const d = this.listed ? (this.flitDest[seq] as number) : seq % nDest;
      if (d < 0) throw new Error('IoPort.loadReplayed: multicast loads are not replayed');
      deliver(this.dest[d] as number, (this.base[d] as number) + j, ((this.inputBits[j >>> 5] as number) >>> (j & 31)) & 1);
    }
    this.cursor = this.total;
  }

  /** List the bits of `input` to send (those that differ from the held frame, or all with every-step), then hold `input`. */
  private prepare(input: Uint32Array): void {
    let m = 0;
    if (this.everyStep) {
      for (let j = 0; j < this.nInputs; j++) this.bitList[m++] = j;
    } else {
      // Changed bits in ascending order, a word at a time.
      const words = this.inputBits.length;
      for (let k = 0; k < words; k++) {
        let w = ((input[k] as number) ^ (this.inputBits[k] as number)) | 0;
        while (w !== 0) {
          const low = w & -w;
          const j = (k << 5) + 31 - Math.clz32(low);
          w ^= low;
          if (j < this.nInputs) this.bitList[m++] = j;
        }
      }
    }
    this.inputBits.set(input.subarray(0, this.inputBits.length));
    this.bitsLoaded = m;
    this.total = m * this.dest.length;
    const r = this.range;
    if (this.listed) {
      // Split layers: each bit only to the cores whose range holds it; multicast: one packet per bit.
      let f = 0;
      for (let k = 0; k < m; k++) {
        const j = this.bitList[k] as number;
        const set = this.mc === null ? -1 : (this.mc.setOfBit[j] as number);
        if (set >= 0) {
          this.flitDest[f] = -1 - set;
          this.flitBit[f] = j;
          f++;
          continue;
        }
        for (let d = 0; d < this.dest.length; d++) {
          if (r !== null && (j < (r.lo[d] as number) || j >= (r.hi[d] as number))) continue;
          this.flitDest[f] = d;
          this.flitBit[f] = j;
          f++;
        }
      }
      this.total = f;
    }
  }

  /** The input frame the axon registers hold (after the streamed flits arrive). */
  get held(): Uint32Array {
    return this.inputBits;
  }

  /** Remember the held frame at the end of the free phase. */
  storeFree(): void {
    this.atFree.set(this.inputBits);
  }

  /** The cores restored their registers to the free phase's: so does the port's record of them. */
  restoreFree(): void {
    this.inputBits.set(this.atFree);
  }

  /** The mesh returned an injection credit to the port. */
  onCredit(cycle: number): void {
    if (!this.waitingCredit) return;
    this.waitingCredit = false;
    this.schedule(cycle);
  }

  /** Start a readout: clear the class sums. */
  clearSums(): void {
    this.sums.fill(0);
  }

  /** A readout packet arrived: payload `bit` at `address`. */
  receive(address: number, bit: number): void {
    if (bit === 0) return;
    const c = Math.floor(address / this.sumBits);
    this.sums[c] = (this.sums[c] as number) + 2 ** (address - c * this.sumBits);
  }

  /** Argmax over the class sums; ties go to the lowest class (as the functional readout). */
  prediction(): number {
    return readout(this.sums, this.sums.length, 1);
  }

  private schedule(cycle: number): void {
    if (this.pending) return;
    this.pending = true;
    this.kernel.at(cycle, this.phase, this.hInject, 0, 0);
  }

  /** Event: offer up to `lanes` input flits. */
  private inject(cycle: number): void {
    this.pending = false;
    const mesh = this.mesh;
    const nDest = this.dest.length;
    const e = mesh.ioEndpoint;
    for (let k = 0; k < this.lanes && this.cursor < this.total; k++) {
      if (!mesh.canInject(e)) {
        this.waitingCredit = true;
        mesh.awaitCredit(e);
        return;
      }
      // Flit number `cursor`: sent bit number floor(cursor / nDest) to destination cursor mod nDest.
      const seq = this.cursor++;
      const j = this.listed ? (this.flitBit[seq] as number) : (this.bitList[Math.floor(seq / nDest)] as number);
      const d = this.listed ? (this.flitDest[seq] as number) : seq % nDest;
      const bit = ((this.inputBits[j >>> 5] as number) >>> (j & 31)) & 1;
      if (d < 0) (this.mc as IoMulticast).send(-1 - d, j, bit);
      else mesh.inject(e, this.dest[d] as number, (this.base[d] as number) + j, bit);
    }
    if (this.cursor < this.total) this.schedule(cycle + 1);
  }
}
