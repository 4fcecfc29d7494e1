/**
 * Memory budget of a mapped network, per core and for the chip, and the check that
 * it fits the chip before anything runs.
 *
 * A neuron's SRAM row holds its forward segment (fan-in from the layer below) and its
 * backward segment (from the layer above): every symmetric weight is stored twice,
 * once in the post-synaptic row and once, transposed, in the pre-synaptic row, each
 * copy with its own plasticity counters (counterBits per weight bit).
 *
 *   weights   = sum over pieces of count * rowWords(layer) * wordBits
 *             = forward bits + backward (transposed copy) bits + row padding
 *   counters  = weights * counterBits
 *   states    = rows * stateBits; free states = rows * stateBits (symmetric nudging or a free-state nudge reference)
 *   biases    = rows * biasBits; axon buffers = 2 * axons received (double-buffered)
 *   output queue = outQueueDepth * packetBits; router buffers = 5 * bufferDepth * packetBits
 *   partial-sum registers (mapping.partialSums "on-change") = partialSumBits * (remote
 *     segment row parts the core sends + remote segment row parts its neurons receive)
 */
import { userError } from '../util/errors';
import type { Mapping } from '../map/mapping';
import type { EnergyChip } from './chip-view';
import { coreFlops, routerBufferBits } from './storage';
import type { StorageOptions } from './storage';

/** One memory of a core: what the mapping uses and what the chip provides. */
export interface MemoryLine {
  /** Memory name. */
  memory: string;
  /** SRAM macro or flip-flop register file. */
  technology: 'sram' | 'flops';
  usedBits: number;
  capacityBits: number;
  /** Chip-file path of the capacity (for refusals), '' when the capacity follows from other sizes. */
  capacityPath: string;
}

/** The memories of one core (tile). */
export interface CoreMemory {
  core: number;
  x: number;
  y: number;
  lines: MemoryLine[];
  /** Weight bits by segment: forward, backward (the transposed copy), row padding. */
  weightSegments: { forward: number; backward: number; padding: number };
}

/** Memory budget of a mapped chip. */
export interface MemoryReport {
  /** Used cores only, ascending id. */
  cores: CoreMemory[];
  /** Per memory name: bits used over all cores, and provisioned over all tiles. */
  chip: Record<string, { usedBits: number; capacityBits: number }>;
  /** SRAM bits provisioned per core (weights + counters). */
  sramBitsPerCore: number;
  /** SRAM bits provisioned on the whole chip. */
  sramBitsTotal: number;
  /** SRAM bits the mapping uses on the whole chip. */
  sramBitsUsed: number;
}

/**
 * On-change partial-sum register bits of each used core of `m` (empty with every-step):
 * a last-sent register per row part of each remote segment it holds, a last-received
 * register per remote segment row part of its neurons, partialSumBits each.
 */
export function partialSumRegistersByCore(m: Mapping): Map<number, number> {
  const out = new Map<number, number>();
  if (m.partialSums !== 'on-change' || !m.split) return out;
  for (const c of m.cores) {
    for (const q of c.slices) {
      if (q.home === c.id) continue;
      const nPrev = m.layers[q.layer - 1]!;
      const parts = q.count * ((q.colStart < nPrev ? 1 : 0) + (q.colEnd > nPrev ? 1 : 0));
      out.set(c.id, (out.get(c.id) ?? 0) + parts * m.partialSumBits);
      out.set(q.home, (out.get(q.home) ?? 0) + parts * m.partialSumBits);
    }
  }
  return out;
}

/** The on-change partial-sum register bits every core provisions: the busiest core's need (0 with every-step). */
export function partialSumRegisterBits(m: Mapping): number {
  let most = 0;
  for (const b of partialSumRegistersByCore(m).values()) most = Math.max(most, b);
  return most;
}

/** Storage options implied by an experiment's learning and dynamics sections (and, given, its mapping's partial-sum registers). */
export function storageOptionsOf(learning: { symmetric: boolean; nudgeReference: string }, dynamics: { bias: boolean; biasBits: number }, m: Mapping | null = null): StorageOptions {
  const o: StorageOptions = { freeStates: learning.symmetric || learning.nudgeReference === 'free', biasBits: dynamics.bias ? dynamics.biasBits : 0 };
  const psum = m === null ? 0 : partialSumRegisterBits(m);
  if (psum > 0) o.partialSumRegisterBits = psum;
  return o;
}

/** The memory budget of `mapping` on `chip`. */
export function memoryReport(m: Mapping, chip: EnergyChip, o: StorageOptions): MemoryReport {
  const k = chip.params.core;
  const provisioned = coreFlops(chip, o);
  const psum = partialSumRegistersByCore(m);
  const L = m.layers.length - 1;
  const cores: CoreMemory[] = [];
  for (const id of m.usedCores) {
    const c = m.cores[id]!;
    let forward = 0;
    let backward = 0;
    for (const p of c.pieces) {
      forward += p.count * m.layers[p.layer - 1]!;
      if (p.layer < L) backward += p.count * m.layers[p.layer + 1]!;
    }
    const lines: MemoryLine[] = [
      { memory: 'weights', technology: 'sram', usedBits: c.weightBits, capacityBits: k.sram.capacityBits, capacityPath: 'core.sram.capacityBits' },
      { memory: 'plasticity counters', technology: 'sram', usedBits: c.counterBits, capacityBits: k.sram.counterCapacityBits, capacityPath: 'core.sram.counterCapacityBits' },
      { memory: 'neuron states', technology: 'flops', usedBits: c.rowsUsed * k.stateBits, capacityBits: provisioned.neuronState, capacityPath: 'core.neurons' },
      { memory: 'stored free states', technology: 'flops', usedBits: o.freeStates ? c.rowsUsed * k.stateBits : 0, capacityBits: provisioned.freeStates, capacityPath: 'core.neurons' },
      { memory: 'biases', technology: 'flops', usedBits: c.rowsUsed * o.biasBits, capacityBits: provisioned.biases, capacityPath: 'core.neurons' },
      { memory: 'axon buffers', technology: 'flops', usedBits: 2 * c.axonsUsed, capacityBits: provisioned.axonBuffers, capacityPath: 'core.axons' },
      { memory: 'output queue', technology: 'flops', usedBits: provisioned.outputQueue, capacityBits: provisioned.outputQueue, capacityPath: '' },
      { memory: 'router buffers', technology: 'flops', usedBits: routerBufferBits(chip), capacityBits: routerBufferBits(chip), capacityPath: '' },
    ];
    // On-change partial sums: every tile provisions the busiest core's registers (storageOptionsOf given the mapping).
    if (psum.size > 0) lines.push({ memory: 'partial-sum registers', technology: 'flops', usedBits: psum.get(id) ?? 0, capacityBits: provisioned.partialSumRegisters, capacityPath: 'mapping.partialSums' });
    cores.push({ core: id, x: c.x, y: c.y, lines, weightSegments: { forward, backward, padding: c.weightBits - forward - backward } });
  }
  const tiles = chip.params.mesh.width * chip.params.mesh.height;
  const chipTotals: MemoryReport['chip'] = {};
  for (const cm of cores) {
    for (const l of cm.lines) {
      const t = (chipTotals[l.memory] ??= { usedBits: 0, capacityBits: l.capacityBits * tiles });
      t.usedBits += l.usedBits;
    }
  }
  const sramBitsPerCore = k.sram.capacityBits + k.sram.counterCapacityBits;
  let sramBitsUsed = 0;
  for (const cm of cores) for (const l of cm.lines) if (l.technology === 'sram') sramBitsUsed += l.usedBits;
  return { cores, chip: chipTotals, sramBitsPerCore, sramBitsTotal: sramBitsPerCore * tiles, sramBitsUsed };
}

/** Refuse a budget that does not fit: a UserError naming the chip file, the memory, the core and the excess in bits. */
export function checkMemoryFits(r: MemoryReport, chipFile: string): void {
  for (const cm of r.cores) {
    for (const l of cm.lines) {
      if (l.usedBits > l.capacityBits) {
        throw userError(
          chipFile,
          l.capacityPath,
          `${l.memory} of tile (${cm.x}, ${cm.y}) = core ${cm.core} need ${l.usedBits} bits but the core has ${l.capacityBits}: ${l.usedBits - l.capacityBits} bits too many`,
        );
      }
    }
  }
}
