/**
 * Sanity check against TrueNorth (Merolla et al., Science 2014): the TrueNorth-like
 * chip at 28 nm, run cycle-accurately on a 200-200-20 network with random inputs
 * (30% of input bits set). Prints the figures docs/energy-model.md quotes:
 *   npx jest test/unit/energy/truenorth-sanity --verbose
 */
import * as path from 'path';
import { loadChipFile } from '../../../src/chip/chip-file';
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
  it('prints the comparison', () => {
    console.log(
      [
        `synaptic ops ${sops}, link flits ${r.byEventPJ['router.linkBits']! / r.pricesPJ['router.linkBits']! / energyChipOf(desc).packetBits}`,
        `pJ/SOP compute (weight SRAM + XNOR/popcount + accumulators): ${r.pJPerSynapticOpCompute.toFixed(4)}`,
        `pJ/SOP dynamic on chip (all dynamic components except I/O, clock excluded): ${dynamicPerSop.toFixed(4)}`,
        `pJ/SOP all-in (dynamic + clock + leakage + I/O): ${r.pJPerSynapticOpAllIn.toFixed(1)}`,
        `pJ/SOP all-in over the ${usedTiles} used tiles (their leakage, clock and dynamic energy, no I/O): ${allInUsed.toFixed(3)}`,
        `leakage power ${(r.leakageW.total * 1e3).toFixed(1)} mW (SRAM ${(r.leakageW.sram * 1e3).toFixed(1)} mW), static share ${(100 * r.share['static']!).toFixed(2)}%, seconds ${r.seconds.toExponential(3)}`,
        `pJ per hop: ${r.pJPerHop.toFixed(3)} marginal, ${r.pJPerHopWithClock.toFixed(3)} with the router clock`,
        `tile ${areaReport(energyChipOf(desc), tech, storageOptionsOf(model.learning, model.dynamics)).tileMm2.toFixed(4)} mm^2, pitch ${(areaReport(energyChipOf(desc), tech, storageOptionsOf(model.learning, model.dynamics)).tilePitchMm * 1000).toFixed(0)} um (TrueNorth core 240 x 390 um = 0.0936 mm^2)`,
      ].join('\n'),
    );
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
