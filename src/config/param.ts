/**
 * Parameters are declared data (after gem5's `Param.X(default, "doc")`): every knob of
 * the experiment config and of a chip file is declared exactly once, next to the code
 * that uses it, with its type, default, range and one-line description. Validation,
 * `bitspike info` and docs/config-reference.md are all generated from these
 * declarations, so a default exists in exactly one place.
 */
import { userError } from '../util/errors';

interface ParamBase {
  /** One-line description, with units. */
  doc: string;
  /** Unit shown in docs (e.g. "cycles", "bits", "Hz"). */
  unit?: string;
}

export interface IntParam extends ParamBase {
  kind: 'int';
  default: number;
  min?: number;
  max?: number;
  /** The value must be a power of two (1, 2, 4, ...). */
  powerOfTwo?: boolean;
}
export interface NumberParam extends ParamBase {
  kind: 'number';
  default: number;
  min?: number;
  max?: number;
}
export interface BoolParam extends ParamBase {
  kind: 'bool';
  default: boolean;
}
export interface StringParam extends ParamBase {
  kind: 'string';
  default: string;
  /**
   * The value names an input file: a path written in a config file resolves against
   * that file's directory, a default against the installation root (see src/config/paths.ts).
   */
  file?: boolean;
}
export interface EnumParam extends ParamBase {
  kind: 'enum';
  values: readonly string[];
  default: string;
}
export interface IntArrayParam extends ParamBase {
  kind: 'intArray';
  default: readonly number[];
  min?: number;
  max?: number;
  /** Minimum number of elements. */
  minLength?: number;
}
/** A free-form JSON value checked by `check` (e.g. an explicit placement table). */
export interface JsonParam extends ParamBase {
  kind: 'json';
  default: unknown;
  /** Returns a problem description, or null when the value is acceptable. */
  check?: (value: unknown) => string | null;
}
export interface SectionParam extends ParamBase {
  kind: 'section';
  fields: Readonly<Record<string, Param>>;
  /**
   * Cross-field check on the validated section; return [relativeJsonPath, problem]
   * or null. E.g. a hysteresis threshold must fit the counter range.
   */
  check?: (value: Record<string, unknown>) => [string, string] | null;
}

export type Param =
  | IntParam
  | NumberParam
  | BoolParam
  | StringParam
  | EnumParam
  | IntArrayParam
  | JsonParam
  | SectionParam;

function describeType(p: Param): string {
  switch (p.kind) {
    case 'int':
      return p.powerOfTwo ? 'a power-of-two integer' : 'an integer';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'string':
      return p.file ? 'a file path' : 'a string';
    case 'enum':
      return `one of ${p.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'intArray':
      return 'an array of integers';
    case 'json':
      return 'a JSON value';
    case 'section':
      return 'an object';
  }
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `in [${min}, ${max}]`;
  if (min !== undefined) return `>= ${min}`;
  if (max !== undefined) return `<= ${max}`;
  return '';
}

function checkNumber(
  v: number,
  p: { min?: number; max?: number },
  file: string,
  path: string,
  integer: boolean,
): void {
  if (integer && !Number.isInteger(v)) throw userError(file, path, `expected an integer, got ${JSON.stringify(v)}`);
  if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
    throw userError(file, path, `expected a value ${rangeText(p.min, p.max)}, got ${v}`);
  }
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/**
 * Validate `raw` against `p`, filling defaults for missing fields. Unknown keys,
 * wrong types and out-of-range values throw a UserError naming `file` and the JSON path.
 */
export function validateParam(p: Param, raw: unknown, file: string, path: string): unknown {
  if (raw === undefined) return defaultOf(p);
  switch (p.kind) {
    case 'int':
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        throw userError(file, path, `expected ${describeType(p)}, got ${JSON.stringify(raw)}`);
      }
      checkNumber(raw, p, file, path, p.kind === 'int');
      if (p.kind === 'int' && p.powerOfTwo && (raw < 1 || (raw & (raw - 1)) !== 0)) {
        throw userError(file, path, `expected a power of two (1, 2, 4, ...), got ${raw}`);
      }
      return raw;
    }
    case 'bool':
      if (typeof raw !== 'boolean') throw userError(file, path, `expected true or false, got ${JSON.stringify(raw)}`);
      return raw;
    case 'string':
      if (typeof raw !== 'string') throw userError(file, path, `expected a string, got ${JSON.stringify(raw)}`);
      return raw;
    case 'enum':
      if (typeof raw !== 'string' || !p.values.includes(raw)) {
        throw userError(file, path, `expected ${describeType(p)}, got ${JSON.stringify(raw)}`);
      }
      return raw;
    case 'intArray': {
      if (!Array.isArray(raw)) throw userError(file, path, `expected an array of integers, got ${JSON.stringify(raw)}`);
      if (p.minLength !== undefined && raw.length < p.minLength) {
        throw userError(file, path, `expected at least ${p.minLength} element(s), got ${raw.length}`);
      }
      raw.forEach((v, i) => {
        const ip = `${path}[${i}]`;
        if (typeof v !== 'number') throw userError(file, ip, `expected an integer, got ${JSON.stringify(v)}`);
        checkNumber(v, p, file, ip, true);
      });
      return raw.slice();
    }
    case 'json': {
      const problem = p.check ? p.check(raw) : null;
      if (problem) throw userError(file, path, problem);
      return raw;
    }
    case 'section': {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw userError(file, path, `expected an object, got ${JSON.stringify(raw)}`);
      }
      const obj = raw as Record<string, unknown>;
      for (const key of Object.keys(obj)) {
        if (!(key in p.fields)) {
          const known = Object.keys(p.fields).join(', ');
          throw userError(file, joinPath(path, key), `unknown key (known keys: ${known})`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const [key, fp] of Object.entries(p.fields)) {
        out[key] = validateParam(fp, obj[key], file, joinPath(path, key));
      }
      if (p.check) {
        const bad = p.check(out);
        if (bad) throw userError(file, joinPath(path, bad[0]), bad[1]);
      }
      return out;
    }
  }
}

/** The default value of a declared parameter (sections: an object of defaults). */
export function defaultOf(p: Param): unknown {
  if (p.kind === 'section') {
    const out: Record<string, unknown> = {};
    for (const [key, fp] of Object.entries(p.fields)) out[key] = defaultOf(fp);
    return out;
  }
  if (p.kind === 'intArray') return p.default.slice();
  if (p.kind === 'json') return JSON.parse(JSON.stringify(p.default));
  return p.default;
}

/** One row per leaf parameter: dotted path, type, default, range, unit, description. */
export interface ParamRow {
  path: string;
  type: string;
  default: string;
  range: string;
  unit: string;
  doc: string;
}

/** Flatten a declaration tree into documentation rows (for `bitspike info` and docs). */
export function paramRows(p: Param, path = ''): ParamRow[] {
  if (p.kind === 'section') {
    const rows: ParamRow[] = [];
    for (const [key, fp] of Object.entries(p.fields)) rows.push(...paramRows(fp, joinPath(path, key)));
    return rows;
  }
  let range = '';
  if (p.kind === 'int' || p.kind === 'number' || p.kind === 'intArray') range = rangeText(p.min, p.max);
  if (p.kind === 'enum') range = p.values.join(' | ');
  return [
    {
      path,
      type: describeType(p),
      default: JSON.stringify(defaultOf(p)),
      range,
      unit: p.unit ?? '',
      doc: p.doc,
    },
  ];
}
