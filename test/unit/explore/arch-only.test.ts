/**
 * Architecture-only sweeps: every axis a chip, tech or mapping key, so the network trains once
 * and each point runs the test passes on its own cycle-accurate chip. The inference
 * figures must be the ones a full training of the point gives (checked against the
 * same sweep with --train-each, which trains every point on its chip), for any number
 * of workers, after a resume, and with given weights (against `bitspike run`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runSweep } from '../../../src/explore/sweep';
import { captureCli } from '../cli-capture';
import type { TrainIo } from '../../../src/train/train-run';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { builtCli } from './built';

beforeAll(() => void builtCli());

const dir = tempDir('arch-only');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = (): TrainIo & { text: string } => {
  const io = { text: '', out: (s: string) => void (io.text += s), err: (s: string) => void (io.text += s), progressStream: { write: () => true, isTTY: false } };
  return io;
};

const grid = ['chip.core.sram.wordBits=32,64', 'tech=hw/tech/28nm-bulk.json,hw/tech/7nm.json'];
// Two epochs: each point must repeat the test pass of both epochs, as a full training prices them.
const sets = ['run.mode=cycle', 'data.trainLimit=40', 'data.testLimit=20', 'run.epochs=2'];
const read = (f: string): unknown => JSON.parse(fs.readFileSync(f, 'utf8'));
type Row = Record<string, unknown>;

describe('architecture-only sweep', () => {
  const arch = path.join(dir, 'arch');
  let archText = '';
  beforeAll(async () => {
    const io = quiet();
    const s = await runSweep({ config, grid, sets, out: arch, workers: 1 }, io);
    expect(s.status).toBe('finished');
    archText = io.text;
  });

  test('trains once, says so, and each point runs inference on its chip', () => {
    expect(archText).toContain('architecture-only sweep: every axis is a chip, tech or mapping key');
    expect(fs.existsSync(path.join(arch, 'train', 'results.json'))).toBe(true);
    expect(fs.existsSync(path.join(arch, 'train', 'epoch-002.weights.bin'))).toBe(true);
    for (const p of ['p000', 'p003']) {
      const r = read(path.join(arch, p, 'results.json')) as { method: string; passes: number };
      expect([r.method, r.passes]).toEqual(['inference', 2]);
      // The cycle model's per-core file: the point ran on the chip.
      expect(fs.existsSync(path.join(arch, p, 'cores.csv'))).toBe(true);
      expect(fs.existsSync(path.join(arch, p, 'checkpoint.bin'))).toBe(false);
    }
  });

  test('every point has the accuracy, weights, energy per inference and latency a full training of that point gives', async () => {
    const full = path.join(dir, 'full');
    const io = quiet();
    expect((await runSweep({ config, grid, sets, out: full, workers: 2, trainEach: true }, io)).status).toBe('finished');
    expect(io.text).not.toContain('architecture-only');
    expect(fs.existsSync(path.join(full, 'train'))).toBe(false);
    const a = read(path.join(arch, 'sweep-results.json')) as Row[];
    const f = read(path.join(full, 'sweep-results.json')) as Row[];
    expect(a).toHaveLength(4);
    for (let k = 0; k < 4; k++) {
      const { energyPerTrainingSamplePJ: archTraining, ...archRest } = a[k] as Row;
      const { energyPerTrainingSamplePJ: fullTraining, ...fullRest } = f[k] as Row;
      expect(archRest).toEqual(fullRest);
      expect(archTraining).toBeNull();
      expect(typeof fullTraining).toBe('number');
      // The whole inference energy report, component by component, except the chip and tech file names.
      const ea = (read(path.join(arch, `p00${k}`, 'energy.json')) as { inference: Row }).inference;
      const ef = (read(path.join(full, `p00${k}`, 'energy.json')) as { inference: Row }).inference;
      expect({ ...ea, chip: null, tech: null }).toEqual({ ...ef, chip: null, tech: null });
    }
    // The chips differ: the points are not all the same.
    expect(new Set(a.map((r) => r['energyPerInferencePJ'])).size).toBe(4);
  });

  test('a placement axis (mapping.placement) is architecture-only too, and equals a full training of each point', async () => {
    const g = ['mapping.placement=snake,spread'];
    const one = ['run.mode=cycle', 'data.trainLimit=40', 'data.testLimit=20', 'run.epochs=1'];
    const io = quiet();
    const a = path.join(dir, 'place');
    expect((await runSweep({ config, grid: g, sets: one, out: a, workers: 2 }, io)).status).toBe('finished');
    expect(io.text).toContain('architecture-only sweep');
    const f = path.join(dir, 'place-full');
    expect((await runSweep({ config, grid: g, sets: one, out: f, workers: 2, trainEach: true }, quiet())).status).toBe('finished');
    const strip = (file: string): Row[] => (read(file) as Row[]).map(({ energyPerTrainingSamplePJ: _t, ...rest }) => rest);
    expect(strip(path.join(a, 'sweep-results.json'))).toEqual(strip(path.join(f, 'sweep-results.json')));
    // The placements differ on the chip: the link loads are not the same.
    expect(fs.readFileSync(path.join(a, 'p000', 'link-loads.csv'), 'utf8')).not.toBe(fs.readFileSync(path.join(a, 'p001', 'link-loads.csv'), 'utf8'));
  });

  test('sweep-results.json is the same bytes with 2 workers, and after a resume that stopped at the first point', async () => {
    const two = path.join(dir, 'two');
    expect((await runSweep({ config, grid, sets, out: two, workers: 2 }, quiet())).status).toBe('finished');
    expect(fs.readFileSync(path.join(two, 'sweep-results.json')).equals(fs.readFileSync(path.join(arch, 'sweep-results.json')))).toBe(true);

    const stopped = path.join(dir, 'stopped');
    let started = false;
    const s = await runSweep({ config, grid, sets, out: stopped, workers: 1 }, quiet(), { onPointStart: () => void (started = true), shouldStop: () => started });
    expect(s.status).toBe('interrupted');
    expect(fs.existsSync(path.join(stopped, 'train', 'results.json'))).toBe(true);
    const run = await captureCli(['sweep', '--resume', stopped, '--workers', '2']);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(stopped, 'sweep-results.json')).equals(fs.readFileSync(path.join(arch, 'sweep-results.json')))).toBe(true);
    // The resume did not train again.
    expect(fs.readFileSync(path.join(stopped, 'train', 'point.log'), 'utf8').match(/shared training starts/g)).toHaveLength(1);
  });

  test('a sweep stopped during its shared training resumes it from its checkpoint to the same results', async () => {
    const early = path.join(dir, 'early');
    // Stop at once: the training thread sees the stop flag after its first sample and writes a checkpoint.
    const s = await runSweep({ config, grid, sets, out: early, workers: 2 }, quiet(), { shouldStop: () => true });
    expect(s.status).toBe('interrupted');
    expect(['p000', 'p001', 'p002', 'p003'].map((p) => fs.existsSync(path.join(early, p, 'results.json')))).toEqual([false, false, false, false]);
    const run = await captureCli(['sweep', '--resume', early, '--workers', '2']);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(early, 'sweep-results.json')).equals(fs.readFileSync(path.join(arch, 'sweep-results.json')))).toBe(true);
    expect(fs.readFileSync(path.join(early, 'train', 'weights.bin')).equals(fs.readFileSync(path.join(arch, 'train', 'weights.bin')))).toBe(true);
  });

  test('--weights runs inference with the given weights, as `bitspike run --weights` does on the same chip', async () => {
    const weights = path.join(arch, 'train', 'weights.bin');
    const given = path.join(dir, 'given');
    const sweep = await captureCli(['sweep', config, '--grid', 'chip.core.sram.wordBits=32,64', ...sets.flatMap((s) => ['--set', s]), '--weights', weights, '--out', given, '--workers', '2']);
    expect([sweep.code, sweep.err]).toEqual([0, '']);
    expect(sweep.out).toContain('same weights (given, weights.bin)');
    expect(fs.existsSync(path.join(given, 'train'))).toBe(false);
    const rows = read(path.join(given, 'sweep-results.json')) as Row[];
    const trained = read(path.join(arch, 'sweep-results.json')) as Row[];
    expect(rows[1]!['weightsSha256']).toBe(trained[2]!['weightsSha256']);
    expect(rows[1]!['trainAccuracy']).toBeNull();
    const run = path.join(dir, 'run64');
    const r = await captureCli(['run', config, ...sets.flatMap((s) => ['--set', s]), '--set', 'chip.core.sram.wordBits=64', '--weights', weights, '--out', run]);
    expect(r.code).toBe(0);
    expect(rows[1]!['testAccuracy']).toBe((read(path.join(run, 'results.json')) as Row)['accuracy']);
    const er = (read(path.join(run, 'energy.json')) as { run: Row }).run;
    expect(rows[1]!['energyPerInferencePJ']).toBe(er['perSamplePJ']);
    expect(rows[1]!['latencyPerInferenceS']).toBe(er['latencyPerSampleS']);
  });

  test('bad input: --weights with a non-hardware axis, with faults, or for another network is refused in one line, no folder', async () => {
    const weights = path.join(arch, 'train', 'weights.bin');
    const out = path.join(dir, 'bad');
    const seedAxis = await captureCli(['sweep', config, '--grid', 'seed=1,2', '--weights', weights, '--out', out]);
    expect([seedAxis.code, seedAxis.err.trim()]).toEqual([2, `bitspike: --weights ${weights}: only an architecture-only sweep (every axis a chip, tech or mapping key, no faults) reuses weights, but the axis seed is not a chip, tech or mapping key`]);
    const faulty = await captureCli(['sweep', config, '--grid', 'chip.core.sram.wordBits=32,64', '--set', 'faults.weightStuckRate=0.01', '--weights', weights, '--out', out]);
    expect(faulty.code).toBe(2);
    expect(faulty.err).toMatch(/faults are injected/);
    const other = await captureCli(['sweep', config, '--grid', 'chip.core.sram.wordBits=32,64', '--set', 'network.hidden=[16]', '--weights', weights, '--out', out]);
    expect(other.code).toBe(2);
    expect(other.err.trim()).toMatch(new RegExp(`^bitspike: ${weights.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the weights are for a 784-24-10 network but .* describes 784-16-10$`));
    expect(fs.existsSync(out)).toBe(false);
  });
});
