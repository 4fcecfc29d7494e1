/**
 * Energy of a finished `train` or `run`: prices the run's counter snapshot with the
 * chosen technology table and writes energy.json into the run folder. Cycle-model
 * runs carry every counter; functional runs have no cycles and no NoC/I-O counters,
 * so their cycles and the cores' active cycles (for the clock energy) are estimated
 * (zero-load timing, timing-estimate.ts, with balanced learning across used cores)
 * and the missing kinds are named in the report. A training run also prices its
 * training samples (free + nudged phases + learning) and its test inferences (free
 * phase only) apart:
 *
 *   training  = counters of the whole run - inference
 *   inference = counters of the test passes
 *   per training sample = E(training) / training samples;  per inference = E(inference) / test samples
 */
import * as path from 'path';
import { loadChipFile } from '../hw/chip-file';
import type { ChipDescription } from '../hw/chip-file';
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { ModelParams } from '../learning/params';
import { layerSizes, postSpikePayloadBits } from '../learning/params';
import { ruleSynapseBits } from '../learning/rules';
import type { RuleSettings } from '../learning/rules';
import { mapNetwork } from '../map/mapping';
import type { Mapping } from '../map/mapping';
import type { MappingParams } from '../map/params';
import { writeJsonAtomic } from '../store/atomic-write';
import { UserError } from '../util/errors';
import { energyChipOf } from './chip-view';
import type { EnergyChip } from './chip-view';
import { energyReport, totalCounts } from './energy-report';
import type { EnergyReport } from './energy-report';
import { formatEnergyReport } from './format';
import { checkMemoryFits, memoryReport, storageOptionsOf } from './memory';
import { loadTechTable } from './tech-table';
import type { TechTable } from './tech-table';
import { estimateCycles } from './timing-estimate';

/** File name of the energy report in a run folder. */
export const ENERGY_FILE = 'energy.json';

/** What a run's energy report needs. */
export interface RunEnergyInput {
  /** Counters of the work to price (whole run, or one phase of it). */
  counters: CounterSnapshot;
  chip: ChipDescription;
  tech: TechTable;
  model: ModelParams;
  /** Placement (default snake). */
  mapping?: MappingParams;
  /** Config file, for messages. */
  configFile: string;
  /** The network as mapped from `mapping` (prepareRunEnergy maps it once for every report); absent: mapped here. */
  mapped?: Mapping;
}

/** The component-wise difference a - b of two snapshots (the counts of the work between them). */
export function subtractCounters(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  const out: CounterSnapshot = { components: {} };
  for (const [id, comp] of Object.entries(a.components)) {
    const before = b.components[id]?.counts ?? {};
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(comp.counts)) counts[k] = v - (before[k] ?? 0);
    out.components[id] = { kind: comp.kind, counts };
  }
  return out;
}

/** A run's network mapped on its chip as the cycle model maps it (placement default snake); UserError when it does not fit. */
export function mapRunNetwork(x: { model: Pick<ModelParams, 'network' | 'learning'>; chip: ChipDescription; mapping?: MappingParams | undefined; configFile: string }): Mapping {
  const p = x.chip.params;
  const synBits = ruleSynapseBits(x.model.learning as unknown as RuleSettings);
  return mapNetwork(layerSizes(x.model.network), p.core, p.mesh, x.mapping ?? { placement: 'snake' }, { chipFile: x.chip.file, configFile: x.configFile, layersPath: 'network', placementPath: 'mapping.placement' }, synBits);
}

/** The run's mapping: the one prepareRunEnergy made, else mapped here. */
function runMapping(x: RunEnergyInput): Mapping {
  return x.mapped ?? mapRunNetwork(x);
}

/** Zero-load estimate of cycles and core active cycles for a snapshot without chip.cycles (functional runs). */
function estimatedCycles(x: RunEnergyInput, m: Mapping, chip: EnergyChip): { cycles: number; coreActiveCycles: number } {
  const p = x.chip.params;
  const c = totalCounts(x.counters);
  const samples = c['chip.samples'] ?? 0;
  if (samples === 0) return { cycles: 0, coreActiveCycles: 0 };
  const base = estimateCycles(m, chip, {
    samples,
    stepsPerSample: (c['chip.steps'] ?? 0) / samples,
    inputFlits: 0,
    // Readout: about half the bits of each class sum set (the functional model sends no packets).
    readoutFlits: (x.model.network.classes * Math.ceil(Math.log2(x.model.network.replicas * (2 ** x.model.dynamics.stateBits - 1) + 1)) * samples) / 2,
    maxHops: p.mesh.width - 1 + p.mesh.height - 1,
    learning: null,
  });
  // Learning words spread evenly over the used cores, rowPasses passes over banks read ports.
  const words = (c['core.weightSramWrites'] ?? 0) + (c['core.counterSramWrites'] ?? 0);
  const learning = (p.core.learning.rowPasses * words) / (p.core.sram.banks * m.usedCores.length);
  return { cycles: Math.ceil(base.cycles + learning), coreActiveCycles: base.coreActiveCycles + learning * m.usedCores.length };
}

/**
 * Price a run's counters; null for engines that count no hardware events (the float
 * reference). Functional runs get an estimated cycle count (reported as such).
 */
export function energyReportForRun(x: RunEnergyInput): EnergyReport | null {
  const kinds = new Set(Object.values(x.counters.components).map((c) => c.kind));
  if (!kinds.has('core')) return null;
  const counts = totalCounts(x.counters);
  const hasCycles = kinds.has('chip') && (counts['chip.cycles'] ?? 0) > 0;
  // Flits are priced at the chip's width for this mapping (a split layer adds the kind bit);
  // the mapping's on-change partial-sum registers are stored state.
  const m = runMapping(x);
  const storage = storageOptionsOf(x.model.learning, x.model.dynamics, m);
  const chip = energyChipOf(x.chip, m.split, postSpikePayloadBits(x.model.learning));
  if (hasCycles) return energyReport(x.counters, chip, x.tech, { storage });
  // Functional run: estimated cycles, and the datapath's active cycles (for its clock) as one more core component.
  const est = estimatedCycles(x, m, chip);
  const counters: CounterSnapshot = { components: { ...x.counters.components, 'core.estimated-activity': { kind: 'core', counts: { activeCycles: est.coreActiveCycles } } } };
  return energyReport(counters, chip, x.tech, { storage, cycles: est.cycles });
}

/** Write energy.json (the named reports, e.g. {"run": ..., "training": ..., "inference": ...}) atomically into a run folder. */
export function writeRunEnergy(dir: string, reports: Readonly<Record<string, EnergyReport>>): void {
  writeJsonAtomic(path.join(dir, ENERGY_FILE), reports);
}

/** The readable tables printed at the end of a run, one per named report. */
export function formatRunEnergy(reports: Readonly<Record<string, EnergyReport>>): string {
  return Object.entries(reports)
    .map(([name, r]) => formatEnergyReport(r, `energy (${name})`))
    .join('\n');
}

/** What a run needs from its experiment config to price its counters. */
export interface RunEnergyConfig {
  chip: string;
  tech: string;
  network: ModelParams['network'];
  dynamics: ModelParams['dynamics'];
  learning: ModelParams['learning'];
  mapping?: MappingParams;
  /** precision "float" runs the float reference (no chip, nothing to map or price); mode "functional" needs no chip to run. */
  run?: { precision: string; mode?: string };
}

/**
 * Before a run starts: load the chip and technology table, map the network and check
 * its memory budget against the chip's SRAM, so a bad table, or (for the cycle model)
 * a design that does not fit, is refused before the run folder exists. A functional
 * run of a network the chip cannot hold still runs, unpriced, and says why. The
 * returned function prices the run's final counters (and, given the counters of its
 * inferences, the training and inference parts apart), writes energy.json into `dir`
 * and returns the text to print ('' for engines without hardware counters).
 */
export function prepareRunEnergy(cfg: RunEnergyConfig, configFile: string): (counters: CounterSnapshot, dir: string, inference?: CounterSnapshot | null) => string {
  const chip = loadChipFile(cfg.chip);
  const tech = loadTechTable(cfg.tech);
  const model: ModelParams = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  let misfit: string | null = null;
  let mapped: Mapping | null = null;
  if (cfg.run?.precision !== 'float') {
    const synBits = ruleSynapseBits(cfg.learning as unknown as RuleSettings);
    const L = cfg.network.hidden.length + 1;
    // Layer l's size in the config, as the chip names it in its mapping errors.
    const layerPath = (l: number): string => (l === 0 ? 'network.inputs' : l === L ? 'network.classes x network.replicas' : `network.hidden[${l - 1}]`);
    const src = { chipFile: chip.file, configFile, layersPath: 'network', layerPath, placementPath: 'mapping.placement' };
    try {
      const m = mapNetwork(layerSizes(cfg.network), chip.params.core, chip.params.mesh, cfg.mapping ?? { placement: 'snake' }, src, synBits);
      checkMemoryFits(memoryReport(m, energyChipOf(chip, m.split), storageOptionsOf(cfg.learning, cfg.dynamics, m)), chip.file);
      mapped = m;
    } catch (e) {
      if (!(e instanceof UserError) || cfg.run?.mode === 'cycle') throw e;
      misfit = e.message;
    }
  }
  return (counters, dir, inference) => {
    if (misfit !== null) return `energy: not priced, the network does not fit the chip: ${misfit}\n`;
    const price = (c: CounterSnapshot): EnergyReport | null => energyReportForRun({ counters: c, chip, tech, model, ...(cfg.mapping ? { mapping: cfg.mapping } : {}), configFile, ...(mapped !== null ? { mapped } : {}) });
    const r = price(counters);
    if (r === null) return '';
    if (inference === undefined || inference === null) {
      writeRunEnergy(dir, { run: r });
      return formatRunEnergy({ run: r });
    }
    // Phases with no samples (e.g. an empty test set) have nothing to price per sample.
    const parts: Record<string, EnergyReport> = {};
    const training = price(subtractCounters(counters, inference));
    if (training !== null && training.samples > 0) parts['training'] = training;
    const inferences = price(inference);
    if (inferences !== null && inferences.samples > 0) parts['inference'] = inferences;
    writeRunEnergy(dir, { run: r, ...parts });
    return formatRunEnergy(Object.keys(parts).length > 0 ? parts : { run: r });
  };
}
