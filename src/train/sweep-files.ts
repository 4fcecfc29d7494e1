/**
 * Sweeping the hardware: a grid key that starts with "chip." or "tech." changes the
 * chip file or the technology table the experiment names, e.g.
 * `--grid chip.core.sram.wordBits=32,64` or `--grid chip.mesh.width=2,4`. For each
 * point the named file is read, the changes applied, the result validated (errors
 * name the base file and the --grid keys), and written as a derived file that the
 * point's config then names (`chip=<derived file>`), so every later step (training,
 * mapping, energy) reads an ordinary file and the run folder records exactly which
 * hardware was simulated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateChip } from '../chip/chip-file';
import { loadExperiment } from '../config/experiment';
import { readJsonFile } from '../config/json-file';
import { applyOverrides, parseOverride } from '../config/overrides';
import { parseTechTable } from '../energy/tech-table';
import { writeJsonAtomic } from '../report/atomic-write';

/** The experiment fields that name a file a grid may change. */
const FILE_KINDS = ['chip', 'tech'] as const;
type FileKind = (typeof FILE_KINDS)[number];

/** The file kind a grid key changes ("chip" for "chip.mesh.width"), or null for an ordinary config key. */
export function fileKindOf(key: string): FileKind | null {
  for (const k of FILE_KINDS) if (key.startsWith(`${k}.`)) return k;
  return null;
}

/**
 * The `--set` overrides of one grid point: ordinary keys as they are; chip./tech.
 * keys turned into a derived file written to `filesDir` (named after `pointName`)
 * and a `chip=`/`tech=` override naming it.
 */
export function pointSetsWithFiles(configFile: string, baseSets: readonly string[], overrides: readonly string[], filesDir: string, pointName: string): string[] {
  const plain = overrides.filter((o) => fileKindOf(o.slice(0, o.indexOf('='))) === null);
  const sets = [...baseSets, ...plain];
  const byKind = new Map<FileKind, string[]>();
  for (const o of overrides) {
    const kind = fileKindOf(o.slice(0, o.indexOf('=')));
    if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), o.slice(kind.length + 1)]);
  }
  if (byKind.size === 0) return sets;
  const exp = loadExperiment(configFile, sets);
  const derived: string[] = [];
  for (const [kind, changes] of byKind) {
    const base = exp.config[kind];
    const raw = applyOverrides(readJsonFile(base, kind === 'chip' ? 'chip file' : 'technology table'), changes.map(parseOverride));
    const label = `${base} (with --grid ${changes.map((c) => `${kind}.${c.slice(0, c.indexOf('='))}`).join(', ')})`;
    if (kind === 'chip') validateChip(raw, label);
    else parseTechTable(raw, label);
    fs.mkdirSync(filesDir, { recursive: true });
    const file = path.join(filesDir, `${pointName}-${kind}.json`);
    writeJsonAtomic(file, raw);
    derived.push(`${kind}=${JSON.stringify(file)}`);
  }
  return [...sets, ...derived];
}
