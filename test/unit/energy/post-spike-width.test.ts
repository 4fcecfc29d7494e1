/**
 * Post-spike packets of split layers carry the phases the learning rule contrasts: 2
 * bits (phases A and B), 3 with the first-order contrast (the free phase too). The chip
 * and the energy estimate must size them alike: on a chip where the third bit costs a
 * flit (4x4 mesh, 64 neurons x 256 axons: a 2-bit packet fills one 15-bit flit exactly),
 * the chip's post-spike flits per packet equal wordFlitsOf's for both contrasts.
 */
import { loadChipFile } from '../../../src/hw/chip-file';
import type { ChipDescription } from '../../../src/hw/chip-file';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { defaultOf } from '../../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION, layerSizes, postSpikePayloadBits } from '../../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams, NetworkParams } from '../../../src/learning/params';
import { mapNetwork } from '../../../src/map/mapping';
import { energyChipOf } from '../../../src/energy/chip-view';
import { wordFlitsOf } from '../../../src/energy/noc-estimate';
import { totalCounts } from '../../../src/energy/energy-report';
import { rngStream } from '../../../src/util/rng';

const loaded = loadChipFile('small-core');
const desc: ChipDescription = { ...loaded, params: { ...loaded.params, core: { ...loaded.params.core, axons: 256 } } };

describe.each(['product', 'first-order'] as const)('post-spike packets with the %s contrast', (contrast) => {
  const model: ModelParams = {
    network: { ...(defaultOf(NETWORK_SECTION) as NetworkParams), inputs: 300, hidden: [40], classes: 2, replicas: 4 },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams), kFwd: [4], kBwd: [4] },
    learning: { ...(defaultOf(LEARNING_SECTION) as LearningParams), contrast },
  };
  const src = { chipFile: desc.file, configFile: 'test', layersPath: 'network', placementPath: 'mapping.placement' };
  const m = mapNetwork(layerSizes(model.network), desc.params.core, desc.params.mesh, { placement: 'snake' }, src, model.learning.counterBits);
  const est = wordFlitsOf(m, energyChipOf(desc, m.split, postSpikePayloadBits(model.learning)));
  it('the layer splits, and the estimate sizes the packet by the contrast (1 flit for 2 bits, 2 for 3)', () => {
    expect(m.split).toBe(true);
    expect(est.postSpikes).toBe(contrast === 'product' ? 1 : 2);
  });
  it('the chip sends post-spike packets of that many flits', () => {
    const eng = new ChipEngine(model, desc, 5);
    const rng = rngStream(5, 'post-spike-width');
    const x = new Uint32Array(Math.ceil(300 / 32));
    for (let i = 0; i < 300; i++) if (rng.next() < 0.2) x[i >>> 5] = (x[i >>> 5] as number) | (1 << (i & 31));
    eng.runSample(x, 1, { learn: true, betaSign: 1 });
    const c = totalCounts(eng.counters());
    expect(c['core.postSpikePackets']).toBeGreaterThan(0);
    expect(c['core.postSpikeFlits']! / c['core.postSpikePackets']!).toBe(est.postSpikes);
  });
});
