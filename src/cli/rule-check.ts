/** `bitspike rule-check`: compare the chip's integer updates with float EP and with true gradients (BPTT, straight-through). */
import type { Argv, CommandModule } from 'yargs';
import { runRuleCheck } from '../lab/rule-check-run';
import type { Nudging } from '../lab/rule-check';
import { UserError } from '../util/errors';
import { out } from './output';

interface RuleCheckArgs {
  config?: string;
  set?: string[];
  weights?: string;
  samples: number;
  split: 'train' | 'test';
  beta: string;
  nudging: string;
  epoch: number;
  out?: string;
}

function parseBetas(text: string): number[] {
  const vs = text.split(',').map((s) => s.trim());
  const nums = vs.map(Number);
  const bad = vs.find((s, i) => s === '' || !Number.isFinite(nums[i]) || (nums[i] as number) <= 0);
  if (bad !== undefined) throw new UserError(`--beta: expected comma-separated positive numbers, got ${JSON.stringify(bad)} in ${JSON.stringify(text)}`);
  return nums;
}

function parseNudgings(text: string): Nudging[] {
  const vs = text.split(',').map((s) => s.trim());
  const bad = vs.find((s) => s !== 'one-sided' && s !== 'symmetric');
  if (bad !== undefined) throw new UserError(`--nudging: expected one-sided, symmetric or both (comma-separated), got ${JSON.stringify(bad)}`);
  return [...new Set(vs)] as Nudging[];
}

function f(v: number | null): string {
  return v === null ? '   -  ' : v.toFixed(3).padStart(6);
}

/** The rule-check command. */
export const command: CommandModule<object, RuleCheckArgs> = {
  command: 'rule-check [config]',
  describe: 'compare the chip rule\'s weight updates with float EP and with BPTT / straight-through gradients, per layer, over a beta sweep',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (JSON; default configs/mnist-default.json)' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set key.path=value (repeatable)' })
      .option('weights', { type: 'string', describe: 'weights.bin or checkpoint.bin of a trained network (default: the fresh network of the seed)' })
      .option('samples', { type: 'number', default: 100, describe: 'number of samples (the first N of the split)' })
      .option('split', { choices: ['train', 'test'] as const, default: 'train' as const, describe: 'which split the samples come from' })
      .option('beta', { type: 'string', default: '0.01,0.05,0.25,1,2,4', describe: 'nudge strengths to sweep (comma-separated); the integer rule uses the nearest power of two' })
      .option('nudging', { type: 'string', default: 'one-sided,symmetric', describe: 'one-sided, symmetric, or both' })
      .option('epoch', { type: 'number', default: 1, describe: 'the 1-based training epoch the chip\'s rule runs at (a growing threshold, learning.thetaGrowth, depends on it)' })
      .option('out', { type: 'string', describe: 'folder to write (default: runs/<config>-rule-check-<seed>-<time>)' })
      .example('$0 rule-check', 'fresh default network, 100 samples, both nudgings, the default beta sweep')
      .example('$0 rule-check --weights runs/x/weights.bin --beta 0.5,2 --nudging symmetric', 'a trained network at two nudge strengths') as unknown as Argv<RuleCheckArgs>,
  handler: (a) => {
    const { dir, result, seconds } = runRuleCheck(
      {
        ...(a.config !== undefined ? { config: a.config } : {}),
        sets: a.set ?? [],
        ...(a.weights !== undefined ? { weights: a.weights } : {}),
        samples: a.samples,
        split: a.split,
        betas: parseBetas(a.beta),
        nudgings: parseNudgings(a.nudging),
        epoch: a.epoch,
        ...(a.out !== undefined ? { out: a.out } : {}),
      },
      out,
    );
    out('cosine of the summed updates (ep-bptt: float EP vs BPTT; chip-*: the integer rule)\n');
    out('nudging     beta    layer  ep-bptt chip-ep chip-bptt chip-ste\n');
    const get = (b: number, nd: string, l: number, x: string, y: string): number | null =>
      result.pairs.find((r) => r.beta === b && r.nudging === nd && r.layer === l && r.a === x && r.b === y)?.cosine ?? null;
    const layers = [...new Set(result.pairs.map((r) => r.layer))];
    for (const nd of [...new Set(result.pairs.map((r) => r.nudging))]) {
      for (const b of [...new Set(result.pairs.map((r) => r.beta))]) {
        for (const l of layers) {
          out(`${nd.padEnd(10)} ${String(b).padStart(6)} ${String(l).padStart(6)}  ${f(get(b, nd, l, 'ep', 'bptt'))}  ${f(get(b, nd, l, 'chip', 'ep'))}  ${f(get(b, nd, l, 'chip', 'bptt'))}   ${f(get(b, nd, l, 'chip', 'ste'))}\n`);
        }
      }
    }
    out(`${result.samples} samples in ${seconds.toFixed(1)} CPU s; wrote ${dir}\n`);
  },
};
