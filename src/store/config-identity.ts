/**
 * The identity of a resolved config for resuming: every leaf value flattened to
 * "dotted.key" -> canonical JSON text, minus the keys that cannot change the bits a
 * run computes (its length, where outputs go, progress display). A checkpoint keeps
 * this map and its SHA-256; a resume under a config whose hash differs is refused,
 * naming the first key that differs.
 */
import { createHash } from 'crypto';

/** Flattened leaves of a JSON value: arrays and scalars are leaves, objects recurse. */
export function flattenConfig(value: unknown, ignore: readonly string[] = [], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (v: unknown, at: string): void => {
    if (ignore.some((k) => at === k || at.startsWith(`${k}.`))) return;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v as object).sort()) walk((v as Record<string, unknown>)[k], at === '' ? k : `${at}.${k}`);
    } else out[at] = JSON.stringify(v) ?? 'undefined';
  };
  walk(value, prefix);
  return out;
}

/** SHA-256 (hex) of a flattened config, independent of key order. */
export function configHash(flat: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(flat).sort()) h.update(`${k}=${flat[k]}\n`);
  return h.digest('hex');
}

/** The first key (sorted) whose value differs between two flattened configs, with both values; null if they agree. */
export function firstDifference(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): { key: string; a: string; b: string } | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    if (a[k] !== b[k]) return { key: k, a: a[k] ?? '(absent)', b: b[k] ?? '(absent)' };
  }
  return null;
}
