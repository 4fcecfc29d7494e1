/**
 * Pluggable per-synapse plasticity rules, shared by the functional model and the
 * chip's cores. A rule updates one row segment (the synapses of one post-synaptic
 * neuron from one neighbour layer) from the increment/decrement masks of the EP
 * contribution c_j = sgn(beta) * (x_i^A x_j^A - x_i^B x_j^B) in {-1, 0, +1}
 * (A = nudged phase, B = free or opposite phase). Each synapse's update reads only
 * its own weight bit, its own learning register and c_j, so any split of a layer's
 * rows over cores gives the same bits.
 */
import type { PlasticityTally } from '../kernels';

/** A plasticity rule applied to one row segment at a time. */
export interface PlasticityRule {
  /** Config name of the rule. */
  readonly name: 'counter' | 'hidden';
  /** Width of one synapse's learning register, in bits (sets learning SRAM traffic). */
  readonly synapseBits: number;
  /** True when rows with an all-zero contribution must still be updated (a leak is due). */
  readonly visitsIdleRows: boolean;
  /** Learning register value of a fresh synapse whose weight bit is `w` (1 = +1, 0 = -1). */
  initialState(w: number): number;
  // Implementations repeat this parameter list on purpose: the hot per-row call takes plain
  // positional arguments (no argument object to allocate, no rest tuple hiding the names).
  /**
   * Update the nBits synapses of one row segment: weight bits at weights[wOff..],
   * registers at syn[sOff..] (one per bit of the padded row), masks at inc/dec[mOff..].
   */
  updateRow(
    weights: Uint32Array,
    wOff: number,
    syn: Int8Array,
    sOff: number,
    nBits: number,
    inc: Uint32Array,
    dec: Uint32Array,
    mOff: number,
    tally: PlasticityTally,
  ): void;
}
