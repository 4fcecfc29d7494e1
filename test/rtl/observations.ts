/**
 * Observations of the RTL co-simulation, the TypeScript side of test/rtl/tb/obs.h: a key
 * (kind, router or endpoint, port) and an integer value. Per cycle both simulators fold
 * their observations into an order-independent digest (a sum of mixed pairs) and a count,
 * so a million cycles compare as two small arrays; at the first differing cycle both sides
 * are re-run keeping the pairs, and the report names the first differing signal.
 */

/** Kinds of observation (the same numbers as obs.h). */
export const K = { OCC: 1, CRED: 2, ARR: 3, GNT: 4, DLV: 5, INJ: 6, ACC: 7, STATE: 8, SPIKE: 9, COMMIT: 10, QUEUE: 11, CNT: 12 } as const;
/** The router counters compared (K.CNT, port field = index here), in router_counters.sv's order. */
export const ROUTER_COUNTERS = ['bufferWrites', 'bufferReads', 'crossbarTraversals', 'arbitrationConflicts', 'creditStalls', 'linkFlits', 'packetsEjected', 'activeCycles'] as const;
/** A grant's value: output port * GRANT_STRIDE + flit id. */
export const GRANT_STRIDE = 1 << 22;

/** Key of an observation. */
export function obsKey(kind: number, a: number, b: number): number {
  return (kind << 24) | (a << 8) | b;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The observations of one cycle: digest and count, and the pairs themselves when kept. */
export class CycleObs {
  digest = 0;
  count = 0;
  keep = false;
  pairs: [number, number][] = [];

  /** Start a cycle; `keep` = remember the pairs for a report. */
  clear(keep: boolean): void {
    this.digest = 0;
    this.count = 0;
    this.keep = keep;
    if (keep) this.pairs = [];
  }

  /** Add one observation. */
  add(key: number, value: number): void {
    this.digest = (this.digest + fmix32((Math.imul(key, 0x9e3779b1) + fmix32((value ^ 0x5bd1e995) >>> 0)) >>> 0)) >>> 0;
    this.count++;
    if (this.keep) this.pairs.push([key, value]);
  }
}

const PORTS = ['N', 'E', 'S', 'W', 'L'];

/** Port name as in traces: N, E, S, W, L, IO0, IO1, ... */
export function portLabel(p: number): string {
  return p < 5 ? (PORTS[p] as string) : `IO${p - 5}`;
}

/** The signal name of a key, as in the VCDs (noc.router<r>.in_<P>.occupancy, ...). */
export function signalName(key: number): string {
  const kind = key >>> 24;
  const a = (key >>> 8) & 0xffff;
  const b = key & 0xff;
  switch (kind) {
    case K.OCC:
      return `noc.router${a}.in_${portLabel(b)}.occupancy`;
    case K.CRED:
      return b < 4 ? `noc.router${a}.out_${portLabel(b)}.credits` : `noc.router${a}.in_${portLabel(b)}.credits`;
    case K.ARR:
      return `noc.router${a}.in_${portLabel(b)}.arrive`;
    case K.GNT:
      return `noc.router${a}.in_${portLabel(b)}.grant`;
    case K.DLV:
      return `noc.endpoint${a}.deliver`;
    case K.INJ:
      return `noc.endpoint${a}.inject`;
    case K.ACC:
      return `core.row${a}.accumulator`;
    case K.STATE:
      return `core.row${a}.state`;
    case K.SPIKE:
      return `core.row${a}.spike`;
    case K.COMMIT:
      return `core.step.done`;
    case K.QUEUE:
      return `core.out_queue.inject`;
    case K.CNT:
      return `noc.router${a}.counters.${ROUTER_COUNTERS[b] ?? b}`;
    default:
      return `kind${kind}.${a}.${b}`;
  }
}

/** A value as the report shows it (grants as <out port>#<flit id>, flits as #id). */
export function valueText(key: number, v: number | undefined): string {
  if (v === undefined) return '(none)';
  const kind = key >>> 24;
  if (kind === K.GNT) return `${portLabel(Math.floor(v / GRANT_STRIDE))}#${v % GRANT_STRIDE}`;
  if (kind === K.ARR || kind === K.INJ) return `#${v}`;
  if (kind === K.DLV) return `#${v >>> 1}/bit${v & 1}`;
  return String(v);
}

/** The first differing signal of one cycle's pairs: [signal, rtl value, model value]. */
export function firstDifference(rtl: [number, number][], model: [number, number][]): [string, string, string] | null {
  const group = (pairs: [number, number][]): Map<number, number[]> => {
    const m = new Map<number, number[]>();
    for (const [k, v] of pairs) {
      const l = m.get(k);
      if (l) l.push(v);
      else m.set(k, [v]);
    }
    for (const l of m.values()) l.sort((x, y) => x - y);
    return m;
  };
  const a = group(rtl);
  const b = group(model);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
  for (const k of keys) {
    const va = a.get(k) ?? [];
    const vb = b.get(k) ?? [];
    if (va.length === vb.length && va.every((v, i) => v === vb[i])) continue;
    const text = (l: number[]): string => (l.length === 0 ? '(none)' : l.map((v) => valueText(k, v)).join(','));
    return [signalName(k), text(va), text(vb)];
  }
  return null;
}
