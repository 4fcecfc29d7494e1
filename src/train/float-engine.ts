/**
 * The float EP reference (src/model/float-ep.ts) behind the Engine contract, so the
 * trainer, checkpoints and run folders treat it like the integer engines.
 * Inputs: the packed bits become 0.0 / 1.0 pixels (the same binarised data as the
 * integer model), or, with float.binaryInput = false, each byte of the row (src/data
 * greyRows: pixel p in bits 8p .. 8p+7) becomes the grey level g / 255. Snapshot: each float32 weight and bias is stored losslessly as its
 * IEEE-754 bit pattern in synapseState / biases (row-major, W_l[i][j] at i * n_{l-1} + j),
 * and the binary `weights` hold sign(W) (bit set = W >= 0); states and spikes are zero
 * because the float network resets its states at every sample.
 */
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { Engine, NetworkSnapshot, SampleMode, SampleResult } from '../learning/engine';
import type { NetworkParams } from '../learning/params';
import { FloatEpNetwork } from '../model/float-ep';
import type { FloatParams } from '../model/float-params';

/** The float reference as an Engine. */
export class FloatReferenceEngine implements Engine {
  private readonly net: FloatEpNetwork;
  private readonly x: Float32Array;
  private samples = 0;

  private readonly grey: boolean;

  constructor(network: NetworkParams, params: FloatParams, seed: number) {
    this.net = new FloatEpNetwork(network, params, seed);
    this.x = new Float32Array(this.net.sizes[0] as number);
    this.grey = !params.binaryInput;
  }

  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    const x = this.x;
    if (this.grey) for (let i = 0; i < x.length; i++) x[i] = (((input[i >>> 2] as number) >>> (8 * (i & 3))) & 255) / 255;
    else for (let i = 0; i < x.length; i++) x[i] = ((input[i >>> 5] as number) >>> (i & 31)) & 1;
    this.samples++;
    const prediction = mode.learn ? this.net.runSample(x, label, true, mode.betaSign) : this.net.runSample(x, label, false, 1);
    return { prediction };
  }

  counters(): CounterSnapshot {
    // The float reference models no hardware: it only counts samples.
    return { components: { chip: { kind: 'chip', counts: { samples: this.samples } } } };
  }

  snapshot(): NetworkSnapshot {
    const sizes = this.net.sizes;
    const s: NetworkSnapshot = { layers: sizes.slice(), states: [], spikes: [new Uint32Array((sizes[0] as number + 31) >>> 5)], weights: [], synapseState: [], biases: [] };
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l] as number;
      const m = sizes[l - 1] as number;
      const words = (m + 31) >>> 5;
      const Wt = this.net.Wt[l - 1] as Float32Array;
      const bitsOfWt = new Int32Array(Wt.buffer, Wt.byteOffset, Wt.length);
      const synapse = new Int32Array(n * m);
      const signs = new Uint32Array(n * words);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          synapse[i * m + j] = bitsOfWt[j * n + i] as number;
          if ((Wt[j * n + i] as number) >= 0) signs[i * words + (j >>> 5)] = ((signs[i * words + (j >>> 5)] as number) | (1 << (j & 31))) >>> 0;
        }
      }
      const b = this.net.b[l - 1] as Float32Array;
      s.states.push(new Int32Array(n));
      s.spikes.push(new Uint32Array((n + 31) >>> 5));
      s.weights.push(signs);
      s.synapseState.push(synapse);
      s.biases.push(new Int32Array(b.buffer, b.byteOffset, b.length).slice());
    }
    return s;
  }

  restore(s: NetworkSnapshot): void {
    const sizes = this.net.sizes;
    if (s.layers.join('-') !== sizes.join('-')) throw new RangeError(`snapshot layers ${s.layers.join('-')} do not match float network ${sizes.join('-')}`);
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l] as number;
      const m = sizes[l - 1] as number;
      const Wt = this.net.Wt[l - 1] as Float32Array;
      const bitsOfWt = new Int32Array(Wt.buffer, Wt.byteOffset, Wt.length);
      const synapse = s.synapseState[l - 1] as Int32Array;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) bitsOfWt[j * n + i] = synapse[i * m + j] as number;
      const b = this.net.b[l - 1] as Float32Array;
      new Int32Array(b.buffer, b.byteOffset, b.length).set(s.biases[l - 1] as Int32Array);
    }
  }
}
