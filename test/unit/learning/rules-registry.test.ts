import * as fs from 'fs';
import * as path from 'path';
import { validateParam } from '../../../src/config/param';
import { RegisterPlanes, newTally } from '../../../src/kernels';
import { LEARNING_SECTION } from '../../../src/learning/params';
import { RULES, ruleNames, ruleParams } from '../../../src/learning/rules';
import type { RuleDefinition, RuleSettings } from '../../../src/learning/rules';
import { rngStream } from '../../../src/util/rng';
import { userErrorMessage } from '../user-error';

const SEED = 20261203;

/** The validated learning section with `rule` selected and its test settings applied. */
function settingsFor(def: RuleDefinition, over: RuleSettings): RuleSettings {
  return validateParam(LEARNING_SECTION, { rule: def.name, ...over }, 'c.json', 'learning') as RuleSettings;
}

describe('plasticity rule registry', () => {
  test('every registered rule has a line in docs/learning.md', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../docs/learning.md'), 'utf8');
    for (const name of ruleNames()) expect([name, doc.includes(`| \`${name}\` |`)]).toEqual([name, true]);
  });

  test('names are unique and shared parameters are shared objects', () => {
    expect(new Set(ruleNames()).size).toBe(RULES.length);
    expect(() => ruleParams()).not.toThrow();
    for (const r of RULES) for (const k of Object.keys(r.params)) expect(Object.keys(LEARNING_SECTION.fields)).toContain(k);
  });

  test('an unknown rule name is a one-line error listing the registered rules', () => {
    const msg = userErrorMessage(() => validateParam(LEARNING_SECTION, { rule: 'oja' }, 'c.json', 'learning'));
    expect(msg).toBe(`c.json: learning.rule: expected one of ${ruleNames().map((n) => `"${n}"`).join(', ')}, got "oja"`);
  });

  test.each(RULES.map((r) => [r.name, r] as const))('%s: its test settings validate, its parameters are range-checked', (_name, def) => {
    for (const s of def.testSettings) expect(() => settingsFor(def, s)).not.toThrow();
    for (const [k, p] of Object.entries(def.params)) {
      if (p.kind !== 'int' || p.max === undefined) continue;
      const msg = userErrorMessage(() => validateParam(LEARNING_SECTION, { rule: def.name, [k]: p.max! + 1 }, 'c.json', 'learning'));
      expect(msg.startsWith(`c.json: learning.${k}: `)).toBe(true);
    }
  });

  // The fast row update of every rule against its per-synapse reference, on random rows,
  // in both orientations (forward segment and the backward copy kept by the layer below).
  test.each(RULES.map((r) => [r.name, r] as const))(`%s: updateRow equals referenceUpdate synapse by synapse (seed ${SEED})`, (_name, def) => {
    const rng = rngStream(SEED, `rule-${def.name}`);
    let saturations = 0;
    def.testSettings.forEach((over, si) => {
      const s = settingsFor(def, over);
      for (let trial = 0; trial < 20; trial++) {
        const layer = 1 + rng.below(2);
        const rule = def.create(s, layer);
        const nBits = 1 + rng.below(70);
        const words = (nBits + 31) >>> 5;
        const row = rng.below(50);
        const transposed = rng.below(2) === 1;
        // A segment of a split row starts at column colBase of its layer: rules that depend on positions use the global one.
        const colBase = rng.below(3) === 0 ? 0 : rng.below(100);
        const w = new Uint32Array(words);
        const h = new RegisterPlanes(1, nBits, rule.synapseBits);
        const refW: number[] = [];
        const refH: number[] = [];
        for (let j = 0; j < nBits; j++) {
          const bit = rng.below(2);
          if (bit) w[j >>> 5] = (w[j >>> 5] as number) | (1 << (j & 31));
          h.set(0, j, rule.initialState(bit));
          refW.push(bit);
          refH.push(h.get(0, j));
        }
        const tally = newTally();
        let changed = 0;
        let flipped = 0;
        let clipped = 0;
        for (let step = 0; step < 12; step++) {
          const sampleKey = rng.below(2 ** 32) >>> 0;
          // Epochs 0, 0, 0, 0, 1, ..., 2: rules with a schedule (thetaGrowth) change their threshold on the way.
          const epoch = step >> 2;
          const inc = new Uint32Array(words);
          const dec = new Uint32Array(words);
          const cs: number[] = [];
          for (let j = 0; j < nBits; j++) {
            const c = [-1, 0, 0, 1][rng.below(4)] as number;
            cs.push(c);
            if (c > 0) inc[j >>> 5] = (inc[j >>> 5] as number) | (1 << (j & 31));
            if (c < 0) dec[j >>> 5] = (dec[j >>> 5] as number) | (1 << (j & 31));
          }
          if (cs.every((c) => c === 0) && !rule.visitsIdleRows) continue;
          rule.updateRow(w, 0, h.words, 0, h.planeStride, nBits, inc, dec, 0, tally, { layer, row, transposed, sampleKey, epoch, colBase });
          for (let j = 0; j < nBits; j++) {
            const at = transposed ? { layer, post: colBase + j, pre: row, sampleKey, epoch } : { layer, post: row, pre: colBase + j, sampleKey, epoch };
            const [nw, nh, sat] = def.referenceUpdate(s, at, refW[j] as number, refH[j] as number, cs[j] as number);
            if (nh !== refH[j]) changed++;
            if (sat) clipped++;
            if (nw !== refW[j]) flipped++;
            refW[j] = nw;
            refH[j] = nh;
          }
          const where = `settings ${si}, trial ${trial}, step ${step}`;
          const gotW = Array.from({ length: nBits }, (_, j) => ((w[j >>> 5] as number) >>> (j & 31)) & 1);
          expect([where, gotW]).toEqual([where, refW]);
          expect([where, Array.from({ length: nBits }, (_, j) => h.get(0, j))]).toEqual([where, refH]);
        }
        expect(tally.countersChanged).toBe(changed);
        expect(tally.weightsFlipped).toBe(flipped);
        expect(tally.countersSaturated).toBe(clipped);
        saturations += clipped;
      }
    });
    // The settings are narrow enough that registers hit their bounds: the count is exercised.
    expect(saturations).toBeGreaterThan(0);
  });
});
