/**
 * Dimension-order (XY) routing: a flit first moves along x until its column
 * matches, then along y; at its destination router it leaves on the Local port (or
 * an I/O lane). Hops = |dx - x| + |dy - y| (Manhattan distance); XY routing on a
 * mesh has no cyclic channel dependency, so it cannot deadlock.
 */
import { PORT_E, PORT_N, PORT_S, PORT_W } from './ports';

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
