/**
 * The Slurm executor against a real single-node Slurm (slurmctld + slurmd + munged,
 * started by scripts/services/slurm.sh, which `npm test` runs first): a sweep submitted
 * as a job array equals the local sweep byte for byte; a point that fails is shown
 * with its job id, error and log tail, the sweep exits 3, and --resume resubmits only
 * that point; an architecture-only sweep with --weights runs its inference points there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readSubmissions } from '../../../src/explore/slurm';
import { runSweep } from '../../../src/explore/sweep';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { builtCli } from './built';

const envFile = path.resolve(__dirname, '..', '..', '..', '.cache', 'services', 'slurm', 'env');
const dir = tempDir('slurm');
const config = writeTinyConfig(dir);
const quiet = () => {
  const io = { text: '', out: (s: string) => void (io.text += s), err: (s: string) => void (io.text += s), progressStream: { write: () => true, isTTY: false } };
  return io;
};

beforeAll(() => {
  if (!fs.existsSync(envFile)) throw new Error(`${envFile} missing: start the test Slurm first (sh scripts/services/slurm.sh start; npm test does)`);
  const conf = fs.readFileSync(envFile, 'utf8').trim().replace(/^SLURM_CONF=/, '');
  process.env['SLURM_CONF'] = conf;
  builtCli();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sweep --executor slurm (real Slurm)', () => {
  test('a 4-point sweep through the scheduler equals the local sweep byte for byte', async () => {
    const grid = ['network.hidden=[[16],[24]]', 'seed=5,6'];
    const local = path.join(dir, 'local');
    const cluster = path.join(dir, 'cluster');
    await runSweep({ config, grid, epochs: 1, out: local, workers: 2 }, quiet());
    const io = quiet();
    const s = await runSweep({ config, grid, epochs: 1, out: cluster, executor: 'slurm', slurm: { time: '10', cpusPerTask: 1 }, wait: true }, io);
    expect(s.status).toBe('finished');
    expect(io.text).toMatch(/submitted job array \d+: 4 point\(s\) \(p000, p001, p002, p003\)/);
    const subs = readSubmissions(cluster);
    expect(subs).toHaveLength(1);
    // Each array task ran its point and left its Slurm log in the point folder.
    for (let k = 0; k < 4; k++) expect(fs.existsSync(path.join(cluster, `p00${k}`, `slurm-${subs[0]!.jobId}_${k}.out`))).toBe(true);
    expect(fs.readFileSync(path.join(cluster, 'sweep-results.json')).equals(fs.readFileSync(path.join(local, 'sweep-results.json')))).toBe(true);
    expect(fs.readFileSync(path.join(cluster, 'p003', 'weights.bin')).equals(fs.readFileSync(path.join(local, 'p003', 'weights.bin')))).toBe(true);
  });

  test('an architecture-only sweep with --weights runs its inference points as array tasks, equal to the local sweep; without --weights every point trains', async () => {
    const grid = ['chip.core.sram.wordBits=32,64'];
    const sets = ['run.mode=cycle', 'data.trainLimit=20', 'data.testLimit=10', 'run.epochs=1'];
    const trained = path.join(dir, 'arch-trained');
    expect((await runSweep({ config, grid, sets, out: trained, workers: 1 }, quiet())).status).toBe('finished');
    const weights = path.join(trained, 'train', 'weights.bin');
    const local = path.join(dir, 'arch-local');
    await runSweep({ config, grid, sets, weights, out: local, workers: 2 }, quiet());
    const cluster = path.join(dir, 'arch-cluster');
    const io = quiet();
    const s = await runSweep({ config, grid, sets, weights, out: cluster, executor: 'slurm', slurm: { time: '10' }, wait: true }, io);
    expect(s.status).toBe('finished');
    expect(io.text).toContain('architecture-only sweep');
    expect(fs.readFileSync(path.join(cluster, 'p001', 'results.json'), 'utf8')).toContain('"method": "inference"');
    expect(fs.readFileSync(path.join(cluster, 'sweep-results.json')).equals(fs.readFileSync(path.join(local, 'sweep-results.json')))).toBe(true);
    // The inference figures are the shared-training sweep's too (same weights; given weights have no epochs and no training accuracy).
    const figures = (f: string): string => fs.readFileSync(f, 'utf8').replace(/"(trainAccuracy|epochs)": [^,\n]+/g, '');
    expect(figures(path.join(cluster, 'sweep-results.json'))).toBe(figures(path.join(trained, 'sweep-results.json')));
    // No --weights: the sweep says why, and every point trains on its chip.
    const say = quiet();
    const each = path.join(dir, 'arch-train-each');
    expect((await runSweep({ config, grid, sets, out: each, executor: 'slurm', slurm: { time: '10' }, wait: true }, say)).status).toBe('finished');
    expect(say.text).toContain('on Slurm an architecture-only sweep needs its weights up front (--weights FILE');
    expect(fs.existsSync(path.join(each, 'p001', 'timing.json'))).toBe(true);
  });

  test('a failed point shows its job id, error and log tail, the sweep exits 3, and --resume resubmits only it', async () => {
    const out = path.join(dir, 'failing');
    // The second point writes its packet trace where no file can be: it fails when it runs.
    const grid = ['trace.packets.path=["","/etc/hostname/packets.csv"]'];
    const run = await captureCli(['sweep', config, '--grid', grid[0]!, '--set', 'data.trainLimit=20', '--set', 'data.testLimit=10', '--epochs', '1', '--executor', 'slurm', '--out', out, '--wait']);
    expect(run.code).toBe(3);
    const job = readSubmissions(out)[0]!.jobId;
    expect(run.err).toContain(`p001 trace.packets.path="/etc/hostname/packets.csv": failed (job ${job}_1): /etc/hostname/packets.csv: cannot write the file`);
    expect(run.err).toContain('\n    bitspike: /etc/hostname/packets.csv: cannot write the file');
    expect(run.err).toContain(`1 of 2 point(s) failed (p001); resubmit them with: bitspike sweep --resume ${out}`);
    expect(fs.readFileSync(path.join(out, 'p001', 'point-error.txt'), 'utf8')).toContain('cannot write the file');
    // Fix the point, then resume: only p001 is submitted again, and the sweep completes.
    const pointFile = path.join(out, 'p001', 'point.json');
    const p = JSON.parse(fs.readFileSync(pointFile, 'utf8'));
    p.trace.packets.path = '';
    fs.writeFileSync(pointFile, JSON.stringify(p));
    const again = await captureCli(['sweep', '--resume', out, '--wait']);
    expect(again.code).toBe(0);
    const subs = readSubmissions(out);
    expect(subs.map((s) => s.points)).toEqual([[0, 1], [1]]);
    expect(again.out).toContain(`submitted job array ${subs[1]!.jobId}: 1 point(s) (p001)`);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'sweep-results.json'), 'utf8'))).toHaveLength(2);
  });

  test('sbatch missing, or an unknown executor: one line, exit 2, no folder', async () => {
    const out = path.join(dir, 'never');
    const empty = tempDir('no-slurm');
    const saved = process.env['PATH'];
    process.env['PATH'] = empty;
    let run;
    try {
      run = await captureCli(['sweep', config, '--grid', 'seed=5', '--executor', 'slurm', '--out', out]);
    } finally {
      process.env['PATH'] = saved;
    }
    expect(run.code).toBe(2);
    expect(run.err).toBe('bitspike: --executor slurm: sbatch is not on the PATH (run the sweep on a Slurm login node, or use --executor local)\n');
    const other = await captureCli(['sweep', config, '--grid', 'seed=5', '--executor', 'kubernetes', '--out', out]);
    expect(other.code).toBe(2);
    expect(other.err).toBe('bitspike: --executor kubernetes: unknown executor (choose local or slurm)\n');
    expect(fs.existsSync(out)).toBe(false);
  });
});
