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

/** An all-zero snapshot with the shapes of network `p`. */
export function emptySnapshot(p: ModelParams): NetworkSnapshot {
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
    s.weights.push(new Uint32Array(n * wordsFor(m)));
    s.synapseState.push(new Int32Array(n * m));
    s.biases.push(new Int32Array(p.dynamics.bias ? n : 0));
  }
  return s;
}

/** The initial network of experiment `p` with seed `seed`. */
export function initialSnapshot(p: ModelParams, seed: number | string): NetworkSnapshot {
  const s = emptySnapshot(p);
  const rng = rngStream(seed, 'weights');
  for (let l = 1; l < s.layers.length; l++) {
    const n = s.layers[l] as number;
    const m = s.layers[l - 1] as number;
    const words = wordsFor(m);
    const tail = tailMask(m);
    const W = s.weights[l - 1] as Uint32Array;
    const H = s.synapseState[l - 1] as Int32Array;
    const rule = ruleForLayer(p, l);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < words; k++) {
        const v = rng.uint32();
        W[i * words + k] = k === words - 1 ? (v & tail) >>> 0 : v;
      }
      for (let j = 0; j < m; j++) {
        H[i * m + j] = rule.initialState(((W[i * words + (j >>> 5)] as number) >>> (j & 31)) & 1);
      }
    }
  }
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
