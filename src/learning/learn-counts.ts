/**
 * What the learning phase did, per weight layer: the statistics a learning-rule
 * researcher reads (weight flips, clipped register updates, neurons whose spikes differ
 * between the two phases the rule compares). Blocks and synapse slices count them in
 * their learning loops; engines sum them per layer (Engine.learningCounts).
 */

/** The per-layer learning counts, in the order of an Engine.learningCounts vector. */
export const LEARN_COUNT_NAMES = ['weightFlips', 'counterSaturations', 'spikeDiffs'] as const;

/** Counts per layer in a learningCounts vector. */
export const LEARN_COUNT_FIELDS = LEARN_COUNT_NAMES.length;

/** Running learning counts of one block or slice (plain number fields: monomorphic in the hot loop). */
export class LearnCounts {
  /** Flipped weight bits of W_l (forward copies only, so each synapse counts once). */
  weightFlips = 0;
  /** Register updates of W_l clipped at the register's range (forward copies only). */
  counterSaturations = 0;
  /** Neurons of layer l (home rows) whose spike differed between phase A and phase B, summed over learning phases. */
  spikeDiffs = 0;
}

/** Add a block's counts into `into` at weight layer `layer` (1-based) of a learningCounts vector. */
export function addLearnCounts(into: Float64Array, layer: number, c: LearnCounts): void {
  const at = (layer - 1) * LEARN_COUNT_FIELDS;
  into[at] = (into[at] as number) + c.weightFlips;
  into[at + 1] = (into[at + 1] as number) + c.counterSaturations;
  into[at + 2] = (into[at + 2] as number) + c.spikeDiffs;
}

/**
 * Squared error of the free phase's output spikes against the label's target code
 * (the label's `replicas` neurons spike, every other stays silent): the number of
 * output neurons that disagree, which is 2 * (1/2) * sum_k (y_k - s_k)^2 for binary s, y.
 * `spikes` holds rows [rowStart, rowStart + rows) of the output layer at bits 0..rows-1.
 */
export function outputErrors(spikes: Uint32Array, rowStart: number, rows: number, label: number, replicas: number): number {
  let errors = 0;
  const first = label * replicas;
  const last = first + replicas;
  for (let r = 0; r < rows; r++) {
    const g = rowStart + r;
    const s = ((spikes[r >>> 5] as number) >>> (r & 31)) & 1;
    const y = g >= first && g < last ? 1 : 0;
    errors += s ^ y;
  }
  return errors;
}
