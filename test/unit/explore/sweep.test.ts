import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkAxes, gridPoints, parseGridAxis, pointOverrides } from '../../../src/explore/grid';
import { seedSummaryCsv } from '../../../src/explore/seed-summary';
import { SWEEP_FAILED_EXIT, runSweep } from '../../../src/explore/sweep';
import { pointState } from '../../../src/explore/sweep-folder';
import { captureCli } from '../cli-capture';
import { runTraining, type TrainIo } from '../../../src/train/train-run';
import { UserError } from '../../../src/util/errors';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { builtCli } from './built';

beforeAll(() => void builtCli());

const dir = tempDir('sweep');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quiet = (): TrainIo & { text: string } => {
  const io = { text: '', out: (s: string) => void (io.text += s), err: (s: string) => void (io.text += s), progressStream: { write: () => true, isTTY: false } };
  return io;
};

describe('sweep grids', () => {
  test('axes are JSON arrays or comma-separated values', () => {
    expect(parseGridAxis('learning.theta=[[2],[4]]')).toEqual({ key: 'learning.theta', values: [[2], [4]] });
    expect(parseGridAxis('seed=1,2,3')).toEqual({ key: 'seed', values: [1, 2, 3] });
    expect(parseGridAxis('dynamics.encoding=binary,spin')).toEqual({ key: 'dynamics.encoding', values: ['binary', 'spin'] });
    expect(parseGridAxis('seed=7')).toEqual({ key: 'seed', values: [7] });
    expect(() => parseGridAxis('seed=[]')).toThrow('--grid seed=[]: no values');
    expect(() => checkAxes([parseGridAxis('seed=1'), parseGridAxis('seed=2')])).toThrow(UserError);
    expect(() => checkAxes([])).toThrow(/at least one --grid/);
  });

  test('the grid is the Cartesian product, last axis fastest, as --set overrides', () => {
    const axes = [parseGridAxis('a=1,2'), parseGridAxis('b=x,y,z')];
    const points = gridPoints(axes);
    expect(points).toEqual([[1, 'x'], [1, 'y'], [1, 'z'], [2, 'x'], [2, 'y'], [2, 'z']]);
    expect(pointOverrides(axes, points[4]!)).toEqual(['a=2', 'b="y"']);
  });
});

describe('bitspike sweep', () => {
  const grid = ['network.hidden=[[16],[24]]', 'seed=5,6'];
  const full = path.join(dir, 'full');
  beforeAll(async () => {
    await runSweep({ config, grid, epochs: 1, out: full, workers: 1 }, quiet());
  });

  test('sweep-results.json is the same bytes with 4 workers as with 1, whatever order the points finish in', async () => {
    const four = path.join(dir, 'four');
    const io = quiet();
    const s = await runSweep({ config, grid, epochs: 1, out: four, workers: 4 }, io);
    expect(s.status).toBe('finished');
    expect(io.text).toContain('4 at once');
    expect(fs.readFileSync(path.join(four, 'sweep-results.json')).equals(fs.readFileSync(path.join(full, 'sweep-results.json')))).toBe(true);
    for (const p of ['p000', 'p003']) expect(fs.readFileSync(path.join(four, p, 'weights.bin')).equals(fs.readFileSync(path.join(full, p, 'weights.bin')))).toBe(true);
  });

  test('one run folder and one row per point; each point equals a plain train run with its overrides', async () => {
    const csv = fs.readFileSync(path.join(full, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('point,network.hidden,seed,train_accuracy,test_accuracy,epochs,train_seconds,energy_per_training_sample_pj,energy_per_inference_pj,latency_per_inference_s,chip_area_mm2,sram_bits,run_folder');
    expect(csv).toHaveLength(5);
    expect(csv[3]!.startsWith('2,[24],5,')).toBe(true);
    const results = JSON.parse(fs.readFileSync(path.join(full, 'sweep-results.json'), 'utf8'));
    expect(results.map((r: { values: unknown }) => r.values)).toEqual([
      { 'network.hidden': [16], seed: 5 },
      { 'network.hidden': [16], seed: 6 },
      { 'network.hidden': [24], seed: 5 },
      { 'network.hidden': [24], seed: 6 },
    ]);
    const single = path.join(dir, 'single');
    await runTraining({ config, out: single, epochs: 1, sets: ['network.hidden=[24]', 'seed=6'] }, quiet());
    expect(fs.readFileSync(path.join(single, 'weights.bin')).equals(fs.readFileSync(path.join(full, 'p003', 'weights.bin')))).toBe(true);
  });

  test('an interrupted sweep keeps its finished points and resumes to the same results', async () => {
    const part = path.join(dir, 'part');
    // Stop as the second point starts: it trains one sample and stops with a checkpoint, the rest never start.
    const io = quiet();
    let secondStarted = false;
    const first = await runSweep({ config, grid, epochs: 1, out: part, workers: 1 }, io, {
      shouldStop: () => secondStarted,
      onPointStart: (k) => {
        if (k === 1) secondStarted = true;
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.rows).toHaveLength(1);
    expect([0, 1, 2, 3].map((k) => pointState(part, k))).toEqual(['done', 'partial', 'pending', 'pending']);
    expect(io.text).toContain(`resume with: bitspike sweep --resume ${part}`);
    expect(io.text).not.toContain('bitspike train --resume');
    const weights0 = fs.statSync(path.join(part, 'p000', 'weights.bin')).mtimeMs;
    const second = await runSweep({ resume: part, workers: 2 }, quiet());
    expect(fs.statSync(path.join(part, 'p000', 'weights.bin')).mtimeMs).toBe(weights0);
    expect(second.status).toBe('finished');
    expect(fs.readFileSync(path.join(part, 'sweep-results.json')).equals(fs.readFileSync(path.join(full, 'sweep-results.json')))).toBe(true);
  });

  test('a bad value anywhere in the grid is refused before any folder exists', async () => {
    const out = path.join(dir, 'bad');
    await expect(runSweep({ config, grid: ['network.hidden=[[16],[0]]'], out }, quiet())).rejects.toThrow(/^--set: network\.hidden\[0\]: expected a value in \[1, 65536\], got 0$/);
    await expect(runSweep({ config, grid: ['network.inputs=784,100'], out }, quiet())).rejects.toThrow(/network\.inputs: is 100 but the data has 784 bits/);
    expect(fs.existsSync(out)).toBe(false);
    await expect(runSweep({ resume: full, grid }, quiet())).rejects.toThrow(/a resumed sweep keeps its own config and grid/);
  });

  test('chip.* and tech.* keys sweep derived hardware files, recorded in the sweep folder (--train-each: every point trains on its chip)', async () => {
    const out = path.join(dir, 'hw');
    const s = await runSweep({ config, grid: ['chip.core.sram.wordBits=32,64', 'tech.sram.readAnchor.value=1,2'], epochs: 1, sets: ['data.trainLimit=20', 'data.testLimit=10'], out, workers: 2, trainEach: true }, quiet());
    expect(s.rows).toHaveLength(4);
    const files = fs.readdirSync(path.join(out, 'files')).sort();
    expect(files).toEqual(['p000-chip.json', 'p000-tech.json', 'p001-chip.json', 'p001-tech.json', 'p002-chip.json', 'p002-tech.json', 'p003-chip.json', 'p003-tech.json']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'files', 'p002-chip.json'), 'utf8')).core.sram.wordBits).toBe(64);
    const resolved = JSON.parse(fs.readFileSync(path.join(out, 'p002', 'config.resolved.json'), 'utf8'));
    expect(resolved.chip).toBe(path.join(out, 'files', 'p002-chip.json'));
    expect(resolved.tech).toBe(path.join(out, 'files', 'p002-tech.json'));
    // Half as many 64-bit words as 32-bit words are read for the same work.
    const reads = (p: string): number => JSON.parse(fs.readFileSync(path.join(out, p, 'counters.json'), 'utf8')).components['core.all'].counts.weightSramReads;
    expect(reads('p000')).toBeGreaterThan(reads('p002'));
    // The technology table's read anchor sets the price of a weight SRAM read.
    const price = (p: string): number => JSON.parse(fs.readFileSync(path.join(out, p, 'energy.json'), 'utf8')).run.pricesPJ['core.weightSramReads'];
    expect(price('p001')).toBeCloseTo(2 * price('p000'), 9);
    const rows = JSON.parse(fs.readFileSync(path.join(out, 'sweep-results.json'), 'utf8'));
    expect(rows[1].energyPerTrainingSamplePJ).toBeGreaterThan(rows[0].energyPerTrainingSamplePJ);
    expect(rows[1].energyPerInferencePJ).toBeGreaterThan(rows[0].energyPerInferencePJ);
    // An inference (free phase only, no learning) costs less than a training sample.
    expect(rows[0].energyPerInferencePJ).toBeLessThan(rows[0].energyPerTrainingSamplePJ);
    expect(rows[0].latencyPerInferenceS).toBeGreaterThan(0);
  });

  test('a bad hardware value is refused before any folder exists, naming the base file and the grid key', async () => {
    const out = path.join(dir, 'hw-bad');
    await expect(runSweep({ config, grid: ['chip.core.neurons=16,0'], out }, quiet())).rejects.toThrow(/default\.json \(with --grid chip\.core\.neurons\): core\.neurons: expected a value in \[1, 65536\], got 0$/);
    await expect(runSweep({ config, grid: ['chip.core.axons=2048,30'], sets: ['run.mode=cycle'], out }, quiet())).rejects.toThrow(/p001-chip\.json: mesh: the network needs 28 cores even split \(layer 1 in 27 segments\) .*core\.axons = 30\) but the 4x4 mesh has 16: 12 too many$/);
    expect(fs.existsSync(out)).toBe(false);
  });
});


describe('sweep bad input', () => {
  const small = ['seed=5,6,7'];
  const sets = ['data.trainLimit=20', 'data.testLimit=10'];

  test('a point that fails keeps its error in its folder, the others finish, the sweep exits 3; --resume retries only it', async () => {
    const out = path.join(dir, 'fails');
    // Stop at once: the first point stops with a checkpoint (or before), none other starts.
    await runSweep({ config, grid: small, sets, epochs: 1, out, workers: 1 }, quiet(), { shouldStop: () => true });
    const pointFile = path.join(out, 'p001', 'point.json');
    const good = fs.readFileSync(pointFile, 'utf8');
    const bad = JSON.parse(good);
    bad.network.hidden = [0];
    fs.writeFileSync(pointFile, JSON.stringify(bad));
    const run = await captureCli(['sweep', '--resume', out, '--workers', '2']);
    expect(run.code).toBe(SWEEP_FAILED_EXIT);
    expect(run.err).toMatch(/point 2\/3 seed=6: failed: .*p001\/point\.json: network\.hidden\[0\]: expected a value in \[1, 65536\], got 0/);
    expect(run.err).toContain('1 of 3 point(s) failed (p001;');
    expect(fs.readFileSync(path.join(out, 'p001', 'point-error.txt'), 'utf8')).toMatch(/network\.hidden\[0\]/);
    expect([0, 1, 2].map((k) => pointState(out, k))).toEqual(['done', 'failed', 'done']);
    const results = JSON.parse(fs.readFileSync(path.join(out, 'sweep-results.json'), 'utf8'));
    expect(results.map((r: { point: number }) => r.point)).toEqual([0, 2]);
    const kept = fs.statSync(path.join(out, 'p002', 'weights.bin')).mtimeMs;
    fs.writeFileSync(pointFile, good);
    const again = await captureCli(['sweep', '--resume', out]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('(2 already finished)');
    expect(fs.statSync(path.join(out, 'p002', 'weights.bin')).mtimeMs).toBe(kept);
    expect(fs.existsSync(path.join(out, 'p001', 'point-error.txt'))).toBe(false);
  });

  test('a resumed sweep whose config changed since it started is refused', async () => {
    const own = writeTinyConfig(dir, 'changing.json');
    const out = path.join(dir, 'changed');
    await runSweep({ config: own, grid: ['seed=5'], sets, epochs: 1, out, workers: 1 }, quiet(), { shouldStop: () => true });
    writeTinyConfig(dir, 'changing.json', { seed: 9 });
    const run = await captureCli(['sweep', '--resume', out]);
    expect(run.code).toBe(2);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(run.err).toContain(`${own}: the config (or the chip file or technology table it names) changed since the sweep in ${out} started`);
  });

  test('a resumed sweep whose chip file changed is refused, and keeps its finished point; restored, it resumes', async () => {
    const chip = path.join(dir, 'own-chip.json');
    const chipText = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'hw', 'chips', 'default.json'), 'utf8');
    fs.writeFileSync(chip, chipText);
    const own = writeTinyConfig(dir, 'own-chip-config.json', { chip });
    const out = path.join(dir, 'chip-changed');
    let second = false;
    const s = await runSweep({ config: own, grid: ['seed=5,6'], sets, epochs: 1, out, workers: 1 }, quiet(), { onPointStart: (k) => void (second = k === 1), shouldStop: () => second });
    expect(s.status).toBe('interrupted');
    expect(pointState(out, 0)).toBe('done');
    const results = fs.readFileSync(path.join(out, 'p000', 'results.json'));
    fs.writeFileSync(chip, `${chipText}\n`);
    const run = await captureCli(['sweep', '--resume', out]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`bitspike: ${own}: the config (or the chip file or technology table it names) changed since the sweep in ${out} started; restore it, or start a new sweep\n`);
    expect(fs.readFileSync(path.join(out, 'p000', 'results.json')).equals(results)).toBe(true);
    fs.writeFileSync(chip, chipText);
    const again = await captureCli(['sweep', '--resume', out]);
    expect(again.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'sweep-results.json'), 'utf8'))).toHaveLength(2);
  });

  test('Ctrl-C (SIGINT) stops every running point with a checkpoint, starts no other, and exits 130', async () => {
    const out = path.join(dir, 'sigint');
    // 100 epochs of the whole training set: a point cannot finish before the other has started, however loaded the machine.
    const child = spawn(process.execPath, [builtCli(), 'sweep', config, '--grid', 'seed=5,6,7', '--set', 'data.trainLimit=0', '--epochs', '100', '--workers', '2', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => void (err += b.toString()));
    const running = (k: string): boolean => fs.existsSync(path.join(out, k, 'point.log')) && fs.readFileSync(path.join(out, k, 'point.log'), 'utf8').includes('run folder:');
    while (!(running('p000') && running('p001'))) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(err).toContain('stopping: the running points finish their current sample');
    expect([0, 1, 2].map((k) => pointState(out, k))).toEqual(['partial', 'partial', 'pending']);
    expect(err).toContain(`resume with: bitspike sweep --resume ${out}`);
  });

  test('a sweep folder that cannot be written is refused in one line, and the command names the problem', async () => {
    for (const out of ['/proc/bitspike-sweep', '/sys/bitspike-sweep/x', path.join(config, 'sweep')]) {
      const run = await captureCli(['sweep', config, '--grid', 'seed=5', '--set', 'data.trainLimit=20', '--out', out]);
      expect(run.code).toBe(2);
      expect(run.err).toMatch(new RegExp(`^bitspike: ${out.replace(/[/.]/g, '\\$&')}: cannot [^\n]+\n$`));
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  test('sweep-point refuses a folder that is not a sweep, and a point that does not exist', async () => {
    expect((await captureCli(['sweep-point', dir, '--index', '0'])).err).toBe(`bitspike: ${dir}: not a sweep folder (no sweep.json)\n`);
    const run = await captureCli(['sweep-point', path.join(dir, 'full'), '--index', '4']);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`bitspike: ${path.join(dir, 'full')}: no point 4 (the sweep has points 0 to 3)\n`);
    const none = await captureCli(['sweep-point', path.join(dir, 'full')]);
    expect(none.err).toContain('give --index K');
  });
});

describe('seed summary', () => {
  test('groups points that differ only in the seed: mean and sample std', () => {
    const axes = [parseGridAxis('learning.theta=[[2],[4]]'), parseGridAxis('seed=1,2,3')];
    const acc = [0.8, 0.9, 1.0, 0.5, 0.5, 0.5];
    const points = gridPoints(axes).map((values, i) => ({ values, testAccuracy: acc[i]!, trainAccuracy: 1 - acc[i]! }));
    const lines = seedSummaryCsv(axes, points)!.trim().split('\n');
    expect(lines[0]).toBe('learning.theta,seeds,test_accuracy_mean,test_accuracy_std,train_accuracy_mean,train_accuracy_std');
    const first = lines[1]!.split(',');
    expect(first.slice(0, 2)).toEqual(['[2]', '3']);
    expect(Number(first[2])).toBeCloseTo(0.9, 12);
    expect(Number(first[3])).toBeCloseTo(0.1, 12);
    expect(lines[2]!.split(',').slice(0, 4).map(String)).toEqual(['[4]', '3', '0.5', '0']);
    expect(seedSummaryCsv([parseGridAxis('a=1,2')], [])).toBeNull();
  });

  test('a sweep over seeds writes sweep-summary.csv', () => {
    const lines = fs.readFileSync(path.join(dir, 'full', 'sweep-summary.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.startsWith('[16],2,')).toBe(true);
  });
});
