import { balancedCuts, balancedSplit, layerCuts, layerFanIn, mapNetwork, mappingTraffic, piecesPerLayer, snakeTile } from '../../../src/map/mapping';
import type { CoreParams } from '../../../src/hw/params';
import { UserError } from '../../../src/util/errors';

const SRC = { chipFile: 'chip.json', configFile: 'cfg.json', layersPath: 'network.layers', placementPath: 'mapping.placement' };

function core(over: Partial<CoreParams> = {}): CoreParams {
  return {
    neurons: 16,
    axons: 64,
    sram: { wordBits: 8, banks: 1, capacityBits: 1 << 20, counterCapacityBits: 1 << 22 },
    accumulatorBits: 16,
    stateBits: 8,
    counterBits: 4,
    pipelineDepth: 2,
    outQueueDepth: 4,
    readoutCycles: 1,
    learning: { rowPasses: 2, startDelay: 0 },
    ...over,
  };
}

function expectUserError(f: () => unknown, pattern: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
}

describe('mapping', () => {
  test('snake visits every tile once, alternating direction', () => {
    const seen = new Set<string>();
    for (let t = 0; t < 12; t++) {
      const { x, y } = snakeTile(t, 4);
      seen.add(`${x},${y}`);
      if (t > 0) {
        const p = snakeTile(t - 1, 4);
        expect(Math.abs(p.x - x) + Math.abs(p.y - y)).toBe(1);
      }
    }
    expect(seen.size).toBe(12);
  });

  test('balanced split sums to n and differs by at most one', () => {
    for (let n = 1; n < 50; n++) {
      for (let p = 1; p <= n; p++) {
        const s = balancedSplit(n, p);
        expect(s.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }
    }
  });

  test('fan-in is the layer below plus the layer above', () => {
    expect(layerFanIn([10, 20, 30, 5])).toEqual([0, 10 + 30, 20 + 5, 30]);
  });

  test('snake mapping: pieces, axon segments and fan-out tables', () => {
    // layers 12-20-10: layer 1 fan-in 22, layer 2 fan-in 20; 16 neurons per core.
    const m = mapNetwork([12, 20, 10], core(), { width: 2, height: 2 }, { placement: 'snake' }, SRC);
    expect(m.layerPieces[1]!.map((p) => [p.first, p.count, p.core])).toEqual([
      [0, 10, 0],
      [10, 10, 1],
    ]);
    // third piece goes to tile (1,1) = core 3 (snake turns at the row end)
    expect(m.layerPieces[2]!.map((p) => [p.first, p.count, p.core])).toEqual([[0, 10, 3]]);
    expect(m.usedCores).toEqual([0, 1, 3]);
    const c0 = m.cores[0]!;
    expect(c0.sourceLayers).toEqual([0, 2]);
    // per source layer (0 then 2): layer 0 at axon 0, layer 2 after the 12 inputs
    expect(Array.from(c0.axonBase)).toEqual([0, 12]);
    expect(c0.axonsUsed).toBe(22);
    expect(c0.weightBits).toBe(10 * Math.ceil(22 / 8) * 8);
    expect(c0.counterBits).toBe(c0.weightBits * 4);
    expect(m.rowWords).toEqual([0, 3, 3]);
    // input spikes go to cores 0 and 1; layer-1 spikes to core 3; layer-2 spikes to 0 and 1
    expect(Array.from(m.fanout[0]!.cores)).toEqual([0, 1]);
    expect(Array.from(m.fanout[1]!.cores)).toEqual([3]);
    expect(Array.from(m.fanout[1]!.axonBase)).toEqual([0]);
    expect(Array.from(m.fanout[2]!.cores)).toEqual([0, 1]);
    expect(Array.from(m.fanout[2]!.axonBase)).toEqual([12, 12]);
  });

  test('spread: more pieces for the slowest layer until the mesh is full, never more pieces than neurons', () => {
    // R = 3 cycles per row in both layers; snake: 2 + 1 pieces (10 and 10 rows per core): one more piece for layer 1 (tie: lower layer).
    const m = mapNetwork([12, 20, 10], core(), { width: 2, height: 2 }, { placement: 'spread' }, SRC);
    expect(m.layerPieces[1]!.map((p) => p.count)).toEqual([7, 7, 6]);
    expect(m.layerPieces[2]!.map((p) => p.count)).toEqual([10]);
    expect(m.usedCores).toHaveLength(4);
    expect(piecesPerLayer([4, 2, 1], core(), 16, true)).toEqual([0, 2, 1]);
    // On a large mesh the slowest core's step (rows x R) only shrinks.
    for (const tiles of [3, 5, 8, 13, 40]) {
      const layers = [30, 50, 12];
      const snake = piecesPerLayer(layers, core(), tiles, false);
      const spread = piecesPerLayer(layers, core(), tiles, true);
      const R = [0, Math.ceil(Math.ceil((30 + 12) / 8)), Math.ceil(50 / 8)];
      const worst = (p: number[]) => Math.max(...[1, 2].map((l) => Math.ceil(layers[l]! / p[l]!) * R[l]!));
      expect(worst(spread)).toBeLessThanOrEqual(worst(snake));
      expect(spread.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.max(tiles, snake.reduce((a, b) => a + b, 0)));
    }
  });

  test('explicit placement: two layers share a core and its axon segments', () => {
    const m = mapNetwork([8, 6, 4, 2], core(), { width: 2, height: 1 }, { placement: [[{ x: 0, y: 0 }], [{ x: 1, y: 0 }], [{ x: 0, y: 0 }]] }, SRC);
    const c0 = m.cores[0]!;
    expect(c0.pieces.map((p) => [p.layer, p.row])).toEqual([
      [1, 0],
      [3, 6],
    ]);
    // layer 1 reads 0 and 2, layer 3 reads 2: segment of layer 2 shared
    expect(c0.sourceLayers).toEqual([0, 2]);
    expect(c0.axonsUsed).toBe(8 + 4);
    expect(Array.from(m.fanout[2]!.cores)).toEqual([0]);
  });

  test('refuses a fan-in above the axons, saying by how much', () => {
    expectUserError(() => mapNetwork([60, 10, 10], core(), { width: 4, height: 4 }, { placement: 'snake', split: [1, 'auto'] }, SRC), /chip\.json: core\.axons: layer 1 .*network\.layers\[1\].*fan-in of 70 .* 6 too many/);
  });

  test('refuses more cores than the mesh has', () => {
    expectUserError(() => mapNetwork([10, 40, 10], core(), { width: 2, height: 1 }, { placement: 'snake' }, SRC), /chip\.json: mesh: the network needs 4 cores .* has 2: 2 too many/);
  });

  test('refuses an SRAM that is too small', () => {
    const small = core({ sram: { wordBits: 8, banks: 1, capacityBits: 50, counterCapacityBits: 1 << 20 } });
    expectUserError(() => mapNetwork([10, 4, 2], small, { width: 2, height: 2 }, { placement: 'snake' }, SRC), /core\.sram\.capacityBits: .* needs 64 weight SRAM bits .* 14 too many/);
    const smallCounters = core({ sram: { wordBits: 8, banks: 1, capacityBits: 1000, counterCapacityBits: 100 } });
    expectUserError(() => mapNetwork([10, 4, 2], smallCounters, { width: 2, height: 2 }, { placement: 'snake' }, SRC), /counterCapacityBits: .* needs 256 counter SRAM bits/);
  });

  test('refuses explicit placements outside the mesh or beyond a core', () => {
    expectUserError(() => mapNetwork([8, 6, 4], core(), { width: 2, height: 1 }, { placement: [[{ x: 2, y: 0 }], [{ x: 0, y: 0 }]] }, SRC), /cfg\.json: mapping\.placement\[0\]\[0\]\.x: tile x = 2 is outside the 2x1 mesh/);
    expectUserError(() => mapNetwork([8, 12, 8], core(), { width: 2, height: 1 }, { placement: [[{ x: 0, y: 0 }], [{ x: 0, y: 0 }]] }, SRC), /core\.neurons: tile \(0, 0\) = core 0 holds 20 neurons .* 4 too many/);
    expectUserError(() => mapNetwork([8, 6, 4], core(), { width: 2, height: 1 }, { placement: [[{ x: 0, y: 0, neurons: 5 }], [{ x: 1, y: 0 }]] }, SRC), /mapping\.placement\[0\]: tiles hold 5 neurons but layer 1 has 6/);
    expectUserError(() => mapNetwork([8, 6, 4], core(), { width: 2, height: 1 }, { placement: [[{ x: 0, y: 0 }]] }, SRC), /expected one tile list per layer/);
    expectUserError(
      () => mapNetwork([8, 6, 4], core(), { width: 2, height: 1 }, { placement: [[{ x: 0, y: 0 }, { x: 0, y: 0 }], [{ x: 1, y: 0 }]] }, SRC),
      /mapping\.placement\[0\]\[1\]: tile \(0, 0\) is listed twice for layer 1/,
    );
  });

  test('splits a fan-in above the axons into the fewest segments, on word boundaries', () => {
    // TrueNorth-like cores: 784-512-100, layer 1 reads 784 + 100 = 884 axons, 256 per core.
    const tn = core({ neurons: 256, axons: 256, sram: { wordBits: 256, banks: 1, capacityBits: 65536, counterCapacityBits: 1 << 20 } });
    const m = mapNetwork([784, 512, 100], tn, { width: 4, height: 4 }, { placement: 'snake' }, SRC, 4, 16);
    expect(m.cuts).toEqual([[], [0, 256, 512, 768, 884], [0, 256, 512]]);
    expect(m.split).toBe(true);
    expect(m.usedCores.length).toBe(2 * 4 + 1 * 2);
    const p0 = m.layerPieces[1]![0]!;
    expect(p0.slices.map((q) => [q.segment, q.colStart, q.colEnd, q.core, q.home])).toEqual([
      [0, 0, 256, 0, 0],
      [1, 256, 512, 1, 0],
      [2, 512, 768, 2, 0],
      [3, 768, 884, 3, 0],
    ]);
    // core 3 receives input pixels 768..783 and all of layer 2 (the backward columns)
    expect(m.cores[3]!.sourceLayers).toEqual([0, 2]);
    expect([m.cores[3]!.axonLo[0], m.cores[3]!.axonHi[0], m.cores[3]!.axonLo[1], m.cores[3]!.axonHi[1], m.cores[3]!.axonsUsed]).toEqual([768, 784, 0, 100, 116]);
    const f0 = m.fanout[0]!;
    expect(Array.from(f0.lo).slice(0, 4)).toEqual([0, 256, 512, 768]);
    expect(m.partialSumBits).toBe(16);
  });

  test('prefers a cut at the forward/backward boundary when it saves partial-sum packets', () => {
    // fan-in 40 + 24 = 64 over 40-axon cores: two segments either way; [0,40,64] sends one part per row, [0,32,64] two.
    const c = core({ axons: 40 });
    expect(layerCuts([40, 8, 24], c, 'auto', SRC)[1]).toEqual([0, 40, 64]);
    expect(balancedCuts(64, 2, 8, 40)).toEqual([0, 32, 64]);
  });

  test('a forced split is taken as given, and checked', () => {
    const m = mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [[10, 10, 4], 'auto'] }, SRC);
    expect(m.cuts[1]).toEqual([0, 10, 20, 24]);
    expect(m.cuts[2]).toEqual([0, 6]);
    expectUserError(() => mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [[10, 10], 'auto'] }, SRC), /cfg\.json: mapping\.split\[0\]: segments of 20 axons leave synapses 20\.\.23 of layer 1's neurons .* on no core/);
    expectUserError(() => mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [[10, 10, 10], 'auto'] }, SRC), /mapping\.split\[0\]: segments of 30 axons exceed layer 1's fan-in of 24: 6 too many/);
    expectUserError(() => mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: ['auto'] }, SRC), /mapping\.split: expected one entry per layer l >= 1 \(2\), got 1/);
    expectUserError(() => mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [30, 'auto'] }, SRC), /mapping\.split\[0\]: 30 segments for a fan-in of 24 axons leave 6 segments without synapses/);
  });

  test('partial-sum width: at most the accumulator, at least what a segment needs', () => {
    expectUserError(() => mapNetwork([20, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [2, 'auto'], partialSumBits: 12 }, SRC, 4, 10), /mapping\.partialSumBits: a partial sum of 12 bits is wider than the accumulator .* 2 bits too many/);
    // a 16-axon forward segment sums to +-16: 6 signed bits
    expect(mapNetwork([32, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [[16, 16, 4], 'auto'], partialSumBits: 6 }, SRC).partialSumBits).toBe(6);
    expectUserError(() => mapNetwork([32, 6, 4], core(), { width: 4, height: 2 }, { placement: 'snake', split: [[16, 16, 4], 'auto'], partialSumBits: 5 }, SRC), /segment 0 of layer 1 sums up to 16 axons, a signed partial sum of 6 bits, but 5 bits holds it: 1 bits short/);
  });

  test('a network that cannot fit even split says by how many cores', () => {
    const c = core({ axons: 32, neurons: 8 });
    // layer 1 reads 100 + 4 = 104 axons: 4 segments of at most 32, 2 pieces of 8 neurons; layer 2 one core
    expectUserError(() => mapNetwork([100, 16, 4], c, { width: 2, height: 4 }, { placement: 'snake' }, SRC), /chip\.json: mesh: the network needs 9 cores even split \(layer 1 in 4 segments\) .* but the 2x4 mesh has 8: 1 too many/);
  });

  test('traffic placement never carries more hop-weighted traffic than snake, and reports it', () => {
    const c = core({ axons: 32, neurons: 8 });
    const io = { x: 0, y: 0 };
    for (const layers of [[100, 16, 4], [40, 30, 20, 8], [60, 24, 10]]) {
      const snake = mapNetwork(layers, c, { width: 5, height: 5, io }, { placement: 'snake' }, SRC);
      const traffic = mapNetwork(layers, c, { width: 5, height: 5, io }, { placement: 'traffic' }, SRC);
      const a = mappingTraffic(snake, c, io);
      const b = mappingTraffic(traffic, c, io);
      expect(b.packets).toBe(a.packets);
      expect(b.hopPackets).toBeLessThanOrEqual(a.hopPackets);
      expect(traffic.usedCores.length).toBe(snake.usedCores.length);
    }
    // 100-16-4: layer 1 in 4 segments (fan-in 104), 2 pieces; partial sums travel to the homes
    const m = mapNetwork([100, 16, 4], c, { width: 5, height: 5, io }, { placement: 'snake' }, SRC);
    expect(mappingTraffic(m, c, io).partialSumFlits).toBeGreaterThan(0);
  });
});

describe('multicast traffic (noc.multicast tree)', () => {
  test('a neuron with 2+ destination cores counts one packet over its XY tree\'s links', () => {
    // 4-3-3 on a 4x1 mesh: layer 1 on core 0, layer 2 in three one-neuron pieces on cores 1, 2, 3; I/O at (0, 0).
    //   inputs: 4 packets to core 0, 0 hops; layer 2: one packet each to core 0, 1 + 2 + 3 hops.
    //   layer 1 unicast: 3 neurons x 3 packets, 3 x (1 + 2 + 3) = 18 hops; tree: 3 packets over 3 links each.
    const c = core({ neurons: 8, axons: 16 });
    const io = { x: 0, y: 0, flitsPerCycle: 1 };
    const placement = [[{ x: 0, y: 0 }], [{ x: 1, y: 0, neurons: 1 }, { x: 2, y: 0, neurons: 1 }, { x: 3, y: 0, neurons: 1 }]];
    const m = mapNetwork([4, 3, 3], c, { width: 4, height: 1, io }, { placement }, SRC);
    expect(mappingTraffic(m, c, io)).toEqual({ packets: 4 + 9 + 3, hopPackets: 18 + 6, partialSumFlits: 0 });
    expect(mappingTraffic(m, c, io, true)).toEqual({ packets: 4 + 3 + 3, hopPackets: 9 + 6, partialSumFlits: 0 });
  });
});
