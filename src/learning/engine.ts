/**
 * The contract every executable network model honours: the functional model
 * (src/model), the cycle-accurate chip (src/chip) and the float reference. The
 * trainer (src/train) drives an Engine and knows nothing of how it computes.
 *
 * Randomness that the trainer owns (sample order, the sign of beta) is passed in,
 * so two engines fed the same calls must end in the same state; the integer
 * engines must agree bit for bit (NetworkSnapshot equality).
 */
import type { CounterSnapshot } from '../sim/counter-catalog';

/** What to do with one sample. */
export type SampleMode =
  /** readKey: 32-bit key of the sample's transient SRAM read flips (faults.readFlipRate; src/faults/read-flips.ts sampleReadKey), default 0. */
  | { learn: false; readKey?: number }
  /**
   * betaSign: sign of the nudge for this sample (+1 or -1), drawn by the trainer;
   * plasticityKey: 32-bit key for plasticity rules that draw random numbers (default 0);
   * epoch: the trainer's 0-based epoch, for rules with a schedule (default 0).
   */
  | { learn: true; betaSign: 1 | -1; plasticityKey?: number; readKey?: number; epoch?: number };

/** Outcome of one sample. */
export interface SampleResult {
  /** Predicted class at the end of the free phase (argmax, ties to the lowest class). */
  prediction: number;
  /**
   * Learning samples of engines that can tell: output neurons whose free-phase spike
   * disagrees with the label's target code (src/learning/learn-counts.ts outputErrors).
   */
  outputErrors?: number;
}

/** Declared register widths in bits: neuron states (unsigned), learning registers and biases (signed). */
export interface SnapshotWidths {
  states: number;
  synapseState: number;
  biases: number;
}

/**
 * Canonical, layout-independent state of an integer network, for bit-exact
 * comparison, checkpoints and weight files. Layer 0 is the input; layer l >= 1 has
 * weights from layer l-1.
 */
export interface NetworkSnapshot {
  /** Neurons per layer, input first (layers[0] = input bits). */
  layers: number[];
  /** Register widths the values fit, as the experiment declares them (absent: 32-bit values, e.g. float bit patterns); weights files store the values at these widths. */
  widths?: SnapshotWidths;
  /** Per layer l >= 1 (index l-1): neuron states S, one per neuron. */
  states: Int32Array[];
  /** Per layer l >= 0: current spike bits, packed (bit i in word i>>>5). */
  spikes: Uint32Array[];
  /**
   * Per layer l >= 1 (index l-1): binary weights W_l, row-major n_l x n_{l-1}, each row
   * padded to whole 32-bit words; bit set = weight +1, clear = weight -1.
   */
  weights: Uint32Array[];
  /**
   * Per layer l >= 1 (index l-1): per-synapse learning state in the same row-major
   * order (plasticity counter H, or integer hidden weight h), n_l * n_{l-1} values.
   */
  synapseState: Int32Array[];
  /** Per layer l >= 1 (index l-1): integer biases, or empty when biases are off. */
  biases: Int32Array[];
}

/** A network that can be trained and evaluated sample by sample. */
export interface Engine {
  /** Present one sample (packed input bits, label 0..classes-1); `mode` may be reused by the caller, so do not keep it. */
  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult;
  /** Every counter so far (functional engines report the `functional` counters). */
  counters(): CounterSnapshot;
  /** Current state; the engine keeps no reference to the returned arrays. */
  snapshot(): NetworkSnapshot;
  /** Replace the state (weights, learning state, biases; states/spikes too). */
  restore(s: NetworkSnapshot): void;
  /** Totals behind the engine's run reports so far (JSON), for checkpoints, so a resumed run reports the whole run; absent: no reports. */
  reportTotals?(): unknown;
  /** Continue the run reports from `totals` of an earlier process (taken by reportTotals; null: nothing earlier). */
  carryReportTotals?(totals: unknown): void;
  /**
   * Write the learning counts of this engine's life so far into `into`: per weight layer
   * l >= 1, LEARN_COUNT_NAMES of src/learning/learn-counts.ts at (l-1)*3 .. (l-1)*3+2
   * (absent: the engine has no integer learning phase, e.g. the float reference).
   */
  learningCounts?(into: Float64Array): void;
}
