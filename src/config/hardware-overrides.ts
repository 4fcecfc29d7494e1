/**
 * `--set chip.<path>=value` and `--set tech.<path>=value`: change the chip file or the
 * technology table an experiment names without editing it. The named file is read,
 * the changes applied, the result validated (errors name the base file and the
 * --set keys), and written once as a derived file named after the base file, the
 * changes and the SHA-256 of its content (under the system temporary directory, so
 * the same changes always give the same file); the experiment then names it. `bitspike train` copies it
 * into the run folder, so the folder records exactly which hardware was simulated.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateChip } from '../hw/chip-file';
import { parseTechTable } from '../energy/tech-table';
import { jsonText, writeFileAtomic } from '../store/atomic-write';
import { readJsonFile } from './json-file';
import { applyOverrides, type Override } from './overrides';

/** The experiment fields naming a file that `--set` may change inside. */
export const HARDWARE_KINDS = ['chip', 'tech'] as const;
/** One of HARDWARE_KINDS. */
export type HardwareKind = (typeof HARDWARE_KINDS)[number];

/** A derived hardware file. */
export interface DerivedFile {
  kind: HardwareKind;
  /** The file the changes were applied to. */
  base: string;
  /** The derived file. */
  file: string;
  /** The --set paths applied, e.g. ["chip.core.sram.wordBits"]. */
  changes: string[];
}

/** Whether an override changes inside a hardware file ("chip.mesh.width"), not the path itself ("chip"). */
export function isHardwareOverride(o: Override): boolean {
  return o.keys.length > 1 && (HARDWARE_KINDS as readonly string[]).includes(o.keys[0] as string);
}

/** Directory of derived hardware files. */
export function derivedDir(): string {
  return path.join(os.tmpdir(), 'bitspike-derived');
}

/**
 * Where derived files go instead of the shared temporary directory: a sweep keeps each
 * point's files in its own folder, under names it chooses.
 */
export interface DerivedFileTarget {
  dir: string;
  fileName: (kind: HardwareKind) => string;
  /** The option the changes came from, for messages ("--grid"). */
  option: string;
}

/** Apply hardware overrides to the files `paths` names; returns the derived files (none when no override touches hardware). */
export function deriveHardwareFiles(
  paths: Readonly<Record<HardwareKind, string>>,
  overrides: readonly Override[],
  target?: DerivedFileTarget,
): DerivedFile[] {
  const out: DerivedFile[] = [];
  for (const kind of HARDWARE_KINDS) {
    const mine = overrides.filter((o) => isHardwareOverride(o) && o.keys[0] === kind);
    if (mine.length === 0) continue;
    const base = paths[kind];
    const raw = applyOverrides(
      readJsonFile(base, kind === 'chip' ? 'chip file' : 'technology table'),
      mine.map((o) => ({ path: o.keys.slice(1).join('.'), keys: o.keys.slice(1), value: o.value })),
    );
    const label = `${base} (with ${target?.option ?? '--set'} ${mine.map((o) => o.path).join(', ')})`;
    if (kind === 'chip') validateChip(raw, label);
    else parseTechTable(raw, label);
    const text = jsonText(raw);
    if (target) {
      const file = path.join(target.dir, target.fileName(kind));
      fs.mkdirSync(target.dir, { recursive: true });
      writeFileAtomic(file, text);
      out.push({ kind, base, file, changes: mine.map((o) => o.path) });
      continue;
    }
    // Named after the base file and the changes, so that messages naming it read well;
    // the content hash keeps different results apart.
    const slug = mine
      .map((o) => `${o.keys.slice(1).join('.')}=${JSON.stringify(o.value)}`)
      .sort()
      .join(',')
      .replace(/[^A-Za-z0-9._=,-]/g, '_')
      .slice(0, 80);
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
    const file = path.join(derivedDir(), `${path.basename(base, '.json')}--${slug}--${hash}.json`);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(derivedDir(), { recursive: true });
      writeFileAtomic(file, text);
    }
    out.push({ kind, base, file, changes: mine.map((o) => o.path) });
  }
  return out;
}
