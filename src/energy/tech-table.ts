/**
 * Loads and validates a technology table (hw/tech/*.json). Every entry declared in
 * TECH_ENTRIES must be present as {"value": number, "unit": string, "source": string};
 * a missing entry, an unknown key, a negative or non-finite value, a unit not accepted
 * for the entry's dimension, or an empty source is refused with a one-line UserError
 * naming the file and the JSON path. Values are converted to base units (units.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { userError, UserError } from '../util/errors';
import { TECH_ENTRIES, entryPath } from './tech-schema';
import { BASE_UNIT, UNITS, unitFactor } from './units';

/** A validated technology table with values in base units. */
export interface TechTable {
  /** Short name, e.g. "28nm-bulk". */
  name: string;
  /** File it was read from (or a label for in-memory tables). */
  file: string;
  /** One-line description (node, supply voltage). */
  description: string;
  /** Entry values in base units keyed by "section.key". */
  values: Readonly<Record<string, number>>;
  /** Source text of each entry keyed by "section.key". */
  sources: Readonly<Record<string, string>>;
}

const SECTIONS = ['sram', 'logic', 'noc', 'io'] as const;
const TOP_KEYS = new Set<string>(['name', 'description', ...SECTIONS]);

function withArticle(dim: string): string {
  return /^[aeiou]/.test(dim) ? `an ${dim}` : `a ${dim}`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validate an already-parsed table object; `file` names it in error messages. */
export function parseTechTable(raw: unknown, file: string): TechTable {
  if (!isObject(raw)) throw userError(file, '', 'expected a JSON object (a technology table)');
  for (const k of Object.keys(raw)) {
    if (!TOP_KEYS.has(k)) throw userError(file, k, `unknown key (known keys: ${[...TOP_KEYS].join(', ')})`);
  }
  if (typeof raw.name !== 'string' || raw.name === '') throw userError(file, 'name', 'expected a non-empty string');
  if (typeof raw.description !== 'string' || raw.description === '') {
    throw userError(file, 'description', 'expected a non-empty string');
  }
  const values: Record<string, number> = {};
  const sources: Record<string, string> = {};
  for (const section of SECTIONS) {
    const sec = raw[section];
    if (!isObject(sec)) throw userError(file, section, 'missing section (expected an object of entries)');
    const declared = TECH_ENTRIES.filter((d) => d.section === section);
    for (const k of Object.keys(sec)) {
      if (!declared.some((d) => d.key === k)) {
        throw userError(file, `${section}.${k}`, `unknown entry (known: ${declared.map((d) => d.key).join(', ')})`);
      }
    }
    for (const d of declared) {
      const p = entryPath(d);
      const ent = sec[d.key];
      if (ent === undefined) throw userError(file, p, `missing entry (${d.doc})`);
      if (!isObject(ent)) throw userError(file, p, 'expected {"value": number, "unit": string, "source": string}');
      for (const k of Object.keys(ent)) {
        if (k !== 'value' && k !== 'unit' && k !== 'source') throw userError(file, `${p}.${k}`, 'unknown key (known keys: value, unit, source)');
      }
      if (typeof ent.source !== 'string' || ent.source.trim() === '') {
        throw userError(file, `${p}.source`, 'every value needs a source (paper and table, or the scaling rule applied to a named source)');
      }
      if (typeof ent.value !== 'number' || !Number.isFinite(ent.value)) {
        throw userError(file, `${p}.value`, `expected a finite number, got ${JSON.stringify(ent.value)}`);
      }
      if (ent.value < 0) throw userError(file, `${p}.value`, `${withArticle(d.dim)} cannot be negative, got ${ent.value}`);
      if (d.positive && ent.value === 0) throw userError(file, `${p}.value`, `expected a value > 0, got 0`);
      const unit = ent.unit;
      const f = typeof unit === 'string' ? unitFactor(d.dim, unit) : undefined;
      if (f === undefined) {
        const ok = Object.keys(UNITS[d.dim]).join(', ');
        throw userError(file, `${p}.unit`, `unknown unit ${JSON.stringify(unit)} for ${withArticle(d.dim)} (expected one of ${ok})`);
      }
      values[p] = ent.value * f;
      sources[p] = ent.source;
    }
  }
  return { name: raw.name, file, description: raw.description, values, sources };
}

/** Read and validate a technology table file; unreadable or invalid JSON is a UserError too. */
export function loadTechTable(file: string): TechTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw userError(file, '', `cannot read technology table (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw userError(file, '', `invalid JSON: ${(err as Error).message}`);
  }
  return parseTechTable(raw, file);
}

/** Directory of the bundled tables (hw/tech), from src/energy or dist/src/energy. */
export function bundledTechDir(): string {
  for (const up of ['../../hw/tech', '../../../hw/tech']) {
    const dir = path.resolve(__dirname, up);
    if (fs.existsSync(dir)) return dir;
  }
  throw new UserError('hw/tech: bundled technology tables not found');
}

/**
 * Resolve a --tech argument: an existing path, or the name of a bundled table
 * ("28nm-bulk" -> hw/tech/28nm-bulk.json).
 */
export function resolveTechFile(arg: string): string {
  if (fs.existsSync(arg)) return arg;
  const bundled = path.join(bundledTechDir(), arg.endsWith('.json') ? arg : `${arg}.json`);
  if (fs.existsSync(bundled)) return bundled;
  throw userError(arg, '', 'technology table not found (give a file path or a name from hw/tech)');
}

/** A value of the table in base units; throws if the schema does not declare `p`. */
export function techValue(t: TechTable, p: string): number {
  const v = t.values[p];
  if (v === undefined) throw new Error(`technology table ${t.file} has no entry ${p}`);
  return v;
}

/** Base unit (for display) of an entry path. */
export function baseUnitOf(p: string): string {
  const d = TECH_ENTRIES.find((x) => entryPath(x) === p);
  return d ? BASE_UNIT[d.dim] : '';
}
