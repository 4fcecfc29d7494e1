/**
 * The plasticity-rule plug-in contract. A rule is one file in this folder exporting a
 * RuleDefinition, plus one line in ./index.ts. The definition declares the rule's
 * parameters (fields of the `learning` config section), builds the per-layer
 * PlasticityRule that both models run, and gives a per-synapse reference written from
 * the rule's equation, which the oracle tests compare the fast row update against.
 *
 * A rule updates one row segment (the synapses of one post-synaptic neuron from one
 * neighbour layer) from the increment/decrement masks of the EP contribution
 * c_j = sgn(beta) * (x_i^A x_j^A - x_i^B x_j^B) in {-1, 0, +1} (A = nudged phase,
 * B = free or opposite phase). Each synapse's update may read only its own weight bit,
 * its own learning register, c_j and its SynapseSite, so any split of a layer's rows
 * over cores gives the same bits, and the backward copy of a synapse (kept by the
 * layer below) stays equal to its forward copy.
 */
import type { Param } from '../../config/param';
import type { PlasticityTally } from '../../kernels';

/** Where a row segment sits and which sample it learns from; the block fills one in per row (no allocation). */
export interface SynapseSite {
  /** Weight layer l (1-based): the segment holds synapses of W_l (layer l-1 -> layer l). */
  layer: number;
  /** Global index of the neuron that owns the row. */
  row: number;
  /** false: forward segment, synapse (post = row, pre = j); true: backward copy, synapse (post = j, pre = row). */
  transposed: boolean;
  /** Per-sample 32-bit key drawn by the trainer (stream `plasticity-key/epoch-e`); 0 when none is given. */
  sampleKey: number;
  /** The trainer's 0-based epoch of the sample (rules with a schedule read it); 0 when none is given. */
  epoch: number;
  /** Global index of the segment's first column j in its layer (0 for a whole row; a split layer's slice starts further on). */
  colBase: number;
}

/** A plasticity rule applied to one row segment at a time. */
export interface PlasticityRule {
  /** Config name of the rule. */
  readonly name: string;
  /** Width of one synapse's learning register, in bits (sets learning SRAM traffic and its energy). */
  readonly synapseBits: number;
  /** True when rows with an all-zero contribution must still be updated (a leak is due). */
  readonly visitsIdleRows: boolean;
  /** Learning register value of a fresh synapse whose weight bit is `w` (1 = +1, 0 = -1). */
  initialState(w: number): number;
  // Registers are held at their width as bit-planes (kernels/bit-planes.ts RegisterPlanes):
  // plane p of the row at planes[pOff + p * planeStride ..], synapseBits planes.
  // Implementations repeat this parameter list on purpose: the hot per-row call takes plain
  // positional arguments (no argument object to allocate, no rest tuple hiding the names).
  /**
   * Update the nBits synapses of one row segment: weight bits at weights[wOff..],
   * register planes at planes[pOff..] (plane stride planeStride words), masks at inc/dec[mOff..].
   */
  updateRow(
    weights: Uint32Array,
    wOff: number,
    planes: Uint32Array,
    pOff: number,
    planeStride: number,
    nBits: number,
    inc: Uint32Array,
    dec: Uint32Array,
    mOff: number,
    tally: PlasticityTally,
    site: SynapseSite,
  ): void;
}

/** The validated `learning` section as a rule reads it (its own parameters by name). */
export type RuleSettings = Readonly<Record<string, unknown>>;

/** One synapse as the per-synapse reference sees it. */
export interface SynapseRef {
  /** Weight layer l (1-based). */
  layer: number;
  /** Post-synaptic neuron (layer l) and pre-synaptic neuron (layer l-1), global indices. */
  post: number;
  pre: number;
  /** The sample key of SynapseSite. */
  sampleKey: number;
  /** The epoch of SynapseSite. */
  epoch: number;
}

/** Everything the simulator needs to know about a plasticity rule. */
export interface RuleDefinition {
  /** Config name (`learning.rule`). */
  readonly name: string;
  /** One line for docs/learning.md and `bitspike info`: what the rule does. */
  readonly summary: string;
  /** Where the rule comes from (paper). */
  readonly reference: string;
  /**
   * The rule's parameters, declared as fields of the `learning` section (validated with
   * their ranges, listed by `info`, generated into docs/config-reference.md). Two rules
   * may share a field only by declaring the very same Param object.
   */
  readonly params: Readonly<Record<string, Param>>;
  /** JSON path (under `learning`) of the parameter that sets the register width, named when it does not fit the chip. */
  readonly widthParam: string;
  /** Cross-field check of the validated section when this rule is selected: [path under learning, problem] or null. */
  check?(s: RuleSettings): [string, string] | null;
  /** The rule of weight layer `layer` (1-based). */
  create(s: RuleSettings, layer: number): PlasticityRule;
  /**
   * The rule's equation for one synapse, written plainly (the oracle the fast row update
   * is tested against): weight w (1 = +1, 0 = -1) and register h after contribution c, and
   * whether the register's range clipped the update (PlasticityTally.countersSaturated).
   */
  referenceUpdate(s: RuleSettings, at: SynapseRef, w: number, h: number, c: number): [number, number, boolean];
  /**
   * Settings (fields of `learning` this rule reads) that the randomised oracle and
   * chip-vs-functional tests draw from: small values that make weights flip often.
   */
  readonly testSettings: readonly RuleSettings[];
}
