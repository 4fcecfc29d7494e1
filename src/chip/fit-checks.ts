/**
 * What the chip checks about a network before simulating, beyond the mapping
 * (src/map): registers no wider than the core's, and a readout that fits the
 * packet's address field. Each refusal is a one-line UserError naming the chip file,
 * the JSON path and by how much.
 */
import { ruleForLayer } from '../learning/neuron-block';
import { ruleDefinition } from '../learning/rules';
import type { ModelParams } from '../learning/params';
import { userError } from '../util/errors';
import type { ChipDescription } from '../hw/chip-file';
import { bitsFor } from '../hw/packet';

/** JSON path of the size of layer l (input first) in the `network` config section. */
export function networkPath(l: number, L: number): string {
  if (l === 0) return 'network.inputs';
  if (l === L) return 'network.classes x network.replicas';
  return `network.hidden[${l - 1}]`;
}

/** Refuse a network whose registers are wider than the chip's. */
export function checkWidths(model: ModelParams, desc: ChipDescription, configFile: string): void {
  const core = desc.params.core;
  const checks: Array<[string, number, string, number]> = [
    ['dynamics.stateBits', model.dynamics.stateBits, 'core.stateBits', core.stateBits],
    ['dynamics.accumulatorBits', model.dynamics.accumulatorBits, 'core.accumulatorBits', core.accumulatorBits],
  ];
  const synBits = ruleForLayer(model, 1).synapseBits;
  const synPath = `learning.${ruleDefinition(model.learning.rule).widthParam}`;
  checks.push([synPath, synBits, 'core.counterBits', core.counterBits]);
  for (const [cfgPath, need, chipPath, have] of checks) {
    if (need > have) {
      throw userError(desc.file, chipPath, `the network's ${cfgPath} = ${need} (${configFile}) is wider than the core's ${have}-bit register: ${need - have} bits too many`);
    }
  }
}

/** Bits of one readout class sum: a class sum is at most replicas * Smax. */
export function readoutSumBits(model: ModelParams): number {
  return bitsFor(model.network.replicas * (2 ** model.dynamics.stateBits - 1) + 1);
}

/** Refuse a readout whose classes x sumBits addresses exceed the packet's axon field. */
export function checkReadout(model: ModelParams, desc: ChipDescription): void {
  const sumBits = readoutSumBits(model);
  const fieldBits = bitsFor(desc.params.core.axons);
  const addresses = 2 ** fieldBits;
  const need = model.network.classes * sumBits;
  if (need > addresses) {
    throw userError(
      desc.file,
      'core.axons',
      `the readout of ${model.network.classes} class sums x ${sumBits} bits needs ${need} packet addresses but the axon field of ${fieldBits} bits has ${addresses}: ${need - addresses} too many`,
    );
  }
}
