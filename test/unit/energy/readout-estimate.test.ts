import { loadChipFile } from '../../../src/hw/chip-file';
import { mapNetwork } from '../../../src/map/mapping';
import { readoutPackets } from '../../../src/energy/readout-estimate';

describe('readout packets', () => {
  const tiny = loadChipFile('tiny');
  const src = { chipFile: tiny.file, configFile: 'c.json', layersPath: 'network', placementPath: 'mapping.placement' };
  // 12 output neurons = 3 classes x 4 replicas, split over two cores of 6 rows each.
  const m = mapNetwork([8, 12], tiny.params.core, tiny.params.mesh, { placement: 'snake' }, src);
  it('one packet per set bit of each partial class sum of each core', () => {
    const out = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Core 0: class 0 sum 10 (2 bits), class 1 partial 11 (3 bits); core 1: class 1 partial 15 (4 bits), class 2 sum 42 (3 bits).
    expect(readoutPackets(m, out, 4)).toEqual([5, 7]);
  });
  it('a zero class sum sends nothing', () => {
    expect(readoutPackets(m, new Int32Array(12), 4)).toEqual([0, 0]);
  });
});
