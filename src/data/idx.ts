/**
 * Reader for IDX files, the format MNIST and Fashion-MNIST are distributed in
 * (optionally gzip-compressed, detected by the 0x1f 0x8b signature):
 *   bytes 0-1 zero; byte 2 element type (0x08 = unsigned byte, the only one images
 *   and labels use); byte 3 number of dimensions D; then D big-endian uint32 sizes;
 *   then prod(sizes) elements, row-major.
 * Images are magic 0x00000803 (count, rows, cols); labels 0x00000801 (count).
 * Anything else (wrong magic, truncated data, trailing bytes, bad gzip stream,
 * image/label count mismatch) is a one-line UserError naming the file.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { UserError } from '../util/errors';
import type { GreyImages } from './dataset';

/** Magic number of an IDX image file (ubyte, 3 dimensions). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX label file (ubyte, 1 dimension). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** IDX element type codes other than unsigned byte, for messages. */
const IDX_TYPES: Readonly<Record<number, string>> = { 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** Decode IDX bytes (gunzipping first if needed); `file` names the file in errors. */
export function parseIdx(raw: Uint8Array, file: string, expectedMagic: number): IdxArray {
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(raw);
    } catch (e) {
      throw new UserError(`${file}: corrupt gzip stream: ${(e as Error).message}`);
    }
  }
  const kind = expectedMagic === IDX_IMAGES_MAGIC ? 'image' : 'label';
  if (bytes.length < 4) throw new UserError(`${file}: truncated IDX file (${bytes.length} bytes, no header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const type = (magic >>> 8) & 0xff;
    const sameShape = magic >>> 16 === 0 && (magic & 0xff) === (expectedMagic & 0xff);
    if (sameShape && IDX_TYPES[type] !== undefined) {
      throw new UserError(`${file}: IDX element type 0x${type.toString(16).padStart(2, '0')} (${IDX_TYPES[type]}) is not supported: ${kind}s must be unsigned bytes (0x08)`);
    }
    throw new UserError(`${file}: wrong magic number ${hex(magic)} for an IDX ${kind} file (expected ${hex(expectedMagic)})`);
  }
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new UserError(`${file}: truncated IDX header (${bytes.length} of ${headerBytes} bytes)`);
  const dims: number[] = [];
  let elements = 1;
  for (let k = 0; k < ndims; k++) {
    const size = view.getUint32(4 + 4 * k, false);
    dims.push(size);
    elements *= size;
  }
  const expected = headerBytes + elements;
  if (bytes.length < expected) {
    throw new UserError(`${file}: truncated IDX file: dimensions ${dims.join(' x ')} need ${expected} bytes, file has ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new UserError(`${file}: corrupt IDX file: ${bytes.length - expected} bytes after the last element of ${dims.join(' x ')}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Read and decode one IDX file from disk. */
export function readIdxFile(file: string, expectedMagic: number): IdxArray {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    throw new UserError(`${file}: cannot read IDX file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseIdx(raw, file, expectedMagic);
}

/** Decode an image file and its label file into grey-level images. */
export function idxImagesFromArrays(images: IdxArray, labels: IdxArray, imagesFile: string, labelsFile: string): GreyImages {
  const [count = 0, rows = 0, cols = 0] = images.dims;
  const labelCount = labels.dims[0] ?? 0;
  if (count !== labelCount) {
    throw new UserError(`${labelsFile}: ${labelCount} labels but ${imagesFile} holds ${count} images`);
  }
  if (rows * cols === 0) throw new UserError(`${imagesFile}: images of ${rows} x ${cols} pixels hold no data`);
  return {
    source: imagesFile,
    count,
    features: rows * cols,
    pixels: images.data,
    labels: labels.data,
  };
}

/** Load an IDX image file and its label file. */
export function loadIdxPair(imagesFile: string, labelsFile: string): GreyImages {
  const images = readIdxFile(imagesFile, IDX_IMAGES_MAGIC);
  const labels = readIdxFile(labelsFile, IDX_LABELS_MAGIC);
  return idxImagesFromArrays(images, labels, imagesFile, labelsFile);
}

/** Encode images (count x rows x cols grey bytes) as IDX bytes (for tests and tools). */
export function encodeIdx(magic: number, dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
