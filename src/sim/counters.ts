/**
 * Named event counters with units, kept per component in one Float64Array so hot
 * code increments `values[component * stride + counter]` without lookups. The sim
 * layer is generic: the names and the component kind come from the caller (the
 * chip models take them from src/sim/counter-catalog.ts).
 */

/** One component's counts by counter name. */
export interface CountsOf<K extends string> {
  kind: K;
  counts: Record<string, number>;
}

/** Counter snapshot: component id -> counts. */
export interface SnapshotOf<K extends string> {
  components: Record<string, CountsOf<K>>;
}

/** Counters of a group of components of one kind, sharing one list of counter names. */
export class CounterTable<K extends string> {
  /** Counts, component-major: values[component * stride + counterIndex]. */
  readonly values: Float64Array;
  /** Number of counters per component. */
  readonly stride: number;

  constructor(
    readonly kind: K,
    readonly componentIds: readonly string[],
    readonly names: readonly string[],
  ) {
    this.stride = names.length;
    this.values = new Float64Array(componentIds.length * names.length);
  }

  /** Index of counter `name` (throws if undeclared). */
  index(name: string): number {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`counter ${name} is not declared for ${this.kind}`);
    return i;
  }

  /** Value of counter `name` of component number `component`. */
  get(component: number, name: string): number {
    return this.values[component * this.stride + this.index(name)] as number;
  }

  /** Sum of counter `name` over all components. */
  total(name: string): number {
    const k = this.index(name);
    let s = 0;
    for (let c = 0; c < this.componentIds.length; c++) s += this.values[c * this.stride + k] as number;
    return s;
  }

  /** Zero every counter. */
  reset(): void {
    this.values.fill(0);
  }

  /** Add this table's counts to `into` (created when absent) and return it. */
  snapshot<S extends SnapshotOf<string>>(into: S = { components: {} } as S): S {
    for (let c = 0; c < this.componentIds.length; c++) {
      const counts: Record<string, number> = {};
      for (let k = 0; k < this.stride; k++) counts[this.names[k] as string] = this.values[c * this.stride + k] as number;
      into.components[this.componentIds[c] as string] = { kind: this.kind, counts };
    }
    return into;
  }
}
