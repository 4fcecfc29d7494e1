/**
 * The analytic estimate of one experiment (what `bitspike budget` prints and what a
 * budget-only sweep, `bitspike sweep --estimate`, records per point): map the network
 * onto the chip, run the functional model on a few samples per phase for the
 * activity-dependent counts, and price them with the zero-load NoC and timing
 * formulas of src/energy/budget.ts. No training, no cycle model: milliseconds a point
 * (points that share the model, seed and SRAM words share the functional model's runs).
 */
import { loadChipFile, type ChipDescription } from '../hw/chip-file';
import type { Experiment } from '../config/experiment';
import { defaultOf } from '../config/param';
import { withCodingNote } from '../data/encode';
import { loadData, type TrainTestData } from '../data/load-data';
import { budget, type BudgetActivity, type BudgetReport } from '../energy/budget';
import { energyChipOf } from '../energy/chip-view';
import { checkMemoryFits, storageOptionsOf } from '../energy/memory';
import { loadTechTable, type TechTable } from '../energy/tech-table';
import type { NetworkSnapshot } from '../learning/engine';
import { layerSizes, postSpikePayloadBits } from '../learning/params';
import { ruleSynapseBits, type RuleSettings } from '../learning/rules';
import { mapNetwork, mappingTraffic, type Mapping, type MappingTraffic } from '../map/mapping';
import { UserError } from '../util/errors';
import { MAPPING_PARAMS, type MappingParams } from '../map/params';

/** Per-step traffic of one placement of the network (null traffic: it does not map, with the reason). */
export interface PlacementTraffic {
  placement: string;
  traffic: MappingTraffic | null;
  error?: string;
}

/** The estimate with the chip and technology it priced. */
export interface ExperimentBudget {
  report: BudgetReport;
  chip: ChipDescription;
  tech: TechTable;
  /** The config's placement first, then (comparePlacements) the built-in placements it is not: per-step upper-bound traffic (mappingTraffic). */
  placements: PlacementTraffic[];
}

/** What an estimate may be given: trained weights, another technology table, the data already loaded, and a cache of the functional model's runs shared among a sweep's points. */
export interface EstimateOptions {
  weights?: NetworkSnapshot;
  techFile?: string;
  data?: TrainTestData;
  activityCache?: Map<string, BudgetActivity>;
  /** Also map the network with the built-in placements the config does not use and report their traffic (bitspike budget). */
  comparePlacements?: boolean;
}

/** Estimate `exp` on `samples` samples per phase, with `weights` (default: the seeded initial network) and `techFile` (default: the config's). */
export function estimateExperiment(exp: Experiment, samples: number, options: EstimateOptions = {}): ExperimentBudget {
  const cfg = exp.config;
  const desc = loadChipFile(cfg.chip);
  const tech = loadTechTable(options.techFile ?? cfg.tech);
  const layers = layerSizes(cfg.network);
  const mappingParams = (cfg as { mapping?: MappingParams }).mapping ?? (defaultOf(MAPPING_PARAMS) as MappingParams);
  // The stored synapse state width, as the chip maps it.
  const synBits = ruleSynapseBits(cfg.learning as unknown as RuleSettings);
  let mapping: ReturnType<typeof mapNetwork>;
  try {
    mapping = mapNetwork(layers, desc.params.core, desc.params.mesh, mappingParams, { chipFile: desc.file, configFile: exp.file, layersPath: 'network', placementPath: 'mapping.placement' }, synBits);
  } catch (e) {
    throw withCodingNote(e, cfg.data, cfg.network.inputs);
  }
  const data = options.data ?? loadData(cfg.data, cfg.seed);
  const pick = (n: number): number => Math.min(samples, n);
  const report = budget({
    model: { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults },
    seed: cfg.seed,
    chip: energyChipOf(desc, mapping.split, postSpikePayloadBits(cfg.learning)),
    tech,
    mapping,
    storage: storageOptionsOf(cfg.learning, cfg.dynamics, mapping),
    inferenceInputs: data.test.rows.slice(0, pick(data.test.count)),
    trainingInputs: data.train.rows.slice(0, pick(data.train.count)),
    trainingLabels: Array.from(data.train.labels.subarray(0, pick(data.train.count))),
    ...(options.weights ? { weights: options.weights } : {}),
    ...(options.activityCache ? { activityCache: options.activityCache } : {}),
  });
  checkMemoryFits(report.memory, desc.file);
  const src = { chipFile: desc.file, configFile: exp.file, layersPath: 'network', placementPath: 'mapping.placement' };
  const placements: PlacementTraffic[] = [{ placement: typeof mappingParams.placement === 'string' ? mappingParams.placement : 'explicit', traffic: trafficOf(mapping, desc) }];
  for (const name of ['snake', 'spread', 'traffic'] as const) {
    if (name === mappingParams.placement || options.comparePlacements !== true) continue;
    try {
      placements.push({ placement: name, traffic: trafficOf(mapNetwork(layers, desc.params.core, desc.params.mesh, { ...mappingParams, placement: name }, src, synBits), desc) });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      placements.push({ placement: name, traffic: null, error: e.message });
    }
  }
  return { report, chip: desc, tech, placements };
}

function trafficOf(m: Mapping, desc: ChipDescription): MappingTraffic {
  return mappingTraffic(m, desc.params.core, desc.params.io, (desc.params.noc.multicast ?? 'unicast') === 'tree');
}
