/**
 * Router port numbering. Every router has the four mesh ports and the Local port
 * of its core; the router the I/O port attaches to has `io.flitsPerCycle` more
 * ports (I/O lanes), each an input buffer plus an ejection output.
 *
 * Directions: y grows southward (row index, core id = y * width + x), so
 * North = (x, y - 1), East = (x + 1, y), South = (x, y + 1), West = (x - 1, y).
 */

/** North port (towards y - 1). */
export const PORT_N = 0;
/** East port (towards x + 1). */
export const PORT_E = 1;
/** South port (towards y + 1). */
export const PORT_S = 2;
/** West port (towards x - 1). */
export const PORT_W = 3;
/** Local port (the tile's core). */
export const PORT_LOCAL = 4;
/** First I/O lane port (only at the I/O router). */
export const PORT_IO0 = 5;
/** Ports of a router without I/O lanes. */
export const MESH_PORTS = 5;

/** The port opposite to mesh direction `p` (the input a flit sent on `p` arrives at). */
export function oppositePort(p: number): number {
  return (p + 2) & 3;
}

/** Short name of port `p` for reports and traces: N, E, S, W, L, IO0, IO1, ... */
export function portName(p: number): string {
  return p < MESH_PORTS ? ('NESWL'[p] as string) : `IO${p - PORT_IO0}`;
}
