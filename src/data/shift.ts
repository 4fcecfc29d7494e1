/**
 * Random translation of training images (data.shift, data.shiftShare): the trainer
 * moves each training sample by (dx, dy) whole pixels before presenting it, a pixel
 * moved past the border is lost and the uncovered edge is 0. It works on the rows the
 * engine is fed, so every coding shifts alike: a row holds `frames` frames of
 * `words` words; a frame holds `planes` images of width x height pixels, pixel p of
 * plane k at bits (k * pixels + p) * bitsPerPixel .. + bitsPerPixel - 1 (1 bit for the
 * binary codings, 8 for the float reference's grey bytes, src/data/encode.ts).
 * The chip sees an ordinary input row: a shift costs no chip work (the host moves
 * bits), and both models receive the same bits from the trainer.
 */

/** Where the bits of one row sit. */
export interface RowGeometry {
  width: number;
  height: number;
  /** Images per frame (thermometer/bit-plane: data.codeBits; otherwise 1). */
  planes: number;
  /** Bits per pixel (1 for coded bits, 8 for grey bytes). */
  bitsPerPixel: number;
  /** Words per frame. */
  words: number;
  /** Frames per row. */
  frames: number;
}

/** Side of the square image of `pixels` pixels, or null when `pixels` is not a square. */
export function squareSide(pixels: number): number | null {
  const s = Math.round(Math.sqrt(pixels));
  return s * s === pixels && s > 0 ? s : null;
}

/**
 * Write into `dst` the row `src` with every image moved by dx pixels to the right and
 * dy pixels down (negative: left/up). `dst` must not be `src` and must hold frames x
 * words words; the function allocates nothing.
 */
export function shiftRow(src: Uint32Array, dst: Uint32Array, g: RowGeometry, dx: number, dy: number): void {
  const { width: W, height: H, planes, bitsPerPixel: B, words, frames } = g;
  dst.fill(0, 0, frames * words);
  const pixels = W * H;
  // Destination columns x with a source column x - dx inside the image.
  const x0 = Math.max(0, dx);
  const x1 = Math.min(W, W + dx);
  const y0 = Math.max(0, dy);
  const y1 = Math.min(H, H + dy);
  for (let f = 0; f < frames; f++) {
    const base = f * words;
    for (let k = 0; k < planes; k++) {
      const plane = k * pixels;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const from = (plane + (y - dy) * W + (x - dx)) * B;
          const to = (plane + y * W + x) * B;
          for (let b = 0; b < B; b++) {
            const s = from + b;
            if (((src[base + (s >>> 5)] as number) >>> (s & 31)) & 1) {
              const d = to + b;
              const at = base + (d >>> 5);
              dst[at] = ((dst[at] as number) | (1 << (d & 31))) >>> 0;
            }
          }
        }
      }
    }
  }
}
