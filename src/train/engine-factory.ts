/**
 * The one place that turns a validated experiment into an Engine: run.mode and
 * run.precision pick the model; everything else reads the same sections.
 *   functional + binary: the integer functional model (src/model);
 *   cycle + binary:      the cycle-accurate chip (src/chip);
 *   functional + float:  the float EP reference with the same layer sizes (fed grey
 *                        levels when float.binaryInput is false: feedData).
 */
import { ChipEngine } from '../chip/chip-engine';
import { loadChipFile } from '../hw/chip-file';
import type { ExperimentConfig } from '../config/experiment';
import type { Engine } from '../learning/engine';
import { greyRows, withCodingNote } from '../data/encode';
import type { TrainTestData } from '../data/load-data';
import { FunctionalEngine } from '../model/functional-engine';
import { userError } from '../util/errors';
import { deadRoutesOn, faultsOn } from '../faults/params';
import { readFlipsOn, sampleReadKey } from '../faults/read-flips';
import type { CounterSnapshot } from '../sim/counter-catalog';
import { chipMapping } from '../chip/chip';
import type { ChipDescription } from '../hw/chip-file';
import { blockViews, DeadRoutes } from '../map/dead-routes';
import type { InputView } from '../model/functional-engine';
import { describeFaults } from '../faults/describe';
import type { FaultSummary } from '../faults/fault-map';
import { networkFaults } from '../learning/neuron-block';
import { FloatReferenceEngine } from './float-engine';
import { checkHostMemory, type HostMemoryUse } from './host-memory';

/** The rows the engine of `cfg` is fed: grey levels for the float reference with float.binaryInput false, else the coded bits. */
export function feedData(cfg: ExperimentConfig, data: TrainTestData): TrainTestData {
  if (cfg.run.precision !== 'float' || cfg.float.binaryInput) return data;
  return { ...data, train: greyRows(data.grey.train, data.train.name), test: greyRows(data.grey.test, data.test.name) };
}

/**
 * Build the engine an experiment asks for; `file` names the config in errors. With
 * `inferenceOnly` a cycle-mode engine is an inference-only chip (no learning registers;
 * snapshot() refuses, restore() ignores the registers), checked against the inference
 * host-memory estimate.
 */
export function createEngine(cfg: ExperimentConfig, file: string, use: HostMemoryUse = {}): Engine {
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults };
  if (cfg.run.threads > 1 && (cfg.run.mode !== 'cycle' || cfg.run.precision === 'float')) {
    throw userError(file, 'run.threads', `is ${cfg.run.threads}, but only the cycle-accurate chip (run.mode "cycle", precision "binary") runs on several threads; set it to 1`);
  }
  if (cfg.run.precision === 'float') {
    if (cfg.run.mode === 'cycle') throw userError(file, 'run.precision', 'the cycle-accurate chip is integer-only; use precision "binary" with mode "cycle"');
    if (!cfg.float.binaryInput && cfg.data.coding !== 'threshold') {
      throw userError(file, 'float.binaryInput', `is false (grey levels as they are), which leaves no place for data.coding "${cfg.data.coding}"; use coding "threshold" or binaryInput true`);
    }
    if (cfg.data.coding === 'rate') throw userError(file, 'data.coding', 'the float EP reference clamps one input per sample; rate coding needs precision "binary"');
    if (faultsOn(cfg.faults) || deadRoutesOn(cfg.faults)) throw userError(file, 'faults', 'the float EP reference models no hardware: fault injection needs precision "binary"');
    return new FloatReferenceEngine(cfg.network, cfg.float, cfg.seed);
  }
  const chip = loadChipFile(cfg.chip);
  // Limits before work: refuse what this machine cannot hold before building anything.
  const inferenceOnly = use.inferenceOnly === true && cfg.run.mode === 'cycle';
  checkHostMemory(cfg, cfg.run.mode === 'cycle' ? chip : null, file, { inferenceOnly });
  if (cfg.run.mode === 'cycle') {
    try {
      return new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping, configFile: file, threads: cfg.run.threads, inferenceOnly });
    } catch (e) {
      throw withCodingNote(e, cfg.data, cfg.network.inputs);
    }
  }
  return new FunctionalEngine(model, cfg.seed, { wordBits: chip.params.core.sram.wordBits, ecc: chip.params.core.sram.ecc ?? 'none', ...deadRouteViews(cfg, chip, file), ...readCuts(cfg, chip, file) });
}

/**
 * With transient read flips, the functional model reads each row in the chip's segments
 * (a split layer's row is several SRAM rows, and where words start decides which flips
 * SECDED corrects), so it takes the chip mapping's cuts; without flips only counters depend on them.
 */
function readCuts(cfg: ExperimentConfig, chip: ChipDescription, file: string): { cuts?: number[][] } {
  if (!readFlipsOn(cfg.faults)) return {};
  const m = chipMapping({ network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults }, chip, cfg.mapping, file);
  return m.split ? { cuts: m.cuts } : {};
}

/** The functional model's view of dead routers and links: the chip's pieces and what each can see (none when nothing is dead). */
function deadRouteViews(cfg: ExperimentConfig, chip: ChipDescription, file: string): { views?: InputView[][] } {
  if (!deadRoutesOn(cfg.faults)) return {};
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults };
  const p = chip.params;
  const dead = new DeadRoutes(p.mesh.width, p.mesh.height, cfg.faults.deadRouters, cfg.faults.deadLinks, file);
  return { views: blockViews(chipMapping(model, chip, cfg.mapping, file), dead, p.io.y * p.mesh.width + p.io.x) };
}

/** What the fault map of the experiment's chip holds, or null when it has no faults. */
export function faultSummary(cfg: ExperimentConfig): (Partial<FaultSummary> & { deadRouters: number; deadLinks: number }) | null {
  if ((!faultsOn(cfg.faults) && !deadRoutesOn(cfg.faults)) || cfg.run.precision === 'float') return null;
  const sram = loadChipFile(cfg.chip).params.core.sram;
  const map = networkFaults({ network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults }, sram.wordBits, sram.ecc ?? 'none');
  return { ...(map === null ? {} : map.summary), deadRouters: cfg.faults.deadRouters.length, deadLinks: cfg.faults.deadLinks.length };
}

/** The line that says which faults the experiment's chip has, or null when it has none. */
export function faultLine(cfg: ExperimentConfig): string | null {
  const s = faultSummary(cfg);
  if (s === null) return null;
  const routes = s.deadRouters + s.deadLinks > 0 ? `${s.deadRouters} dead router(s), ${s.deadLinks} dead link(s)` : '';
  const cells = s.synapses !== undefined ? describeFaults(cfg.faults.seed, s as FaultSummary) : `faults (faults.seed ${cfg.faults.seed}): no stuck cells or neurons`;
  const reads = readFlipsOn(cfg.faults) ? `; every weight SRAM read bit flips with probability ${cfg.faults.readFlipRate} (transient)` : '';
  return (routes === '' ? cells : `${cells}; ${routes}`) + reads;
}

/** The mode of test sample `index` for inference: its read key draws the sample's transient read flips (the trainer's test pass uses the same keys). */
export function testSampleMode(index: number): { learn: false; readKey: number } {
  return { learn: false, readKey: sampleReadKey('test', 0, index) };
}

/** Weight SRAM read bits flipped by transient faults, and those SECDED corrected, summed over the cores of `c`. */
export function readFlipCounts(c: CounterSnapshot): { flippedBits: number; corrected: number } {
  let flippedBits = 0;
  let corrected = 0;
  for (const comp of Object.values(c.components)) {
    if (comp.kind !== 'core') continue;
    flippedBits += comp.counts['sramReadFlips'] ?? 0;
    corrected += comp.counts['sramReadFlipsCorrected'] ?? 0;
  }
  return { flippedBits, corrected };
}

/** One line with the read flips of a run, or null when reads do not flip. */
export function readFlipLine(cfg: ExperimentConfig, c: CounterSnapshot): string | null {
  if (!(cfg.faults.readFlipRate > 0)) return null;
  const r = readFlipCounts(c);
  const n = (x: number): string => x.toLocaleString('en-US');
  return `transient read flips (faults.readFlipRate ${cfg.faults.readFlipRate}): ${n(r.flippedBits)} weight SRAM read bits flipped${r.corrected > 0 ? `, ${n(r.corrected)} corrected by SECDED` : ''}`;
}

