/**
 * Binary weights file: a NetworkSnapshot with a small header, little-endian on every
 * machine, and a SHA-256 trailer so that a truncated or corrupted file is refused
 * rather than silently loaded.
 *
 * Layout, version 2 (all header integers 32-bit little-endian):
 *   "BSPKSNAP" (8 bytes), version (=2), L (layers incl. input), layers[0..L-1],
 *   declared widths in bits of states, learning registers and biases (0 = not declared:
 *   32-bit values, e.g. the float reference's IEEE-754 patterns),
 *   then five array groups in this order, each array as (length, packed words):
 *   states[L-1] (unsigned, states width), spikes[L] (packed bits), weights[L-1]
 *   (packed bits), synapseState[L-1] (signed, learning register width),
 *   biases[L-1] (signed, bias width); an array of n values at width w takes
 *   ceil(n w / 32) words, value i at bits [i w, i w + w), LSB first;
 *   then SHA-256 of every preceding byte (32 bytes).
 * Version 1 (still read): no widths, every value in its own 32-bit word.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import type { NetworkSnapshot, SnapshotWidths } from '../learning/engine';
import { UserError } from '../util/errors';
import { WEIGHTS_FILE_VERSION as VERSION } from './format-versions';

const MAGIC = 'BSPKSNAP';
const DIGEST_BYTES = 32;

/** Widths used per group (states, spikes, weights, synapseState, biases): 32 = raw words; and whether values are signed. */
function groupWidths(w: SnapshotWidths | undefined): number[] {
  return w === undefined ? [32, 32, 32, 32, 32] : [w.states, 32, 32, w.synapseState, w.biases];
}
const SIGNED = [false, false, false, true, true];

function packedWords(n: number, width: number): number {
  return Math.ceil((n * width) / 32);
}

/** Bytes needed to encode `s` (without the trailer). */
function bodySize(s: NetworkSnapshot): number {
  let words = 2 + 1 + 1 + s.layers.length + 3;
  const widths = groupWidths(s.widths);
  [s.states, s.spikes, s.weights, s.synapseState, s.biases].forEach((group, g) => {
    for (const a of group) words += 1 + packedWords(a.length, widths[g] as number);
  });
  return words * 4;
}

/** Pack `a` at `width` bits per value into `out` from word `at`; throws when a value does not fit (a writer's bug). */
function pack(a: Int32Array | Uint32Array, width: number, signed: boolean, out: Uint32Array, at: number, what: string): void {
  if (width === 32) {
    for (let i = 0; i < a.length; i++) out[at + i] = (a[i] as number) >>> 0;
    return;
  }
  const lo = signed ? -(2 ** (width - 1)) : 0;
  const hi = signed ? 2 ** (width - 1) - 1 : 2 ** width - 1;
  const mask = 2 ** width - 1;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (v < lo || v > hi) throw new Error(`encodeSnapshot: ${what} value ${v} does not fit its declared ${width} bits`);
    const bits = (v & mask) >>> 0;
    const p = i * width;
    const w = at + (p >>> 5);
    const o = p & 31;
    out[w] = ((out[w] as number) | (bits << o)) >>> 0;
    if (o + width > 32) out[w + 1] = ((out[w + 1] as number) | (bits >>> (32 - o))) >>> 0;
  }
}

/** Unpack n values of `width` bits from `src` from word `at` into `a` (sign-extended when signed). */
function unpack(src: Uint32Array, at: number, width: number, signed: boolean, a: Int32Array | Uint32Array): void {
  if (width === 32) {
    for (let i = 0; i < a.length; i++) a[i] = src[at + i] as number;
    return;
  }
  const shift = 32 - width;
  for (let i = 0; i < a.length; i++) {
    const p = i * width;
    const w = at + (p >>> 5);
    const o = p & 31;
    let bits = (src[w] as number) >>> o;
    if (o + width > 32) bits |= (src[w + 1] as number) << (32 - o);
    a[i] = signed ? (bits << shift) >> shift : (bits << shift) >>> shift;
  }
}

/** Encode a snapshot as the bytes of a weights file (values at the snapshot's declared widths). */
export function encodeSnapshot(s: NetworkSnapshot): Uint8Array {
  const L = s.layers.length;
  if (s.spikes.length !== L || [s.states, s.weights, s.synapseState, s.biases].some((g) => g.length !== L - 1)) {
    throw new Error('encodeSnapshot: array groups do not match the layer count');
  }
  const size = bodySize(s);
  const out = new Uint8Array(size + DIGEST_BYTES);
  const words = new Uint32Array(size / 4);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  let at = 2;
  const put = (v: number): void => {
    words[at++] = v >>> 0;
  };
  put(VERSION);
  put(L);
  for (const n of s.layers) put(n);
  put(s.widths?.states ?? 0);
  put(s.widths?.synapseState ?? 0);
  put(s.widths?.biases ?? 0);
  const widths = groupWidths(s.widths);
  const names = ['states', 'spikes', 'weights', 'learning register', 'bias'];
  [s.states, s.spikes, s.weights, s.synapseState, s.biases].forEach((group, g) => {
    for (const a of group) {
      put(a.length);
      pack(a, widths[g] as number, SIGNED[g] as boolean, words, at, names[g] as string);
      at += packedWords(a.length, widths[g] as number);
    }
  });
  const view = new DataView(out.buffer);
  for (let k = 2; k < words.length; k++) view.setUint32(4 * k, words[k] as number, true);
  out.set(createHash('sha256').update(out.subarray(0, size)).digest(), size);
  return out;
}

/** Byte order of this machine (the file's words are little-endian). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Decode a weights file (version 1 or 2); `file` names it in the UserError raised for a
 * bad file. With `registers` false the learning registers are checked and skipped: the
 * snapshot holds none (what an inference-only chip loads; 256 MiB of 32-bit values fewer
 * for the filled 64x64 TrueNorth-like chip's network).
 */
export function decodeSnapshot(bytes: Uint8Array, file: string, options: { registers?: boolean } = {}): NetworkSnapshot {
  const bad = badFile(file);
  if (bytes.length < 16 + DIGEST_BYTES) throw bad(`only ${bytes.length} bytes`);
  if (Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw bad('wrong magic number');
  const size = bytes.length - DIGEST_BYTES;
  const digest = createHash('sha256').update(bytes.subarray(0, size)).digest();
  if (!digest.equals(Buffer.from(bytes.subarray(size)))) throw bad('checksum mismatch (truncated or corrupted)');
  if (size % 4 !== 0) throw bad(`${size} bytes is not a whole number of words`);
  // The file's words in place when they are aligned and this machine is little-endian (no copy of a large file).
  let words: Uint32Array;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) words = new Uint32Array(bytes.buffer, bytes.byteOffset, size / 4);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, size);
    words = new Uint32Array(size / 4);
    for (let k = 2; k < words.length; k++) words[k] = view.getUint32(4 * k, true);
  }
  return decodeWords(words.length, (at) => [words, at], bad, options.registers !== false);
}

/**
 * Read the weights file at `path` as decodeSnapshot decodes its bytes (same values, same
 * refusals naming `file`), without holding the whole file: the checksum is computed over
 * chunks, then each array's words are read where it lies, and with `registers` false the
 * learning registers are never read into memory.
 */
export function readSnapshotFile(path: string, file: string, options: { registers?: boolean } = {}): NetworkSnapshot {
  const bad = badFile(file);
  const fd = fs.openSync(path, 'r');
  try {
    const bytes = fs.fstatSync(fd).size;
    if (bytes < 16 + DIGEST_BYTES) throw bad(`only ${bytes} bytes`);
    const size = bytes - DIGEST_BYTES;
    let buf = new Uint8Array(1 << 20);
    const readAt = (pos: number, n: number): Uint8Array => {
      if (buf.length < n) buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const k = fs.readSync(fd, buf, got, n - got, pos + got);
        if (k === 0) throw bad('truncated');
        got += k;
      }
      return buf.subarray(0, n);
    };
    if (Buffer.from(readAt(0, 8)).toString('latin1') !== MAGIC) throw bad('wrong magic number');
    const hash = createHash('sha256');
    for (let pos = 0; pos < size; pos += 1 << 20) hash.update(readAt(pos, Math.min(1 << 20, size - pos)));
    const digest = hash.digest();
    if (!digest.equals(Buffer.from(readAt(size, DIGEST_BYTES)))) throw bad('checksum mismatch (truncated or corrupted)');
    if (size % 4 !== 0) throw bad(`${size} bytes is not a whole number of words`);
    return decodeWords(
      size / 4,
      (at, len) => {
        const b = readAt(4 * at, 4 * len);
        if (LITTLE_ENDIAN) return [new Uint32Array(b.buffer, 0, len), 0];
        const view = new DataView(b.buffer, 0, 4 * len);
        return [Uint32Array.from({ length: len }, (_, k) => view.getUint32(4 * k, true)), 0];
      },
      bad,
      options.registers !== false,
    );
  } finally {
    fs.closeSync(fd);
  }
}

function badFile(file: string): (problem: string) => UserError {
  return (problem) => new UserError(`${file}: not a valid bitspike weights file: ${problem}`);
}

/**
 * The snapshot in a weights file of `total` words (after the checksum was verified):
 * `span(at, len)` gives words at .. at + len - 1 of the file as (array, offset); the
 * array may be reused by the next call.
 */
function decodeWords(total: number, span: (at: number, len: number) => [Uint32Array, number], bad: (problem: string) => UserError, registers: boolean): NetworkSnapshot {
  let at = 2;
  const get = (): number => {
    if (at >= total) throw bad('truncated');
    const [w, o] = span(at++, 1);
    return w[o] as number;
  };
  const version = get();
  if (version !== 1 && version !== VERSION) throw bad(`unsupported format version ${version} (this bitspike reads versions 1 to ${VERSION})`);
  const L = get();
  // Each layer takes at least its size word (networks of thousands of layers exist: one per core of a 64x64 chip).
  if (L < 1 || L > total - at) throw bad(`implausible layer count ${L}`);
  const layers: number[] = [];
  {
    const [w, o] = span(at, L);
    for (let l = 0; l < L; l++) layers.push(w[o + l] as number);
    at += L;
  }
  let declared: SnapshotWidths | undefined;
  if (version >= 2) {
    const ws = get();
    const wh = get();
    const wb = get();
    if (ws !== 0 || wh !== 0 || wb !== 0) {
      for (const [name, w] of [['states', ws], ['learning register', wh], ['bias', wb]] as const) {
        if (!(w >= 1 && w <= 32)) throw bad(`declared ${name} width ${w} bits is outside 1..32`);
      }
      declared = { states: ws, synapseState: wh, biases: wb };
    }
  }
  const widths = groupWidths(declared);
  const readGroup = <T extends Int32Array | Uint32Array>(g: number, count: number, make: (n: number) => T, keep = true): T[] => {
    const group: T[] = [];
    for (let k = 0; k < count; k++) {
      const n = get();
      const len = packedWords(n, widths[g] as number);
      if (at + len > total) throw bad('truncated');
      const a = make(keep ? n : 0);
      if (keep && len > 0) {
        const [w, o] = span(at, len);
        unpack(w, o, widths[g] as number, SIGNED[g] as boolean, a);
      }
      at += len;
      group.push(a);
    }
    return group;
  };
  const states = readGroup(0, L - 1, (n) => new Int32Array(n));
  const spikes = readGroup(1, L, (n) => new Uint32Array(n));
  const weights = readGroup(2, L - 1, (n) => new Uint32Array(n));
  const synapseState = readGroup(3, L - 1, (n) => new Int32Array(n), registers);
  const biases = readGroup(4, L - 1, (n) => new Int32Array(n));
  if (at !== total) throw bad(`${4 * (total - at)} unexpected trailing bytes`);
  const snapshot: NetworkSnapshot = { layers, states, spikes, weights, synapseState, biases };
  if (declared !== undefined) snapshot.widths = declared;
  const problem = snapshotShapeProblem(snapshot);
  if (problem !== null) throw bad(problem);
  return snapshot;
}

/**
 * Refuse a snapshot read from `file` whose declared widths differ from those the
 * experiment declares (`expected`, e.g. emptySnapshot(params).widths): a one-line
 * UserError naming the file and both widths. A file without declared widths (float
 * reference, version 1) is not checked here.
 */
export function checkSnapshotWidths(s: NetworkSnapshot, expected: SnapshotWidths | undefined, file: string): void {
  const got = s.widths;
  if (got === undefined || expected === undefined) return;
  const parts: string[] = [];
  if (got.states !== expected.states) parts.push(`states ${got.states} bits (config dynamics.stateBits ${expected.states})`);
  if (got.synapseState !== expected.synapseState) parts.push(`learning registers ${got.synapseState} bits (config ${expected.synapseState}, from the learning rule)`);
  if (got.biases !== expected.biases) parts.push(`biases ${got.biases} bits (config dynamics.biasBits ${expected.biases})`);
  if (parts.length > 0) throw new UserError(`${file}: declared widths disagree with the config: ${parts.join(', ')}`);
}

/**
 * What is wrong with the array lengths of `s` for its layer sizes (null: nothing): a
 * checksum only proves the bytes are the ones written, not that a writer wrote arrays
 * that fit the network (states n_l, spikes ceil(n_l/32) words, weights n_l rows of
 * ceil(n_{l-1}/32) words, learning state n_l * n_{l-1} or none, biases n_l or none).
 */
export function snapshotShapeProblem(s: NetworkSnapshot): string | null {
  const words = (n: number): number => (n + 31) >>> 5;
  for (let l = 0; l < s.layers.length; l++) {
    const n = s.layers[l] as number;
    if (n < 1) return `layer ${l} has ${n} neurons`;
    if (s.spikes[l]?.length !== words(n)) return `spikes of layer ${l}: ${s.spikes[l]?.length} words, expected ${words(n)}`;
    if (l === 0) continue;
    const m = s.layers[l - 1] as number;
    const k = l - 1;
    if (s.states[k]?.length !== n) return `states of layer ${l}: ${s.states[k]?.length} values, expected ${n}`;
    if (s.weights[k]?.length !== n * words(m)) return `weights of layer ${l}: ${s.weights[k]?.length} words, expected ${n * words(m)}`;
    const h = s.synapseState[k]?.length;
    if (h !== 0 && h !== n * m) return `learning state of layer ${l}: ${h} values, expected ${n * m} or none`;
    const b = s.biases[k]?.length;
    if (b !== 0 && b !== n) return `biases of layer ${l}: ${b} values, expected ${n} or none`;
  }
  return null;
}

/** Whether two snapshots hold the same numbers in every field. */
export function snapshotsEqual(a: NetworkSnapshot, b: NetworkSnapshot): boolean {
  return Buffer.from(encodeSnapshot(valuesOf(a))).equals(Buffer.from(encodeSnapshot(valuesOf(b))));
}

/** The snapshot's arrays without its declared widths (equality is about values). */
function valuesOf(s: NetworkSnapshot): NetworkSnapshot {
  return { layers: s.layers, states: s.states, spikes: s.spikes, weights: s.weights, synapseState: s.synapseState, biases: s.biases };
}
