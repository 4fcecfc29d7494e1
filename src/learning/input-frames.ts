/**
 * Inputs that change during a sample (rate coding, data.coding "rate"): an Engine's
 * input row may hold F >= 1 frames of the input layer back to back. Step t of the
 * free phase clamps frame t mod F, step t of a nudged phase (each of the two when
 * nudging is symmetric) frame (T1 + t) mod F, so both nudged phases see the same
 * inputs and the contrast of the two phases is not blurred by input noise. One frame
 * (F = 1) is the constant clamped input.
 */

/** Frames in an input row of `words` words, for an input layer of `inWords` words per frame. */
export function frameCount(words: number, inWords: number): number {
  if (words < inWords || words % inWords !== 0) throw new RangeError(`input has ${words} words, expected a multiple of ${inWords}`);
  return words / inWords;
}

/** Frame clamped by step t of the free phase (nudged = false) or of a nudged phase, with T1 free steps and F frames. */
export function inputFrame(nudged: boolean, t: number, freeSteps: number, frames: number): number {
  return ((nudged ? freeSteps : 0) + t) % frames;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

/** Bits set in a XOR b over `words` words at offsets ia and ib. */
function diffBits(row: Uint32Array, ia: number, ib: number, words: number): number {
  let n = 0;
  for (let k = 0; k < words; k++) {
    let x = ((row[ia + k] as number) ^ (row[ib + k] as number)) >>> 0;
    while (x !== 0) {
      x &= x - 1;
      n++;
    }
  }
  return n;
}

/**
 * Input bits the I/O port streams for one sample (each goes to every destination core
 * of the input layer), as the chip sends them: the set bits of frame 0 after the reset
 * (every bit with `everyStep`), then, with several frames, each step's frame where it
 * differs from the one before (every bit with `everyStep`), a nudged phase's first
 * frame against the free phase's last.
 */
export function inputBitsSent(
  row: Uint32Array,
  nInputs: number,
  d: { freeSteps: number; nudgedSteps: number },
  nudgedPhases: number,
  everyStep: boolean,
): number {
  const words = (nInputs + 31) >>> 5;
  const F = frameCount(row.length, words);
  let sent = nInputs;
  if (!everyStep) {
    sent = 0;
    for (let k = 0; k < words; k++) sent += popcount(row[k] as number);
  }
  if (F === 1) return sent;
  const at = (nudged: boolean, t: number): number => inputFrame(nudged, t, d.freeSteps, F) * words;
  const change = (a: number, b: number): number => (everyStep ? nInputs : diffBits(row, a, b, words));
  for (let t = 1; t < d.freeSteps; t++) sent += change(at(false, t - 1), at(false, t));
  for (let p = 0; p < nudgedPhases; p++) {
    sent += change(at(false, d.freeSteps - 1), at(true, 0));
    for (let t = 1; t < d.nudgedSteps; t++) sent += change(at(true, t - 1), at(true, t));
  }
  return sent;
}
