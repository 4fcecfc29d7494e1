/**
 * Router and network-on-chip parameters of a chip file (the `noc` section). The
 * I/O port's position and width are in the chip's `io` section (src/chip/params.ts).
 */
import type { SectionParam } from '../../config/param';

/** Declaration of the `noc` section. */
export const NOC_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'mesh routers, links and flow control',
  fields: {
    bufferDepth: { kind: 'int', default: 4, min: 1, max: 4096, unit: 'flits', doc: 'input buffer depth of every router port' },
    routerDelay: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 1024,
      unit: 'cycles',
      doc: 'cycles from a grant to the flit leaving the router (crossbar + output), >= 1',
    },
    linkDelay: { kind: 'int', default: 1, min: 1, max: 1024, unit: 'cycles', doc: 'cycles a flit spends on a router-to-router link' },
    creditDelay: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 1024,
      unit: 'cycles',
      doc: 'cycles from a flit leaving an input buffer to its credit reaching the upstream sender',
    },
    watchdogCycles: {
      kind: 'int',
      default: 100000,
      min: 0,
      unit: 'cycles',
      doc: 'stop the run when flits wait but nothing moved for this many cycles (0 = never)',
    },
  },
};

/** Validated `noc` section. */
export interface NocParams {
  bufferDepth: number;
  routerDelay: number;
  linkDelay: number;
  creditDelay: number;
  watchdogCycles: number;
}

/** The I/O port placement (the chip file's `io` section). */
export interface IoPlacement {
  x: number;
  y: number;
  flitsPerCycle: number;
}
