/** Comparisons shared by the differential tests: snapshots field by field, core counter totals. */
import type { ChipEngine } from '../../src/chip/chip-engine';
import type { Engine, NetworkSnapshot, SampleResult } from '../../src/learning/engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';

/** Throw naming the first field that differs. */
export function expectSame(a: NetworkSnapshot, b: NetworkSnapshot, where: string): void {
  const fields = ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const;
  for (const f of fields) {
    a[f].forEach((arr, l) => {
      const other = b[f][l] as ArrayLike<number>;
      if (arr.length !== other.length || Array.from(arr as ArrayLike<number>).some((v, i) => v !== other[i])) {
        throw new Error(`${where}: ${f}[${l}] differs\n functional ${Array.from(arr as ArrayLike<number>).slice(0, 40)}\n chip       ${Array.from(other).slice(0, 40)}`);
      }
    });
  }
}

/** Sum of the block counters over every core. */
export function coreTotals(snap: ReturnType<ChipEngine['counters']>): Record<string, number> {
  const t: Record<string, number> = {};
  for (const n of BLOCK_COUNTER_NAMES) t[n] = 0;
  for (const [id, comp] of Object.entries(snap.components)) {
    if (comp.kind !== 'core') continue;
    void id;
    for (const n of BLOCK_COUNTER_NAMES) t[n] = (t[n] as number) + (comp.counts[n] as number);
  }
  return t;
}


/**
 * The learning statistics agree: per-layer learning counts (weight flips, clipped
 * register updates, phase spike differences) and the sample's output errors.
 */
export function expectSameLearning(f: Engine, c: Engine, pf: SampleResult, pc: SampleResult, where: string): void {
  const weightLayers = f.snapshot().layers.length - 1;
  const a = new Float64Array(3 * weightLayers);
  const b = new Float64Array(3 * weightLayers);
  f.learningCounts?.(a);
  c.learningCounts?.(b);
  const fa = Array.from(a);
  const cb = Array.from(b);
  if (fa.join() !== cb.join()) throw new Error(`${where}: learning counts differ\n functional ${fa}\n chip       ${cb}`);
  if (pf.outputErrors !== pc.outputErrors) throw new Error(`${where}: output errors differ: functional ${pf.outputErrors}, chip ${pc.outputErrors}`);
}
