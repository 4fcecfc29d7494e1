/** Counter snapshots added component by component (a resumed run = its checkpoint's counts + the counts since). */
import type { CounterSnapshot } from '../sim/counter-catalog';

/** The component-wise sum of two counter snapshots. */
export function addCounters(a: CounterSnapshot, b: CounterSnapshot): CounterSnapshot {
  const out: CounterSnapshot = { components: {} };
  for (const s of [a, b]) {
    for (const [id, comp] of Object.entries(s.components)) {
      const into = (out.components[id] ??= { kind: comp.kind, counts: {} });
      if (into.kind !== comp.kind) throw new Error(`addCounters: component ${id} is a ${into.kind} in one snapshot and a ${comp.kind} in the other`);
      for (const [name, v] of Object.entries(comp.counts)) into.counts[name] = (into.counts[name] ?? 0) + v;
    }
  }
  return out;
}

/** An empty counter snapshot. */
export function noCounters(): CounterSnapshot {
  return { components: {} };
}
