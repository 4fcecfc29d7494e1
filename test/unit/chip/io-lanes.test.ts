/**
 * Exact cycles of an I/O port with several lanes (docs/timing-model.md, I/O port):
 * input flits leave at most io.flitsPerCycle per cycle, one per lane with a credit,
 * and a flit to the I/O port leaves its router on lane (input port index mod
 * io.flitsPerCycle), each lane ejecting one flit per cycle. Uncongested, a flit
 * injected at cycle t with h hops enters its router's buffer at t + 1, spends
 * routerDelay + linkDelay per hop and is delivered routerDelay after its last grant:
 * t + 1 + 2h + 1 with both delays 1, as the single-lane tests pin.
 */
import { IoPort } from '../../../src/chip/io-port';
import { PHASE_FIRST_FREE } from '../../../src/chip/noc/phases';
import { atCycle, makeMesh } from '../noc/helpers';

/** Delivered input flits of `bits` set bits streamed to cores 1, 3, 5, 7 around the I/O router (4) of a 3x3 mesh. */
function streamedFlits(lanes: number, bits: number, noc: { bufferDepth: number; creditDelay?: number } = { bufferDepth: 16 }) {
  const { kernel, mesh, deliveries } = makeMesh(3, 3, noc, { x: 1, y: 1, flitsPerCycle: lanes });
  const port = new IoPort(kernel, mesh, Int32Array.from([1, 3, 5, 7]), Int32Array.from([0, 0, 0, 0]), 32, 1, 1, lanes, false, PHASE_FIRST_FREE);
  mesh.attach({ onEject: (dst, axon, bit, f, c) => deliveries.push({ serial: 0, src: 0, dst, axon, bit, hops: mesh.flitHops(f), enter: 0, cycle: c, blocked: 0, tag: 0 }), onCredit: (e, c) => e === mesh.ioEndpoint && port.onCredit(c) });
  port.load(10, Uint32Array.of((1 << bits) - 1));
  kernel.run();
  return deliveries;
}

/** Delivery cycles of streamedFlits, sorted. */
function streamed(lanes: number, bits: number): number[] {
  return streamedFlits(lanes, bits).map((d) => d.cycle).sort((a, b) => a - b);
}

describe('I/O port with several lanes: exact cycles', () => {
  // 2 bits x 4 cores = 8 flits, each one hop: injected at 10 + floor(i / lanes), delivered 1 + 2 + 1 = 4 cycles later
  // (the four destinations leave by four different output ports, so nothing contends).
  it.each([
    [1, [14, 15, 16, 17, 18, 19, 20, 21]],
    [2, [14, 14, 15, 15, 16, 16, 17, 17]],
    [4, [14, 14, 14, 14, 15, 15, 15, 15]],
  ])('io.flitsPerCycle = %i streams that many input flits per cycle', (lanes, cycles) => {
    expect(streamed(lanes, 2)).toEqual(cycles);
  });

  // Cores 1 (N of the I/O router), 5 (E), 7 (S), 3 (W) send one flit each to the I/O port at cycle 0.
  // They arrive on input ports N=0, W=3, E=1, S=2 of router 4 after one hop and leave on lane (port mod lanes).
  function toPort(lanes: number): number[] {
    const { kernel, mesh, deliveries } = makeMesh(3, 3, {}, { x: 1, y: 1, flitsPerCycle: lanes });
    atCycle(kernel, 0, () => {
      for (const src of [1, 3, 5, 7]) mesh.inject(src, mesh.ioEndpoint, src, 1);
    });
    kernel.run();
    return deliveries.map((d) => d.cycle).sort((a, b) => a - b);
  }

  it.each([
    // One lane: one ejection per cycle, 0 + 1 + 2 + 1 = 4 for the first.
    [1, [4, 5, 6, 7]],
    // Two lanes: ports 0 and 2 share lane 0, ports 1 and 3 lane 1: two per cycle.
    [2, [4, 4, 5, 5]],
    // Four lanes: every input port its own lane.
    [4, [4, 4, 4, 4]],
  ])('flits to the I/O port with %i lane(s) leave on lane (input port mod lanes)', (lanes, cycles) => {
    expect(toPort(lanes)).toEqual(cycles);
  });

  // Killing surviving StrykerJS mutants of src/chip/io-port.ts (README, "Failure campaigns"): the stream's
  // content, and its restart after running out of lane credits.
  it('3 lanes, 8 flits (events of 3, 3, 2): exactly the 8 flits, each set bit j to axon base + j of every core', () => {
    const got = streamedFlits(3, 2).map((d) => `${d.dst}:${d.axon}:${d.bit}`).sort();
    const want = [1, 3, 5, 7].flatMap((c) => [0, 1].map((j) => `${c}:${j}:1`)).sort();
    expect(got).toEqual(want);
  });

  it('out of lane credits the port waits for the credit: one flit per 1 + creditDelay cycles', () => {
    // bufferDepth 1: the lane's credit returns creditDelay (3) after router 4 grants the flit, which it does the
    // cycle it enters the buffer (t + 1): the port injects at 10, 14, ..., 38; each is delivered 1 + 2 + 1 = 4 later.
    const cycles = streamedFlits(1, 2, { bufferDepth: 1, creditDelay: 3 }).map((d) => d.cycle);
    expect(cycles).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => 10 + 4 * i + 4));
  });
});
