import { defaultOf } from '../../../src/config/param';
import { NETWORK_SECTION } from '../../../src/learning/params';
import type { NetworkParams } from '../../../src/learning/params';
import { FloatEpNetwork } from '../../../src/model/float-ep';
import { FLOAT_SECTION } from '../../../src/model/float-params';
import type { FloatParams } from '../../../src/model/float-params';
import { mnistSubset } from './mnist-subset';

function run(fp: FloatParams, seed: number): { acc: number; net: FloatEpNetwork } {
  const network: NetworkParams = { ...(defaultOf(NETWORK_SECTION) as NetworkParams), hidden: [64] };
  const net = new FloatEpNetwork(network, fp, seed);
  const train = mnistSubset(0, 40);
  const test = mnistSubset(700, 730);
  const x = new Float32Array(784);
  for (let e = 0; e < 2; e++) {
    for (let i = 0; i < train.y.length; i++) {
      train.x[i]!.forEach((v, j) => (x[j] = v >= 0.5 ? 1 : 0));
      net.runSample(x, train.y[i]!, true, i % 3 === 0 ? -1 : 1);
    }
  }
  let ok = 0;
  for (let i = 0; i < test.y.length; i++) {
    test.x[i]!.forEach((v, j) => (x[j] = v >= 0.5 ? 1 : 0));
    if (net.runSample(x, test.y[i]!, false, 1) === test.y[i]) ok++;
  }
  return { acc: ok / test.y.length, net };
}

describe('float EP reference', () => {
  test('learns MNIST digits well above chance (symmetric nudging)', () => {
    const fp = defaultOf(FLOAT_SECTION) as FloatParams;
    expect(run(fp, 1).acc).toBeGreaterThan(0.6);
  });
  test('one-sided nudging learns too, and a seed fixes the result', () => {
    const fp = { ...(defaultOf(FLOAT_SECTION) as FloatParams), symmetric: false };
    const a = run(fp, 2).acc;
    expect(a).toBeGreaterThan(0.5);
    expect(run(fp, 2).acc).toBe(a);
  });
  test('without learning, accuracy stays near chance', () => {
    const fp = { ...(defaultOf(FLOAT_SECTION) as FloatParams), lr: [1e-12] };
    expect(run(fp, 1).acc).toBeLessThan(0.3);
  });
});
