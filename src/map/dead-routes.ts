/**
 * Which routes of the mesh a dead router or link cuts. Routing is dimension-order
 * (x first, then y; src/chip/router/route.ts) and cannot go around a fault, so a
 * route is alive only when every router it visits (both ends included) and every
 * link it crosses is alive. The fan-out tables are written knowing the faults (as
 * after a manufacturing test): packets on a dead route are never sent, and counted.
 */
import { userError } from '../util/errors';
import type { DeadLink, DeadRouter } from '../faults/params';
import type { Mapping, Piece } from './mapping';

/** Steps of the four link directions. */
const STEP: Record<DeadLink['dir'], [number, number]> = { N: [0, -1], E: [1, 0], S: [0, 1], W: [-1, 0] };

/** Dead routers and links of one mesh, and the question "does the XY route from a to b reach?". */
export class DeadRoutes {
  readonly width: number;
  readonly height: number;
  private readonly router: Uint8Array;
  /** Horizontal link between (x, y) and (x + 1, y) at y * width + x; vertical between (x, y) and (x, y + 1) likewise. */
  private readonly hLink: Uint8Array;
  private readonly vLink: Uint8Array;
  /** Cached answers by from * tiles + to (0 unknown, 1 alive, 2 dead). */
  private readonly memo = new Map<number, boolean>();

  /**
   * `file`/`path` name where the lists came from, for errors (a tile outside the mesh,
   * a link that leaves it).
   */
  constructor(width: number, height: number, routers: readonly DeadRouter[], links: readonly DeadLink[], file: string, path = 'faults') {
    this.width = width;
    this.height = height;
    this.router = new Uint8Array(width * height);
    this.hLink = new Uint8Array(width * height);
    this.vLink = new Uint8Array(width * height);
    routers.forEach((r, i) => {
      if (r.x >= width || r.y >= height) throw userError(file, `${path}.deadRouters[${i}]`, `router (${r.x}, ${r.y}) is outside the ${width}x${height} mesh`);
      this.router[r.y * width + r.x] = 1;
    });
    links.forEach((l, i) => {
      const [sx, sy] = STEP[l.dir];
      const nx = l.x + sx;
      const ny = l.y + sy;
      if (l.x >= width || l.y >= height || nx < 0 || ny < 0 || nx >= width || ny >= height) {
        throw userError(file, `${path}.deadLinks[${i}]`, `no link leaves router (${l.x}, ${l.y}) towards ${l.dir} in the ${width}x${height} mesh`);
      }
      if (sy === 0) this.hLink[l.y * width + Math.min(l.x, nx)] = 1;
      else this.vLink[Math.min(l.y, ny) * width + l.x] = 1;
    });
  }

  /** True when nothing is dead. */
  get none(): boolean {
    return !this.router.some((v) => v === 1) && !this.hLink.some((v) => v === 1) && !this.vLink.some((v) => v === 1);
  }

  /** True when router `tile` (y * width + x) is dead. */
  routerDead(tile: number): boolean {
    return this.router[tile] === 1;
  }

  /** True when the XY route from router `from` to router `to` (tile ids) reaches. */
  alive(from: number, to: number): boolean {
    const key = from * this.width * this.height + to;
    const m = this.memo.get(key);
    if (m !== undefined) return m;
    const w = this.width;
    let x = from % w;
    let y = Math.floor(from / w);
    const tx = to % w;
    const ty = Math.floor(to / w);
    let ok = this.router[from] === 0;
    while (ok && x !== tx) {
      const nx = x + (tx > x ? 1 : -1);
      ok = this.hLink[y * w + Math.min(x, nx)] === 0 && this.router[y * w + nx] === 0;
      x = nx;
    }
    while (ok && y !== ty) {
      const ny = y + (ty > y ? 1 : -1);
      ok = this.vLink[Math.min(y, ny) * w + x] === 0 && this.router[ny * w + x] === 0;
      y = ny;
    }
    this.memo.set(key, ok);
    return ok;
  }
}

/**
 * One core's piece of a layer and what it can see through the mesh: bit j of
 * `prevSeen` / `nextSeen` is 1 when the spike of neuron j of layer l-1 / l+1 reaches
 * the core (null: all do); `readout` is false when the core's readout packets cannot
 * reach the I/O port. A bit that never arrives keeps its reset value in the axon register.
 */
export interface BlockView {
  layer: number;
  rowStart: number;
  rows: number;
  prevSeen: Uint32Array | null;
  nextSeen: Uint32Array | null;
  readout: boolean;
  /** Synapses that may learn: bit j of layer l-1 / l+1 where both copies of the synapse see both spikes (null: all). */
  prevLearn: Uint32Array | null;
  nextLearn: Uint32Array | null;
}

/**
 * The synapses between core `core` and the neurons of layer `s` that may learn: a
 * synapse's two copies sit on the two neurons' cores, and its update needs both spikes
 * at both copies, so it learns only when the routes between the cores are alive both
 * ways (from the I/O port for the input layer, which has no second copy). Null: all.
 */
export function learnMask(m: Mapping, dead: DeadRoutes, ioTile: number, core: number, s: number): Uint32Array | null {
  const n = m.layers[s] as number;
  const v = new Uint32Array((n + 31) >>> 5);
  if (s === 0) return dead.alive(ioTile, core) ? null : v;
  let all = true;
  for (const p of m.layerPieces[s] as Piece[]) {
    if (dead.alive(p.core, core) && dead.alive(core, p.core)) for (let j = p.first; j < p.first + p.count; j++) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
    else all = false;
  }
  return all ? null : v;
}

/** Per layer l >= 1 (index l-1), the views of its pieces in row order, for the functional model. */
export function blockViews(m: Mapping, dead: DeadRoutes, ioTile: number): BlockView[][] {
  const L = m.layers.length - 1;
  const seen = (core: number, s: number): Uint32Array | null => {
    const n = m.layers[s] as number;
    const v = new Uint32Array((n + 31) >>> 5);
    let all = true;
    if (s === 0) {
      if (dead.alive(ioTile, core)) return null;
      return v;
    }
    for (const p of m.layerPieces[s] as Piece[]) {
      if (dead.alive(p.core, core)) for (let j = p.first; j < p.first + p.count; j++) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
      else all = false;
    }
    return all ? null : v;
  };
  const out: BlockView[][] = [];
  for (let l = 1; l <= L; l++) {
    out.push(
      (m.layerPieces[l] as Piece[]).map((p) => ({
        layer: l,
        rowStart: p.first,
        rows: p.count,
        prevSeen: seen(p.core, l - 1),
        nextSeen: l < L ? seen(p.core, l + 1) : null,
        readout: l < L || dead.alive(p.core, ioTile),
        prevLearn: learnMask(m, dead, ioTile, p.core, l - 1),
        nextLearn: l < L ? learnMask(m, dead, ioTile, p.core, l + 1) : null,
      })),
    );
  }
  return out;
}
