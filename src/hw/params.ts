/**
 * The chip file (hw/chips/*.json) declared as data: mesh, clock, neuron core, I/O
 * port, barrier and reset timing, packet encoding. Every timing number of the cycle
 * model is one of these parameters; none is a constant in code.
 */
import type { SectionParam } from '../config/param';

/** Neuron-core SRAM section. */
const SRAM: SectionParam = {
  kind: 'section',
  doc: 'weight and plasticity-counter SRAM of one core',
  fields: {
    wordBits: { kind: 'int', default: 64, min: 1, max: 4096, unit: 'bits', doc: 'bits per SRAM word (one XNOR/popcount operand)' },
    banks: { kind: 'int', default: 1, min: 1, max: 64, unit: 'ports', doc: 'read ports: words of one row read per cycle' },
    capacityBits: {
      kind: 'int',
      default: 1048576,
      min: 1,
      unit: 'bits',
      doc: 'weight SRAM capacity of one core (forward + backward segments of all rows)',
    },
    counterCapacityBits: {
      kind: 'int',
      default: 8388608,
      min: 0,
      unit: 'bits',
      doc: 'plasticity-counter SRAM capacity of one core (counterBits per synapse)',
    },
    ecc: {
      kind: 'enum',
      values: ['none', 'secded'] as const,
      default: 'none',
      doc: 'error-correcting code per SRAM word: secded adds Hamming check bits plus parity (8 for 64-bit words), corrects one faulty cell per word (docs/faults.md)',
    },
  },
};

/** Learning-phase timing section. */
const LEARNING: SectionParam = {
  kind: 'section',
  doc: 'learning-phase timing of one core',
  fields: {
    rowPasses: {
      kind: 'int',
      default: 2,
      min: 1,
      max: 16,
      unit: 'passes',
      doc: 'SRAM passes per row in the learning phase (2 = read then write of weight and counter words)',
    },
    startDelay: { kind: 'int', default: 0, min: 0, unit: 'cycles', doc: 'cycles from the learning command to the first row update' },
  },
};

/** Neuron-core section. */
export const CORE_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'one neuron core (identical in every tile)',
  fields: {
    neurons: { kind: 'int', default: 256, min: 1, max: 65536, unit: 'neurons', doc: 'neuron rows per core' },
    axons: { kind: 'int', default: 2048, min: 1, max: 1048576, unit: 'axons', doc: 'axon register bits = fan-in capacity of the core' },
    sram: SRAM,
    accumulatorBits: { kind: 'int', default: 16, min: 2, max: 31, unit: 'bits', doc: 'signed saturating accumulator width' },
    stateBits: { kind: 'int', default: 8, min: 1, max: 30, unit: 'bits', doc: 'unsigned neuron state register width' },
    counterBits: { kind: 'int', default: 8, min: 1, max: 16, unit: 'bits', doc: 'signed saturating plasticity counter width' },
    pipelineDepth: { kind: 'int', default: 3, min: 0, max: 64, unit: 'cycles', doc: 'datapath latency from the last word read of a row to its state commit' },
    outQueueDepth: { kind: 'int', default: 8, min: 1, max: 65536, unit: 'flits', doc: 'output queue between datapath and local router (full queue stalls the datapath)' },
    readoutCycles: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 1024,
      unit: 'cycles',
      doc: 'readout: cycles to read one output state and add it to its class sum',
    },
    learning: LEARNING,
  },
};

/** I/O port section. */
const IO: SectionParam = {
  kind: 'section',
  doc: 'the I/O port that streams samples in and readouts out',
  fields: {
    x: { kind: 'int', default: 0, min: 0, doc: 'column of the router the I/O port attaches to' },
    y: { kind: 'int', default: 0, min: 0, doc: 'row of the router the I/O port attaches to' },
    flitsPerCycle: { kind: 'int', default: 1, min: 1, max: 27, unit: 'flits/cycle', doc: 'input flits the port can offer per cycle (one I/O lane of the router each; at most 27 lanes)' },
  },
};

/** Mesh section. */
const MESH: SectionParam = {
  kind: 'section',
  doc: 'the 2-D mesh of tiles (router + core); core id = y * width + x',
  fields: {
    width: { kind: 'int', default: 4, min: 1, max: 1024, unit: 'tiles', doc: 'tiles per row' },
    height: { kind: 'int', default: 4, min: 1, max: 1024, unit: 'tiles', doc: 'tiles per column' },
  },
};

/** Every field of a chip file except the NoC section (which src/chip/noc declares). */
export const CHIP_FIELDS_WITHOUT_NOC = {
  name: { kind: 'string', default: 'chip', doc: 'chip name shown in reports' },
  description: { kind: 'string', default: '', doc: 'one-line description of the architecture' },
  mesh: MESH,
  clockHz: { kind: 'number', default: 200e6, min: 1, unit: 'Hz', doc: 'clock frequency (converts cycles to seconds)' },
  core: CORE_PARAMS,
  io: IO,
  barrierDelay: { kind: 'int', default: 2, min: 0, unit: 'cycles', doc: 'cycles from the end of a step (all cores idle, network empty) to the start of the next' },
  resetDelay: { kind: 'int', default: 4, min: 0, unit: 'cycles', doc: 'global reset at the start of a sample (clears states, spikes, axon registers; loads the label)' },
  encoding: {
    kind: 'enum',
    values: ['state-change', 'every-step'] as const,
    default: 'state-change',
    doc: 'when a committed neuron sends packets: only when its spike bit changed, or every step',
  },
} as const satisfies Record<string, SectionParam['fields'][string]>;

/** Validated neuron-core SRAM parameters. */
export interface SramParams {
  wordBits: number;
  banks: number;
  capacityBits: number;
  counterCapacityBits: number;
  /** Error-correcting code of every SRAM word. */
  ecc?: 'none' | 'secded';
}

/** Validated neuron-core parameters. */
export interface CoreParams {
  neurons: number;
  axons: number;
  sram: SramParams;
  accumulatorBits: number;
  stateBits: number;
  counterBits: number;
  pipelineDepth: number;
  outQueueDepth: number;
  readoutCycles: number;
  learning: { rowPasses: number; startDelay: number };
}

/** Packet encoding of committed spikes. */
export type SpikeEncoding = 'state-change' | 'every-step';
