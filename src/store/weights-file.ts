/**
 * Binary weights file: a NetworkSnapshot with a small header, little-endian on every
 * machine, and a SHA-256 trailer so that a truncated or corrupted file is refused
 * rather than silently loaded.
 *
 * Layout (all integers 32-bit little-endian):
 *   "BSPKSNAP" (8 bytes), version (=1), L (layers incl. input), layers[0..L-1],
 *   then five array groups in this order, each array as (length, elements):
 *   states[L-1] (int32), spikes[L] (uint32), weights[L-1] (uint32),
 *   synapseState[L-1] (int32), biases[L-1] (int32);
 *   then SHA-256 of every preceding byte (32 bytes).
 */
import { createHash } from 'crypto';
import type { NetworkSnapshot } from '../learning/engine';
import { UserError } from '../util/errors';
import { WEIGHTS_FILE_VERSION as VERSION } from './format-versions';

const MAGIC = 'BSPKSNAP';
const DIGEST_BYTES = 32;

/** Bytes needed to encode `s` (without the trailer). */
function bodySize(s: NetworkSnapshot): number {
  let words = 2 + 1 + 1 + s.layers.length;
  for (const group of [s.states, s.spikes, s.weights, s.synapseState, s.biases]) {
    for (const a of group) words += 1 + a.length;
  }
  return words * 4;
}

/** Encode a snapshot as the bytes of a weights file. */
export function encodeSnapshot(s: NetworkSnapshot): Uint8Array {
  const L = s.layers.length;
  if (s.spikes.length !== L || [s.states, s.weights, s.synapseState, s.biases].some((g) => g.length !== L - 1)) {
    throw new Error('encodeSnapshot: array groups do not match the layer count');
  }
  const size = bodySize(s);
  const out = new Uint8Array(size + DIGEST_BYTES);
  const view = new DataView(out.buffer);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  let at = 8;
  const put = (v: number): void => {
    view.setUint32(at, v >>> 0, true);
    at += 4;
  };
  put(VERSION);
  put(L);
  for (const n of s.layers) put(n);
  for (const group of [s.states, s.spikes, s.weights, s.synapseState, s.biases]) {
    for (const a of group) {
      put(a.length);
      for (let i = 0; i < a.length; i++) put(a[i] as number);
    }
  }
  out.set(createHash('sha256').update(out.subarray(0, size)).digest(), size);
  return out;
}

/** Decode a weights file; `file` names it in the UserError raised for a bad file. */
export function decodeSnapshot(bytes: Uint8Array, file: string): NetworkSnapshot {
  const bad = (problem: string): UserError => new UserError(`${file}: not a valid bitspike weights file: ${problem}`);
  if (bytes.length < 16 + DIGEST_BYTES) throw bad(`only ${bytes.length} bytes`);
  if (Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw bad('wrong magic number');
  const size = bytes.length - DIGEST_BYTES;
  const digest = createHash('sha256').update(bytes.subarray(0, size)).digest();
  if (!digest.equals(Buffer.from(bytes.subarray(size)))) throw bad('checksum mismatch (truncated or corrupted)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, size);
  let at = 8;
  const get = (): number => {
    if (at + 4 > size) throw bad('truncated');
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const version = get();
  if (version !== VERSION) throw bad(`unsupported version ${version}`);
  const L = get();
  if (L < 1 || L > 1024) throw bad(`implausible layer count ${L}`);
  const layers: number[] = [];
  for (let l = 0; l < L; l++) layers.push(get());
  const readGroup = <T extends Int32Array | Uint32Array>(count: number, make: (n: number) => T): T[] => {
    const group: T[] = [];
    for (let k = 0; k < count; k++) {
      const n = get();
      if (at + 4 * n > size) throw bad('truncated');
      const a = make(n);
      for (let i = 0; i < n; i++) a[i] = get();
      group.push(a);
    }
    return group;
  };
  const states = readGroup(L - 1, (n) => new Int32Array(n));
  const spikes = readGroup(L, (n) => new Uint32Array(n));
  const weights = readGroup(L - 1, (n) => new Uint32Array(n));
  const synapseState = readGroup(L - 1, (n) => new Int32Array(n));
  const biases = readGroup(L - 1, (n) => new Int32Array(n));
  if (at !== size) throw bad(`${size - at} unexpected trailing bytes`);
  const snapshot = { layers, states, spikes, weights, synapseState, biases };
  const problem = snapshotShapeProblem(snapshot);
  if (problem !== null) throw bad(problem);
  return snapshot;
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
  return Buffer.from(encodeSnapshot(a)).equals(Buffer.from(encodeSnapshot(b)));
}
