/**
 * What a cycle-mode run folder reports about the chip: cycles per sample (free,
 * nudged, learning), latency and throughput at clockHz, per-core utilisation and
 * per-router link traffic. Utilisation = activeCycles / cycles; latency of an
 * inference = its free-phase cycles / clockHz; throughput = samples / (cycles / clockHz).
 */
import { toCsv } from '../report/csv';
import type { CsvCell } from '../report/csv';
import type { ChipEngine } from './chip-engine';

/** Summary of the chip's timing over a run. */
export interface ChipTimingSummary {
  chip: string;
  clockHz: number;
  mesh: { width: number; height: number };
  coresUsed: number;
  packetBits: number;
  samples: number;
  cycles: number;
  /** Mean cycles per sample of each part. */
  meanCyclesPerSample: { free: number; nudged: number; learning: number; total: number };
  /** Mean free-phase (inference) latency, seconds. */
  inferenceLatencySeconds: number;
  /** Samples per second at clockHz over the whole run. */
  throughputSamplesPerSecond: number;
  /** Mean activeCycles / cycles over the cores that hold neurons. */
  meanCoreUtilisation: number;
}

function mean(total: number, n: number): number {
  return n > 0 ? total / n : 0;
}

/** The timing summary of everything `engine` ran so far. */
export function chipTimingSummary(engine: ChipEngine): ChipTimingSummary {
  const chip = engine.chip;
  const p = chip.desc.params;
  const t = engine.totals;
  const cycles = chip.time;
  const counters = engine.counters();
  let util = 0;
  for (const c of chip.active) util += mean(counters.components[`core.${c.id}`]?.counts['activeCycles'] ?? 0, cycles);
  return {
    chip: p.name,
    clockHz: p.clockHz,
    mesh: { ...p.mesh },
    coresUsed: chip.active.length,
    packetBits: chip.packetBits,
    samples: t.samples,
    cycles,
    meanCyclesPerSample: { free: mean(t.free, t.samples), nudged: mean(t.nudged, t.samples), learning: mean(t.learning, t.samples), total: mean(t.total, t.samples) },
    inferenceLatencySeconds: mean(t.free, t.samples) / p.clockHz,
    throughputSamplesPerSecond: cycles > 0 ? t.samples / (cycles / p.clockHz) : 0,
    meanCoreUtilisation: mean(util, chip.active.length),
  };
}

/** cores.csv: one row per tile with what it holds and how busy it was. */
export function coresCsv(engine: ChipEngine): string {
  const chip = engine.chip;
  const cycles = chip.time;
  const snap = engine.counters();
  const rows: CsvCell[][] = chip.mapping.cores.map((cm) => {
    const k = snap.components[`core.${cm.id}`]?.counts ?? {};
    const active = k['activeCycles'] ?? 0;
    const holds = cm.pieces.map((p) => `L${p.layer}[${p.first}..${p.first + p.count - 1}]`).join(' ');
    return [cm.id, cm.x, cm.y, holds, cm.rowsUsed, cm.axonsUsed, cm.weightBits, active, k['queueStalls'] ?? 0, k['idleCycles'] ?? cycles, cycles > 0 ? Number((active / cycles).toFixed(6)) : 0, k['packetsInjected'] ?? 0, k['axonWrites'] ?? 0];
  });
  return toCsv(['core', 'x', 'y', 'holds', 'rows', 'axons', 'weightBits', 'activeCycles', 'queueStalls', 'idleCycles', 'utilisation', 'packetsInjected', 'axonWrites'], rows);
}

/** links.csv: one row per router with its link traffic and contention. */
export function linksCsv(engine: ChipEngine): string {
  const chip = engine.chip;
  const cycles = chip.time;
  const snap = engine.counters();
  const w = chip.desc.params.mesh.width;
  const rows: CsvCell[][] = [];
  for (let r = 0; r < chip.mapping.cores.length; r++) {
    const k = snap.components[`router.${r}`]?.counts ?? {};
    const flits = k['linkFlits'] ?? 0;
    rows.push([r, r % w, Math.floor(r / w), flits, k['linkBits'] ?? 0, cycles > 0 ? Number((flits / cycles).toFixed(6)) : 0, k['crossbarTraversals'] ?? 0, k['packetsEjected'] ?? 0, k['arbitrationConflicts'] ?? 0, k['creditStalls'] ?? 0, k['activeCycles'] ?? 0]);
  }
  return toCsv(['router', 'x', 'y', 'linkFlits', 'linkBits', 'linkFlitsPerCycle', 'crossbarTraversals', 'packetsEjected', 'arbitrationConflicts', 'creditStalls', 'activeCycles'], rows);
}
