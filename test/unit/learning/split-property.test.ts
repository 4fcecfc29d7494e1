import fc from 'fast-check';
import { pack } from '../../../src/kernels';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { rngStream } from '../../../src/util/rng';
import { randomBits, randomModelParams } from './random-config';

describe('property: any split of the layers into blocks gives the same bits and counters', () => {
  test('random configs, random block sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 50 }), (seed, blockRows) => {
        const rng = rngStream(seed, 'split-property');
        const p = randomModelParams(rng);
        const whole = new FunctionalEngine(p, seed);
        const split = new FunctionalEngine(p, seed, { blockRows, wasm: false });
        for (let s = 0; s < 4; s++) {
          const x = pack(randomBits(rng, p.network.inputs, 0.5));
          const label = rng.below(p.network.classes);
          const mode = s < 3 ? { learn: true as const, betaSign: (s % 2 === 0 ? 1 : -1) as 1 | -1 } : { learn: false as const };
          expect(split.runSample(x, label, mode)).toEqual(whole.runSample(x, label, mode));
        }
        expect(split.snapshot()).toEqual(whole.snapshot());
        expect(split.counters()).toEqual(whole.counters());
      }),
      { numRuns: 30, seed: 42 },
    );
  });
});
