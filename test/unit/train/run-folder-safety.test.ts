/**
 * Run folders that cannot lose work (issue 13, part 1): each failure found by hand
 * first reproduced here, then fixed. Tiny functional runs (120 train / 40 test
 * samples, 2 epochs) unless a test needs the chip.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCK_FILE } from '../../../src/store/folder-lock';
import { RUN_FILES } from '../../../src/train/run-folder';
import { runSweep } from '../../../src/explore/sweep';
import { pointState } from '../../../src/explore/sweep-folder';
import { builtCli } from '../explore/built';
import { runTraining, type TrainIo } from '../../../src/train/train-run';
import { UserError } from '../../../src/util/errors';
import { tempDir, writeTinyConfig } from './tiny-config';

const dir = tempDir('run-safety');
const config = writeTinyConfig(dir);
let sleeper: ChildProcess | undefined;
afterAll(() => {
  sleeper?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function quietIo(): TrainIo & { text: string } {
  const io = { text: '', out: (s: string) => void (io.text += s), err: (s: string) => void (io.text += s), progressStream: { write: () => true, isTTY: false } };
  return io;
}

const read = (d: string, f: string): Buffer => fs.readFileSync(path.join(d, f));
/** Every file of a folder (no lock, no temporary file), name -> bytes, except the wall-clock ones. */
function resultBytes(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of fs.readdirSync(d).sort()) {
    if (n === RUN_FILES.timing || n === RUN_FILES.epochs || n === RUN_FILES.checkpoint) continue; // wall-clock seconds inside
    out[n] = fs.readFileSync(path.join(d, n)).toString('base64');
  }
  return out;
}

const reference = path.join(dir, 'reference');
beforeAll(async () => {
  await runTraining({ config, out: reference }, quietIo());
});

describe('folder locks', () => {
  test('a second process on the same folder gets one line naming the holder; a dead holder\'s lock is taken over', async () => {
    const held = path.join(dir, 'held');
    fs.mkdirSync(held);
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const pid = sleeper.pid as number;
    fs.writeFileSync(path.join(held, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), command: 'bitspike train', since: '2026-01-01T00:00:00.000Z' }));
    const p = runTraining({ config, out: held }, quietIo());
    await expect(p).rejects.toBeInstanceOf(UserError);
    await expect(p).rejects.toThrow(`${held}: in use by bitspike train (pid ${pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z); wait for it to end or stop it`);
    // The holder dies (kill -9 leaves its lock behind): the next run takes the stale lock over.
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper?.once('exit', r));
    await runTraining({ config, out: held }, quietIo());
    expect(resultBytes(held)).toEqual(resultBytes(reference));
    expect(fs.existsSync(path.join(held, LOCK_FILE))).toBe(false);
  });

  test('two trainings started on the same --out at once: one runs, the other is refused, the folder is not mixed', async () => {
    const both = path.join(dir, 'both');
    const results = await Promise.allSettled([runTraining({ config, out: both }, quietIo()), runTraining({ config, out: both, sets: ['seed=9'] }, quietIo())]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(UserError);
    expect(String((refused[0]?.reason as Error).message)).toMatch(/in use by bitspike train|output folder already exists/);
    // The folder is one run's: the config's seed is the seed of the weights the results describe.
    const cfg = JSON.parse(read(both, RUN_FILES.config).toString());
    expect(JSON.parse(read(both, RUN_FILES.results).toString()).seed).toBe(cfg.seed);
  });
});

describe('every instant resumable, finished or reusable', () => {
  test('a folder with a config but no checkpoint (killed in its first epoch) is restarted by --resume, with a hint from --out', async () => {
    const early = path.join(dir, 'early');
    fs.mkdirSync(early);
    fs.copyFileSync(path.join(reference, RUN_FILES.config), path.join(early, RUN_FILES.config));
    fs.writeFileSync(path.join(early, `.${RUN_FILES.checkpoint}.tmp-999999-0`), 'half a checkpoint');
    await expect(runTraining({ config, out: early }, quietIo())).rejects.toThrow(
      `${early}: output folder already exists (it holds a run stopped before its first checkpoint: start it again with --resume, or choose another --out)`,
    );
    const io = quietIo();
    await runTraining({ resume: early }, io);
    expect(io.text).toContain('from the start (no checkpoint yet)');
    expect(resultBytes(early)).toEqual(resultBytes(reference));
  });

  test('temporary files left by a killed process are removed on resume', async () => {
    const stopped = path.join(dir, 'stopped');
    let n = 0;
    await runTraining({ config, out: stopped }, quietIo(), { shouldStop: () => ++n === 50 });
    const leftovers = [`.${RUN_FILES.weights}.tmp-12345-3`, `.${RUN_FILES.checkpoint}.tmp-12345-4`];
    for (const f of leftovers) fs.writeFileSync(path.join(stopped, f), 'x');
    await runTraining({ resume: stopped }, quietIo());
    expect(fs.readdirSync(stopped).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(resultBytes(stopped)).toEqual(resultBytes(reference));
  });

  test('a finished checkpoint whose result files were never written (signal during the final writes) is completed by --resume', async () => {
    const cut = path.join(dir, 'cut');
    fs.cpSync(reference, cut, { recursive: true });
    for (const f of [RUN_FILES.results, RUN_FILES.weights, RUN_FILES.counters, RUN_FILES.confusion, 'energy.json']) fs.rmSync(path.join(cut, f));
    await runTraining({ resume: cut }, quietIo());
    expect(resultBytes(cut)).toEqual(resultBytes(reference));
    await expect(runTraining({ resume: cut }, quietIo())).rejects.toThrow(/already finished 2 epoch\(s\)/);
  });

  test('the signal handlers stay installed until the last result file is written', async () => {
    const late = path.join(dir, 'late');
    const fsMod = jest.requireActual<typeof fs>('fs');
    const rename = fsMod.renameSync;
    const seen: Array<[string, number]> = [];
    const spy = jest.spyOn(fsMod, 'renameSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      seen.push([path.basename(String(to)), process.listenerCount('SIGTERM')]);
      return rename(from, to);
    });
    try {
      await runTraining({ config, out: late }, quietIo());
    } finally {
      spy.mockRestore();
    }
    const results = seen.filter(([f]) => f === RUN_FILES.results);
    expect(results).toHaveLength(1);
    expect(results[0]?.[1]).toBeGreaterThan(0);
    expect(seen[seen.length - 1]?.[0]).toBe(RUN_FILES.results);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('checkpoints know their config', () => {
  test('a checkpoint of another seed is refused, naming the key', async () => {
    const other = path.join(dir, 'seed9');
    let n = 0;
    await runTraining({ config, out: other, sets: ['seed=9'] }, quietIo(), { shouldStop: () => ++n === 30 });
    const swapped = path.join(dir, 'swapped');
    fs.mkdirSync(swapped);
    fs.copyFileSync(path.join(reference, RUN_FILES.config), path.join(swapped, RUN_FILES.config));
    fs.copyFileSync(path.join(other, RUN_FILES.checkpoint), path.join(swapped, RUN_FILES.checkpoint));
    await expect(runTraining({ resume: swapped }, quietIo())).rejects.toThrow(
      `${path.join(swapped, RUN_FILES.checkpoint)}: written under a different config: seed is 9 there but 5 in ${path.join(swapped, RUN_FILES.config)}; resume refused (start a new run instead)`,
    );
  });

  test('a checkpoint at sample 100 resumed under a smaller trainLimit is refused (it would report over 100% accuracy)', async () => {
    const limited = path.join(dir, 'limited');
    let n = 0;
    await runTraining({ config, out: limited }, quietIo(), { shouldStop: () => ++n === 100 });
    const f = path.join(limited, RUN_FILES.config);
    const cfg = JSON.parse(fs.readFileSync(f, 'utf8'));
    cfg.data.trainLimit = 60;
    fs.writeFileSync(f, JSON.stringify(cfg));
    await expect(runTraining({ resume: limited }, quietIo())).rejects.toThrow(/written under a different config: data\.trainLimit is 120 there but 60 in /);
  });
});

describe('resumed cycle-mode runs report the whole run', () => {
  test('chip-timing.json, sample-cycles.csv, cores.csv, links.csv and link-loads.csv equal an uninterrupted run\'s', async () => {
    const sets = ['run.mode=cycle', 'data.trainLimit=30', 'data.testLimit=10'];
    const whole = path.join(dir, 'cycle-whole');
    await runTraining({ config, out: whole, sets }, quietIo());
    const parts = path.join(dir, 'cycle-parts');
    let n = 0;
    await runTraining({ config, out: parts, sets }, quietIo(), { shouldStop: () => ++n === 17 });
    n = 0;
    // Second stop inside a test pass (30 train samples, then 10 test samples of epoch 1).
    await runTraining({ resume: parts }, quietIo(), { shouldStop: () => ++n === 18 });
    await runTraining({ resume: parts }, quietIo());
    for (const f of ['chip-timing.json', 'sample-cycles.csv', 'cores.csv', 'links.csv', 'link-loads.csv', 'energy.json', RUN_FILES.results, RUN_FILES.counters]) {
      expect([f, read(parts, f).toString()]).toEqual([f, read(whole, f).toString()]);
    }
    const rows = read(parts, 'sample-cycles.csv').toString().trim().split('\n');
    expect(rows).toHaveLength(1 + 2 * (30 + 10));
  });
});

describe('sweeps', () => {
  test('a stop asked for during a point\'s final writes stops the sweep after that point; --resume completes it to the same results', async () => {
    const grid = ['seed=5,6'];
    const whole = path.join(dir, 'sweep-whole');
    builtCli();
    await runSweep({ config, grid, out: whole, workers: 1 }, quietIo());
    const cut = path.join(dir, 'sweep-cut');
    // True once the first point has written its results: it finishes, the second never starts.
    const stop = (): boolean => fs.existsSync(path.join(cut, 'p000', 'results.json'));
    const first = await runSweep({ config, grid, out: cut, workers: 1 }, quietIo(), { shouldStop: stop });
    expect(first.status).toBe('interrupted');
    expect(first.rows).toHaveLength(1);
    expect(pointState(cut, 1)).toBe('pending');
    const second = await runSweep({ resume: cut }, quietIo());
    expect(second.status).toBe('finished');
    expect(read(cut, 'sweep-results.json').equals(read(whole, 'sweep-results.json'))).toBe(true);
  }, 300000);
});
