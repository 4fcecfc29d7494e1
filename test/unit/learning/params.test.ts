import { defaultOf, validateParam } from '../../../src/config/param';
import {
  DYNAMICS_SECTION,
  LEARNING_SECTION,
  NETWORK_SECTION,
  betaShift,
  checkModelParams,
  layerSizes,
} from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { userErrorMessage } from '../user-error';

function defaults(): ModelParams {
  return {
    network: defaultOf(NETWORK_SECTION) as ModelParams['network'],
    dynamics: defaultOf(DYNAMICS_SECTION) as ModelParams['dynamics'],
    learning: defaultOf(LEARNING_SECTION) as ModelParams['learning'],
  };
}

describe('network/dynamics/learning sections', () => {
  test('defaults validate and pass the cross-section check', () => {
    const p = defaults();
    expect(() => checkModelParams(p, 'x.json')).not.toThrow();
    expect(layerSizes(p.network)).toEqual([784, ...p.network.hidden, p.network.classes * p.network.replicas]);
  });
  test('beta must be a power of two', () => {
    expect(userErrorMessage(() => validateParam(LEARNING_SECTION, { beta: 3 }, 'c.json', 'learning'))).toBe(
      'c.json: learning.beta: expected a power of two (..., 0.25, 0.5, 1, 2, 4, ...), got 3',
    );
    const ok = validateParam(LEARNING_SECTION, { beta: 0.25 }, 'c.json', 'learning') as ModelParams['learning'];
    expect(betaShift(ok.beta)).toBe(-2);
  });
  test('theta must fit the counter range', () => {
    expect(userErrorMessage(() => validateParam(LEARNING_SECTION, { counterBits: 4, theta: [3, 7] }, 'c.json', 'learning'))).toBe(
      'c.json: learning.theta[1]: must be below the counter maximum: at most 6 for 4-bit counters, got 7',
    );
    // The hidden rule has no threshold, so theta is not checked against the counters.
    expect(() => validateParam(LEARNING_SECTION, { rule: 'hidden', counterBits: 4, theta: [7] }, 'c.json', 'learning')).not.toThrow();
  });
  test('hiddenInit must not exceed hiddenRange', () => {
    expect(userErrorMessage(() => validateParam(LEARNING_SECTION, { rule: 'hidden', hiddenRange: 4, hiddenInit: 5 }, 'c.json', 'learning'))).toBe(
      'c.json: learning.hiddenInit: must be at most hiddenRange (4), got 5',
    );
  });
  test('unknown keys, wrong types and bad sizes name the JSON path', () => {
    expect(userErrorMessage(() => validateParam(NETWORK_SECTION, { hiden: [3] }, 'c.json', 'network'))).toMatch(/^c\.json: network\.hiden: unknown key/);
    expect(userErrorMessage(() => validateParam(NETWORK_SECTION, { hidden: [3, 0] }, 'c.json', 'network'))).toMatch(/^c\.json: network\.hidden\[1\]/);
    expect(userErrorMessage(() => validateParam(DYNAMICS_SECTION, { encoding: 'ternary' }, 'c.json', 'dynamics'))).toMatch(/dynamics\.encoding/);
    expect(userErrorMessage(() => validateParam(DYNAMICS_SECTION, { stateBits: 15, accumulatorBits: 16 }, 'c.json', 'dynamics'))).toMatch(
      /^c\.json: dynamics\.stateBits: must be less than accumulatorBits - 1/,
    );
  });
  test('per-layer arrays need one value or one per layer', () => {
    const p = defaults();
    p.network.hidden = [100, 50];
    p.dynamics.kFwd = [1, 2];
    expect(userErrorMessage(() => checkModelParams(p, 'c.json'))).toBe('c.json: dynamics.kFwd: expected 1 or 3 values (one per layer), got 2');
    p.dynamics.kFwd = [1, 2, 3];
    p.dynamics.kBwd = [1, 2, 3];
    expect(userErrorMessage(() => checkModelParams(p, 'c.json'))).toMatch(/dynamics\.kBwd: expected 1 or 2 values/);
  });
  test('homeostasis needs biases and one value or one per layer', () => {
    const p = defaults();
    p.network.hidden = [100, 50];
    p.dynamics.kFwd = [1];
    p.dynamics.kBwd = [1];
    p.learning.theta = [4];
    p.learning.homeoUp = [1, 1, 0];
    p.learning.homeoDown = [7, 7, 0];
    expect(userErrorMessage(() => checkModelParams(p, 'c.json'))).toBe("c.json: learning.homeoUp: homeostasis moves the neurons' biases: set dynamics.bias to true");
    p.dynamics.bias = true;
    expect(() => checkModelParams(p, 'c.json')).not.toThrow();
    p.learning.homeoDown = [7, 7];
    expect(userErrorMessage(() => checkModelParams(p, 'c.json'))).toBe('c.json: learning.homeoDown: expected 1 or 3 values (one per layer), got 2');
    expect(userErrorMessage(() => validateParam(LEARNING_SECTION, { homeoUp: [-1] }, 'c.json', 'learning'))).toMatch(/^c\.json: learning\.homeoUp\[0\]: /);
  });
  test('the first-order contrast needs {0,1} spikes; an unknown contrast names the values', () => {
    const p = defaults();
    p.learning.contrast = 'first-order';
    expect(() => checkModelParams(p, 'c.json')).not.toThrow();
    p.dynamics.encoding = 'spin';
    expect(userErrorMessage(() => checkModelParams(p, 'c.json'))).toBe('c.json: learning.contrast: "first-order" is built for {0,1} spikes: set dynamics.encoding to "binary" or learning.contrast to "product"');
    expect(userErrorMessage(() => validateParam(LEARNING_SECTION, { contrast: 'second-order' }, 'c.json', 'learning'))).toMatch(/^c\.json: learning\.contrast: expected one of "product", "first-order"/);
  });
});
