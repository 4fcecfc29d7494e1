/**
 * What a cycle-mode run folder reports about the chip: cycles per sample (free,
 * nudged, learning; training and inference samples apart), latency and throughput at
 * clockHz, per-core utilisation and per-router link traffic. Utilisation =
 * activeCycles / cycles; latency of an inference = its free-phase cycles / clockHz;
 * throughput = clockHz / (total cycles per sample), samples back to back.
 */
import { emitCsv, toCsv } from '../report/csv';
import type { CsvCell } from '../report/csv';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic, writeStreamAtomic } from '../store/atomic-write';
import type { SampleCycles } from './chip';
import type { ChipEngine, CycleTotals } from './chip-engine';
import type { CycleDistribution } from './sample-log';

/** Mean cycles per sample of one kind of sample: the parts averaged over `samples` samples. */
export interface MeanCycles extends SampleCycles {
  samples: number;
}

/** Summary of the chip's timing over a run. */
export interface ChipTimingSummary {
  chip: string;
  clockHz: number;
  mesh: { width: number; height: number };
  coresUsed: number;
  packetBits: number;
  /** Simulated cycles of the whole run. */
  cycles: number;
  /** Training samples: free, nudged, learning and total cycles per sample. */
  training: MeanCycles;
  /** Inference samples: free and total cycles per sample (nudged = learning = 0). */
  inference: MeanCycles;
  /** Mean free-phase (inference) latency, seconds: inference free cycles / clockHz. */
  inferenceLatencySeconds: number;
  /** Inference samples per second at clockHz (back to back, one chip). */
  inferenceThroughputPerSecond: number;
  /** Training samples per second at clockHz. */
  trainingThroughputPerSecond: number;
  /** Mean activeCycles / cycles over the cores that hold neurons. */
  meanCoreUtilisation: number;
  /** Distribution over inference samples of their free-phase (latency) cycles. */
  inferenceLatencyCycles: CycleDistribution;
  /** Distribution over training samples of their total cycles. */
  trainingSampleCycles: CycleDistribution;
}

function mean(total: number, n: number): number {
  return n > 0 ? total / n : 0;
}

function means(t: CycleTotals): MeanCycles {
  return { samples: t.samples, free: mean(t.free, t.samples), nudged: mean(t.nudged, t.samples), learning: mean(t.learning, t.samples), total: mean(t.total, t.samples) };
}

/** The timing summary of everything `engine` ran so far. */
export function chipTimingSummary(engine: ChipEngine): ChipTimingSummary {
  const chip = engine.chip;
  const p = chip.desc.params;
  const cycles = engine.reportCycles;
  const counters = engine.reportCounters();
  let util = 0;
  for (const id of chip.usedCoreIds) util += mean(counters.components[`core.${id}`]?.counts['activeCycles'] ?? 0, cycles);
  const training = means(engine.totals.training);
  const inference = means(engine.totals.inference);
  return {
    chip: p.name,
    clockHz: p.clockHz,
    mesh: { ...p.mesh },
    coresUsed: chip.usedCoreIds.length,
    packetBits: chip.packetBits,
    cycles,
    training,
    inference,
    inferenceLatencySeconds: inference.free / p.clockHz,
    inferenceThroughputPerSecond: inference.total > 0 ? p.clockHz / inference.total : 0,
    trainingThroughputPerSecond: training.total > 0 ? p.clockHz / training.total : 0,
    meanCoreUtilisation: mean(util, chip.usedCoreIds.length),
    inferenceLatencyCycles: engine.log.distribution(false, 1),
    trainingSampleCycles: engine.log.distribution(true, 4),
  };
}

/**
 * Write the chip's part of a cycle-mode run folder and close its traces:
 * chip-timing.json (chipTimingSummary), cores.csv, links.csv (per router),
 * link-loads.csv (per directed router-to-router link), sample-cycles.csv (per sample).
 */
export function writeChipRunFiles(dir: string, engine: ChipEngine): void {
  engine.finish();
  writeJsonAtomic(path.join(dir, 'chip-timing.json'), chipTimingSummary(engine));
  // Streamed line by line: a large mesh's tables may exceed the largest string.
  for (const [name, table] of [
    ['cores.csv', coresTable(engine)],
    ['links.csv', linksTable(engine)],
    ['link-loads.csv', linkLoadsTable(engine)],
  ] as const) {
    writeStreamAtomic(path.join(dir, name), (w) => emitCsv(table[0], table[1], w));
  }
  writeFileAtomic(path.join(dir, 'sample-cycles.csv'), engine.log.toCsv());
}

/** link-loads.csv: one row per directed link with its flits, bits and load (flits per cycle). */
function linkLoadsTable(engine: ChipEngine): CsvTable {
  const chip = engine.chip;
  const cycles = engine.reportCycles;
  const w = chip.desc.params.mesh.width;
  const rows: CsvCell[][] = engine.linkLoads().map((l) => [
    l.from,
    l.from % w,
    Math.floor(l.from / w),
    l.to,
    l.direction,
    l.flits,
    l.flits * chip.packetBits,
    cycles > 0 ? Number((l.flits / cycles).toFixed(6)) : 0,
  ]);
  return [['from', 'x', 'y', 'to', 'direction', 'flits', 'bits', 'flitsPerCycle'], rows];
}

/** cores.csv: one row per tile with what it holds and how busy it was. */
function coresTable(engine: ChipEngine): CsvTable {
  const chip = engine.chip;
  const cycles = engine.reportCycles;
  const snap = engine.reportCounters();
  const rows: CsvCell[][] = chip.mapping.cores.map((cm) => {
    const k = snap.components[`core.${cm.id}`]?.counts ?? {};
    const active = k['activeCycles'] ?? 0;
    const holds = cm.pieces.map((p) => `L${p.layer}[${p.first}..${p.first + p.count - 1}]`).join(' ');
    return [cm.id, cm.x, cm.y, holds, cm.rowsUsed, cm.axonsUsed, cm.weightBits, active, k['queueStalls'] ?? 0, k['idleCycles'] ?? cycles, cycles > 0 ? Number((active / cycles).toFixed(6)) : 0, k['packetsInjected'] ?? 0, k['axonWrites'] ?? 0];
  });
  return [['core', 'x', 'y', 'holds', 'rows', 'axons', 'weightBits', 'activeCycles', 'queueStalls', 'idleCycles', 'utilisation', 'packetsInjected', 'axonWrites'], rows];
}

/** links.csv: one row per router with its link traffic and contention. */
function linksTable(engine: ChipEngine): CsvTable {
  const chip = engine.chip;
  const cycles = engine.reportCycles;
  const snap = engine.reportCounters();
  const w = chip.desc.params.mesh.width;
  const rows: CsvCell[][] = [];
  for (let r = 0; r < chip.mapping.cores.length; r++) {
    const k = snap.components[`router.${r}`]?.counts ?? {};
    const flits = k['linkFlits'] ?? 0;
    rows.push([r, r % w, Math.floor(r / w), flits, k['linkBits'] ?? 0, cycles > 0 ? Number((flits / cycles).toFixed(6)) : 0, k['crossbarTraversals'] ?? 0, k['packetsEjected'] ?? 0, k['arbitrationConflicts'] ?? 0, k['creditStalls'] ?? 0, k['activeCycles'] ?? 0]);
  }
  return [['router', 'x', 'y', 'linkFlits', 'linkBits', 'linkFlitsPerCycle', 'crossbarTraversals', 'packetsEjected', 'arbitrationConflicts', 'creditStalls', 'activeCycles'], rows];
}

/** A CSV header and its rows. */
type CsvTable = [readonly string[], CsvCell[][]];

/** link-loads.csv text. */
export function linkLoadsCsv(engine: ChipEngine): string {
  return toCsv(...linkLoadsTable(engine));
}

/** cores.csv text. */
export function coresCsv(engine: ChipEngine): string {
  return toCsv(...coresTable(engine));
}

/** links.csv text. */
export function linksCsv(engine: ChipEngine): string {
  return toCsv(...linksTable(engine));
}
