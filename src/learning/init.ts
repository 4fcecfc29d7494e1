/**
 * The initial network of an experiment, in the canonical snapshot format shared by the
 * functional model and the chip: uniform random binary weights drawn word by word from
 * rngStream(seed, 'weights') (layer 1 first, rows in order, tail bits cleared), learning
 * registers at the rule's initial value for each weight, biases and states at zero.
 */
import { tailMask, wordsFor } from '../kernels';
import { rngStream } from '../util/rng';
import type { NetworkSnapshot } from './engine';
import { ruleForLayer } from './neuron-block';
import { layerSizes } from './params';
import type { ModelParams } from './params';

/**
 * An all-zero snapshot with the shapes of network `p`; with `synapses` false the weights
 * and learning registers are empty arrays (a caller fills the layers it needs, e.g. one
 * at a time from InitialLayers).
 */
export function emptySnapshot(p: ModelParams, synapses = true): NetworkSnapshot {
  const layers = layerSizes(p.network);
  let synapseBits = 1;
  for (let l = 1; l < layers.length; l++) synapseBits = Math.max(synapseBits, ruleForLayer(p, l).synapseBits);
  const widths = { states: p.dynamics.stateBits, synapseState: synapseBits, biases: p.dynamics.biasBits };
  const s: NetworkSnapshot = { layers, widths, states: [], spikes: [], weights: [], synapseState: [], biases: [] };
  s.spikes.push(new Uint32Array(wordsFor(layers[0] as number)));
  for (let l = 1; l < layers.length; l++) {
    const n = layers[l] as number;
    const m = layers[l - 1] as number;
    s.states.push(new Int32Array(n));
    s.spikes.push(new Uint32Array(wordsFor(n)));
    s.weights.push(new Uint32Array(synapses ? n * wordsFor(m) : 0));
    s.synapseState.push(new Int32Array(synapses ? n * m : 0));
    s.biases.push(new Int32Array(p.dynamics.bias ? n : 0));
  }
  return s;
}

/**
 * The initial weights and learning registers of experiment `p` drawn layer by layer
 * (layer 1 first, rows in order, as initialSnapshot does), so that a chip can load the
 * network a layer at a time instead of holding every register as a 32-bit value.
 */
export class InitialLayers {
  private readonly rng: ReturnType<typeof rngStream>;
  private readonly layers: number[];
  private readonly p: ModelParams;
  private next = 1;

  constructor(p: ModelParams, seed: number | string) {
    this.p = p;
    this.layers = layerSizes(p.network);
    this.rng = rngStream(seed, 'weights');
  }

  /**
   * Draw layer l (the next one: 1, 2, ... in turn) into W (n_l rows of wordsFor(n_{l-1})
   * words) and its learning registers into H (n_l * n_{l-1} values; null: not wanted,
   * the same weights are drawn).
   */
  draw(l: number, W: Uint32Array, H: Int32Array | null): void {
    if (l !== this.next) throw new RangeError(`initial layers are drawn in order: layer ${this.next} next, not ${l}`);
    this.next++;
    const n = this.layers[l] as number;
    const m = this.layers[l - 1] as number;
    const words = wordsFor(m);
    const tail = tailMask(m);
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < words; k++) {
        const v = rng.uint32();
        W[i * words + k] = k === words - 1 ? (v & tail) >>> 0 : v;
      }
    }
    if (H === null) return;
    const rule = ruleForLayer(this.p, l);
    const h0 = rule.initialState(0);
    const h1 = rule.initialState(1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) H[i * m + j] = ((W[i * words + (j >>> 5)] as number) >>> (j & 31)) & 1 ? h1 : h0;
    }
  }
}

/** The initial network of experiment `p` with seed `seed`. */
export function initialSnapshot(p: ModelParams, seed: number | string): NetworkSnapshot {
  const s = emptySnapshot(p);
  const g = new InitialLayers(p, seed);
  for (let l = 1; l < s.layers.length; l++) g.draw(l, s.weights[l - 1] as Uint32Array, s.synapseState[l - 1] as Int32Array);
  return s;
}

/** A deep copy of a snapshot. */
export function cloneSnapshot(s: NetworkSnapshot): NetworkSnapshot {
  return {
    layers: s.layers.slice(),
    ...(s.widths !== undefined ? { widths: { ...s.widths } } : {}),
    states: s.states.map((a) => a.slice()),
    spikes: s.spikes.map((a) => a.slice()),
    weights: s.weights.map((a) => a.slice()),
    synapseState: s.synapseState.map((a) => a.slice()),
    biases: s.biases.map((a) => a.slice()),
  };
}
