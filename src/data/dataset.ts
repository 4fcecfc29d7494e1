/**
 * The two shapes data takes: grey-level images as decoded from a source (one byte
 * per pixel, 0..255, as in MNIST's IDX files), and binarised datasets whose rows
 * are bit-packed the way the kernels read them (bit i in word i>>>5, bit i&31; tail
 * bits beyond the feature count are zero).
 */

/** Decoded grey-level images with their labels. */
export interface GreyImages {
  /** Where the images came from (file names), for messages. */
  source: string;
  /** Number of images. */
  count: number;
  /** Pixels per image. */
  features: number;
  /** Grey levels, image after image, `features` bytes each (0 = black, 255 = white). */
  pixels: Uint8Array;
  /** One label per image. */
  labels: Uint8Array;
}

/** A binarised dataset: packed rows ready to be fed to an Engine. */
export interface BitDataset {
  /** E.g. "mnist train". */
  name: string;
  /** Number of samples. */
  count: number;
  /** Bits per sample and frame (the network's input width). */
  features: number;
  /** 32-bit words per frame: ceil(features / 32). */
  words: number;
  /** Input frames per sample: 1, or data.rateFrames for rate coding (a row holds its frames back to back). */
  frames: number;
  /** Rows back to back, `frames * words` words each. */
  bits: Uint32Array;
  /** One label per sample. */
  labels: Uint8Array;
  /** One view per row into `bits` (made once so feeding samples allocates nothing). */
  rows: readonly Uint32Array[];
}

/** Build a BitDataset around packed rows of `frames` frames each (creates the per-row views). */
export function bitDataset(name: string, features: number, bits: Uint32Array, labels: Uint8Array, frames = 1): BitDataset {
  const words = (features + 31) >>> 5;
  const count = labels.length;
  const rowWords = words * frames;
  if (bits.length !== count * rowWords) throw new Error(`bitDataset: ${bits.length} words for ${count} rows of ${rowWords}`);
  const rows: Uint32Array[] = [];
  for (let i = 0; i < count; i++) rows.push(bits.subarray(i * rowWords, (i + 1) * rowWords));
  return { name, count, features, words, frames, bits, labels, rows };
}
