/**
 * JSON parsed straight from UTF-8 bytes, for documents longer than V8's largest string
 * (about 2^29 characters), such as a checkpoint header written in pieces by
 * json-stream.ts: values are built from the bytes and only each string and number token
 * becomes a (short) string, so the document's size is bounded by memory, not by the
 * string limit. Same results and the same accepted grammar as JSON.parse.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The value of JSON text `b` (UTF-8); throws SyntaxError naming the byte offset for text JSON.parse would refuse. */
export function parseJsonBytes(b: Uint8Array): unknown {
  const text = Buffer.from(b.buffer, b.byteOffset, b.length);
  const n = b.length;
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at byte ${i} of ${n}`);
  };
  const ws = (): void => {
    while (i < n) {
      const c = b[i] as number;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  // A string token: its raw bytes decoded, or through JSON.parse when it holds escapes.
  const str = (): string => {
    const open = i++;
    let escaped = false;
    while (i < n) {
      const c = b[i] as number;
      if (c === QUOTE) break;
      if (c < 0x20) fail('control character in a string');
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i++;
    }
    if (i >= n) fail('unterminated string');
    i++;
    if (!escaped) return text.toString('utf8', open + 1, i - 1);
    try {
      return JSON.parse(text.toString('utf8', open, i)) as string;
    } catch {
      i = open;
      return fail('bad escape in a string');
    }
  };
  const literal = (word: string, v: unknown): unknown => {
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) fail('unexpected token');
    i += word.length;
    return v;
  };
  const value = (depth: number): unknown => {
    ws();
    if (i >= n) fail('unexpected end');
    if (depth > 10000) fail('nesting deeper than 10,000');
    const c = b[i] as number;
    if (c === 0x7b) {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (b[i] === 0x7d) {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (b[i] !== QUOTE) fail('expected a key');
        const k = str();
        ws();
        if (b[i] !== 0x3a) fail("expected ':'");
        i++;
        const v = value(depth + 1);
        // JSON.parse makes every key an own property, "__proto__" included.
        if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
        else o[k] = v;
        ws();
        if (b[i] === 0x2c) i++;
        else if (b[i] === 0x7d) {
          i++;
          return o;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === 0x5b) {
      i++;
      const a: unknown[] = [];
      ws();
      if (b[i] === 0x5d) {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        if (b[i] === 0x2c) i++;
        else if (b[i] === 0x5d) {
          i++;
          return a;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === QUOTE) return str();
    if (c === 0x74) return literal('true', true);
    if (c === 0x66) return literal('false', false);
    if (c === 0x6e) return literal('null', null);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      while (i < n) {
        const d = b[i] as number;
        if ((d >= 0x30 && d <= 0x39) || d === 0x2d || d === 0x2b || d === 0x2e || d === 0x65 || d === 0x45) i++;
        else break;
      }
      // The token's grammar (leading zeros, a lone '-', '1.') is JSON.parse's to judge.
      try {
        return JSON.parse(text.toString('latin1', start, i)) as number;
      } catch {
        i = start;
        return fail('bad number');
      }
    }
    return fail('unexpected token');
  };
  const v = value(0);
  ws();
  if (i !== n) fail('unexpected bytes after the value');
  return v;
}
