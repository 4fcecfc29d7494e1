import { applyOverrides, parseOverride } from '../../../src/config/overrides';
import { UserError } from '../../../src/util/errors';

describe('--set overrides', () => {
  test('values are JSON when they parse, strings otherwise', () => {
    expect(parseOverride('run.epochs=3').value).toBe(3);
    expect(parseOverride('network.hidden=[512,100]').value).toEqual([512, 100]);
    expect(parseOverride('learning.symmetric=true').value).toBe(true);
    expect(parseOverride('run.outDir=my runs').value).toBe('my runs');
    expect(parseOverride('data.trainImages=a=b.idx').value).toBe('a=b.idx');
    expect(parseOverride('chip="3"').value).toBe('3');
    expect(parseOverride('run.mode=cycle').keys).toEqual(['run', 'mode']);
  });

  test('malformed overrides are UserErrors', () => {
    expect(() => parseOverride('epochs')).toThrow(UserError);
    expect(() => parseOverride('=3')).toThrow(UserError);
    expect(() => parseOverride('run..epochs=3')).toThrow(/not a dotted key path/);
  });

  test('applies in order on a copy, creating sections on the way', () => {
    const base = { run: { epochs: 1 }, seed: 1 };
    const out = applyOverrides(base, [parseOverride('run.epochs=2'), parseOverride('data.threshold=0.3'), parseOverride('run.epochs=5')]);
    expect(out).toEqual({ run: { epochs: 5 }, seed: 1, data: { threshold: 0.3 } });
    expect(base).toEqual({ run: { epochs: 1 }, seed: 1 });
    expect(() => applyOverrides(base, [parseOverride('seed.x=1')])).toThrow('--set seed.x: seed is not an object');
  });
});
