/**
 * Readout packets of one sample, as the chip sends them (docs/timing-model.md, sample
 * sequence): each core adds the free-phase states of the output rows it holds per
 * class (rows of class c are c * replicas .. c * replicas + replicas - 1) and sends one
 * packet per set bit of every non-zero partial class sum to the I/O port.
 *   packets(piece) = sum over the classes c the piece holds of popcount(sum of its rows of class c)
 */
import type { Mapping } from '../map/mapping';

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v > 0; v = Math.floor(v / 2)) n += v % 2;
  return n;
}

/** Readout packets per output piece (in m.layerPieces[L] order) for the output-layer states `out`. */
export function readoutPackets(m: Mapping, out: Int32Array, replicas: number): number[] {
  const L = m.layers.length - 1;
  return m.layerPieces[L]!.map((p) => {
    let packets = 0;
    let sum = 0;
    for (let g = p.first; g < p.first + p.count; g++) {
      sum += out[g]!;
      const lastOfClass = g + 1 === p.first + p.count || Math.floor((g + 1) / replicas) !== Math.floor(g / replicas);
      if (lastOfClass) {
        packets += popcount(sum);
        sum = 0;
      }
    }
    return packets;
  });
}
