/**
 * Partial-sum packets of a split mapping with `mapping.partialSums: "on-change"`, counted
 * exactly from the functional model's spikes: the remote segments of the mapping are
 * rebuilt as synapse slices (src/learning/synapse-slice.ts, the chip's own arithmetic,
 * stuck cells included), fed every step with the layer spikes the functional model reads,
 * and a row part counts one packet when its sum differs from the one it last sent since
 * the sample's reset (0 at reset), as the chip's cores decide (docs/timing-model.md,
 * "Partial sums"). Transient read flips (faults.readFlipRate) are not drawn here.
 */
import type { Mapping, Slice } from '../map/mapping';
import type { ModelParams } from '../learning/params';
import type { NetworkSnapshot } from '../learning/engine';
import type { EccMode } from '../faults/fault-map';
import { networkFaults } from '../learning/neuron-block';
import { SynapseSlice, extractBits } from '../learning/synapse-slice';
import { wordsFor } from '../kernels';

/** The remote segments of `m` (segments held away from their home core), in core id then slice order. */
export function remoteSlicesOf(m: Mapping): Slice[] {
  const out: Slice[] = [];
  for (const c of m.cores) for (const q of c.slices) if (q.core !== q.home) out.push(q);
  return out;
}

/** Counts, step by step, the on-change partial-sum packets of every remote segment of a mapping. */
export class OnChangeSums {
  private readonly slices: SynapseSlice[];
  private readonly bufF: Uint32Array[];
  private readonly bufB: Uint32Array[];
  private readonly lastSent: Int32Array[];
  /** Per step observed: packets each remote segment (remoteSlicesOf order) sent. */
  readonly perStep: number[][] = [];

  constructor(model: ModelParams, m: Mapping, wordBits: number, ecc: EccMode) {
    const faults = networkFaults(model, wordBits, ecc);
    this.slices = remoteSlicesOf(m).map((q) => new SynapseSlice(model, { layer: q.layer, rowStart: q.first, rows: q.count, colStart: q.colStart, colEnd: q.colEnd, segment: q.segment }, wordBits, null, faults, false));
    this.bufF = this.slices.map((q) => new Uint32Array(Math.max(1, wordsFor(q.nF))));
    this.bufB = this.slices.map((q) => new Uint32Array(Math.max(1, wordsFor(q.nB))));
    this.lastSent = this.slices.map((q) => new Int32Array(2 * q.rows));
  }

  /** Load the weights the next samples run with. */
  load(s: NetworkSnapshot): void {
    for (const q of this.slices) q.load(s);
  }

  /** A sample starts: every last-sent (and last-received) register is 0. */
  reset(): void {
    for (const r of this.lastSent) r.fill(0);
  }

  /** One step reading layer spikes `cur` (cur[l] = layer l): count the row parts whose sum changed. */
  observe(cur: readonly Uint32Array[]): void {
    const sent: number[] = [];
    for (let k = 0; k < this.slices.length; k++) {
      const q = this.slices[k]!;
      const bf = this.bufF[k]!;
      const bb = this.bufB[k]!;
      if (q.nF > 0) extractBits(cur[q.layer - 1]!, q.f0, q.nF, bf);
      if (q.nB > 0) extractBits(cur[q.layer + 1]!, q.b0, q.nB, bb);
      q.partial(bf, bb);
      const last = this.lastSent[k]!;
      let n = 0;
      for (let i = 0; i < q.rows; i++) {
        if (q.nF > 0 && last[2 * i] !== q.dotF[i]) {
          last[2 * i] = q.dotF[i]!;
          n++;
        }
        if (q.nB > 0 && last[2 * i + 1] !== q.dotB[i]) {
          last[2 * i + 1] = q.dotB[i]!;
          n++;
        }
      }
      sent.push(n);
    }
    this.perStep.push(sent);
  }
}
