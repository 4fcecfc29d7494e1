/**
 * Dimension-order (XY) routing: a flit first moves along x until its column
 * matches, then along y; at its destination router it leaves on the Local port (or
 * an I/O lane). Hops = |dx - x| + |dy - y| (Manhattan distance); XY routing on a
 * mesh has no cyclic channel dependency, so it cannot deadlock.
 */
import { PORT_E, PORT_N, PORT_S, PORT_W } from './ports';
import { xyTreeLinks } from '../../map/mapping';

/**
 * Output port for a flit at router (x, y) heading to router (dx, dy), or -1 when it
 * has arrived (the caller picks the ejection port).
 */
export function xyOutputPort(x: number, y: number, dx: number, dy: number): number {
  if (dx > x) return PORT_E;
  if (dx < x) return PORT_W;
  if (dy > y) return PORT_S;
  if (dy < y) return PORT_N;
  return -1;
}

/** Router-to-router hops of the XY route from (x, y) to (dx, dy). */
export function xyHops(x: number, y: number, dx: number, dy: number): number {
  return Math.abs(dx - x) + Math.abs(dy - y);
}

/** Output port under YX routing (y first, then x), or -1 at the destination. */
export function yxOutputPort(x: number, y: number, dx: number, dy: number): number {
  if (dy > y) return PORT_S;
  if (dy < y) return PORT_N;
  if (dx > x) return PORT_E;
  if (dx < x) return PORT_W;
  return -1;
}

/**
 * Branches of the XY multicast tree at router (x, y) for the destination routers in
 * bit-vector `set` (words set[off .. off + words - 1], bit d = router d of a mesh
 * `width` wide): bit p of the result is set when some destination leaves on mesh
 * port p, bit 4 (Local) when (x, y) is itself a destination. A destination takes
 * the branch its unicast XY route would take, so every tree edge is an XY edge.
 */
export function xyTreePorts(x: number, y: number, set: Uint32Array, off: number, words: number, width: number): number {
  let mask = 0;
  for (let w = 0; w < words; w++) {
    for (let bits = set[off + w] as number; bits !== 0; bits &= bits - 1) {
      const d = w * 32 + (31 - Math.clz32(bits & -bits));
      const dx = d % width;
      const p = xyOutputPort(x, y, dx, (d - dx) / width);
      mask |= 1 << (p < 0 ? 4 : p);
    }
  }
  return mask;
}

/** Copy into `to` (at offset `toOff`) the destinations of `set` that leave router (x, y) on port `port` (4 = Local); returns how many. */
export function xyTreeBranch(x: number, y: number, port: number, set: Uint32Array, off: number, words: number, width: number, to: Uint32Array, toOff: number): number {
  let n = 0;
  for (let w = 0; w < words; w++) {
    let keep = 0;
    for (let bits = set[off + w] as number; bits !== 0; bits &= bits - 1) {
      const b = bits & -bits;
      const d = w * 32 + (31 - Math.clz32(b));
      const dx = d % width;
      const p = xyOutputPort(x, y, dx, (d - dx) / width);
      if ((p < 0 ? 4 : p) === port) {
        keep |= b;
        n++;
      }
    }
    to[toOff + w] = keep >>> 0;
  }
  return n;
}

/**
 * Router-to-router links an XY multicast tree from router `src` to the cores `dsts`
 * saves over one unicast XY route per destination, on a mesh `width` routers wide:
 * the tree uses the row segments from the source, then in each column the vertical
 * span from the source's row.
 */
export function xyTreeSavedLinks(src: number, dsts: readonly number[], width: number): number {
  const sx = src % width;
  const sy = (src - sx) / width;
  let unicastLinks = 0;
  for (const d of dsts) {
    const dx = d % width;
    unicastLinks += xyHops(sx, sy, dx, (d - dx) / width);
  }
  return unicastLinks - xyTreeLinks(src, dsts, width);
}
