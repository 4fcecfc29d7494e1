import { balancedSplit, layerFanIn, mapNetwork, piecesPerLayer, snakeTile } from '../../../src/map/mapping';
import type { CoreParams } from '../../../src/chip/params';
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
    expect(Array.from(c0.axonBase)).toEqual([0, -1, 12]);
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
    expectUserError(() => mapNetwork([60, 10, 10], core(), { width: 4, height: 4 }, { placement: 'snake' }, SRC), /chip\.json: core\.axons: layer 1 .*network\.layers\[1\].*fan-in of 70 .* 6 too many/);
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
});
