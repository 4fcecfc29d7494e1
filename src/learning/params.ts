/**
 * Declarations of the experiment-config sections that define the integer network and
 * its learning rule: `network` (layer sizes), `dynamics` (neuron registers and update)
 * and `learning` (EP nudging and plasticity). The config loader composes these
 * sections; the functional model and the chip both read the validated values.
 */
import type { FaultParams } from '../faults/params';
import type { IntArrayParam, SectionParam } from '../config/param';
import { userError } from '../util/errors';
import { RULES, ruleDefinition, ruleNames, ruleParams } from './rules';

/** Largest exponent k allowed for beta = 2^k (a shift of at most 8 places either way). */
export const BETA_SHIFT_LIMIT = 8;

function perLayer(doc: string, def: number[], min: number, max: number, unit: string): IntArrayParam {
  return { kind: 'intArray', default: def, min, max, minLength: 1, unit, doc };
}

/** The `network` section: layer sizes of the layered EP network. */
export const NETWORK_SECTION: SectionParam = {
  kind: 'section',
  doc: 'layer sizes of the EP network (input, hidden layers, replicated output)',
  fields: {
    inputs: { kind: 'int', default: 784, min: 1, max: 1 << 20, unit: 'bits', doc: 'input bits (one per binarised pixel)' },
    hidden: {
      kind: 'intArray',
      default: [512],
      min: 1,
      max: 1 << 16,
      minLength: 1,
      unit: 'neurons',
      doc: 'neurons of each hidden layer, input side first',
    },
    classes: { kind: 'int', default: 10, min: 2, max: 4096, unit: 'classes', doc: 'number of classes' },
    replicas: {
      kind: 'int',
      default: 10,
      min: 1,
      max: 1024,
      unit: 'neurons',
      doc: 'output neurons per class; the readout sums their states',
    },
  },
};

/** The `dynamics` section: neuron registers and the integer state update. */
export const DYNAMICS_SECTION: SectionParam = {
  kind: 'section',
  doc: 'integer neuron dynamics: P = kFwd*dotFwd + kBwd*dotBwd + bias + offset (+ nudge); S <- sat(S + ((P - S) >> stateShift))',
  fields: {
    encoding: {
      kind: 'enum',
      values: ['binary', 'spin'],
      default: 'binary',
      doc: 'activation encoding: binary = {0,1} spikes (AND-popcount), spin = +-1 (XNOR-popcount)',
    },
    stateBits: {
      kind: 'int',
      default: 8,
      min: 2,
      max: 24,
      unit: 'bits',
      doc: 'unsigned state register width; Smax = 2^stateBits - 1, spike = S >= 2^(stateBits-1)',
    },
    accumulatorBits: {
      kind: 'int',
      default: 16,
      min: 4,
      max: 31,
      unit: 'bits',
      doc: 'signed saturating accumulator width for the pre-activation P and S + P',
    },
    freeSteps: { kind: 'int', default: 20, min: 1, max: 10000, unit: 'steps', doc: 'T1: steps of the free phase' },
    nudgedSteps: { kind: 'int', default: 10, min: 1, max: 10000, unit: 'steps', doc: 'T2: steps of each nudged phase' },
    kFwd: perLayer(
      'integer multiplier of the forward dot product, one per weight layer (input side first; one value = all layers)',
      [12, 8],
      0,
      1 << 12,
      'state units per dot unit',
    ),
    kBwd: perLayer(
      'integer multiplier of the feedback dot product, one per hidden layer (one value = all hidden layers)',
      [16],
      0,
      1 << 12,
      'state units per dot unit',
    ),
    offset: {
      kind: 'intArray',
      default: [0],
      min: -(1 << 20),
      max: 1 << 20,
      minLength: 1,
      unit: 'state units',
      doc: 'constant added to P, one per non-input layer (one value = all); 2^(stateBits-1) centres spin neurons so dot = 0 sits at the spike threshold',
    },
    stateShift: {
      kind: 'int',
      default: 1,
      min: 0,
      max: 8,
      doc: 'leak of the state update: S moves 2^-stateShift of the way to P each step (1 = (S + P) >> 1)',
    },
    resetState: {
      kind: 'enum',
      values: ['zero', 'max'],
      default: 'zero',
      doc: 'state of every non-input neuron at the start of a sample (zero: silent, max: Smax, all spiking)',
    },
    bias: { kind: 'bool', default: false, doc: 'per-neuron integer bias added to P (learned with learning.biasStep)' },
    biasBits: { kind: 'int', default: 8, min: 2, max: 24, unit: 'bits', doc: 'signed saturating bias register width' },
  },
  check: (v) => {
    const stateBits = v['stateBits'] as number;
    const acc = v['accumulatorBits'] as number;
    if (stateBits + 1 >= acc) return ['stateBits', `must be less than accumulatorBits - 1 (${acc - 1}), got ${stateBits}`];
    const biasBits = v['biasBits'] as number;
    if (biasBits >= acc) return ['biasBits', `must be less than accumulatorBits (${acc}), got ${biasBits}`];
    return null;
  },
};

/** The `learning` section: EP nudging and the plasticity rule. */
export const LEARNING_SECTION: SectionParam = {
  kind: 'section',
  doc: 'EP nudging and the integer plasticity rule',
  fields: {
    rule: {
      kind: 'enum',
      values: ruleNames(),
      default: 'counter',
      doc: `plasticity rule, one of the registered rules (src/learning/rules): ${RULES.map((r) => `${r.name} = ${r.summary}`).join('; ')}`,
    },
    beta: {
      kind: 'number',
      default: 2,
      min: 2 ** -BETA_SHIFT_LIMIT,
      max: 2 ** BETA_SHIFT_LIMIT,
      doc: 'nudging strength, a power of two (applied as a shift): output P += beta * (y*Smax - Sref)',
    },
    randomSign: {
      kind: 'bool',
      default: true,
      doc: 'draw the sign of beta per sample from the seeded stream beta-sign (no effect with symmetric nudging: the +beta and -beta phases then only swap order, the update is the same bits)',
    },
    symmetric: {
      kind: 'bool',
      default: true,
      doc: 'symmetric nudging: a +beta and a -beta phase, both from the stored free state (costs a stored state per neuron)',
    },
    nudgeReference: {
      kind: 'enum',
      values: ['state', 'free'],
      default: 'state',
      doc: 'Sref of the nudge: the current state, or the stored free-phase state',
    },
    contrast: {
      kind: 'enum',
      values: ['product', 'first-order'],
      default: 'product',
      doc: 'contribution of a synapse: product = sgn(beta) (xa_i xa_j - xb_i xb_j); first-order = sgn(beta) sign(x0_i (xa_j - xb_j) + x0_j (xa_i - xb_i)) with x0 the free phase (the product rule around the free state, without the second-order term; binary encoding only)',
    },
    ...ruleParams(),
    biasStep: {
      kind: 'int',
      default: 1,
      min: 0,
      max: 1 << 10,
      unit: 'state units',
      doc: 'bias update per sample: b += biasStep * sgn(beta) * (x_nudged - x_free), saturating; 0 = frozen',
    },
    homeoUp: perLayer(
      'homeostasis: bias increase per training sample of a neuron silent at the end of the free phase, one per non-input layer (one value = all; 0 = off; needs dynamics.bias)',
      [0],
      0,
      1 << 10,
      'state units',
    ),
    homeoDown: perLayer(
      'homeostasis: bias decrease per training sample of a neuron spiking at the end of the free phase, one per non-input layer; the bias settles where the neuron spikes in homeoUp / (homeoUp + homeoDown) of the samples',
      [0],
      0,
      1 << 10,
      'state units',
    ),
  },
  check: (v) => {
    const beta = v['beta'] as number;
    const k = Math.log2(beta);
    if (!Number.isInteger(k)) return ['beta', `expected a power of two (..., 0.25, 0.5, 1, 2, 4, ...), got ${beta}`];
    const rule = ruleDefinition(v['rule'] as string);
    // A schedule the selected rule would ignore is a mistake worth naming.
    if (((v['thetaGrowth'] as number | undefined) ?? 0) > 0 && !('thetaGrowth' in rule.params)) {
      return ['thetaGrowth', `grows the counter rule's theta; learning.rule "${rule.name}" has no such schedule (set learning.rule to "counter" or thetaGrowth to 0)`];
    }
    return rule.check !== undefined ? rule.check(v) : null;
  },
};

/** Validated `network` section. */
export interface NetworkParams {
  inputs: number;
  hidden: number[];
  classes: number;
  replicas: number;
}

/** Validated `dynamics` section. */
export interface DynamicsParams {
  encoding: 'binary' | 'spin';
  stateBits: number;
  accumulatorBits: number;
  freeSteps: number;
  nudgedSteps: number;
  kFwd: number[];
  kBwd: number[];
  offset: number[];
  stateShift: number;
  resetState: 'zero' | 'max';
  bias: boolean;
  biasBits: number;
}

/** Validated `learning` section. */
export interface LearningParams {
  /** A registered rule name (src/learning/rules); the rule reads its own parameters from this section by name. */
  rule: string;
  beta: number;
  randomSign: boolean;
  symmetric: boolean;
  nudgeReference: 'state' | 'free';
  /** Contribution of a synapse (absent = product). */
  contrast?: 'product' | 'first-order';
  counterBits: number;
  theta: number[];
  leakShift: number;
  hiddenRange: number;
  hiddenInit: number;
  biasStep: number;
  homeoUp: number[];
  homeoDown: number[];
}

/** The three sections together: everything the integer network needs. */
export interface ModelParams {
  network: NetworkParams;
  dynamics: DynamicsParams;
  learning: LearningParams;
  /** Permanent faults of the chip (absent or all rates 0: fault-free). */
  faults?: FaultParams;
}

/** Layer sizes, input first: [inputs, ...hidden, classes * replicas]. */
export function layerSizes(n: NetworkParams): number[] {
  return [n.inputs, ...n.hidden, n.classes * n.replicas];
}

/**
 * Cross-section check of validated sections (per-layer arrays must have one entry or
 * one per layer); throws a UserError naming `file` and the JSON path.
 */
export function checkModelParams(p: ModelParams, file: string): void {
  const weightLayers = p.network.hidden.length + 1;
  const hiddenLayers = p.network.hidden.length;
  const lengths: Array<[string, number[], number]> = [
    ['dynamics.kFwd', p.dynamics.kFwd, weightLayers],
    ['dynamics.kBwd', p.dynamics.kBwd, hiddenLayers],
    ['dynamics.offset', p.dynamics.offset, weightLayers],
    ['learning.theta', p.learning.theta, weightLayers],
    ['learning.homeoUp', p.learning.homeoUp, weightLayers],
    ['learning.homeoDown', p.learning.homeoDown, weightLayers],
  ];
  for (const [path, arr, n] of lengths) {
    if (arr.length !== 1 && arr.length !== n) {
      throw userError(file, path, `expected 1 or ${n} values (one per layer), got ${arr.length}`);
    }
  }
  const homeo = p.learning.homeoUp.some((v) => v > 0) || p.learning.homeoDown.some((v) => v > 0);
  if (homeo && !p.dynamics.bias) throw userError(file, 'learning.homeoUp', 'homeostasis moves the neurons\' biases: set dynamics.bias to true');
  if (firstOrderContrast(p.learning) && p.dynamics.encoding !== 'binary') throw userError(file, 'learning.contrast', `"first-order" is built for {0,1} spikes: set dynamics.encoding to "binary" or learning.contrast to "product"`);
}

/** Payload bits of a post-spike packet to a split layer's slices: phases A and B, plus the free phase for the first-order contrast. */
export function postSpikePayloadBits(l: LearningParams): number {
  return firstOrderContrast(l) ? 3 : 2;
}

/** Whether the rule contrasts the phases to first order (learning.contrast "first-order"). */
export function firstOrderContrast(l: LearningParams): boolean {
  return (l.contrast ?? 'product') === 'first-order';
}

/** Entry `i` of a per-layer array that may hold a single broadcast value. */
export function perLayerValue(arr: readonly number[], i: number): number {
  return (arr.length === 1 ? arr[0] : arr[i]) as number;
}

/** The exponent k of beta = 2^k (validated to be an integer). */
export function betaShift(beta: number): number {
  return Math.round(Math.log2(beta));
}
