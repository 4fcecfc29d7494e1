/**
 * JSON text in pieces: the same characters as JSON.stringify(value, null, gap) (gap
 * '' = compact), handed to `emit` a few at a time, so a value whose text is longer
 * than V8's largest string (about 2^29 characters: "RangeError: Invalid string
 * length") can still be written (src/store/atomic-write.ts streams the pieces to disk).
 */

/** Receives consecutive pieces of the text. */
export type Emit = (piece: string) => void;

function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function prepare(holder: unknown, key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: (k: string) => unknown }).toJSON(key);
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  void holder;
  return v;
}

function write(v: unknown, indent: string, gap: string, emit: Emit, stack: unknown[]): void {
  if (v === null) return emit('null');
  switch (typeof v) {
    case 'boolean':
      return emit(v ? 'true' : 'false');
    case 'number':
      return emit(Number.isFinite(v) ? String(v) : 'null');
    case 'string':
      return emit(JSON.stringify(v));
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      break;
  }
  if (stack.includes(v)) throw new TypeError('Converting circular structure to JSON');
  stack.push(v);
  const inner = indent + gap;
  const open = gap === '' ? '' : `\n${inner}`;
  const sep = gap === '' ? ',' : `,\n${inner}`;
  const close = gap === '' ? '' : `\n${indent}`;
  if (Array.isArray(v)) {
    if (v.length === 0) emit('[]');
    else {
      emit(`[${open}`);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) emit(sep);
        const x = prepare(v, String(i), v[i]);
        if (isSkipped(x)) emit('null');
        else write(x, inner, gap, emit, stack);
      }
      emit(`${close}]`);
    }
  } else {
    const o = v as Record<string, unknown>;
    let first = true;
    for (const k of Object.keys(o)) {
      const x = prepare(o, k, o[k]);
      if (isSkipped(x)) continue;
      emit(`${first ? `{${open}` : sep}${JSON.stringify(k)}${gap === '' ? ':' : ': '}`);
      first = false;
      write(x, inner, gap, emit, stack);
    }
    emit(first ? '{}' : `${close}}`);
  }
  stack.pop();
}

/** Emit the JSON text of `value` in pieces: exactly JSON.stringify(value, null, gap) (gap '' or spaces); throws for a top-level undefined. */
export function emitJson(value: unknown, emit: Emit, gap = ''): void {
  const v = prepare({ '': value }, '', value);
  if (isSkipped(v)) throw new TypeError('no JSON text for undefined, a function or a symbol');
  write(v, '', gap, emit, []);
}

/** Collects emitted text as UTF-8 buffers of about `chunk` characters each (never one big string). */
export class ChunkCollector {
  readonly buffers: Buffer[] = [];
  private pending: string[] = [];
  private chars = 0;
  /** Bytes collected so far (after flush). */
  bytes = 0;

  constructor(private readonly chunk = 1 << 20) {}

  /** The emit function of this collector. */
  readonly emit: Emit = (piece: string): void => {
    this.pending.push(piece);
    this.chars += piece.length;
    if (this.chars >= this.chunk) this.flush();
  };

  /** Move pending text into a buffer. */
  flush(): void {
    if (this.pending.length === 0) return;
    const b = Buffer.from(this.pending.join(''), 'utf8');
    this.buffers.push(b);
    this.bytes += b.length;
    this.pending = [];
    this.chars = 0;
  }
}
