/**
 * Readable text tables of energy, memory and area reports (for the end of `train`,
 * `run` and `budget`); the JSON files carry the full numbers.
 */
import { formatTable } from '../report/table';
import type { AreaReport } from './area';
import type { EnergyReport } from './energy-report';
import { ENERGY_COMPONENTS } from './event-prices';
import type { MemoryReport } from './memory';

/** Energy with an SI prefix, from pJ (e.g. "1.23 nJ"). */
export function formatEnergy(pJ: number): string {
  if (!Number.isFinite(pJ)) return 'n/a';
  const units: Array<[number, string]> = [
    [1e12, 'J'],
    [1e9, 'mJ'],
    [1e6, 'uJ'],
    [1e3, 'nJ'],
    [1, 'pJ'],
    [1e-3, 'fJ'],
  ];
  const a = Math.abs(pJ);
  for (const [f, u] of units) if (a >= f) return `${(pJ / f).toPrecision(3)} ${u}`;
  return pJ === 0 ? '0 pJ' : `${(pJ / 1e-3).toPrecision(3)} fJ`;
}

/** A quantity with an SI prefix (e.g. si(0.0123, "W") = "12.3 mW"). */
export function si(x: number, unit: string): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return `0 ${unit}`;
  const prefixes: Array<[number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'u'],
    [1e-9, 'n'],
    [1e-12, 'p'],
    [1e-15, 'f'],
  ];
  for (const [f, p] of prefixes) if (Math.abs(x) >= f) return `${(x / f).toPrecision(3)} ${p}${unit}`;
  return `${x.toExponential(2)} ${unit}`;
}

function num(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(3) : 'n/a';
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Energy per sample by component plus the summary figures of one report. */
export function formatEnergyReport(r: EnergyReport, title: string): string {
  const S = Math.max(1, r.samples);
  const rows: (string | number)[][] = [];
  for (const c of ENERGY_COMPONENTS) {
    if (c === 'clock') continue;
    rows.push([c, formatEnergy(r.byComponentPJ[c] / S), pct(r.share[c] ?? 0)]);
  }
  rows.push(['clock', formatEnergy(r.clockPJ / S), pct(r.share['clock'] ?? 0)]);
  rows.push(['static (leakage)', formatEnergy(r.staticPJ / S), pct(r.share['static'] ?? 0)]);
  rows.push(['total', formatEnergy(r.perSamplePJ), '100.0%']);
  const lines = [
    `${title}: ${r.samples} sample(s), chip ${r.chip.name}, technology ${r.tech.name}`,
    formatTable(['component', 'energy per sample', 'share'], rows).trimEnd(),
    `pJ per synaptic op: ${num(r.pJPerSynapticOpAllIn)} all-in, ${num(r.pJPerSynapticOpCompute)} compute (weight SRAM + XNOR/popcount + accumulators)`,
    `pJ per hop (router + link): ${num(r.pJPerHop)} marginal, ${num(r.pJPerHopWithClock)} with the router clock`,
    `latency per sample: ${si(r.latencyPerSampleS, 's')} (${Math.round(r.cycles / S)} cycles${r.cyclesFrom === 'estimate' ? ', estimated: zero-load timing' : ''}); average power ${si(r.averagePowerW, 'W')} (leakage ${si(r.leakageW.total, 'W')}); EDP per sample ${r.edpPerSampleJs.toExponential(3)} J*s`,
  ];
  if (r.missingKinds.length > 0) lines.push(`not included: no ${r.missingKinds.join(', ')} counters in this run (functional model); see \`bitspike budget\` for an estimate`);
  return `${lines.join('\n')}\n`;
}

function bits(n: number): string {
  if (n >= 8 * 1024 * 1024) return `${n} (${(n / 8 / 1024 / 1024).toFixed(2)} MiB)`;
  if (n >= 8 * 1024) return `${n} (${(n / 8 / 1024).toFixed(1)} KiB)`;
  return String(n);
}

/** Memory per core (the fullest core of each memory) and chip totals. */
export function formatMemoryReport(r: MemoryReport): string {
  const names = r.cores[0]?.lines.map((l) => l.memory) ?? [];
  const rows = names.map((name) => {
    let worst = { used: 0, cap: 0, core: -1 };
    for (const c of r.cores) {
      const l = c.lines.find((x) => x.memory === name)!;
      if (l.usedBits >= worst.used) worst = { used: l.usedBits, cap: l.capacityBits, core: c.core };
    }
    const chip = r.chip[name]!;
    return [name, bits(worst.used), bits(worst.cap), worst.cap > 0 ? pct(worst.used / worst.cap) : '-', bits(chip.usedBits)];
  });
  return (
    `memory (${r.cores.length} cores used):\n` +
    formatTable(['memory', 'fullest core (bits)', 'per core capacity', 'fill', 'chip used (bits)'], rows) +
    `SRAM bits: ${bits(r.sramBitsPerCore)} per core, ${bits(r.sramBitsTotal)} on the chip, ${bits(r.sramBitsUsed)} used\n`
  );
}

/** Tile area by part and the chip area. */
export function formatAreaReport(a: AreaReport): string {
  const rows = (Object.keys(a.tileUm2) as (keyof AreaReport['tileUm2'])[]).map((k) => [k, (a.tileUm2[k] * 1e-6).toPrecision(3), pct(a.share[k])]);
  return (
    `area (${a.tech}):\n` +
    formatTable(['tile part', 'mm^2', 'share'], rows) +
    `tile ${a.tileMm2.toPrecision(3)} mm^2 (pitch ${(a.tilePitchMm * 1000).toFixed(0)} um; SRAM bitcells alone ${(a.sramBitcellUm2 * 1e-6).toPrecision(3)} mm^2), chip ${a.tiles} tiles = ${a.chipMm2.toPrecision(3)} mm^2\n`
  );
}
