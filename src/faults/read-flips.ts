/**
 * Transient bit flips on SRAM reads (soft errors, `faults.readFlipRate`): every bit a
 * weight-SRAM read of a network step delivers is flipped with probability `rate`,
 * independently per read, and the cell keeps its value; in the learning phase the bits
 * (weight, register planes) of each updated synapse flip before the rule reads and writes
 * them back, keyed by the synapse so both its copies flip alike. Which bits flip is a counter-based hash of the read's
 * coordinates (fault seed, the sample's read key, step of the sample, layer, global row,
 * row segment), so the chip (one block per core piece, slices of split rows) and the
 * functional model (one block per layer) draw the same flips without sharing a stream,
 * whatever the order they read in. docs/faults.md defines which reads happen.
 */
import type { EccMode } from './fault-map';
import type { FaultParams } from './params';

/** murmur3's 32-bit finaliser: a bijective mix of all input bits. */
function fmix32(h0: number): number {
  let h = h0 >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold v into the running hash h (one murmur3 round, then the finaliser). */
function fold(h: number, v: number): number {
  let k = Math.imul(v | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = (h ^ k) | 0;
  x = (x << 13) | (x >>> 19);
  return fmix32((Math.imul(x, 5) + 0xe6546b64) | 0);
}

/**
 * The read key of a sample presented by the trainer or `run`: training sample `index` of
 * epoch `epoch` (index = position in the epoch's order), or test sample `index` (epoch
 * ignored: every test pass sees the same flips for the same sample, so `run` with the
 * trained weights reproduces the trainer's last test pass).
 */
export function sampleReadKey(part: 'train' | 'test', epoch: number, index: number): number {
  return part === 'train' ? fold(fold(fold(0x7261, 1), epoch), index) : fold(fold(0x7261, 2), index);
}

/** What a block needs to draw its read flips: the rate and the current read's sample and step. */
export class ReadFlips {
  readonly rate: number;
  /** log(1 - rate), for the geometric gaps between flipped bits. */
  private readonly lq: number;
  private readonly seedHash: number;
  /** Read key of the running sample (SampleMode.readKey) and step index within it (0 = first free step). */
  sampleKey = 0;
  step = 0;
  readonly ecc: EccMode;
  readonly wordBits: number;
  /** Flipped bit positions of the last draw (grown on demand, so a draw does not allocate). */
  positions = new Int32Array(64);
  /** Flips of the last draw that SECDED corrected (each the only flipped bit of its word). */
  corrected = 0;

  constructor(f: FaultParams, wordBits: number, ecc: EccMode) {
    this.rate = f.readFlipRate;
    this.lq = Math.log1p(-Math.min(f.readFlipRate, 0.5));
    this.seedHash = fold(0x5eed, f.seed);
    this.wordBits = wordBits;
    this.ecc = ecc;
  }

  /**
   * Draw the flips of one read of a row segment of `bits` bits (its whole words: padding
   * bits included) by layer `layer`, global row `row`, segment `segment` in the current
   * step. Writes the positions (ascending) of the flips SECDED does not correct into
   * `positions`, returns their number; `corrected` holds the others' count. A drawn
   * position is a bit of the segment's read words: bit b of word w is position w * wordBits + b.
   */
  draw(layer: number, row: number, segment: number, bits: number): number {
    this.corrected = 0;
    if (this.rate <= 0 || bits <= 0) return 0;
    let s = fold(fold(fold(fold(fold(this.seedHash, this.sampleKey), this.step), layer), row), segment);
    let n = 0;
    if (this.rate >= 1) {
      this.room(bits);
      for (let p = 0; p < bits; p++) this.positions[n++] = p;
    } else {
      let p = -1;
      const lq = this.lq;
      for (;;) {
        // mulberry32 step: a uniform u in [0, 1) from the stream state s.
        s = (s + 0x6d2b79f5) | 0;
        let t = Math.imul(s ^ (s >>> 15), 1 | s);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        if (this.rate > 0.5) {
          // Above 1/2 the gaps degenerate: decide every bit on its own.
          p++;
          if (p >= bits) break;
          if (u < this.rate) {
            this.room(n + 1);
            this.positions[n++] = p;
          }
          continue;
        }
        p += 1 + Math.floor(Math.log(1 - u) / lq);
        if (p >= bits) break;
        this.room(n + 1);
        this.positions[n++] = p;
      }
    }
    if (this.ecc === 'secded' && n > 0) n = this.secded(n);
    return n;
  }

  /** Flipped bits of the learning-phase read of one synapse (see learnReadFlips); sets `corrected`. */
  synapse(layer: number, post: number, pre: number, regBits: number): number {
    this.corrected = 0;
    const sites = 1 + regBits;
    let f = 0;
    if (this.rate >= 1) f = (1 << sites) - 1;
    else {
      let s = fold(fold(fold(fold(fold(this.seedHash, this.sampleKey), LEARN_STEP), layer), post), pre);
      let p = -1;
      for (;;) {
        s = (s + 0x6d2b79f5) | 0;
        let t = Math.imul(s ^ (s >>> 15), 1 | s);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        if (this.rate > 0.5) {
          p++;
          if (p >= sites) break;
          if (u < this.rate) f |= 1 << p;
          continue;
        }
        p += 1 + Math.floor(Math.log(1 - u) / this.lq);
        if (p >= sites) break;
        f |= 1 << p;
      }
    }
    if (f !== 0 && this.ecc === 'secded') {
      let n = 0;
      for (let b = f; b !== 0; b &= b - 1) n++;
      this.corrected = n;
      return 0;
    }
    return f;
  }

  /** Drop every flip that is alone in its word (SECDED corrects one error per word). */
  private secded(n: number): number {
    const pos = this.positions;
    const wb = this.wordBits;
    let kept = 0;
    let i = 0;
    while (i < n) {
      const w = Math.floor((pos[i] as number) / wb);
      let j = i + 1;
      while (j < n && Math.floor((pos[j] as number) / wb) === w) j++;
      if (j - i === 1) this.corrected++;
      else for (let k = i; k < j; k++) pos[kept++] = pos[k] as number;
      i = j;
    }
    return kept;
  }

  private room(n: number): void {
    if (n <= this.positions.length) return;
    const grown = new Int32Array(Math.max(n, 2 * this.positions.length));
    grown.set(this.positions);
    this.positions = grown;
  }
}

/** Step index of the learning phase's reads in the hash (steps of a sample stay far below it). */
const LEARN_STEP = 0x7fff_fff0;

/**
 * Flipped bits of the learning phase's read of synapse (weight layer `layer`, post-synaptic
 * neuron `post`, pre-synaptic `pre`): bit 0 = its weight bit, bit 1 + p = bit p of its
 * `regBits`-bit learning register. The key is the synapse's logical position, so both copies
 * of a synapse (forward segment of row post, backward segment of row pre) draw the same flips.
 * With SECDED every such flip is corrected (returns 0; `corrected` counts them): each of a
 * synapse's bits lies in its own word (the weight word, one word per register plane).
 */
export function learnReadFlips(rf: ReadFlips, layer: number, post: number, pre: number, regBits: number): number {
  return rf.synapse(layer, post, pre, regBits);
}

/**
 * Apply the learning-phase read flips of one row segment before the rule reads it: for every
 * synapse j < n with a contribution (bit j of inc | dec), XOR its flipped bits into the weight
 * words `w` (from wOff) and the register planes `planes` (row from pOff, plane stride pStride).
 * The synapse is (layer, post = fixed, pre = j) when `fixedIsPost`, else (layer, post = j, pre = fixed).
 * Returns the bits flipped (SECDED-corrected ones excluded; rf.corrected holds those of the last call).
 */
export function flipLearnReads(
  rf: ReadFlips,
  layer: number,
  fixed: number,
  fixedIsPost: boolean,
  colBase: number,
  inc: Uint32Array,
  dec: Uint32Array,
  n: number,
  w: Uint32Array,
  wOff: number,
  planes: Uint32Array,
  pOff: number,
  pStride: number,
  regBits: number,
): number {
  let flips = 0;
  let corrected = 0;
  const words = (n + 31) >>> 5;
  for (let k = 0; k < words; k++) {
    let m = ((inc[k] as number) | (dec[k] as number)) >>> 0;
    if (k === words - 1 && (n & 31) !== 0) m &= (1 << (n & 31)) - 1;
    while (m !== 0) {
      const low = m & -m;
      m = (m ^ low) >>> 0;
      const j = (k << 5) + 31 - Math.clz32(low);
      const f = fixedIsPost ? learnReadFlips(rf, layer, fixed, colBase + j, regBits) : learnReadFlips(rf, layer, colBase + j, fixed, regBits);
      corrected += rf.corrected;
      if (f === 0) continue;
      if ((f & 1) !== 0) {
        w[wOff + k] = (w[wOff + k] as number) ^ low;
        flips++;
      }
      for (let p = 0; p < regBits; p++) {
        if (((f >>> (p + 1)) & 1) === 0) continue;
        const at = pOff + p * pStride + k;
        planes[at] = (planes[at] as number) ^ low;
        flips++;
      }
    }
  }
  rf.corrected = corrected;
  return flips;
}

/** True when reads flip bits (faults.readFlipRate > 0). */
export function readFlipsOn(f: FaultParams | undefined): f is FaultParams {
  return f !== undefined && (f.readFlipRate ?? 0) > 0;
}
