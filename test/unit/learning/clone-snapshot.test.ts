import { cloneSnapshot, initialSnapshot } from '../../../src/learning/init';
import { modelParams } from '../../differential/configs';

test('cloneSnapshot copies every array: equal values, no shared storage', () => {
  const m = modelParams({ network: { inputs: 6, hidden: [4], classes: 2, replicas: 1 }, dynamics: { kFwd: [4], kBwd: [4], offset: [0] } });
  const s = initialSnapshot(m, 3);
  const c = cloneSnapshot(s);
  expect(c).toEqual(s);
  const fields = ['states', 'spikes', 'weights', 'synapseState', 'biases'] as const;
  for (const f of fields) {
    for (let l = 0; l < s[f].length; l++) {
      const a = c[f][l]!;
      if (a.length === 0) continue;
      // Writing the copy must leave the original as it was.
      const before = s[f][l]![0];
      a[0] = (a[0] as number) + 1;
      expect([f, l, s[f][l]![0]]).toEqual([f, l, before]);
    }
  }
  c.layers[0] = 99;
  expect(s.layers[0]).toBe(6);
});
