/**
 * Channel-load bound of a traffic pattern under XY routing (Dally & Towles, ch. 3):
 * with every node injecting r flits per cycle, the busiest channel (a link, or an
 * injection or ejection channel) carries r * gamma_max flits per cycle, so no
 * router can accept more than 1 / gamma_max. For uniform traffic on a k x k mesh
 * this is the bisection bound 4 / k (k even); permutations such as transpose load
 * some XY links more and have lower bounds.
 */
import { hotspotSet, type PatternSpec } from './patterns';

/** Traffic matrix row: the share of node s's packets to each destination. */
function sharesOf(s: PatternSpec, src: number, n: number): Float64Array {
  const w = s.width;
  const row = new Float64Array(n);
  const x = src % w;
  const y = (src - x) / w;
  switch (s.pattern) {
    case 'uniform':
      row.fill(1 / n);
      break;
    case 'transpose':
      row[x * w + y] = 1;
      break;
    case 'bitcomplement':
      row[(s.height - 1 - y) * w + (w - 1 - x)] = 1;
      break;
    case 'hotspot': {
      row.fill((1 - s.hotspotFraction) / n);
      const set = hotspotSet(s);
      for (const h of set) row[h] = (row[h] as number) + s.hotspotFraction / set.length;
      break;
    }
    case 'multicast': {
      // k distinct destinations other than the source, uniform: each other node with probability k / (n - 1).
      const k = s.destinations ?? 1;
      for (let d = 0; d < n; d++) if (d !== src) row[d] = k / (n - 1);
      break;
    }
  }
  return row;
}

/** gamma_max (flits per cycle on the busiest channel per unit injection rate) and the bound 1 / gamma_max. */
export function channelLoadBound(s: PatternSpec): { gammaMax: number; bound: number } {
  const w = s.width;
  const h = s.height;
  const n = w * h;
  // Directed links: 4 per router (N, E, S, W), plus ejection per node; injection is 1 per node.
  const link = new Float64Array(n * 4);
  const eject = new Float64Array(n);
  for (let src = 0; src < n; src++) {
    const row = sharesOf(s, src, n);
    for (let d = 0; d < n; d++) {
      const share = row[d] as number;
      if (share === 0) continue;
      eject[d] = (eject[d] as number) + share;
      let x = src % w;
      let y = (src - x) / w;
      const dx = d % w;
      const dy = (d - dx) / w;
      while (x !== dx) {
        const p = dx > x ? 1 : 3;
        link[(y * w + x) * 4 + p] = (link[(y * w + x) * 4 + p] as number) + share;
        x += dx > x ? 1 : -1;
      }
      while (y !== dy) {
        const p = dy > y ? 2 : 0;
        link[(y * w + x) * 4 + p] = (link[(y * w + x) * 4 + p] as number) + share;
        y += dy > y ? 1 : -1;
      }
    }
  }
  let g = 1; // an injection channel carries each node's own traffic
  for (const v of link) g = Math.max(g, v);
  for (const v of eject) g = Math.max(g, v);
  return { gammaMax: g, bound: 1 / g };
}

/** Mean router-to-router XY hops of a pattern's packets (every node injecting at the same rate). */
export function meanHops(s: PatternSpec): number {
  const w = s.width;
  const n = w * s.height;
  let sum = 0;
  for (let src = 0; src < n; src++) {
    const row = sharesOf(s, src, n);
    const x = src % w;
    const y = (src - x) / w;
    let k = 0;
    let h = 0;
    for (let d = 0; d < n; d++) {
      const share = row[d] as number;
      if (share === 0) continue;
      const dx = d % w;
      h += share * (Math.abs(dx - x) + Math.abs((d - dx) / w - y));
      k += share;
    }
    sum += h / k;
  }
  return sum / n;
}
