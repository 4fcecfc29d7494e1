/**
 * The Slurm executor against a real single-node Slurm (slurmctld + slurmd + munged,
 * started by scripts/services/slurm.sh, which `npm test` runs first): a sweep submitted
 * as a job array equals the local sweep byte for byte; a point that fails is shown
 * with its job id, error and log tail, the sweep exits 3, and --resume resubmits only
 * that point; an architecture-only sweep with --weights runs its inference points there,
 * and one without trains once as a job that its points' array waits for.
 */
import { spawnSync } from 'child_process';
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

/** Run a Slurm command (scontrol, squeue) and return its stdout; a failure fails the test. */
function slurm(cmd: string, ...args: string[]): string {
  // Jest's sandbox has its own copy of process.env (SLURM_CONF is set there): pass it, since
  // child_process would otherwise hand the real process's environment to the command.
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Wait until none of `jobIds` is in the queue (polled every 0.2 s; the jest timeout bounds it). */
async function leftQueue(jobIds: readonly string[]): Promise<void> {
  for (;;) {
    const queued = slurm('squeue', '-h', '-r', '-o', '%F').split('\n').map((l) => l.trim());
    if (!queued.some((j) => jobIds.includes(j))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

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

  test('an architecture-only sweep with --weights runs its inference points as array tasks, equal to the local sweep', async () => {
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
  });

  test('an architecture-only sweep trains once as a job and its points wait for it as an array; equal to the local sweep; a failed training, then a failed point, are resubmitted alone', async () => {
    const grid = ['chip.core.sram.wordBits=32,64'];
    const sets = ['run.mode=cycle', 'data.trainLimit=20', 'data.testLimit=10', 'run.epochs=2'];
    const local = path.join(dir, 'arch-once-local');
    expect((await runSweep({ config, grid, sets, out: local, workers: 2 }, quiet())).status).toBe('finished');
    // Submitted held (sbatch --hold), so the test can look at the queue and break the training before it runs.
    const out = path.join(dir, 'arch-once');
    const first = quiet();
    expect((await runSweep({ config, grid, sets, out, executor: 'slurm', slurm: { time: '10', extra: ['--hold'] } }, first)).status).toBe('submitted');
    const [train, array] = readSubmissions(out);
    expect(train).toMatchObject({ train: true, points: [] });
    expect(array).toMatchObject({ points: [0, 1], after: train!.jobId });
    expect(first.text).toContain(`submitted the shared training as job ${train!.jobId} (train/)`);
    expect(first.text).toContain(`submitted job array ${array!.jobId}: 2 point(s) (p000, p001), after the training job ${train!.jobId}`);
    expect(slurm('scontrol', 'show', 'job', array!.jobId)).toContain(`Dependency=afterok:${train!.jobId}`);
    // The status shows the training job and the points waiting for it; nothing is submitted again.
    const status = await captureCli(['sweep', '--resume', out]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`shared training (train/): pending (job ${train!.jobId})`);
    expect(status.out).toContain(`p001 chip.core.sram.wordBits=64: pending (job ${array!.jobId}_1, waits for the training job ${train!.jobId})`);
    expect(status.out).toContain('sweep of 2 point(s) on Slurm: shared training in the queue, 0 done, 2 in the queue, 0 failed');
    expect(readSubmissions(out)).toHaveLength(2);
    // The training fails (its config broken): Slurm cancels the points that wait for it.
    const trainConfig = path.join(out, 'train', 'point.json');
    const good = fs.readFileSync(trainConfig, 'utf8');
    fs.writeFileSync(trainConfig, '{');
    slurm('scontrol', 'release', train!.jobId, array!.jobId);
    await leftQueue([train!.jobId, array!.jobId]);
    expect(fs.readFileSync(path.join(out, 'train', 'point-error.txt'), 'utf8')).toContain('point.json');
    expect(fs.readdirSync(path.join(out, 'p000')).filter((f) => f.startsWith('slurm-'))).toEqual([]);
    // Fixed training, broken second point; resumed without --hold: the training and both points go again.
    fs.writeFileSync(trainConfig, good);
    const pointConfig = path.join(out, 'p001', 'point.json');
    const goodPoint = fs.readFileSync(pointConfig, 'utf8');
    fs.writeFileSync(pointConfig, '{');
    const second = await captureCli(['sweep', '--resume', out, '--executor', 'slurm', '--time', '10', '--wait']);
    expect(second.code).toBe(3);
    expect(second.err).toContain(`shared training (train/): failed (job ${train!.jobId}): `);
    const subs = readSubmissions(out);
    expect(subs.map((s) => [s.train === true, s.points, s.after === undefined])).toEqual([[true, [], true], [false, [0, 1], false], [true, [], true], [false, [0, 1], false]]);
    expect(second.out).toContain(`submitted job array ${subs[3]!.jobId}: 2 point(s) (p000, p001), after the training job ${subs[2]!.jobId}`);
    expect(second.err).toContain(`p001 chip.core.sram.wordBits=64: failed (job ${subs[3]!.jobId}_1): `);
    expect(second.err).toContain('1 of 2 point(s) failed (p001)');
    // Fixed point: only it goes again, no training; the results equal the local sweep's.
    fs.writeFileSync(pointConfig, goodPoint);
    const third = await captureCli(['sweep', '--resume', out, '--wait']);
    expect(third.code).toBe(0);
    expect(third.out).toContain('shared training (train/): done');
    expect(third.out).not.toContain('submitted the shared training');
    expect(readSubmissions(out).slice(4).map((s) => [s.points, s.after])).toEqual([[[1], undefined]]);
    for (const f of ['sweep-results.json', 'train/weights.bin', 'train/epoch-001.weights.bin', 'p000/counters.json']) {
      expect(`${f}: ${fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(local, f)))}`).toBe(`${f}: true`);
    }
    // The energy report names the point's chip file, which lives in its own sweep folder.
    const energy = (d: string): string => fs.readFileSync(path.join(d, 'p001', 'energy.json'), 'utf8').split(d).join('FOLDER');
    expect(energy(out)).toBe(energy(local));
  }, 300_000);

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
