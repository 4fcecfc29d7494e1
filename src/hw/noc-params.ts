/**
 * Router and network-on-chip parameters of a chip file (the `noc` section). The
 * I/O port's position and width are in the chip's `io` section (src/hw/params.ts).
 */
import type { SectionParam } from '../config/param';

/** Message classes a packet can belong to (index = class number in `noc.vcClasses`). */
export const MESSAGE_CLASSES = ['spike', 'partialSum'] as const;
/** A message class name. */
export type MessageClass = (typeof MESSAGE_CLASSES)[number];
/** Class number of spike packets. */
export const CLASS_SPIKE = 0;
/** Class number of partial-sum packets. */
export const CLASS_PARTIAL_SUM = 1;
/** VC allocators (`auto`: separable-input-first with more than one VC, combined with one). */
export const VC_ALLOCATORS = ['auto', 'combined', 'separable-input-first'] as const;
/** Routing functions a mesh supports. */
export const ROUTINGS = ['xy', 'yx'] as const;
/** Multicast modes. */
export const MULTICAST_MODES = ['unicast', 'tree'] as const;

/** Declaration of the `noc` section. */
export const NOC_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'mesh routers, links and flow control',
  fields: {
    bufferDepth: { kind: 'int', default: 4, min: 1, max: 4096, unit: 'flits', doc: 'input buffer depth of every virtual channel of every router port (>= one flit per VC)' },
    vcs: { kind: 'int', default: 1, min: 1, max: 16, unit: 'VCs', doc: 'virtual channels per input port, each with its own buffer and credits' },
    vcClasses: {
      kind: 'intArray',
      default: [],
      min: 0,
      max: MESSAGE_CLASSES.length - 1,
      doc: `message class served by each VC (one entry per VC; 0 = ${MESSAGE_CLASSES.join(', 1 = ')}); empty = every class may use every VC`,
    },
    flitWidth: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 65536,
      unit: 'bits',
      doc: 'bits per flit; a packet of B bits is ceil(B / flitWidth) flits (head, body, tail); 0 = every packet is one flit',
    },
    vcAllocator: {
      kind: 'enum',
      values: VC_ALLOCATORS,
      default: 'auto',
      doc: 'separable-input-first: per-packet VC allocation, then switch allocation, round robin at every stage (BookSim iq_router); combined: one arbitration per output grants switch and output VC together (the single-cycle router); auto: separable-input-first with more than one VC, combined with one (so one-VC chips keep the single-cycle router)',
    },
    routeDelay: { kind: 'int', default: 0, min: 0, max: 1024, unit: 'cycles', doc: 'route computation: cycles from a head flit reaching the front of its VC to its VC request (0 = lookahead routing)' },
    vcAllocDelay: { kind: 'int', default: 0, min: 0, max: 1024, unit: 'cycles', doc: 'cycles from winning VC allocation to the first switch request (separable allocator)' },
    switchAllocDelay: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 1024,
      unit: 'cycles',
      doc: 'extra cycles a switch grant takes before the flit leaves its buffer; the VC makes no other request meanwhile',
    },
    speculative: { kind: 'bool', default: false, doc: 'speculative switch allocation: a head may request the switch in the cycle it requests a VC (lower priority; wasted when the VC is lost)' },
    routing: { kind: 'enum', values: ROUTINGS, default: 'xy', doc: 'dimension-order routing: x first (xy) or y first (yx)' },
    injectionDelay: { kind: 'int', default: 1, min: 1, max: 1024, unit: 'cycles', doc: 'cycles from an endpoint injecting a flit to it entering the router input buffer' },
    ejectionDelay: { kind: 'int', default: 0, min: 0, max: 1024, unit: 'cycles', doc: 'cycles the ejection channel adds after the router delay' },
    ejectionDepth: {
      kind: 'int',
      default: 0,
      min: 0,
      max: 4096,
      unit: 'flits',
      doc: 'ejection buffer per VC: a flit ejected frees its slot creditDelay cycles after delivery (0 = unbounded, never pushes back)',
    },
    multicast: {
      kind: 'enum',
      values: MULTICAST_MODES,
      default: 'unicast',
      doc: 'unicast: a spike to k cores is k packets; tree: one packet with a destination bit-vector, replicated along the XY tree',
    },
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
  check: (v) => {
    const vcs = v['vcs'] as number;
    const classes = v['vcClasses'] as number[];
    if (classes.length > 0) {
      if (classes.length !== vcs) return ['vcClasses', `needs one class per VC: ${vcs} entries, got ${classes.length}`];
      for (let k = 0; k < MESSAGE_CLASSES.length; k++) {
        if (!classes.includes(k)) return ['vcClasses', `message class ${k} (${MESSAGE_CLASSES[k]}) has no VC`];
      }
      for (let i = 1; i < classes.length; i++) {
        if ((classes[i] as number) < (classes[i - 1] as number)) return ['vcClasses', 'the VCs of a class must be contiguous: list the classes in ascending order'];
      }
    }
    if (v['routing'] === 'yx' && v['multicast'] === 'tree') return ['routing', 'multicast trees follow XY routes: use routing "xy" with multicast "tree"'];
    return null;
  },
};

/** Validated `noc` section. */
export interface NocParams {
  bufferDepth: number;
  vcs?: number;
  vcClasses?: number[];
  flitWidth?: number;
  vcAllocator?: (typeof VC_ALLOCATORS)[number];
  routeDelay?: number;
  vcAllocDelay?: number;
  switchAllocDelay?: number;
  speculative?: boolean;
  routing?: (typeof ROUTINGS)[number];
  injectionDelay?: number;
  ejectionDelay?: number;
  ejectionDepth?: number;
  multicast?: (typeof MULTICAST_MODES)[number];
  routerDelay: number;
  linkDelay: number;
  creditDelay: number;
  watchdogCycles: number;
}

/** The allocator a `noc` section runs (`auto` resolved by its VC count). */
export function vcAllocatorOf(n: NocParams): 'combined' | 'separable-input-first' {
  const a = n.vcAllocator ?? 'auto';
  if (a !== 'auto') return a;
  return (n.vcs ?? 1) > 1 ? 'separable-input-first' : 'combined';
}

/** The I/O port placement (the chip file's `io` section). */
export interface IoPlacement {
  x: number;
  y: number;
  flitsPerCycle: number;
}
