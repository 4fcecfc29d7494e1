import fc from 'fast-check';
import { makeMesh } from '../../unit/noc/helpers';

/** Geometry and timing of a generated mesh: size, buffer depth, router/link/credit delays, I/O lanes. */
export interface MeshShape {
  w: number;
  h: number;
  depth: number;
  rd: number;
  ld: number;
  cd: number;
  lanes: number;
}

/** Meshes up to 4 x 4 with buffers of 1..maxDepth flits, router and link delays 1..maxDelay, credit delays 1..3, 1..3 I/O lanes. */
export function meshShape(maxDepth: number, maxDelay: number): fc.Arbitrary<MeshShape> {
  return fc.record({
    w: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 4 }),
    depth: fc.integer({ min: 1, max: maxDepth }),
    rd: fc.integer({ min: 1, max: maxDelay }),
    ld: fc.integer({ min: 1, max: maxDelay }),
    cd: fc.integer({ min: 1, max: 3 }),
    lanes: fc.integer({ min: 1, max: 3 }),
  });
}

/** The event-driven mesh of `s` with its recording client, the I/O port at router (ioX, ioY). */
export function meshOf(s: MeshShape, ioX: number, ioY: number, forceVcRouter = false): ReturnType<typeof makeMesh> {
  const noc = { bufferDepth: s.depth, routerDelay: s.rd, linkDelay: s.ld, creditDelay: s.cd };
  return makeMesh(s.w, s.h, noc, { x: ioX, y: ioY, flitsPerCycle: s.lanes }, forceVcRouter);
}
