/**
 * Binarisation: pixel p (grey level g in 0..255) becomes bit 1 when g / 255 >= t,
 * i.e. when g >= the smallest such level (0.5 maps to 128),
 * and bits are packed LSB-first into 32-bit words (bit i in word i>>>5).
 */
import { bitDataset, type BitDataset, type GreyImages } from './dataset';

/** Smallest grey level (0..256) that counts as "on" for threshold t in [0, 1]. */
export function greyCutoff(threshold: number): number {
  // 255 * t may round either way in floating point (0.2 * 255 = 51.00000000000001);
  // start from its ceiling and settle on the exact answer of the comparison g / 255 >= t.
  let g = Math.min(256, Math.max(0, Math.ceil(threshold * 255)));
  while (g > 0 && (g - 1) / 255 >= threshold) g--;
  while (g <= 255 && g / 255 < threshold) g++;
  return g;
}

/** Binarise and pack every image of `images` at `threshold`. */
export function binarise(images: GreyImages, threshold: number, name: string): BitDataset {
  const { count, features, pixels } = images;
  const words = (features + 31) >>> 5;
  const cutoff = greyCutoff(threshold);
  const bits = new Uint32Array(count * words);
  for (let s = 0; s < count; s++) {
    const base = s * features;
    const out = s * words;
    for (let i = 0; i < features; i++) {
      if ((pixels[base + i] as number) >= cutoff) bits[out + (i >>> 5)] = ((bits[out + (i >>> 5)] as number) | (1 << (i & 31))) >>> 0;
    }
  }
  return bitDataset(name, features, bits, images.labels.slice());
}
