/**
 * Event counts of a neuron block: the core-level `functional` counters of
 * src/sim/counter-catalog.ts that a block can know by itself (packets and axon
 * writes depend on the mapping's fan-out and are counted by whoever knows it).
 */

/** Names of the counters a block reports, as in COUNTER_CATALOG.core. */
export const BLOCK_COUNTER_NAMES = [
  'weightSramReads',
  'weightSramWrites',
  'counterSramReads',
  'counterSramWrites',
  'xnorWords',
  'synapticOps',
  'accumulatorAdds',
  'accumulatorSaturations',
  'stateUpdates',
  'spikes',
  'plasticityUpdates',
  'weightFlips',
  'freeStateWrites',
  'biasBitWrites',
  'sramReadFlips',
  'sramReadFlipsCorrected',
  'learnReadFlips',
] as const;

/** One block counter name. */
export type BlockCounterName = (typeof BLOCK_COUNTER_NAMES)[number];

/** Running event counts of one block (plain number fields: monomorphic in the hot loop). */
export class BlockCounts {
  weightSramReads = 0;
  weightSramWrites = 0;
  counterSramReads = 0;
  counterSramWrites = 0;
  xnorWords = 0;
  synapticOps = 0;
  accumulatorAdds = 0;
  accumulatorSaturations = 0;
  stateUpdates = 0;
  spikes = 0;
  plasticityUpdates = 0;
  weightFlips = 0;
  freeStateWrites = 0;
  biasBitWrites = 0;
  sramReadFlips = 0;
  sramReadFlipsCorrected = 0;
  learnReadFlips = 0;

  /** Add every count of `o` into this. */
  add(o: BlockCounts): void {
    for (const n of BLOCK_COUNTER_NAMES) this[n] += o[n];
  }

  /** The counts as a record keyed by counter name. */
  toRecord(): Record<string, number> {
    const r: Record<string, number> = {};
    for (const n of BLOCK_COUNTER_NAMES) r[n] = this[n];
    return r;
  }

  /** Reset every count to zero. */
  clear(): void {
    for (const n of BLOCK_COUNTER_NAMES) this[n] = 0;
  }
}
