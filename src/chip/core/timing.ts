/**
 * Cycle costs of the neuron core (docs/timing-model.md, "Neuron core"):
 *   W_i = ceil(fanIn_i / wordBits)                      SRAM words of row i
 *   R_i = ceil(W_i / banks)                             datapath cycles of row i
 *   C_i = t_step + sum_{m<=i} R_m + pipelineDepth + sum_{m<i} stall_m   commit cycle
 *   L_i = rowPasses * ceil(W_i * (1 + counterBits) / banks)            learning cycles of row i
 */

/** SRAM words of a row with `fanIn` weight bits. */
export function rowWords(fanIn: number, wordBits: number): number {
  return Math.ceil(fanIn / wordBits);
}

/** Datapath cycles of a row of `words` SRAM words read `banks` at a time. */
export function rowCycles(words: number, banks: number): number {
  return Math.max(1, Math.ceil(words / banks));
}

/** Learning-phase cycles of a row: read-modify-write of its weight words and counterBits counter bit-planes. */
export function learnRowCycles(words: number, counterBits: number, banks: number, rowPasses: number): number {
  return rowPasses * Math.ceil((words * (1 + counterBits)) / banks);
}
