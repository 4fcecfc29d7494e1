/**
 * Zero-load cycle estimate of one sample on a mapped chip, from the formulas of
 * docs/timing-model.md (neuron core, step barrier, sample sequence, learning phase),
 * ignoring queue stalls and link contention:
 *   drain(H)   = H * (routerDelay + linkDelay) + routerDelay           last flit to its axon register
 *   compute(c) = sum over rows i of core c of ceil(W_i / banks) + pipelineDepth
 *   step       = max_c compute(c) + drain(maxHops) + barrierDelay
 *   input      = resetDelay + ceil(input flits / io.flitsPerCycle) + drain(maxHops) + barrierDelay
 *                + per input part before a nudged phase (several input frames): drain(maxHops) + barrierDelay
 *                (every input flit counted serial: with several frames an upper bound, their streams overlap the steps)
 *   readout    = max(output rows of a core + pipelineDepth, readout flits / samples) + drain(maxHops) + barrierDelay
 *                (stateBits packets per output row, all ejected at the one I/O port, one per cycle)
 *   learning   = barrierDelay + startDelay + max_c sum over visited rows i of c of rowPasses * ceil(W_i * (1 + synapseBits) / banks)
 *   sample     = input + steps * step + readout + learning + barrierDelay
 * Core activeCycles = steps * sum_c (compute(c) - pipelineDepth) + output rows (readout) + sum_c learning(c),
 * as the cores count it (sum of R_i per step, one cycle per output row, the learning rows).
 *
 * Split layers (docs/timing-model.md, "Partial sums"): a home row costs 1 in compute(c), and
 *   partial(c) = max(sum over segment rows i of c of R^s_i + pipelineDepth,
 *                    max over remote rows i (P_i + flits queued from row i on) + drain(H_c))
 *                (P_i = its commit; flits leave the queue one per cycle; H_c = farthest home),
 *                and per home h: first arrival + partial-sum flits into h - 1 (one ejection per cycle)
 *   step       = max(max_c partial(c), max_h arrivals(h)) + barrierDelay + max_c compute(c) + drain(maxHops) + barrierDelay
 *                (mapping.partialSums "on-change": per step, each remote segment's rows queue the
 *                share of its row parts that step sent, spread evenly over its rows; a step that
 *                sends nothing has partial(c) = its pass)
 *   post(c)    = max(home rows + pipelineDepth, first sending row + pipelineDepth + post flits of c + drain(H_c))
 *   learning  += per learning phase barrierDelay + max_c post(c); a segment row costs
 *                rowPasses * ceil(W_seg * (1 + synapseBits) / banks), a home row nothing
 *                (segment rows visited in proportion to the layer's visited rows).
 */
import type { Mapping } from '../map/mapping';
import { slicePartsOf } from '../map/mapping';
import type { EnergyChip } from './chip-view';
import { nocOf } from './chip-view';
import { wordFlitsOf } from './noc-estimate';

/** SRAM words of one row of layer l as the chip stores it: the sum of its segments' words (one segment = ceil(fanIn / wordBits)). */
export function segmentWords(m: Mapping, layer: number, wordBits: number): number[] {
  const c = m.cuts[layer] ?? [];
  const out: number[] = [];
  for (let k = 0; k + 1 < c.length; k++) out.push(Math.ceil((c[k + 1]! - c[k]!) / wordBits));
  return out;
}

/** Per-layer learning activity: rows visited (summed over samples) and counter words per weight word. */
export interface LearningActivity {
  /** Per layer 0..L: rows updated in the learning phases (layer 0: 0). */
  visitedRows: number[];
  /** Counter SRAM words per weight word (the stored synapse state width). */
  synapseBits: number;
}

/** Cycle estimate of a batch of samples. */
export interface CycleEstimate {
  cycles: number;
  coreActiveCycles: number;
  stepCycles: number;
  learningCycles: number;
}

/** Estimate cycles for `samples` samples of `steps` steps each, with the given traffic and learning activity. */
export function estimateCycles(
  m: Mapping,
  chip: EnergyChip,
  a: {
    samples: number;
    stepsPerSample: number;
    inputFlits: number;
    inputParts?: number;
    readoutFlits: number;
    maxHops: number;
    learning: LearningActivity | null;
    /** mapping.partialSums "on-change": per step, the packets each remote segment sent (psum-activity.ts remoteSlicesOf order); absent: every row part every step. */
    partialSumSends?: readonly (readonly number[])[];
  },
): CycleEstimate {
  const k = chip.params.core;
  const noc = nocOf(chip.params);
  const banks = k.sram.banks;
  const drainOf = (h: number): number => h * (noc.routerDelay + noc.linkDelay) + noc.routerDelay;
  const drain = drainOf(a.maxHops);
  const hop = (x: number, y: number): number => Math.abs((x % m.width) - (y % m.width)) + Math.abs(Math.floor(x / m.width) - Math.floor(y / m.width));
  const word = wordFlitsOf(m, chip);
  const wb = k.sram.wordBits;
  const learnCost = (w: number): number => (a.learning ? k.learning.rowPasses * Math.ceil((w * (1 + a.learning.synapseBits)) / banks) : 0);
  const visitedShare = (layer: number): number => (a.learning ? (a.learning.visitedRows[layer] ?? 0) / m.layers[layer]! : 0);
  let sumPartial = 0;
  let maxPost = 0;
  let sumPost = 0;
  let maxCompute = 0;
  let sumCompute = 0;
  let maxLearn = 0;
  let sumLearn = 0;
  let maxOutRows = 0;
  let outRows = 0;
  const L = m.layers.length - 1;
  for (const id of m.usedCores) {
    const c = m.cores[id]!;
    let compute = k.pipelineDepth;
    let learn = 0;
    let homeRows = 0;
    let postFlits = 0;
    let firstPost = -1;
    let postHops = 0;
    for (const p of c.pieces) {
      if (p.slices.length > 0) {
        // A home row of a split layer: the dynamics on its summed partial products; learns its bias only.
        compute += p.count;
        const remote = p.slices.filter((q) => q.core !== q.home);
        if (remote.length > 0 && firstPost < 0) firstPost = homeRows + 1;
        homeRows += p.count;
        postFlits += p.count * remote.length * word.postSpikes;
        for (const q of remote) postHops = Math.max(postHops, hop(q.home, q.core));
        continue;
      }
      const w = m.rowWords[p.layer]!;
      compute += p.count * Math.ceil(w / banks);
      learn += visitedShare(p.layer) * p.count * learnCost(w);
    }
    for (const q of c.slices) {
      const w = segmentWords(m, q.layer, wb)[q.segment]!;
      learn += visitedShare(q.layer) * q.count * learnCost(w);
      sumPartial += q.count * Math.ceil(w / banks);
    }
    if (homeRows > 0) {
      const post = Math.max(homeRows + k.pipelineDepth, postFlits > 0 ? firstPost + k.pipelineDepth + postFlits + drainOf(postHops) : 0);
      maxPost = Math.max(maxPost, post);
      sumPost += homeRows;
    }
    const rowsOut = c.pieces.filter((p) => p.layer === L).reduce((n, p) => n + p.count, 0);
    maxOutRows = Math.max(maxOutRows, rowsOut);
    outRows += rowsOut;
    maxCompute = Math.max(maxCompute, compute);
    sumCompute += compute;
    maxLearn = Math.max(maxLearn, learn);
    sumLearn += learn;
  }
  /**
   * Partial-sum phase of a step in which remote segment r sends share(r) of its row parts
   * (1: every-step), those spread evenly over its rows: each row queues share * parts * F flits.
   */
  const partialPhase = (share: (r: number) => number): number => {
    let maxPartial = 0;
    // Per home core: partial-sum flits it receives and the earliest arrival (its port ejects one per cycle).
    const flitsIn = new Map<number, number>();
    const firstIn = new Map<number, number>();
    let remote = 0;
    for (const id of m.usedCores) {
      const c = m.cores[id]!;
      if (c.slices.length === 0) continue;
      // Partial-sum pass of the core's segments: rows in local order, remote rows queue their flits.
      let pass = 0;
      let lastFlit = -1;
      let psumHops = 0;
      let queued = 0;
      for (const q of c.slices) {
        const R = Math.ceil(segmentWords(m, q.layer, wb)[q.segment]! / banks);
        const f = q.core === q.home ? 0 : slicePartsOf(q.colStart, q.colEnd, m.layers[q.layer - 1]!) * word.partialSum * share(remote++);
        if (f > 0) psumHops = Math.max(psumHops, hop(q.core, q.home));
        for (let i = 0; i < q.count; i++) {
          pass += R;
          if (f === 0) continue;
          if (i === 0) firstIn.set(q.home, Math.min(firstIn.get(q.home) ?? Infinity, pass + k.pipelineDepth + 1 + drainOf(hop(q.core, q.home))));
          flitsIn.set(q.home, (flitsIn.get(q.home) ?? 0) + f);
          // Flits leave one per cycle: the queue's last flit leaves at max(previous last + f, commit + f - 1).
          lastFlit = Math.max(lastFlit + f, pass + k.pipelineDepth + f - 1);
          queued += f;
        }
      }
      const partial = Math.max(pass + k.pipelineDepth, queued > 0 ? lastFlit + 1 + drainOf(psumHops) : 0);
      maxPartial = Math.max(maxPartial, partial);
    }
    for (const [h, n] of flitsIn) maxPartial = Math.max(maxPartial, firstIn.get(h)! + n - 1);
    return maxPartial;
  };
  const bd0 = chip.params.barrierDelay;
  const stepOf = (maxPartial: number): number => (maxPartial > 0 ? maxPartial + bd0 : 0) + maxCompute + drain + bd0;
  const steps = a.samples * a.stepsPerSample;
  let stepTotal: number;
  if (a.partialSumSends === undefined || !m.split) stepTotal = steps * stepOf(m.split ? partialPhase(() => 1) : 0);
  else {
    // On-change: each step's partial phase from the packets its remote segments sent.
    const rowParts = m.cores.flatMap((c) => c.slices.filter((q) => q.core !== q.home).map((q) => q.count * slicePartsOf(q.colStart, q.colEnd, m.layers[q.layer - 1]!)));
    const memo = new Map<string, number>();
    stepTotal = 0;
    for (const sent of a.partialSumSends) {
      const key = sent.join(',');
      let t = memo.get(key);
      if (t === undefined) {
        t = stepOf(partialPhase((r) => sent[r]! / rowParts[r]!));
        memo.set(key, t);
      }
      stepTotal += t;
    }
  }
  const step = steps > 0 ? stepTotal / steps : stepOf(0);
  const S = a.samples;
  const input = (S + (a.inputParts ?? 0)) * (drain + chip.params.barrierDelay) + S * chip.params.resetDelay + Math.ceil(a.inputFlits / chip.params.io.flitsPerCycle);
  const bd = chip.params.barrierDelay;
  const post = m.split ? S * (bd + maxPost) : 0;
  const learning = a.learning ? S * (bd + k.learning.startDelay) + maxLearn + post : 0;
  const readout = S * (Math.max(maxOutRows + k.pipelineDepth, a.readoutFlits / Math.max(1, S)) + drain + bd);
  return {
    cycles: Math.ceil(input + stepTotal + readout + learning + S * bd),
    coreActiveCycles: steps * (sumCompute - m.usedCores.length * k.pipelineDepth + sumPartial) + S * outRows + sumLearn + (a.learning ? S * sumPost : 0),
    stepCycles: step,
    learningCycles: learning,
  };
}
