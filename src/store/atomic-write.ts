/**
 * Result files appear whole or not at all: each file is written to a temporary
 * sibling, flushed to disk, then renamed over its final name (rename is atomic on
 * POSIX file systems), so an interrupted or failed run never leaves a half-written
 * result behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeError } from './writable';

let tempCounter = 0;

/** Marker in the names of temporary siblings (`.NAME.tmp-PID-N`), so leftovers of a killed process can be found and removed. */
export const TEMP_MARK = '.tmp-';

/** A fresh temporary sibling name for `file`. */
export function tempSibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${TEMP_MARK}${process.pid}-${tempCounter++}`);
}

/** Whether `name` (a file name in a folder) is a temporary sibling left by writeFileAtomic or a streamed file. */
export function isTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-\d+$/.test(name);
}

/** Delete the temporary siblings a killed process left in `dir` (not recursive); returns their names. */
export function removeTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isTempName);
  } catch (e) {
    throw writeError(dir, 'read the folder', e);
  }
  for (const n of names) fs.rmSync(path.join(dir, n), { force: true });
  return names;
}

/** Write `data` to `file` atomically (temporary sibling file, fsync, rename); an operating-system refusal is a one-line UserError. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  try {
    writeAtomic(file, data);
  } catch (e) {
    throw writeError(file, 'write the file', e);
  }
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const temp = tempSibling(file);
  const fd = fs.openSync(temp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Canonical JSON text of `value`: two-space indentation and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Write `value` as canonical JSON to `file` atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, jsonText(value));
}
