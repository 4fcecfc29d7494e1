/**
 * A streamed output file that appears whole or not at all: text is buffered
 * (flushed every ~1 MB) into a temporary sibling, and `commit` renames it over the
 * final name; `abort` deletes it. Traces can be far larger than memory allows to
 * hold as one string, so they cannot use a write-once helper.
 */
import * as fs from 'fs';
import { tempSibling } from '../store/atomic-write';
import { writeError } from '../store/writable';

const FLUSH_CHARS = 1 << 20;

/** Buffered, atomically committed text output. */
export class TraceFile {
  private readonly temp: string;
  private fd: number;
  private parts: string[] = [];
  private chars = 0;

  constructor(readonly file: string) {
    this.temp = tempSibling(file);
    try {
      this.fd = fs.openSync(this.temp, 'w');
    } catch (e) {
      throw writeError(file, 'write the trace', e);
    }
  }

  /** Append text. */
  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  /** Flush, close and rename the temporary file over the final name. */
  commit(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
      fs.closeSync(this.fd);
      this.fd = -1;
      fs.renameSync(this.temp, this.file);
    } catch (e) {
      this.abort();
      throw writeError(this.file, 'write the trace', e);
    }
  }

  /** Close and delete the temporary file (the final name is never touched). */
  abort(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const bytes = Buffer.from(this.parts.join(''), 'utf8');
    let off = 0;
    try {
      while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      throw writeError(this.file, 'write the trace', e);
    }
    this.parts = [];
    this.chars = 0;
  }
}
