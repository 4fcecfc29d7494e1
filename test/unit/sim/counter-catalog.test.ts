/**
 * The catalog's `functional` flags say which counters the functional model produces (with the
 * chip's values, checked by the differential tests): they must be exactly the ones it reports.
 */
import { pack } from '../../../src/kernels';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { COUNTER_CATALOG } from '../../../src/sim/counter-catalog';
import type { ComponentKind } from '../../../src/sim/counter-catalog';
import { defaultConfigFile, loadExperiment } from '../../../src/config/experiment';

test('the functional model reports exactly the counters the catalog marks functional', () => {
  const cfg = loadExperiment(defaultConfigFile()).config;
  const f = new FunctionalEngine({ network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning }, 1);
  const x = Array.from({ length: cfg.network.inputs }, (_, j) => (j % 3 === 0 ? 1 : 0));
  f.runSample(pack(x), 3, { learn: true, betaSign: 1 });
  const reported = new Map<ComponentKind, Set<string>>();
  for (const comp of Object.values(f.counters().components)) {
    const names = reported.get(comp.kind) ?? new Set<string>();
    for (const n of Object.keys(comp.counts)) names.add(n);
    reported.set(comp.kind, names);
  }
  for (const kind of Object.keys(COUNTER_CATALOG) as ComponentKind[]) {
    const marked = COUNTER_CATALOG[kind].filter((d) => d.functional).map((d) => d.name).sort();
    expect([kind, [...(reported.get(kind) ?? [])].sort()]).toEqual([kind, marked]);
  }
});
