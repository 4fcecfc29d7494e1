/**
 * `bitspike rule-check` as a library call: load the experiment, the network state (a
 * weights or checkpoint file, or the fresh network of the seed) and the first N samples
 * of a split, run the check (./rule-check.ts) and write its folder:
 *   rule-check.csv       one row per (beta, nudging, layer, pair): agreement figures
 *   rule-check-chip.csv  one row per (beta, nudging, layer): registers moved, weight flips
 *   rule-check.json      the request and both tables (deterministic)
 *   timing.json          CPU and wall seconds
 * Every argument is checked before any work or any file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadExperiment } from '../config/experiment';
import type { Experiment } from '../config/experiment';
import { loadData } from '../data/load-data';
import type { NetworkSnapshot } from '../learning/engine';
import { initialSnapshot } from '../learning/init';
import { layerSizes } from '../learning/params';
import { toCsv } from '../report/csv';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { decodeCheckpoint } from '../store/checkpoint';
import { decodeSnapshot } from '../store/weights-file';
import { checkRunDirFree, defaultRunDir } from '../train/run-folder';
import { checkDataFitsNetwork } from '../train/train-run';
import { UserError } from '../util/errors';
import { ruleCheck } from './rule-check';
import type { Nudging, RuleCheckResult } from './rule-check';

/** What the command asks for. */
export interface RuleCheckRunRequest {
  config?: string;
  sets?: readonly string[];
  weights?: string;
  samples: number;
  split: 'train' | 'test';
  betas: readonly number[];
  nudgings: readonly Nudging[];
  /** 1-based epoch whose schedule (learning.thetaGrowth) the chip's rule runs at; default 1. */
  epoch?: number;
  out?: string;
}

/** Files of a rule-check folder. */
export const RULE_CHECK_FILES = { pairs: 'rule-check.csv', chip: 'rule-check-chip.csv', json: 'rule-check.json', timing: 'timing.json' } as const;

/** The network state in a weights file or a checkpoint, refused when it belongs to another network. */
export function readNetworkState(file: string, exp: Experiment): NetworkSnapshot {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new UserError(`${file}: cannot read the weights file`);
  }
  const magic = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  const snap = magic === 'BSPKCKPT' ? decodeCheckpoint(bytes, file).snapshot : decodeSnapshot(bytes, file);
  const want = layerSizes(exp.config.network).join('-');
  if (snap.layers.join('-') !== want) {
    throw new UserError(`${file}: the weights are for a ${snap.layers.join('-')} network but ${exp.label} describes ${want} (network)`);
  }
  return snap;
}

function fmt(v: number | null): string | number {
  return v === null ? '' : Number(v.toPrecision(6));
}

/** Run the check and write its folder; returns the folder and the result. */
export function runRuleCheck(req: RuleCheckRunRequest, out: (s: string) => void): { dir: string; result: RuleCheckResult; seconds: number } {
  if (!Number.isInteger(req.samples) || req.samples < 1) throw new UserError(`--samples: expected an integer >= 1, got ${req.samples}`);
  if (req.betas.length === 0 || req.betas.some((b) => !Number.isFinite(b) || b <= 0)) throw new UserError(`--beta: expected positive numbers, got ${req.betas.join(',')}`);
  if (req.nudgings.length === 0) throw new UserError('--nudging: expected one-sided, symmetric or both');
  const epoch = req.epoch ?? 1;
  if (!Number.isInteger(epoch) || epoch < 1) throw new UserError(`--epoch: expected an integer >= 1, got ${req.epoch}`);
  const exp = loadExperiment(req.config, req.sets ?? []);
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const snapshot = req.weights !== undefined ? readNetworkState(path.resolve(req.weights), exp) : initialSnapshot(model, cfg.seed);
  const data = loadData(cfg.data, cfg.seed);
  checkDataFitsNetwork(exp, data);
  const set = req.split === 'train' ? data.train : data.test;
  const n = Math.min(req.samples, set.count);
  const dir = req.out !== undefined ? path.resolve(req.out) : defaultRunDir(path.resolve(cfg.run.outDir), `${exp.name}-rule-check`, cfg.seed, new Date());
  checkRunDirFree(dir);

  out(`rule check of ${exp.name}: ${layerSizes(cfg.network).join('-')} ${cfg.learning.rule} rule, ${req.weights !== undefined ? req.weights : `fresh network (seed ${cfg.seed})`}, ${n} ${req.split} samples, beta ${req.betas.join(', ')}, ${req.nudgings.join(' and ')}${epoch !== 1 ? `, at epoch ${epoch}` : ''}\n`);
  const cpu0 = process.cpuUsage();
  const wall0 = Date.now();
  const result = ruleCheck({
    model,
    float: cfg.float,
    snapshot,
    inputs: set.rows.slice(0, n),
    labels: set.labels.subarray(0, n),
    betas: req.betas,
    nudgings: req.nudgings,
    epoch: epoch - 1,
  });
  const cpu = process.cpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  const wall = (Date.now() - wall0) / 1000;

  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`${dir}: cannot create the output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const pairHeader = ['beta', 'int_beta', 'nudging', 'layer', 'a', 'b', 'sign_agreement', 'cosine', 'cosine_per_sample', 'relative_magnitude'];
  writeFileAtomic(
    path.join(dir, RULE_CHECK_FILES.pairs),
    toCsv(pairHeader, result.pairs.map((r) => [r.beta, r.intBeta, r.nudging, r.layer, r.a, r.b, fmt(r.signAgreement), fmt(r.cosine), fmt(r.cosinePerSample), fmt(r.relativeMagnitude)])),
  );
  writeFileAtomic(
    path.join(dir, RULE_CHECK_FILES.chip),
    toCsv(
      ['beta', 'int_beta', 'nudging', 'layer', 'synapses', 'registers_up', 'registers_down', 'weight_flips'],
      result.chip.map((r) => [r.beta, r.intBeta, r.nudging, r.layer, r.synapses, r.registersUp, r.registersDown, r.weightFlips]),
    ),
  );
  writeJsonAtomic(path.join(dir, RULE_CHECK_FILES.json), {
    config: exp.file,
    network: layerSizes(cfg.network),
    rule: cfg.learning.rule,
    weights: req.weights !== undefined ? path.resolve(req.weights) : null,
    seed: cfg.seed,
    split: req.split,
    samples: n,
    betas: req.betas,
    nudgings: req.nudgings,
    epoch,
    floatSteps: { free: cfg.float.freeSteps, nudged: cfg.float.nudgedSteps },
    pairs: result.pairs,
    chip: result.chip,
  });
  writeJsonAtomic(path.join(dir, RULE_CHECK_FILES.timing), { cpuSeconds: seconds, wallSeconds: wall });
  return { dir, result, seconds };
}
