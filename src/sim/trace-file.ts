/**
 * A streamed output file that appears whole or not at all: text is buffered
 * (flushed every ~1 MB) into a temporary sibling, and `commit` renames it over the
 * final name; `abort` deletes it. Traces can be far larger than memory allows to
 * hold as one string, so they cannot use a write-once helper.
 */
import * as fs from 'fs';
import * as path from 'path';

const FLUSH_CHARS = 1 << 20;
let tempCounter = 0;

/** Buffered, atomically committed text output. */
export class TraceFile {
  private readonly temp: string;
  private fd: number;
  private parts: string[] = [];
  private chars = 0;

  constructor(readonly file: string) {
    this.temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${tempCounter++}`);
    this.fd = fs.openSync(this.temp, 'w');
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
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.temp, this.file);
  }

  /** Close and delete the temporary file (the final name is never touched). */
  abort(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const bytes = Buffer.from(this.parts.join(''), 'utf8');
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.parts = [];
    this.chars = 0;
  }
}
