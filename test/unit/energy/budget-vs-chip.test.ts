/**
 * Regression: the budget estimate (functional counters + NoC and timing estimates)
 * stays within 10% of what the cycle-accurate chip counts and prices, on the default
 * and TrueNorth-like chips, for inference and training samples.
 */
import * as path from 'path';
import type { CounterSnapshot } from '../../../src/sim/counter-catalog';
import { COUNTER_CATALOG } from '../../../src/sim/counter-catalog';
import { loadChipFile } from '../../../src/hw/chip-file';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { defaultOf } from '../../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION, layerSizes } from '../../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams, NetworkParams } from '../../../src/learning/params';
import { mapNetwork } from '../../../src/map/mapping';
import { budget } from '../../../src/energy/budget';
import { energyChipOf } from '../../../src/energy/chip-view';
import { energyReport, totalCounts } from '../../../src/energy/energy-report';
import { storageOptionsOf } from '../../../src/energy/memory';
import { loadTechTable } from '../../../src/energy/tech-table';
import { rngStream } from '../../../src/util/rng';

const tech = loadTechTable(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'));

interface Variant {
  dynamics?: Partial<DynamicsParams>;
  learning?: Partial<LearningParams>;
  encoding?: 'state-change' | 'every-step';
  /** Input frames per sample (rate coding). */
  frames?: number;
  /** noc.multicast of the chip (default: the chip file's). */
  multicast?: 'unicast' | 'tree';
  /** mapping.partialSums (default every-step). */
  partialSums?: 'every-step' | 'on-change';
}

function compare(chipName: string, net: Partial<NetworkParams>, samples: number, density: number, v: Variant = {}) {
  const model: ModelParams = {
    network: { ...(defaultOf(NETWORK_SECTION) as NetworkParams), ...net },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams), ...v.dynamics },
    learning: { ...(defaultOf(LEARNING_SECTION) as LearningParams), ...v.learning },
  };
  const loaded = loadChipFile(chipName);
  const enc = v.encoding ? { ...loaded, params: { ...loaded.params, encoding: v.encoding } } : loaded;
  const desc = v.multicast ? { ...enc, params: { ...enc.params, noc: { ...enc.params.noc, multicast: v.multicast } } } : enc;
  const layers = layerSizes(model.network);
  const src = { chipFile: desc.file, configFile: 'test', layersPath: 'network', placementPath: 'mapping.placement' };
  const mappingParams = { placement: 'snake' as const, partialSums: v.partialSums ?? 'every-step' };
  const mapping = mapNetwork(layers, desc.params.core, desc.params.mesh, mappingParams, src, model.learning.counterBits);
  const chip = energyChipOf(desc, mapping.split);
  const rng = rngStream(7, 'budget-test-inputs');
  const input = () => {
    const w = Math.ceil(layers[0]! / 32);
    const x = new Uint32Array(w * (v.frames ?? 1));
    for (let f = 0; f < (v.frames ?? 1); f++) {
      for (let i = 0; i < layers[0]!; i++) if (rng.next() < density) x[f * w + (i >>> 5)] = (x[f * w + (i >>> 5)]! | (1 << (i & 31))) >>> 0;
    }
    return x;
  };
  const inf = Array.from({ length: samples }, input);
  const tr = Array.from({ length: samples }, input);
  const labels = tr.map((_, i) => i % model.network.classes);
  const storage = storageOptionsOf(model.learning, model.dynamics, mapping);
  const est = budget({ model, seed: 3, chip, tech, mapping, storage, inferenceInputs: inf, trainingInputs: tr, trainingLabels: labels });

  const eng = new ChipEngine(model, desc, 3, { mapping: mappingParams });
  for (const x of inf) eng.runSample(x, 0, { learn: false });
  const sInf = eng.counters();
  const signs = rngStream(3, 'budget-beta-sign');
  tr.forEach((x, i) => eng.runSample(x, labels[i]!, { learn: true, betaSign: signs.next() < 0.5 ? -1 : 1 }));
  const sAll = eng.counters();
  const eInf = energyReport(sInf, chip, tech, { storage });
  const eAll = energyReport(sAll, chip, tech, { storage });
  return { est, sInf, sAll, eInf, eAll, samples, chip, eng };
}

function functionalCounts(s: CounterSnapshot): Record<string, number> {
  const all = totalCounts(s);
  const out: Record<string, number> = {};
  for (const d of COUNTER_CATALOG.core) if (d.functional) out[d.name] = all[`core.${d.name}`] ?? 0;
  return out;
}

describe.each([
  ['default', { inputs: 784, hidden: [2048] }, 0.15],
  ['truenorth-like', { inputs: 200, hidden: [200], classes: 2, replicas: 10 }, 0.3],
] as const)('budget estimate vs the cycle-accurate chip on %s', (chipName, net, density) => {
  const r = compare(chipName, net as unknown as Partial<NetworkParams>, 2, density);
  it('the energy model prices flits at the cycle model\'s width', () => {
    expect(r.chip.packetBits).toBe(r.eng.chip.packetBits);
  });
  it('cycles per training sample within 10%', () => {
    expect(Math.abs(r.est.training.cycles.cycles / (r.eAll.cycles - r.eInf.cycles) - 1)).toBeLessThan(0.1);
  });
  it('core counters of the estimate equal the chip\'s for inference', () => {
    expect(functionalCounts(r.est.inference.snapshot)).toEqual(functionalCounts(r.sInf));
  });
  it('energy per inference within 10%', () => {
    expect(Math.abs(r.est.inference.energy.perSamplePJ / r.eInf.perSamplePJ - 1)).toBeLessThan(0.1);
  });
  it('energy per training sample within 10%', () => {
    const chipTraining = (r.eAll.totalPJ - r.eInf.totalPJ) / r.samples;
    expect(Math.abs(r.est.training.energy.perSamplePJ / chipTraining - 1)).toBeLessThan(0.1);
  });
  it('NoC and I/O counters of the estimate within 10% of the chip\'s', () => {
    const est = totalCounts(r.est.inference.snapshot);
    const got = totalCounts(r.sInf);
    const keys = ['router.bufferWrites', 'router.crossbarTraversals', 'router.linkBits', 'router.packetsEjected', 'io.bitsIn', 'io.bitsOut', 'core.packetsInjected', 'core.axonWrites'];
    for (const k of keys) {
      expect(got[k]).toBeGreaterThan(0);
      expect(Math.abs(est[k]! / got[k]! - 1)).toBeLessThan(0.1);
    }
  });
  it('cycles per inference within 10%', () => {
    expect(Math.abs(r.est.inference.cycles.cycles / r.eInf.cycles - 1)).toBeLessThan(0.1);
  });
});

describe('budget estimate vs the cycle-accurate chip for split layers: the default 784-512-100 network on truenorth-like', () => {
  // Layer 1 in 4 segments, layer 2 in 2 (docs/mapping.md): partial sums every step, post-spike
  // passes before learning, spikes only to the cores whose range holds them.
  const r = compare('truenorth-like', { inputs: 784, hidden: [512] }, 2, 0.15);
  it('the energy model prices flits at the cycle model\'s width (the kind bit of a split chip included)', () => {
    expect(r.chip.split).toBe(true);
    expect(r.chip.packetBits).toBe(r.eng.chip.packetBits);
  });
  it('the mapping splits and the chip sends partial sums and post-spike packets', () => {
    const got = totalCounts(r.sAll);
    expect(got['core.partialSumPackets']).toBeGreaterThan(0);
    expect(got['core.postSpikePackets']).toBeGreaterThan(0);
  });
  it('core counters of the estimate equal the chip\'s for inference (SRAM words per segment)', () => {
    expect(functionalCounts(r.est.inference.snapshot)).toEqual(functionalCounts(r.sInf));
  });
  it('partial-sum and post-spike counters: exact (they do not depend on activity)', () => {
    const est = totalCounts(r.est.training.snapshot);
    const inf = totalCounts(r.sInf);
    const all = totalCounts(r.sAll);
    for (const k of ['partialSumPackets', 'partialSumFlits', 'partialSumAdds', 'postSpikePackets', 'postSpikeFlits', 'postSpikeWrites']) {
      expect([k, est[`core.${k}`]]).toEqual([k, all[`core.${k}`]! - inf[`core.${k}`]!]);
      expect([k, totalCounts(r.est.inference.snapshot)[`core.${k}`]]).toEqual([k, inf[`core.${k}`]]);
    }
  });
  it('NoC and I/O counters of the estimate within 10% of the chip\'s (inference and training)', () => {
    const keys = ['router.bufferWrites', 'router.crossbarTraversals', 'router.linkBits', 'router.packetsEjected', 'io.bitsIn', 'io.bitsOut', 'core.packetsInjected', 'core.axonWrites'];
    const est = totalCounts(r.est.inference.snapshot);
    const got = totalCounts(r.sInf);
    const estT = totalCounts(r.est.training.snapshot);
    const gotAll = totalCounts(r.sAll);
    for (const k of keys) {
      expect(got[k]).toBeGreaterThan(0);
      expect([k, Math.abs(est[k]! / got[k]! - 1) < 0.1]).toEqual([k, true]);
      if (k === 'io.bitsOut') continue; // the training readout is estimated from a probe, as above
      expect([k, 'training', Math.abs(estT[k]! / (gotAll[k]! - got[k]!) - 1) < 0.1]).toEqual([k, 'training', true]);
    }
  });
  it('cycles per inference and per training sample within 10%', () => {
    expect(Math.abs(r.est.inference.cycles.cycles / r.eInf.cycles - 1)).toBeLessThan(0.1);
    expect(Math.abs(r.est.training.cycles.cycles / (r.eAll.cycles - r.eInf.cycles) - 1)).toBeLessThan(0.1);
  });
  it('energy per inference and per training sample within 10%', () => {
    expect(Math.abs(r.est.inference.energy.perSamplePJ / r.eInf.perSamplePJ - 1)).toBeLessThan(0.1);
    const chipTraining = (r.eAll.totalPJ - r.eInf.totalPJ) / r.samples;
    expect(Math.abs(r.est.training.energy.perSamplePJ / chipTraining - 1)).toBeLessThan(0.1);
  });
});

describe('budget estimate vs the cycle-accurate chip on the tiny chip, across encodings and rules', () => {
  const net = { inputs: 24, hidden: [16, 8], classes: 2, replicas: 4 } as unknown as Partial<NetworkParams>;
  const dyn: Partial<DynamicsParams> = { accumulatorBits: 12, stateBits: 8, kFwd: [24], kBwd: [8], offset: [0], resetState: 'max' };
  // A strong nudge so that the learning phase has work to do.
  const strong: Partial<LearningParams> = { beta: 64 };
  const variants: Array<[string, Variant]> = [
    ['binary, one-sided nudging', { dynamics: dyn, learning: strong }],
    ['spin encoding', { dynamics: { ...dyn, encoding: 'spin' }, learning: strong }],
    ['every-step packets', { dynamics: dyn, learning: strong, encoding: 'every-step' }],
    ['symmetric nudging', { dynamics: dyn, learning: { ...strong, symmetric: true } }],
    ['hidden-weight rule', { dynamics: dyn, learning: { ...strong, rule: 'hidden' } }],
    ['rate-coded input (5 frames), symmetric', { dynamics: dyn, learning: { ...strong, symmetric: true }, frames: 5 }],
    ['rate-coded input (3 frames), one-sided, every-step', { dynamics: dyn, learning: strong, encoding: 'every-step', frames: 3 }],
  ];
  it.each(variants)('%s: inference and training energy within 10%%', (_name, v) => {
    const r = compare('tiny', net, 3, 0.4, v);
    expect(functionalCounts(r.est.inference.snapshot)).toEqual(functionalCounts(r.sInf));
    // The input flits the I/O port streams are counted exactly, rate-coded frames included.
    expect(totalCounts(r.est.inference.snapshot)['io.flitsIn']).toBe(totalCounts(r.sInf)['io.flitsIn']);
    expect(totalCounts(r.est.training.snapshot)['io.flitsIn']).toBe(totalCounts(r.sAll)['io.flitsIn']! - totalCounts(r.sInf)['io.flitsIn']!);
    const chipTraining = (r.eAll.totalPJ - r.eInf.totalPJ) / r.samples;
    const inf = r.est.inference.energy.perSamplePJ / r.eInf.perSamplePJ;
    const tr = r.est.training.energy.perSamplePJ / chipTraining;
    expect(Math.abs(inf - 1)).toBeLessThan(0.1);
    expect(Math.abs(tr - 1)).toBeLessThan(0.1);
  });
});

describe('budget estimate vs the cycle-accurate chip with multicast trees: 784-512-100 on small-core (noc.multicast tree)', () => {
  // 64-neuron cores: layer 1 in 8 pieces, layer 2 in 2; a layer-1 spike goes to both output cores
  // and a layer-2 spike to all 8 hidden cores, each as one multicast packet.
  const r = compare('small-core', { inputs: 784, hidden: [512] }, 2, 0.15, { multicast: 'tree' });
  it('the chip sends multicast packets and saves link flits', () => {
    const got = totalCounts(r.sAll);
    expect(got['core.multicastPackets']).toBeGreaterThan(0);
    expect(got['router.multicastFlitsSaved']).toBeGreaterThan(0);
  });
  it('NoC, I/O and multicast counters of the estimate within 10% of the chip\'s (inference and training)', () => {
    const keys = ['router.bufferWrites', 'router.crossbarTraversals', 'router.linkFlits', 'router.linkBits', 'router.packetsEjected', 'router.multicastFlitsSaved', 'io.bitsIn', 'io.bitsOut', 'core.packetsInjected', 'core.multicastPackets', 'core.axonWrites'];
    const est = totalCounts(r.est.inference.snapshot);
    const got = totalCounts(r.sInf);
    const estT = totalCounts(r.est.training.snapshot);
    const gotAll = totalCounts(r.sAll);
    for (const k of keys) {
      expect(got[k]).toBeGreaterThan(0);
      expect([k, Math.abs(est[k]! / got[k]! - 1) < 0.1]).toEqual([k, true]);
      if (k === 'io.bitsOut') continue; // the training readout is estimated from a probe, as above
      expect([k, 'training', Math.abs(estT[k]! / (gotAll[k]! - got[k]!) - 1) < 0.1]).toEqual([k, 'training', true]);
    }
  });
  it('energy and cycles per inference and per training sample within 10%', () => {
    expect(Math.abs(r.est.inference.energy.perSamplePJ / r.eInf.perSamplePJ - 1)).toBeLessThan(0.1);
    const chipTraining = (r.eAll.totalPJ - r.eInf.totalPJ) / r.samples;
    expect(Math.abs(r.est.training.energy.perSamplePJ / chipTraining - 1)).toBeLessThan(0.1);
    expect(Math.abs(r.est.inference.cycles.cycles / r.eInf.cycles - 1)).toBeLessThan(0.1);
    expect(Math.abs(r.est.training.cycles.cycles / (r.eAll.cycles - r.eInf.cycles) - 1)).toBeLessThan(0.1);
  });
});

describe('budget estimate vs the cycle-accurate chip for split layers with on-change partial sums: 784-512-100 on truenorth-like', () => {
  // The same network and samples as above, mapping.partialSums "on-change": the estimate counts
  // the packets from the functional model's spikes (src/energy/psum-activity.ts).
  const r = compare('truenorth-like', { inputs: 784, hidden: [512] }, 2, 0.15, { partialSums: 'on-change' });
  const every = compare('truenorth-like', { inputs: 784, hidden: [512] }, 2, 0.15);
  it('the chip sends fewer partial sums than every-step, adds as many, and the estimate counts the same packets', () => {
    const inf = totalCounts(r.sInf);
    const all = totalCounts(r.sAll);
    const eInf = totalCounts(every.sInf);
    expect(inf['core.partialSumPackets']).toBeGreaterThan(0);
    expect(inf['core.partialSumPackets']).toBeLessThan(eInf['core.partialSumPackets']! / 2);
    expect(inf['core.partialSumAdds']).toBe(eInf['core.partialSumAdds']);
    const est = totalCounts(r.est.inference.snapshot);
    const estT = totalCounts(r.est.training.snapshot);
    for (const k of ['partialSumPackets', 'partialSumFlits', 'partialSumAdds', 'postSpikePackets']) {
      expect([k, est[`core.${k}`]]).toEqual([k, inf[`core.${k}`]]);
      expect([k, estT[`core.${k}`]]).toEqual([k, all[`core.${k}`]! - inf[`core.${k}`]!]);
    }
  });
  it('states are those of every-step (same predictions and functional counters)', () => {
    expect(functionalCounts(r.sAll)).toEqual(functionalCounts(every.sAll));
  });
  it('NoC and I/O counters, cycles and energy of the estimate within 10% of the chip\'s (inference and training)', () => {
    const keys = ['router.bufferWrites', 'router.crossbarTraversals', 'router.linkBits', 'router.packetsEjected', 'io.bitsIn', 'core.packetsInjected', 'core.axonWrites'];
    const est = totalCounts(r.est.inference.snapshot);
    const got = totalCounts(r.sInf);
    const estT = totalCounts(r.est.training.snapshot);
    const gotAll = totalCounts(r.sAll);
    for (const k of keys) {
      expect([k, Math.abs(est[k]! / got[k]! - 1) < 0.1]).toEqual([k, true]);
      expect([k, 'training', Math.abs(estT[k]! / (gotAll[k]! - got[k]!) - 1) < 0.1]).toEqual([k, 'training', true]);
    }
    const ratios = {
      inferenceCycles: r.est.inference.cycles.cycles / r.eInf.cycles,
      trainingCycles: r.est.training.cycles.cycles / (r.eAll.cycles - r.eInf.cycles),
      inferencePJ: r.est.inference.energy.perSamplePJ / r.eInf.perSamplePJ,
      trainingPJ: r.est.training.energy.perSamplePJ / ((r.eAll.totalPJ - r.eInf.totalPJ) / r.samples),
    };
    for (const [k, v] of Object.entries(ratios)) expect([k, Math.abs(v - 1) < 0.1]).toEqual([k, true]);
  });
});
