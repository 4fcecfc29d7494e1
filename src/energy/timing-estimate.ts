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
 */
import type { Mapping } from '../map/mapping';
import type { EnergyChip } from './chip-view';
import { nocOf } from './chip-view';

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
  a: { samples: number; stepsPerSample: number; inputFlits: number; inputParts?: number; readoutFlits: number; maxHops: number; learning: LearningActivity | null },
): CycleEstimate {
  const k = chip.params.core;
  const noc = nocOf(chip.params);
  const banks = k.sram.banks;
  const drain = a.maxHops * (noc.routerDelay + noc.linkDelay) + noc.routerDelay;
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
    for (const p of c.pieces) {
      const w = m.rowWords[p.layer]!;
      compute += p.count * Math.ceil(w / banks);
      if (a.learning) {
        const visited = ((a.learning.visitedRows[p.layer] ?? 0) * p.count) / m.layers[p.layer]!;
        learn += visited * k.learning.rowPasses * Math.ceil((w * (1 + a.learning.synapseBits)) / banks);
      }
    }
    const rowsOut = c.pieces.filter((p) => p.layer === L).reduce((n, p) => n + p.count, 0);
    maxOutRows = Math.max(maxOutRows, rowsOut);
    outRows += rowsOut;
    maxCompute = Math.max(maxCompute, compute);
    sumCompute += compute;
    maxLearn = Math.max(maxLearn, learn);
    sumLearn += learn;
  }
  const step = maxCompute + drain + chip.params.barrierDelay;
  const S = a.samples;
  const input = (S + (a.inputParts ?? 0)) * (drain + chip.params.barrierDelay) + S * chip.params.resetDelay + Math.ceil(a.inputFlits / chip.params.io.flitsPerCycle);
  const bd = chip.params.barrierDelay;
  const learning = a.learning ? S * (bd + k.learning.startDelay) + maxLearn : 0;
  const readout = S * (Math.max(maxOutRows + k.pipelineDepth, a.readoutFlits / Math.max(1, S)) + drain + bd);
  const steps = S * a.stepsPerSample;
  return {
    cycles: Math.ceil(input + steps * step + readout + learning + S * bd),
    coreActiveCycles: steps * (sumCompute - m.usedCores.length * k.pipelineDepth) + S * outRows + sumLearn,
    stepCycles: step,
    learningCycles: learning,
  };
}
