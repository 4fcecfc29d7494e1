/**
 * Transient bit flips on SRAM reads (soft errors, `faults.readFlipRate`): every bit a
 * weight-SRAM read delivers is flipped with probability `rate`, independently per read;
 * the cell keeps its value. Which bits flip is a counter-based hash of the read's
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

/** True when reads flip bits (faults.readFlipRate > 0). */
export function readFlipsOn(f: FaultParams | undefined): f is FaultParams {
  return f !== undefined && (f.readFlipRate ?? 0) > 0;
}
