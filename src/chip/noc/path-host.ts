/**
 * What both router datapaths (single-lane-path.ts, vc-path.ts) share with their Mesh:
 * the event kernel, the flit pool, the router and I/O counters with their indices, and
 * the VCD signal ids.
 */
import type { Kernel } from '../../sim/kernel';
import type { FlitPool } from './flit-pool';

/** Router counter indices the datapaths increment (looked up by catalog name in Mesh). */
export interface RouterCounterIndex {
  bufW: number;
  bufR: number;
  xbar: number;
  conf: number;
  stall: number;
  linkF: number;
  linkB: number;
  eject: number;
  active: number;
}

/** I/O port counter indices. */
export interface IoCounterIndex {
  flitsIn: number;
  flitsOut: number;
  bitsIn: number;
  bitsOut: number;
}

/** The Mesh's state a datapath reads and counts into. */
export interface PathHost {
  readonly kernel: Kernel;
  readonly pool: FlitPool;
  /** Router counter values, stride and indices. */
  readonly rc: Float64Array;
  readonly rs: number;
  readonly ci: RouterCounterIndex;
  /** I/O counter values and indices. */
  readonly ioc: Float64Array;
  readonly cio: IoCounterIndex;
  /** VCD signal id per router (occupancy) and per global output port (link activity), -1 when not traced. */
  readonly occSig: Int32Array;
  readonly linkSig: Int32Array;
}
