/**
 * The wiring of a W x H mesh: global port numbering (router r owns ports
 * portBase[r] .. portBase[r] + portCount[r] - 1, each both an input and an output),
 * the links between neighbours (down[o] = the input a flit sent on output o enters,
 * up[i] = the output feeding input i, -1 at the mesh edge and on endpoint ports),
 * router coordinates, and the flits carried per link.
 */
import { MESH_PORTS, PORT_N, PORT_W, oppositePort, portName } from '../router/ports';

/** Traffic on one directed router-to-router link. */
export interface LinkLoad {
  /** Sending router. */
  from: number;
  /** Receiving router. */
  to: number;
  /** Direction from the sender: N, E, S or W. */
  direction: string;
  /** Flits sent. */
  flits: number;
}

/** Ports and links of a mesh. */
export class MeshLinks {
  /** Routers in the mesh. */
  readonly routers: number;
  /** Global ports in the mesh. */
  readonly ports: number;
  /** First global port of each router. */
  readonly portBase: Int32Array;
  /** Ports of each router. */
  readonly portCount: Int32Array;
  /** Router owning each global port. */
  readonly portRouter: Int32Array;
  /** Per output port: the neighbour input it feeds, or -1. */
  readonly down: Int32Array;
  /** Per input port: the neighbour output feeding it, or -1. */
  readonly up: Int32Array;
  /** Column and row of each router. */
  readonly routerX: Int32Array;
  readonly routerY: Int32Array;
  /** Flits sent per output port on its link (since the last reset). */
  readonly count: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    ioRouter: number,
    ioLanes: number,
  ) {
    const R = width * height;
    this.routers = R;
    this.portBase = new Int32Array(R);
    this.portCount = new Int32Array(R);
    let P = 0;
    for (let r = 0; r < R; r++) {
      this.portBase[r] = P;
      this.portCount[r] = MESH_PORTS + (r === ioRouter ? ioLanes : 0);
      P += this.portCount[r] as number;
    }
    this.ports = P;
    this.portRouter = new Int32Array(P);
    this.down = new Int32Array(P).fill(-1);
    this.up = new Int32Array(P).fill(-1);
    this.routerX = new Int32Array(R);
    this.routerY = new Int32Array(R);
    this.count = new Float64Array(P);
    const dx = [0, 1, 0, -1];
    const dy = [-1, 0, 1, 0];
    for (let r = 0; r < R; r++) {
      const x = r % width;
      const y = (r - x) / width;
      this.routerX[r] = x;
      this.routerY[r] = y;
      const base = this.portBase[r] as number;
      for (let p = 0; p < (this.portCount[r] as number); p++) this.portRouter[base + p] = r;
      for (let p = PORT_N; p <= PORT_W; p++) {
        const nx = x + (dx[p] as number);
        const ny = y + (dy[p] as number);
        if (nx < 0 || nx >= width || ny < 0 || ny >= height) continue;
        const nin = (this.portBase[ny * width + nx] as number) + oppositePort(p);
        this.down[base + p] = nin;
        this.up[nin] = base + p;
      }
    }
  }

  /** Flits carried by every router-to-router link, in router then port order. */
  loads(): LinkLoad[] {
    const out: LinkLoad[] = [];
    for (let r = 0; r < this.routers; r++) {
      const base = this.portBase[r] as number;
      for (let p = PORT_N; p <= PORT_W; p++) {
        const d = this.down[base + p] as number;
        if (d < 0) continue;
        out.push({ from: r, to: this.portRouter[d] as number, direction: portName(p), flits: this.count[base + p] as number });
      }
    }
    return out;
  }
}
