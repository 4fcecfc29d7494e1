/**
 * The event counters of the chip: the one contract between the hardware models
 * (which only count) and src/energy (which prices counts with a technology table).
 *
 * Every counter a component reports must be declared here with its unit. Counters
 * marked `functional` do not depend on timing: the functional model (src/model)
 * produces them too, and the differential tests require both models to agree on
 * them exactly. The others (stalls, conflicts, idle cycles) exist only in the
 * cycle model.
 */

export type ComponentKind = 'core' | 'router' | 'io' | 'chip';

export interface CounterDecl {
  /** Counter name, unique within its component kind. */
  name: string;
  /** Unit of one count. */
  unit: string;
  /** What one count means. */
  doc: string;
  /** Also produced, with the same value, by the functional model. */
  functional: boolean;
}

function c(name: string, unit: string, doc: string, functional: boolean): CounterDecl {
  return { name, unit, doc, functional };
}

export const COUNTER_CATALOG: Readonly<Record<ComponentKind, readonly CounterDecl[]>> = {
  core: [
    c('weightSramReads', 'words', 'weight SRAM word reads (sram.wordBits bits each), inference and learning', true),
    c('weightSramWrites', 'words', 'weight SRAM word writes (learning read-modify-write)', true),
    c('counterSramReads', 'words', 'plasticity counter SRAM word reads', true),
    c('counterSramWrites', 'words', 'plasticity counter SRAM word writes', true),
    c('xnorWords', 'words', 'XNOR (spin) or AND (binary) + popcount operations on one SRAM word', true),
    c('synapticOps', 'synapses', 'synapses evaluated (fan-in bits of each neuron update)', true),
    c('accumulatorAdds', 'adds', 'accumulator additions (one per word popcount, plus bias/nudge/state terms)', true),
    c('accumulatorSaturations', 'events', 'accumulator results clipped to accumulatorBits', true),
    c('stateUpdates', 'updates', 'neuron state register writes (stateBits bits each)', true),
    c('spikes', 'spikes', 'committed spike bits that differ from the previous step', true),
    c('packetsInjected', 'packets', 'packets pushed into the output queue', false),
    c('axonWrites', 'writes', 'axon register bit writes on packet arrival', false),
    c('multicastPackets', 'packets', 'spike packets sent as one multicast tree to two or more cores (noc.multicast tree); each counts once in packetsInjected', false),
    c('partialSumPackets', 'packets', 'partial-sum packets sent to the home core of a split layer\'s neurons', false),
    c('partialSumFlits', 'flits', 'flits of those partial-sum packets pushed into the output queue', false),
    c('partialSumAdds', 'adds', 'partial sums added into a home row\'s sum register on arrival', false),
    c('postSpikePackets', 'packets', 'post-synaptic spike packets (both phases) sent to partial-sum cores before learning', false),
    c('postSpikeFlits', 'flits', 'flits of those post-spike packets pushed into the output queue', false),
    c('postSpikeWrites', 'writes', 'post-spike pairs (2 bits) written into a partial-sum core\'s registers', false),
    c('plasticityUpdates', 'synapses', 'synapse counter (or hidden weight) updates in the learning phase', true),
    c('weightFlips', 'synapses', 'binary weights that changed sign in the learning phase', true),
    c('freeStateWrites', 'words', 'stored free-phase state writes (symmetric nudging)', true),
    c('biasBitWrites', 'bits', 'bias register bits written in the learning phase: biasBits per EP bias update (learning.biasStep) and per homeostasis step (learning.homeoUp/homeoDown)', true),
    c('sramReadFlips', 'bits', 'SRAM bits flipped on a read by a transient fault (faults.readFlipRate): weight reads of every step, weight and register reads of the learning phase; SECDED-corrected ones included', true),
    c('sramReadFlipsCorrected', 'bits', 'of those, flips SECDED corrected', true),
    c('learnReadFlips', 'bits', 'of sramReadFlips, those on learning-phase reads (written back with the update unless corrected)', true),
    c('queueStalls', 'cycles', 'datapath cycles stalled on a full output queue', false),
    c('activeCycles', 'cycles', 'cycles the datapath computed or learned', false),
    c('idleCycles', 'cycles', 'cycles the datapath had nothing to do', false),
  ],
  router: [
    c('bufferWrites', 'flits', 'input buffer writes', false),
    c('bufferReads', 'flits', 'input buffer reads', false),
    c('crossbarTraversals', 'flits', 'flits through the crossbar', false),
    c('arbitrationConflicts', 'events', 'output-port requests that lost arbitration', false),
    c('creditStalls', 'cycles', 'granted-eligible flits held back for lack of credit', false),
    c('linkFlits', 'flits', 'flits sent on an output link to a neighbour router', false),
    c('linkBits', 'bits', 'bits sent on output links (flits x packet width)', false),
    c('packetsEjected', 'packets', 'packets delivered to the local core or I/O port', false),
    c('activeCycles', 'cycles', 'cycles with at least one flit buffered', false),
    c('multicastFlitsSaved', 'flits', 'link flits a multicast tree injected here saved over one unicast packet per destination', false),
  ],
  io: [
    c('flitsIn', 'flits', 'input packets streamed into the chip', false),
    c('flitsOut', 'flits', 'readout packets received from the chip', false),
    c('bitsIn', 'bits', 'bits streamed in (flits x packet width)', false),
    c('bitsOut', 'bits', 'bits streamed out (flits x packet width)', false),
  ],
  chip: [
    c('cycles', 'cycles', 'simulated clock cycles', false),
    c('samples', 'samples', 'samples presented', true),
    c('steps', 'steps', 'network steps (free + nudged)', true),
    c('learningPhases', 'phases', 'learning phases run', true),
    c('packetsUndeliverable', 'packets', 'packets not sent because a dead router or link cuts their XY route (spikes, input bits, readout bits; faults.deadRouters/deadLinks)', false),
  ],
};

/** One component's counts, keyed by counter name from COUNTER_CATALOG[kind]. */
export interface ComponentCounts {
  kind: ComponentKind;
  counts: Record<string, number>;
}

/**
 * A snapshot of every counter of a run. Component ids: "chip", "io", "core.<id>",
 * "router.<id>" with id = y * mesh.width + x.
 */
export interface CounterSnapshot {
  components: Record<string, ComponentCounts>;
}

/** Throw if a snapshot uses a counter the catalog does not declare. */
export function checkSnapshot(s: CounterSnapshot): void {
  for (const [id, comp] of Object.entries(s.components)) {
    const known = new Set(COUNTER_CATALOG[comp.kind].map((d) => d.name));
    for (const name of Object.keys(comp.counts)) {
      if (!known.has(name)) throw new Error(`counter ${id}.${name} is not declared for kind ${comp.kind}`);
    }
  }
}
