/**
 * Input codings that keep the chip binary while passing grey levels on (data.coding):
 *   threshold    1 bit per pixel: g/255 >= data.threshold (binarise.ts)
 *   thermometer  K = data.codeBits bits per pixel: bit k on when g/255 >= (k+1)/(K+1)
 *                (K = 1 is the 0.5 threshold); K times the input axons
 *   bitplane     the K most significant bits of g, plane 0 = bit 7 (K = 1 is the
 *                0.5 threshold); K times the input axons
 *   rate         1 bit per pixel per frame, on with probability g/255 (integer draw
 *                below(255) < g: g = 0 never, g = 255 always), F = data.rateFrames frames
 *                per sample; same input axons, new bits at every step
 * Layout: pixel p of plane k is input bit k * pixels + p (each plane an image); rate
 * frames follow each other in the sample's row. Rate draws come from
 * rngStream(seed, `rate-code/<split>`), sample by sample, frame by frame, pixel by
 * pixel, skipping pixels with g = 0 or 255 (fixed per sample: every epoch sees the
 * same spikes, so a resumed run sees the same bits).
 */
import { UserError } from '../util/errors';
import { rngStream } from '../util/rng';
import { binarise, greyCutoff } from './binarise';
import type { DataConfig } from './data-params';
import { bitDataset, type BitDataset, type GreyImages } from './dataset';

/** Input bits per sample (and frame) that `coding` makes of `pixels` pixels. */
export function codedWidth(cfg: Pick<DataConfig, 'coding' | 'codeBits'>, pixels: number): number {
  return cfg.coding === 'thermometer' || cfg.coding === 'bitplane' ? pixels * cfg.codeBits : pixels;
}

/** Input frames per sample of `coding`. */
export function codedFrames(cfg: Pick<DataConfig, 'coding' | 'rateFrames'>): number {
  return cfg.coding === 'rate' ? cfg.rateFrames : 1;
}

/** One-phrase description of the coding, for messages. */
export function codingText(cfg: Pick<DataConfig, 'coding' | 'codeBits' | 'rateFrames' | 'threshold'>): string {
  if (cfg.coding === 'thermometer' || cfg.coding === 'bitplane') return `${cfg.coding} coding, ${cfg.codeBits} bits per pixel`;
  if (cfg.coding === 'rate') return `rate coding, ${cfg.rateFrames} frames`;
  return `threshold ${cfg.threshold}`;
}

function setBit(bits: Uint32Array, at: number, i: number): void {
  const k = at + (i >>> 5);
  bits[k] = ((bits[k] as number) | (1 << (i & 31))) >>> 0;
}

/** Encode every image of `images` as `cfg.coding` says; `seed` and `split` name the rate code's stream. */
export function encodeImages(images: GreyImages, cfg: DataConfig, seed: number | string, split: string, name: string): BitDataset {
  if (cfg.coding === 'threshold') return binarise(images, cfg.threshold, name);
  const { count, features: P, pixels } = images;
  const width = codedWidth(cfg, P);
  const frames = codedFrames(cfg);
  const words = (width + 31) >>> 5;
  const bits = new Uint32Array(count * frames * words);
  const K = cfg.codeBits;
  const cut = Array.from({ length: K }, (_, k) => greyCutoff((k + 1) / (K + 1)));
  const rng = cfg.coding === 'rate' ? rngStream(seed, `rate-code/${split}`) : null;
  for (let s = 0; s < count; s++) {
    const base = s * P;
    const row = s * frames * words;
    if (rng !== null) {
      for (let f = 0; f < frames; f++) {
        const at = row + f * words;
        for (let p = 0; p < P; p++) {
          const g = pixels[base + p] as number;
          if (g === 255 || (g !== 0 && rng.below(255) < g)) setBit(bits, at, p);
        }
      }
      continue;
    }
    for (let p = 0; p < P; p++) {
      const g = pixels[base + p] as number;
      for (let k = 0; k < K; k++) {
        const on = cfg.coding === 'thermometer' ? g >= (cut[k] as number) : ((g >>> (7 - k)) & 1) === 1;
        if (on) setBit(bits, row, k * P + p);
      }
    }
  }
  return bitDataset(name, width, bits, images.labels.slice(), frames);
}

/**
 * Grey levels as they are, for the float reference (float.binaryInput = false): 8 bits
 * per pixel, pixel p in bits 8p .. 8p+7 of the row (LSB first, as every row is packed),
 * i.e. byte p of the row's little-endian words is the grey level g of pixel p.
 */
export function greyRows(images: GreyImages, name: string): BitDataset {
  const { count, features: P, pixels } = images;
  const words = (8 * P + 31) >>> 5;
  const bits = new Uint32Array(count * words);
  for (let s = 0; s < count; s++) {
    for (let p = 0; p < P; p++) {
      const k = s * words + (p >>> 2);
      bits[k] = ((bits[k] as number) | ((pixels[s * P + p] as number) << (8 * (p & 3)))) >>> 0;
    }
  }
  return bitDataset(name, 8 * P, bits, images.labels.slice());
}

/**
 * A chip's refusal to map a network (`e`), with the reason appended when the coding
 * widened the input: the refusal already says what does not fit and by how much.
 */
export function withCodingNote(e: unknown, cfg: Pick<DataConfig, 'coding' | 'codeBits'>, inputs: number): unknown {
  if (!(e instanceof UserError) || (cfg.coding !== 'thermometer' && cfg.coding !== 'bitplane') || cfg.codeBits === 1) return e;
  return new UserError(`${e.message} (data.coding "${cfg.coding}" with data.codeBits = ${cfg.codeBits} makes ${inputs} input axons, ${cfg.codeBits}x the pixels)`);
}
