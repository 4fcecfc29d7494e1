import * as fs from 'fs';
import * as path from 'path';
import { defaultOf } from '../../../src/config/param';
import { binarySteGrad, floatBpttGrad } from '../../../src/lab/float-bptt';
import { integerBeta, latentWeights, ruleCheck } from '../../../src/lab/rule-check';
import { initialSnapshot } from '../../../src/learning/init';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION, layerSizes } from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { FLOAT_SECTION } from '../../../src/model/float-params';
import type { FloatParams } from '../../../src/model/float-params';
import { rngStream } from '../../../src/util/rng';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';

const SEED = 7;

function smallModel(): ModelParams {
  return {
    network: { ...(defaultOf(NETWORK_SECTION) as ModelParams['network']), inputs: 40, hidden: [20], classes: 3, replicas: 2 },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as ModelParams['dynamics']), kFwd: [40, 40], kBwd: [40] },
    learning: defaultOf(LEARNING_SECTION) as ModelParams['learning'],
  };
}

function samples(n: number, bits: number): { inputs: Uint32Array[]; labels: number[] } {
  const rng = rngStream(SEED, 'rule-check-samples');
  const inputs = Array.from({ length: n }, () => {
    const v = new Uint32Array((bits + 31) >>> 5);
    for (let j = 0; j < bits; j++) if (rng.below(2) === 1) v[j >>> 5] = (v[j >>> 5] as number) | (1 << (j & 31));
    return v;
  });
  return { inputs, labels: Array.from({ length: n }, () => rng.below(3)) };
}

describe('rule check', () => {
  // Ernoult et al. 2019 / Laborieux et al. 2021: for small beta, EP's update is the BPTT gradient.
  test('the float EP reference matches BPTT at beta = 0.01: cosine > 0.9 per layer, both nudgings', () => {
    const model = smallModel();
    const float = defaultOf(FLOAT_SECTION) as FloatParams;
    const { inputs, labels } = samples(10, 40);
    const r = ruleCheck({ model, float, snapshot: initialSnapshot(model, SEED), inputs, labels, betas: [0.01, 2], nudgings: ['one-sided', 'symmetric'] });
    for (const nudging of ['one-sided', 'symmetric'] as const) {
      for (const layer of [1, 2]) {
        const row = r.pairs.find((p) => p.beta === 0.01 && p.nudging === nudging && p.layer === layer && p.a === 'ep' && p.b === 'bptt')!;
        expect([nudging, layer, row.cosine! > 0.9, row.cosinePerSample! > 0.9, Math.abs(row.relativeMagnitude! - 1) < 0.1]).toEqual([nudging, layer, true, true, true]);
        // A large nudge is biased: the agreement drops (so the check can fail).
        const big = r.pairs.find((p) => p.beta === 2 && p.nudging === nudging && p.layer === layer && p.a === 'ep' && p.b === 'bptt')!;
        expect(big.cosine!).toBeLessThan(row.cosine!);
      }
    }
    // The chip's statistics: a register moves only where a weight could flip, counts are consistent.
    for (const c of r.chip) expect(c.weightFlips).toBeLessThanOrEqual(c.registersUp + c.registersDown);
    expect(r.chip.some((c) => c.registersUp + c.registersDown > 0)).toBe(true);
  });

  test('the chip\'s rule runs at the epoch asked for: a grown threshold flips fewer weights, the registers move alike', () => {
    const base = smallModel();
    const model: ModelParams = { ...base, learning: { ...base.learning, theta: [0], thetaGrowth: 20, thetaGrowthFrom: 2 } as ModelParams['learning'] };
    const float = defaultOf(FLOAT_SECTION) as FloatParams;
    const { inputs, labels } = samples(10, 40);
    const at = (epoch?: number) =>
      ruleCheck({ model, float, snapshot: initialSnapshot(model, SEED), inputs, labels, betas: [2], nudgings: ['symmetric'], ...(epoch !== undefined ? { epoch } : {}) }).chip;
    const first = at();
    const third = at(2); // theta 0 + 20 * 2, capped at 30 for 6-bit counters
    expect(at(0)).toEqual(first);
    expect(third.map((c) => [c.registersUp, c.registersDown])).toEqual(first.map((c) => [c.registersUp, c.registersDown]));
    expect(first.reduce((n, c) => n + c.weightFlips, 0)).toBeGreaterThan(0);
    expect(third.reduce((n, c) => n + c.weightFlips, 0)).toBeLessThan(first.reduce((n, c) => n + c.weightFlips, 0));
  });

  test('BPTT gradients agree with finite differences of the loss', () => {
    const model = smallModel();
    const sizes = layerSizes(model.network);
    const { Wt, b } = latentWeights(model, initialSnapshot(model, SEED));
    const { inputs, labels } = samples(1, 40);
    const x = Array.from({ length: 40 }, (_, j) => ((inputs[0]![j >>> 5]! >>> (j & 31)) & 1));
    const steps = 12;
    const loss = (W: Float32Array[]): number => {
      // Loss from the gradient routine's own forward pass: C = 1/2 |y - s_L|^2 (recomputed here plainly).
      let s = sizes.map((n, l) => (l === 0 ? Float64Array.from(x) : new Float64Array(n)));
      for (let t = 0; t < steps; t++) {
        const nx = s.map((v) => Float64Array.from(v));
        for (let l = 1; l < sizes.length; l++) {
          const n = sizes[l]!;
          for (let i = 0; i < n; i++) {
            let a = b[l - 1]![i]!;
            for (let j = 0; j < sizes[l - 1]!; j++) a += W[l - 1]![j * n + i]! * s[l - 1]![j]!;
            if (l + 1 < sizes.length) for (let k = 0; k < sizes[l + 1]!; k++) a += W[l]![i * sizes[l + 1]! + k]! * s[l + 1]![k]!;
            nx[l]![i] = Math.min(1, Math.max(0, a));
          }
        }
        s = nx;
      }
      const out = s[sizes.length - 1]!;
      let c = 0;
      for (let i = 0; i < out.length; i++) c += 0.5 * ((Math.floor(i / 2) === labels[0] ? 1 : 0) - out[i]!) ** 2;
      return c;
    };
    const g = floatBpttGrad(sizes, Wt, b, x, labels[0]!, 2, steps);
    const rng = rngStream(SEED, 'fd-picks');
    for (let trial = 0; trial < 12; trial++) {
      const l = rng.below(2);
      const k = rng.below(Wt[l]!.length);
      const h = 1e-3;
      const plus = Wt.map((w) => Float32Array.from(w));
      const minus = Wt.map((w) => Float32Array.from(w));
      plus[l]![k] = plus[l]![k]! + h;
      minus[l]![k] = minus[l]![k]! - h;
      const fd = (loss(plus) - loss(minus)) / (plus[l]![k]! - minus[l]![k]!);
      expect(Math.abs(fd - g[l]![k]!)).toBeLessThan(1e-3 + 0.05 * Math.abs(fd));
    }
  });

  test('the straight-through estimate is zero when no neuron is in its linear range', () => {
    const model = smallModel();
    const sizes = layerSizes(model.network);
    const { signs, bias } = latentWeights(model, initialSnapshot(model, SEED));
    const g = binarySteGrad({ sizes, signs, fwd: [0, 0], bwd: [0, 0], bias: bias.map((v) => v.map(() => -5)), gamma: 0.5, threshold: 0.5, reset: 0, spin: false, replicas: 2 }, new Array(40).fill(1), 0, 5);
    expect(g.every((v) => v.every((x) => x === 0))).toBe(true);
  });

  test('integer beta is the nearest power of two within the shift range', () => {
    expect([integerBeta(0.01), integerBeta(0.3), integerBeta(2), integerBeta(1e-9), integerBeta(1e9)]).toEqual([2 ** -7, 0.25, 2, 2 ** -8, 256]);
  });

  test('bitspike rule-check writes its folder; bad input is a one-line error, exit 2, no folder', async () => {
    const dir = tempDir('rule-check');
    const cfg = writeTinyConfig(dir);
    const out = path.join(dir, 'rc');
    const ok = await captureCli(['rule-check', cfg, '--samples', '3', '--beta', '0.01,2', '--out', out]);
    expect([ok.code, ok.err]).toEqual([0, '']);
    const csv = fs.readFileSync(path.join(out, 'rule-check.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('beta,int_beta,nudging,layer,a,b,sign_agreement,cosine,cosine_per_sample,relative_magnitude');
    expect(csv.length).toBe(1 + 2 * 2 * 2 * 6);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'rule-check.json'), 'utf8')) as { samples: number; epoch: number; chip: unknown[] };
    expect([json.samples, json.epoch, json.chip.length]).toEqual([3, 1, 2 * 2 * 2]);
    const later = path.join(dir, 'later');
    const at3 = await captureCli(['rule-check', cfg, '--samples', '1', '--beta', '2', '--nudging', 'symmetric', '--epoch', '3', '--out', later]);
    expect(at3.out).toContain('symmetric, at epoch 3');
    expect((JSON.parse(fs.readFileSync(path.join(later, 'rule-check.json'), 'utf8')) as { epoch: number }).epoch).toBe(3);
    // bitspike report draws it: one chart per layer and nudging, a line per pair; several folders compare.
    expect((await captureCli(['report', out])).code).toBe(0);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('cosine of the summed updates, weight layer 2, symmetric nudging');
    expect(html).toContain('chip-bptt');
    const page = path.join(dir, 'cmp.html');
    expect((await captureCli(['report', out, out, '--out', page])).code).toBe(0);
    expect(fs.readFileSync(page, 'utf8')).toContain('chip-ep cosine, weight layer 1, one-sided nudging');
    const bad = async (args: string[], msg: RegExp): Promise<void> => {
      const o = path.join(dir, `bad-${Math.random().toString(36).slice(2)}`);
      const r = await captureCli(['rule-check', cfg, '--out', o, ...args]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(fs.existsSync(o)).toBe(false);
    };
    await bad(['--beta', '0.5,x'], /--beta: .*"x"/);
    await bad(['--nudging', 'both'], /--nudging: .*"both"/);
    await bad(['--samples', '0'], /--samples/);
    await bad(['--epoch', '0'], /--epoch: expected an integer >= 1, got 0/);
    await bad(['--set', 'learning.rule=oja'], /learning\.rule: expected one of "counter"/);
    const weights = path.join(dir, 'w.bin');
    const { encodeSnapshot } = await import('../../../src/store/weights-file');
    const m = { network: { inputs: 784, hidden: [16], classes: 10, replicas: 1 }, dynamics: defaultOf(DYNAMICS_SECTION), learning: defaultOf(LEARNING_SECTION) } as ModelParams;
    fs.writeFileSync(weights, encodeSnapshot(initialSnapshot(m, 1)));
    await bad(['--weights', weights], /w\.bin: the weights are for a 784-16-10 network but .* describes 784-24-10/);
  });
});
