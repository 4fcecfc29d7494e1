/**
 * Command-line overrides `--set key.path=value`: the value is parsed as JSON when it
 * parses (numbers, booleans, arrays, objects, quoted strings), else taken as a plain
 * string; it replaces the value at the dotted path, creating objects on the way.
 */
import { UserError } from '../util/errors';

/** One parsed `--set` override. */
export interface Override {
  /** Dotted path as written, e.g. "run.epochs". */
  path: string;
  /** Path segments. */
  keys: string[];
  value: unknown;
}

/** Parse "key.path=value" into an Override. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UserError(`--set ${text}: expected key.path=value`);
  const path = text.slice(0, eq).trim();
  const keys = path.split('.');
  if (keys.some((k) => k === '' || !/^[A-Za-z0-9_-]+$/.test(k))) {
    throw new UserError(`--set ${text}: "${path}" is not a dotted key path (e.g. run.epochs)`);
  }
  // Keys that name JavaScript's object machinery would change every object, not a config value.
  const reserved = keys.find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
  if (reserved !== undefined) throw new UserError(`--set ${text}: "${reserved}" is not a config key`);
  const rawValue = text.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(rawValue);
  } catch {
    value = rawValue;
  }
  return { path, keys, value };
}

/** A deep copy of `config` with every override applied in order. */
export function applyOverrides(config: unknown, overrides: readonly Override[]): unknown {
  const root: unknown = config === undefined ? {} : JSON.parse(JSON.stringify(config));
  for (const o of overrides) {
    let node = root as Record<string, unknown>;
    for (let k = 0; k < o.keys.length - 1; k++) {
      const key = o.keys[k] as string;
      const next = node[key];
      if (next === undefined) node[key] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw new UserError(`--set ${o.path}: ${o.keys.slice(0, k + 1).join('.')} is not an object`);
      }
      node = node[key] as Record<string, unknown>;
    }
    node[o.keys[o.keys.length - 1] as string] = o.value;
  }
  return root;
}
