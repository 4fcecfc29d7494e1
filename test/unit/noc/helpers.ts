import { Kernel } from '../../../src/sim/kernel';
import { Mesh } from '../../../src/chip/noc/mesh';
import type { NocParams } from '../../../src/hw/noc-params';
import { packetBits } from '../../../src/hw/packet';

/** One delivered packet as seen by the test client. */
export interface Delivery {
  serial: number;
  src: number;
  dst: number;
  axon: number;
  bit: number;
  hops: number;
  enter: number;
  cycle: number;
  blocked: number;
  tag: number;
}

/** A mesh with a recording client. */
export function makeMesh(
  width: number,
  height: number,
  noc: Partial<NocParams> = {},
  io = { x: 0, y: 0, flitsPerCycle: 1 },
  forceVcRouter = false,
): { kernel: Kernel; mesh: Mesh; deliveries: Delivery[]; credits: [number, number][] } {
  const kernel = new Kernel();
  const params: NocParams = { bufferDepth: 4, routerDelay: 1, linkDelay: 1, creditDelay: 1, watchdogCycles: 1000, ...noc };
  const mesh = new Mesh(kernel, { width, height, noc: params, io, packetBits: packetBits(width, height, 64), forceVcRouter });
  const deliveries: Delivery[] = [];
  const credits: [number, number][] = [];
  mesh.attach({
    onEject: (dst, axon, bit, f, cycle) =>
      deliveries.push({
        serial: mesh.flitSerial(f),
        src: mesh.flitSource(f),
        dst,
        axon,
        bit,
        hops: mesh.flitHops(f),
        enter: mesh.flitEnterCycle(f),
        cycle,
        blocked: mesh.flitBlocked(f),
        tag: mesh.flitTag(f),
      }),
    onCredit: (e, cycle) => credits.push([e, cycle]),
  });
  return { kernel, mesh, deliveries, credits };
}

/** Schedule `fn` at (cycle, phase 3) of the kernel. */
export function atCycle(kernel: Kernel, cycle: number, fn: () => void): void {
  const h = kernel.register(() => fn());
  kernel.at(cycle, 3, h, 0, 0);
}
