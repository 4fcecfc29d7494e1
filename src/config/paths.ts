/**
 * Where relative input paths point. A path written in a config file resolves against
 * that file's directory (so a config and its data travel together); a path given
 * with `--set` resolves against the current directory (where the user typed it); a
 * default path names a file shipped with bitspike and resolves against the
 * installation root (the directory holding bitspike's package.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Param } from './param';

let cachedRoot: string | undefined;

/** The installation root: the nearest ancestor of this module holding bitspike's package.json. */
export function installRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'bitspike') {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // An unreadable package.json above us is not ours; keep looking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`installRoot: no bitspike package.json above ${__dirname}`);
    dir = parent;
  }
}

/** Where one file-valued parameter got its value. */
export type PathOrigin = 'config' | 'override' | 'default';

/** Dotted paths of every file-valued leaf parameter under `p`. */
export function filePaths(p: Param, prefix = ''): string[] {
  if (p.kind === 'section') {
    return Object.entries(p.fields).flatMap(([k, f]) => filePaths(f, prefix ? `${prefix}.${k}` : k));
  }
  return p.kind === 'string' && p.file ? [prefix] : [];
}

/** Value at a dotted path of a plain object tree, or undefined. */
export function getPath(obj: unknown, dotted: string): unknown {
  let node = obj;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Set the value at a dotted path of a plain object tree whose parents exist. */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = obj;
  for (let k = 0; k < keys.length - 1; k++) node = node[keys[k] as string] as Record<string, unknown>;
  node[keys[keys.length - 1] as string] = value;
}

/** Make a relative path absolute according to its origin (empty stays empty: "not given"). */
export function resolveInputPath(value: string, origin: PathOrigin, configDir: string): string {
  if (value === '') return value;
  const base = origin === 'config' ? configDir : origin === 'override' ? process.cwd() : installRoot();
  return path.resolve(base, value);
}
