/**
 * Replay of the input load. At the start of a sample the mesh is empty and the I/O
 * port streams a sample's input flits into it with nothing else moving: flit k goes
 * to destination core k mod D, one or more flits per cycle. The timing of that
 * traffic, and every router, link and I/O counter it moves, depend only on the
 * number of flits and on the routing state it meets (round-robin pointers of the
 * routers it crosses, the I/O port's lane rotation), never on the payloads or axon
 * addresses. So the first load of each (flits, routing state) is simulated flit by
 * flit while its effect is recorded; a later load that meets the same routing state
 * with the same number of flits applies the recorded effect instead of executing
 * its ~8 events per flit. The deliveries themselves (axon register writes) are done
 * by the caller, exactly as the simulated flits would write them.
 *
 * Exactness: a round-robin pointer decides something only when several inputs
 * request one output in the same cycle (an arbitration conflict, which the router
 * counts). An entry therefore compares the pointers of the routers in which the
 * recorded load had conflicts, and stores the pointers the load left on every output
 * it granted: equal compared state before means an identical load, hence equal state
 * after. A load is recorded only when it starts and ends with no event
 * pending (no credit still on its way), so nothing of it leaks into later cycles.
 * The argument is about the single-lane router (one buffer per port, one round-robin
 * pointer per output); a chip with the VC router simulates every load.
 * The chip replays only while nothing observes the mesh (no VCD, packet CSV or
 * observer); the kernel's count of executed events is the one visible difference.
 */
import type { Mesh } from './noc/mesh';
import { PORT_LOCAL } from './router/ports';

/** The recorded effect of one input load. */
export interface LoadEntry {
  /** I/O lane rotation before and after. */
  lanesBefore: number;
  lanesAfter: number;
  /** Global output ports whose round-robin pointers the load's outcome depends on, and their values before. */
  ports: Int32Array;
  rrBefore: Int32Array;
  /** Global output ports whose pointers the load set, and the values it left. */
  written: Int32Array;
  rrAfter: Int32Array;
  /** Cycles from the load's start (the reset) to its last delivery, and to its last progress. */
  duration: number;
  progress: number;
  /** Router counter indices and deltas; I/O counter deltas; link count indices and deltas. */
  rcIdx: Int32Array;
  rcDelta: Float64Array;
  ioDelta: Float64Array;
  linkIdx: Int32Array;
  linkDelta: Float64Array;
}

/** Entries kept per flit count, and ints stored in all entries at most (memory bound on large meshes). */
const MAX_PER_COUNT = 16;
const MAX_STORED_INTS = 1 << 24;

/** Recorded input loads of one chip. */
export class LoadReplay {
  private readonly entries = new Map<number, LoadEntry[]>();
  private stored = 0;
  // Scratch copies of the mesh state at the start of a recording.
  private readonly rc0: Float64Array;
  private readonly io0: Float64Array;
  private readonly link0: Float64Array;
  private readonly rr0: Int32Array;
  private lanes0 = 0;
  private readonly cConf: number;
  private readonly cEject: number;
  private t0 = 0;
  /** Loads replayed and loads simulated (with or without recording) so far. */
  hits = 0;
  misses = 0;

  constructor(private readonly mesh: Mesh) {
    this.rc0 = new Float64Array(mesh.routerCounters.values.length);
    this.io0 = new Float64Array(mesh.ioCounters.values.length);
    this.link0 = new Float64Array(mesh.links.count.length);
    this.rr0 = new Int32Array(mesh.alloc.rr.length);
    this.cConf = mesh.routerCounters.index('arbitrationConflicts');
    this.cEject = mesh.routerCounters.index('packetsEjected');
  }

  /** The recorded load of `flits` flits whose routing state equals the mesh's now, or null. */
  find(flits: number): LoadEntry | null {
    const list = this.entries.get(flits);
    if (list === undefined) return null;
    const rr = this.mesh.alloc.rr;
    const lanes = this.mesh.injection.laneNext[this.mesh.ioEndpoint] as number;
    for (const e of list) {
      if (e.lanesBefore !== lanes) continue;
      let same = true;
      for (let k = 0; k < e.ports.length; k++) {
        if (rr[e.ports[k] as number] !== e.rrBefore[k]) {
          same = false;
          break;
        }
      }
      if (same) return e;
    }
    return null;
  }

  /** Apply a recorded load's effect on the mesh (counters, links, routing state, packet serials); returns its duration. */
  apply(e: LoadEntry, flits: number): number {
    const m = this.mesh;
    const rc = m.routerCounters.values;
    for (let k = 0; k < e.rcIdx.length; k++) rc[e.rcIdx[k] as number] = (rc[e.rcIdx[k] as number] as number) + (e.rcDelta[k] as number);
    const io = m.ioCounters.values;
    for (let k = 0; k < io.length; k++) io[k] = (io[k] as number) + (e.ioDelta[k] as number);
    const link = m.links.count;
    for (let k = 0; k < e.linkIdx.length; k++) link[e.linkIdx[k] as number] = (link[e.linkIdx[k] as number] as number) + (e.linkDelta[k] as number);
    const rr = m.alloc.rr;
    for (let k = 0; k < e.written.length; k++) rr[e.written[k] as number] = e.rrAfter[k] as number;
    m.injection.laneNext[m.ioEndpoint] = e.lanesAfter;
    m.addReplayedPackets(flits);
    this.hits++;
    return e.duration;
  }

  /** Cycles from a replayed load's start to the last progress the simulated load would have recorded. */
  progressOf(e: LoadEntry): number {
    return e.progress;
  }

  /** Start recording a load that begins at cycle t0 (mesh empty, nothing pending). */
  begin(t0: number): void {
    const m = this.mesh;
    this.rc0.set(m.routerCounters.values);
    this.io0.set(m.ioCounters.values);
    this.link0.set(m.links.count);
    this.rr0.set(m.alloc.rr);
    this.lanes0 = m.injection.laneNext[m.ioEndpoint] as number;
    this.t0 = t0;
    this.misses++;
  }

  /** Finish the recording begun last: the load of `flits` flits ended (last delivery) at `end`, last progress at `progress`. */
  end(flits: number, end: number, progress: number): void {
    const m = this.mesh;
    let list = this.entries.get(flits);
    if (list === undefined) {
      list = [];
      this.entries.set(flits, list);
    }
    if (list.length >= MAX_PER_COUNT || this.stored >= MAX_STORED_INTS) return;
    const rc = m.routerCounters.values;
    const stride = m.routerCounters.stride;
    const rcIdx: number[] = [];
    const touched: number[] = [];
    for (let r = 0; r < m.routers; r++) {
      let moved = false;
      for (let k = r * stride; k < (r + 1) * stride; k++) {
        if (rc[k] !== this.rc0[k]) {
          rcIdx.push(k);
          moved = true;
        }
      }
      if (moved) touched.push(r);
    }
    // Which pointers the load read, and which it wrote. A router without arbitration
    // conflicts granted every flit to its only requester, whatever its pointers: only
    // routers with conflicts make the outcome depend on their pointers, so only theirs
    // (all of them) are compared. The load
    // wrote the pointer of every output it granted: mesh outputs that sent flits, Local
    // outputs of routers that ejected (input flits go to cores only).
    const { portBase, portCount, down } = m.links;
    const link = m.links.count;
    const keyed: number[] = [];
    const written: number[] = [];
    for (const r of touched) {
      const conflicts = (rc[r * stride + this.cConf] as number) - (this.rc0[r * stride + this.cConf] as number);
      const ejected = (rc[r * stride + this.cEject] as number) - (this.rc0[r * stride + this.cEject] as number);
      const base = portBase[r] as number;
      const n = portCount[r] as number;
      if (conflicts > 0) {
        for (let p = 0; p < n; p++) {
          keyed.push(base + p);
          written.push(base + p);
        }
        continue;
      }
      for (let p = 0; p < n; p++) {
        const g = base + p;
        const sent = (down[g] as number) >= 0 ? link[g] !== this.link0[g] : p === PORT_LOCAL && ejected > 0;
        if (sent) written.push(g);
      }
    }
    const linkIdx: number[] = [];
    for (let k = 0; k < link.length; k++) if (link[k] !== this.link0[k]) linkIdx.push(k);
    const rr = m.alloc.rr;
    const io = m.ioCounters.values;
    const e: LoadEntry = {
      lanesBefore: this.lanes0,
      lanesAfter: m.injection.laneNext[m.ioEndpoint] as number,
      ports: Int32Array.from(keyed),
      rrBefore: Int32Array.from(keyed, (g) => this.rr0[g] as number),
      written: Int32Array.from(written),
      rrAfter: Int32Array.from(written, (g) => rr[g] as number),
      duration: end - this.t0,
      progress: progress - this.t0,
      rcIdx: Int32Array.from(rcIdx),
      rcDelta: Float64Array.from(rcIdx, (k) => (rc[k] as number) - (this.rc0[k] as number)),
      ioDelta: Float64Array.from(io, (v, k) => v - (this.io0[k] as number)),
      linkIdx: Int32Array.from(linkIdx),
      linkDelta: Float64Array.from(linkIdx, (k) => (link[k] as number) - (this.link0[k] as number)),
    };
    list.push(e);
    this.stored += 2 * keyed.length + 2 * written.length + 3 * rcIdx.length + 3 * linkIdx.length + io.length + 8;
  }
}
