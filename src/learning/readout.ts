/**
 * Class readout shared by the functional model, the float reference and the chip's I/O port:
 *   prediction = argmax_c sum_{r < replicas} states[c * replicas + r]
 * Ties go to the lowest class (strict > while scanning classes upwards).
 */

/** Argmax over `classes` of the summed `replicas` consecutive states of each class; ties go to the lowest class. */
export function readout(states: ArrayLike<number>, classes: number, replicas: number): number {
  let best = 0;
  let bestSum = -Infinity;
  for (let c = 0; c < classes; c++) {
    let sum = 0;
    for (let r = 0; r < replicas; r++) sum += states[c * replicas + r] as number;
    if (sum > bestSum) {
      bestSum = sum;
      best = c;
    }
  }
  return best;
}
