/**
 * Result files appear whole or not at all: each file is written to a temporary
 * sibling, flushed to disk, then renamed over its final name (rename is atomic on
 * POSIX file systems), so an interrupted or failed run never leaves a half-written
 * result behind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { emitJson } from './json-stream';
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

/** Receives the pieces of a streamed file in order: text (UTF-8) or bytes. */
export type WritePiece = (piece: string | Uint8Array) => void;

/** Characters of text gathered before one write to the file. */
const STREAM_CHUNK = 1 << 20;

/**
 * Write a file atomically from pieces (temporary sibling, fsync, rename) without ever
 * holding it whole: `produce` hands over its pieces, gathered into writes of about
 * 1 MiB. An operating-system refusal is a one-line UserError; an error thrown by
 * `produce` removes the temporary file and propagates unchanged.
 */
export function writeStreamAtomic(file: string, produce: (write: WritePiece) => void): void {
  const temp = tempSibling(file);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'w');
  } catch (e) {
    throw writeError(file, 'write the file', e);
  }
  let pending: string[] = [];
  let chars = 0;
  const put = (bytes: Uint8Array): void => {
    let offset = 0;
    try {
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      throw writeError(file, 'write the file', e);
    }
  };
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    chars = 0;
    put(Buffer.from(text, 'utf8'));
  };
  try {
    produce((piece) => {
      if (typeof piece === 'string') {
        pending.push(piece);
        chars += piece.length;
        if (chars >= STREAM_CHUNK) flush();
      } else {
        flush();
        put(piece);
      }
    });
    flush();
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      throw writeError(file, 'write the file', e);
    }
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
    throw writeError(file, 'write the file', e);
  }
}

/** Write `data` to `file` atomically (temporary sibling file, fsync, rename); an operating-system refusal is a one-line UserError. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeStreamAtomic(file, (w) => w(data));
}

/** Canonical JSON text of `value`: two-space indentation and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Write `value` as canonical JSON (the text of jsonText) to `file` atomically, streamed: no size is too large for a string. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeStreamAtomic(file, (w) => {
    emitJson(value, w, '  ');
    w('\n');
  });
}
