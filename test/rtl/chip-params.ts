/**
 * From a chip file to the parameters of the RTL twin (hw/rtl). The RTL implements the
 * single-lane router of docs/timing-model.md (one VC, single-flit packets, combined
 * allocation, XY routing, unicast) and the core's step datapath; a chip file that asks
 * for anything else is refused with a one-line UserError naming the file, the JSON path
 * and the reason.
 */
import type { ChipDescription } from '../../src/hw/chip-file';
import { userError } from '../../src/util/errors';
import type { CoreRtlParams } from './core-cosim';
import type { MeshRtlParams } from './mesh-cosim';

/** The noc fields whose values the RTL router supports, with the only value it implements and why. */
const NOC_FIXED: [string, unknown, string][] = [
  ['vcs', 1, 'the RTL router has one buffer per input port (no virtual channels)'],
  ['flitWidth', 0, 'the RTL router moves single-flit packets (no wormhole)'],
  ['vcAllocator', 'combined', 'the RTL router arbitrates switch and output together (combined)'],
  ['routeDelay', 0, 'the RTL router routes the head flit in the cycle it is at the front'],
  ['vcAllocDelay', 0, 'the RTL router has no VC allocation stage'],
  ['switchAllocDelay', 0, 'the RTL router grants in the arbitration cycle'],
  ['speculative', false, 'the RTL router has no speculative switch allocation'],
  ['routing', 'xy', 'the RTL route module implements XY dimension order'],
  ['injectionDelay', 1, 'the RTL injection port writes the router buffer at the next edge'],
  ['ejectionDelay', 0, 'the RTL ejection port delivers at the router output'],
  ['ejectionDepth', 0, 'the RTL ejection port never pushes back'],
  ['multicast', 'unicast', 'the RTL router carries unicast packets'],
];

/** Axon-field width of the mesh co-simulation's flits (carries a flit id, up to 2^20 packets a scenario). */
export const MESH_COSIM_AXON_BITS = 20;

/** The RTL mesh parameters of a chip file, or a UserError when the RTL cannot implement it. */
export function meshParamsOf(chip: ChipDescription): MeshRtlParams {
  const c = chip.params;
  const noc = c.noc as unknown as Record<string, unknown>;
  for (const [key, value, why] of NOC_FIXED) {
    const v = noc[key];
    // `auto` with one VC (checked above it in this list) is the combined allocator.
    if (key === 'vcAllocator' && v === 'auto') continue;
    if (v !== undefined && v !== value) throw userError(chip.file, `noc.${key}`, `the RTL twin supports only ${JSON.stringify(value)}, got ${JSON.stringify(v)}: ${why}`);
  }
  if (c.mesh.width * c.mesh.height > 256) {
    throw userError(chip.file, 'mesh', `the RTL co-simulation supports at most 256 tiles (its flit and observation fields), got ${c.mesh.width}x${c.mesh.height}`);
  }
  return {
    w: c.mesh.width,
    h: c.mesh.height,
    depth: c.noc.bufferDepth,
    rd: c.noc.routerDelay,
    ld: c.noc.linkDelay,
    cd: c.noc.creditDelay,
    lanes: c.io.flitsPerCycle,
    ioX: c.io.x,
    ioY: c.io.y,
    axonBits: MESH_COSIM_AXON_BITS,
  };
}

/** The RTL core parameters of a chip file (capacities capped by `cap` to keep the build small), or a UserError. */
export function coreParamsOf(chip: ChipDescription, cap: { neurons: number; axons: number } = { neurons: 32, axons: 256 }): CoreRtlParams {
  const core = chip.params.core;
  if (core.sram.wordBits > 64) {
    throw userError(chip.file, 'core.sram.wordBits', `the RTL co-simulation loads weight words through a 64-bit port: at most 64, got ${core.sram.wordBits}`);
  }
  if (core.axons > 65536) throw userError(chip.file, 'core.axons', `the RTL core's axon field is 16 bits: at most 65536 axons, got ${core.axons}`);
  return {
    neurons: Math.min(core.neurons, cap.neurons),
    axons: Math.max(2, Math.min(core.axons, cap.axons)),
    wordBits: core.sram.wordBits,
    banks: core.sram.banks,
    accBits: core.accumulatorBits,
    stateBits: core.stateBits,
    biasBits: 8,
    pipe: core.pipelineDepth,
    queueDepth: core.outQueueDepth,
    maxDest: 4,
  };
}
