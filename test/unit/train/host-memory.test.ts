/**
 * Limits before work: a mesh and network whose estimated host memory exceeds the
 * budget are refused before anything is built or written (src/train/host-memory.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../../src/config/experiment';
import { createEngine } from '../../../src/train/engine-factory';
import {
  BASE_BYTES,
  checkHostMemory,
  DEFAULT_BUDGET_FRACTION,
  estimateHostBytes,
  memoryBudgetBytes,
  PER_SYNAPSE_BYTES,
  PER_SYNAPSE_INFERENCE_BYTES,
  PER_THREAD_BYTES,
  PER_THREAD_TILE_BYTES,
  PER_TILE_BYTES,
  PER_TILE_INFERENCE_BYTES,
} from '../../../src/train/host-memory';
import { UserError } from '../../../src/util/errors';
import { builtCli, ROOT } from '../../process/built-cli';

const huge = ['chip.mesh.width=1000', 'chip.mesh.height=1000'];

describe('host memory budget', () => {
  test('the estimate: BASE + PER_TILE x tiles (cycle mode) + PER_SYNAPSE x synapses', () => {
    const cfg = loadExperiment(defaultConfigFile(), []).config;
    const chip = loadChipFile(cfg.chip);
    // 784-512-100: 784 x 512 + 512 x 100 = 452,608 synapses; the default chip has 4 x 4 tiles.
    expect(estimateHostBytes(cfg, chip)).toBe(BASE_BYTES + 16 * PER_TILE_BYTES + 452608 * PER_SYNAPSE_BYTES);
    expect(estimateHostBytes(cfg, null)).toBe(BASE_BYTES + 452608 * PER_SYNAPSE_BYTES);
  });

  test('inference (bitspike run) and extra threads have their own terms', () => {
    const cfg = loadExperiment(defaultConfigFile(), []).config;
    const chip = loadChipFile(cfg.chip);
    expect(estimateHostBytes(cfg, chip, { inferenceOnly: true })).toBe(BASE_BYTES + 16 * PER_TILE_INFERENCE_BYTES + 452608 * PER_SYNAPSE_INFERENCE_BYTES);
    expect(estimateHostBytes(cfg, chip, { inferenceOnly: true })).toBeLessThan(estimateHostBytes(cfg, chip));
    const two = loadExperiment(defaultConfigFile(), ['run.threads=2']).config;
    expect(estimateHostBytes(two, chip)).toBe(estimateHostBytes(cfg, chip) + PER_THREAD_BYTES + 16 * PER_THREAD_TILE_BYTES);
    expect(estimateHostBytes(two, chip, { inferenceOnly: true })).toBe(estimateHostBytes(cfg, chip, { inferenceOnly: true }) + PER_THREAD_BYTES + 16 * PER_THREAD_TILE_BYTES);
    // The functional model runs on one thread whatever run.threads says (validate checks the chip's fit with it).
    expect(estimateHostBytes(two, null)).toBe(estimateHostBytes(cfg, null));
  });

  test('a budget that fits inference but not training: bitspike run runs, bitspike train is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-hostmem-'));
    try {
      // 16x16 tiles, 784-512-100: training 140 + 256 x 40 KiB + 452,608 x 20 B = 158.6 MiB; inference 140 + 256 x 12 KiB + 452,608 x 2 B = 143.9 MiB.
      const sets = ['chip.mesh.width=16', 'chip.mesh.height=16', 'run.memoryBudget=150'].flatMap((s) => ['--set', s]);
      const train = spawnSync(process.execPath, [builtCli(), 'train', '--out', path.join(dir, 't'), ...sets], { encoding: 'utf8', cwd: dir });
      expect(train.status).toBe(2);
      expect(train.stderr).toMatch(/mesh: 16x16 tiles with 452608 synapses need an estimated 0\.15 GiB of host memory, over the budget of 0\.15 GiB \(run\.memoryBudget 150 MiB\)\n$/);
      expect(fs.existsSync(path.join(dir, 't'))).toBe(false);
      const run = spawnSync(process.execPath, [builtCli(), 'run', '--limit', '2', '--out', path.join(dir, 'r'), ...sets], { encoding: 'utf8', cwd: dir });
      expect([run.status, run.stderr]).toEqual([0, '']);
      expect(fs.existsSync(path.join(dir, 'r', 'results.json'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the budget defaults to half of os.totalmem and run.memoryBudget sets it in MiB', () => {
    expect(DEFAULT_BUDGET_FRACTION).toBe(0.5);
    expect(memoryBudgetBytes(loadExperiment(defaultConfigFile(), []).config)).toBe(Math.floor(0.5 * os.totalmem()));
    expect(memoryBudgetBytes(loadExperiment(defaultConfigFile(), ['run.memoryBudget=300']).config)).toBe(300 * 2 ** 20);
  });

  test('a 1000x1000 mesh is refused in seconds with the estimate and the budget, before the chip is built', () => {
    const exp = loadExperiment(defaultConfigFile(), [...huge, 'run.memoryBudget=8192']);
    const t0 = Date.now();
    let err: unknown;
    try {
      createEngine(exp.config, exp.label);
    } catch (e) {
      err = e;
    }
    // Building this chip took 23 s and 837 MB before; the estimate takes milliseconds (10 s: a loaded machine).
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(UserError);
    const m = (err as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    // 140 MiB + 10^6 x 40 KiB + 452,608 x 20 B = 38.29 GiB
    expect(m).toMatch(/\.json: mesh: 1000x1000 tiles with 452608 synapses need an estimated 38\.29 GiB of host memory, over the budget of 8\.00 GiB \(run\.memoryBudget 8192 MiB\)$/);
  });

  test('with the default budget a 1000x1000 mesh is refused exactly when its estimate exceeds half of this machine', () => {
    const exp = loadExperiment(defaultConfigFile(), huge);
    const chip = loadChipFile(exp.config.chip);
    const over = estimateHostBytes(exp.config, chip) > 0.5 * os.totalmem();
    const check = () => checkHostMemory(exp.config, chip, exp.label);
    if (over) expect(check).toThrow(/over the budget of .* \(half of this machine's .* GiB; set run\.memoryBudget \(MiB\) to change it\)$/);
    else expect(check).not.toThrow();
  });

  test.each(['hw/chips/default.json', 'hw/chips/truenorth-like.json'])('%s with the default network passes the default budget', (chipFile) => {
    const exp = loadExperiment(defaultConfigFile(), [`chip=${path.join(ROOT, chipFile)}`]);
    const chip = loadChipFile(exp.config.chip);
    // Under 320 MiB (64x64: 140 MiB + 4096 x 40 KiB + 452,608 x 20 B = 308.6 MiB), so any machine with 640 MiB runs them.
    expect(estimateHostBytes(exp.config, chip)).toBeLessThan(320 * 2 ** 20);
    expect(() => checkHostMemory(exp.config, chip, exp.label)).not.toThrow();
  });

  test('a tight run.memoryBudget refuses even the default chip, naming the knob; the functional model needs no mesh', () => {
    const exp = loadExperiment(defaultConfigFile(), ['run.memoryBudget=100']);
    // 140 MiB + 16 x 40 KiB + 452,608 x 20 B = 149.3 MiB = 0.15 GiB
    expect(() => createEngine(exp.config, exp.label)).toThrow(/mesh: 4x4 tiles with 452608 synapses need an estimated 0\.15 GiB of host memory, over the budget of 0\.10 GiB \(run\.memoryBudget 100 MiB\)$/);
    const fn = loadExperiment(defaultConfigFile(), ['run.memoryBudget=200', 'run.mode=functional']);
    expect(() => createEngine(fn.config, fn.label)).not.toThrow();
  });

  test.each(['train', 'run'])('bitspike %s refuses a 1000x1000 mesh with exit 2 and one line, before any folder is written', (cmd) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-hostmem-'));
    try {
      const out = path.join(dir, 'run');
      const r = spawnSync(process.execPath, [builtCli(), cmd, '--out', out, ...huge.flatMap((s) => ['--set', s]), '--set', 'run.memoryBudget=8192'], { encoding: 'utf8', cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      // train: 140 MiB + 10^6 x 40 KiB + 452,608 x 20 B; run (inference only): 140 MiB + 10^6 x 12 KiB + 452,608 x 2 B
      expect(r.stderr).toMatch(cmd === 'train' ? /need an estimated 38\.29 GiB of host memory, over the budget of 8\.00 GiB/ : /need an estimated 11\.58 GiB of host memory, over the budget of 8\.00 GiB/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
