/**
 * Result files appear whole or not at all: each file is written to a temporary
 * sibling, flushed to disk, then renamed over its final name (rename is atomic on
 * POSIX file systems), so an interrupted or failed run never leaves a half-written
 * result behind.
 */
import * as fs from 'fs';
import * as path from 'path';

let tempCounter = 0;

/** Write `data` to `file` atomically (temporary sibling file, fsync, rename). */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${tempCounter++}`);
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
