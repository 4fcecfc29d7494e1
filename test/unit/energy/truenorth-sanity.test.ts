/**
 * Sanity check against TrueNorth (Merolla et al., Science 2014): the TrueNorth-like
 * chip at 28 nm, run cycle-accurately on a 200-200-20 network with random inputs
 * (30% of input bits set). Prints the figures docs/energy-model.md quotes:
 *   npx jest test/unit/energy/truenorth-sanity --verbose
 */
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { defaultOf } from '../../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams, NetworkParams } from '../../../src/learning/params';
import { areaReport } from '../../../src/energy/area';
import { energyChipOf } from '../../../src/energy/chip-view';
import { energyReport } from '../../../src/energy/energy-report';
import { storageOptionsOf } from '../../../src/energy/memory';
import { loadTechTable } from '../../../src/energy/tech-table';
import { rngStream } from '../../../src/util/rng';

const tech = loadTechTable(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'));
const desc = loadChipFile('truenorth-like');
const model: ModelParams = {
  network: { ...(defaultOf(NETWORK_SECTION) as NetworkParams), inputs: 200, hidden: [200], classes: 2, replicas: 10 },
  dynamics: defaultOf(DYNAMICS_SECTION) as DynamicsParams,
  learning: defaultOf(LEARNING_SECTION) as LearningParams,
};
const rng = rngStream(11, 'truenorth-sanity');
const eng = new ChipEngine(model, desc, 11);
for (let s = 0; s < 4; s++) {
  const x = new Uint32Array(7);
  for (let i = 0; i < 200; i++) if (rng.next() < 0.3) x[i >>> 5] = (x[i >>> 5]! | (1 << (i & 31))) >>> 0;
  eng.runSample(x, 0, { learn: false });
}
const r = energyReport(eng.counters(), energyChipOf(desc), tech, { storage: storageOptionsOf(model.learning, model.dynamics) });
const sops = r.synapticOps;
const dynamicPerSop = (r.dynamicPJ - r.byComponentPJ.io) / sops;
// All-in as if every tile were as busy as the used ones: leakage of the used tiles only.
const usedTiles = eng.chip.active.length;
const tiles = desc.params.mesh.width * desc.params.mesh.height;
const allInUsed = (r.dynamicPJ - r.byComponentPJ.io + r.clockPJ + (r.staticPJ * usedTiles) / tiles) / sops;

describe('TrueNorth-like chip at 28 nm against TrueNorth published figures', () => {
  it('energy per synaptic op grows from compute to dynamic to all-in, and the tile is the size of a TrueNorth core within 4x', () => {
    // Dynamic energy holds the compute energy plus the rest of the core and the routers; all-in adds clock and leakage.
    expect(dynamicPerSop).toBeGreaterThanOrEqual(r.pJPerSynapticOpCompute);
    expect(allInUsed).toBeGreaterThan(dynamicPerSop);
    expect(r.pJPerSynapticOpAllIn).toBeGreaterThan(allInUsed);
    expect(r.pJPerHopWithClock).toBeGreaterThan(r.pJPerHop);
    // Synaptic ops are counted per presented row of the 200-input layer.
    expect(sops % 200).toBe(0);
    const tile = areaReport(energyChipOf(desc), tech, storageOptionsOf(model.learning, model.dynamics)).tileMm2;
    expect(tile).toBeGreaterThan(0.0936 / 4);
    expect(tile).toBeLessThan(0.0936 * 4);
  });
  it('the marginal binary datapath is far below TrueNorth\'s all-in 26 pJ per synaptic event', () => {
    expect(r.pJPerSynapticOpCompute).toBeGreaterThan(0.005);
    expect(r.pJPerSynapticOpCompute).toBeLessThan(26 / 20);
  });
  it('a hop costs the order of TrueNorth\'s ~2.3 pJ (within 4x either way)', () => {
    expect(r.pJPerHop).toBeGreaterThan(2.3 / 4);
    expect(r.pJPerHop).toBeLessThan(2.3 * 4);
  });
  it('all-in, leakage of the mostly idle 4096-tile chip dominates', () => {
    expect(r.share['static']!).toBeGreaterThan(0.5);
  });
});
