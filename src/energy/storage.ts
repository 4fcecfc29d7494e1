/**
 * Flip-flop storage a core and a router provision in hardware, in bits. Shared by
 * the memory, area and leakage models so all three count the same registers.
 *
 *   neuron state  = neurons * stateBits
 *   free states   = neurons * stateBits       (only with symmetric nudging)
 *   biases        = neurons * biasBits        (only with learned biases)
 *   axon buffers  = 2 * axons                 (double-buffered axon register)
 *   output queue  = outQueueDepth * packetBits
 *   datapath      = pipelineDepth * wordBits * banks + accumulatorBits
 *   partial-sum registers = the busiest core's on-change registers (mapping.partialSums
 *                   "on-change": partialSumBits per remote segment row part sent and received)
 *   router buffers = 5 ports * bufferDepth * packetBits
 */
import { datapathClockedBits, ROUTER_PORTS } from './chip-view';
import type { EnergyChip } from './chip-view';

/** What the experiment adds to the chip's registers. */
export interface StorageOptions {
  /** Symmetric nudging stores the free-phase state of every neuron. */
  freeStates: boolean;
  /** Bias register width, 0 when biases are off. */
  biasBits: number;
  /** On-change partial-sum registers every core provisions, in bits (the busiest core's need; absent or 0: none). */
  partialSumRegisterBits?: number;
}

/** Storage options of a chip used without an experiment config (no free states, no biases). */
export const CHIP_ONLY: StorageOptions = { freeStates: false, biasBits: 0 };

/** Flip-flop bits of one core, by register file. */
export interface CoreFlops {
  neuronState: number;
  freeStates: number;
  biases: number;
  axonBuffers: number;
  outputQueue: number;
  datapath: number;
  partialSumRegisters: number;
}

/** The register files of one core, in bits. */
export function coreFlops(c: EnergyChip, o: StorageOptions): CoreFlops {
  const k = c.params.core;
  return {
    neuronState: k.neurons * k.stateBits,
    freeStates: o.freeStates ? k.neurons * k.stateBits : 0,
    biases: k.neurons * o.biasBits,
    axonBuffers: 2 * k.axons,
    outputQueue: k.outQueueDepth * c.packetBits,
    datapath: datapathClockedBits(c),
    partialSumRegisters: o.partialSumRegisterBits ?? 0,
  };
}

/** Sum of a core's flip-flop bits. */
export function coreFlopTotal(f: CoreFlops): number {
  return f.neuronState + f.freeStates + f.biases + f.axonBuffers + f.outputQueue + f.datapath + f.partialSumRegisters;
}

/** Input-buffer bits of one router. */
export function routerBufferBits(c: EnergyChip): number {
  return ROUTER_PORTS * c.routerBufferDepth * c.packetBits;
}

/**
 * Buffer bits of the DSENT reference router behind the table's routerArea and
 * routerLeakage (5x5, 1 VC x 4 flits, 32-bit flits: ENERGY-SOURCES.md); the models
 * replace them by this chip's buffers.
 */
export const DSENT_REFERENCE_BUFFER_BITS = ROUTER_PORTS * 4 * 32;
