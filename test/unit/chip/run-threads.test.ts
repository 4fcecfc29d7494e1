/**
 * `bitspike run` and `bitspike train` (cycle mode) with run.threads: two threads write
 * the same run folder as one (inference: every file but the resolved config, byte for
 * byte; training: weights, counters and chip reports), and a thread count the machine
 * cannot run, threads with traces, or threads for the functional model is a one-line
 * error naming the config file before any folder exists.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInference } from '../../../src/cli/run';
import { runTraining } from '../../../src/train/train-run';
import { UserError } from '../../../src/util/errors';

const ROOT = path.join(__dirname, '../../..');
const quiet = { out: () => undefined, progressStream: { write: () => true, isTTY: false } };

/** A small inference config on the default 4x4 chip (two bands of two rows). */
function tmpConfig(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-threads-'));
  const file = path.join(dir, 'threads.json');
  const cfg = {
    chip: path.join(ROOT, 'hw/chips/default.json'),
    network: { inputs: 784, hidden: [24], classes: 10, replicas: 2 },
    dynamics: { freeSteps: 4, nudgedSteps: 2 },
    data: { trainLimit: 50, testLimit: 12 },
    run: { progress: 'never' },
  };
  fs.writeFileSync(file, JSON.stringify(cfg));
  return { dir, file };
}

describe('bitspike run on several threads', () => {
  test('two threads write the one-thread run folder', () => {
    const { dir, file } = tmpConfig();
    const one = path.join(dir, 'one');
    const two = path.join(dir, 'two');
    runInference({ config: file, limit: 6, out: one }, quiet);
    runInference({ config: file, sets: ['run.threads=2'], limit: 6, out: two }, quiet);
    const files = fs.readdirSync(one).filter((f) => f !== 'config.resolved.json').sort();
    expect(files).toEqual(fs.readdirSync(two).filter((f) => f !== 'config.resolved.json').sort());
    expect(files).toContain('counters.json');
    expect(files).toContain('link-loads.csv');
    for (const f of files) expect([f, fs.readFileSync(path.join(two, f), 'utf8')]).toEqual([f, fs.readFileSync(path.join(one, f), 'utf8')]);
    expect(JSON.parse(fs.readFileSync(path.join(two, 'config.resolved.json'), 'utf8')).run.threads).toBe(2);
  });

  test('a thread count the machine cannot run, below 1, or with traces is refused before the folder', () => {
    const { dir, file } = tmpConfig();
    const out = path.join(dir, 'out');
    const many = os.availableParallelism() + 1;
    expect(() => runInference({ config: file, sets: [`run.threads=${many}`], out }, quiet)).toThrow(new UserError(`--set: run.threads: is ${many}, but this machine runs ${many - 1} threads at once`));
    expect(() => runInference({ config: file, sets: ['run.threads=0'], out }, quiet)).toThrow(UserError);
    expect(() => runInference({ config: file, sets: ['run.threads=0'], out }, quiet)).toThrow('run.threads');
    expect(() => runInference({ config: file, sets: ['run.threads=2', 'trace.packets.path=p.csv'], out }, quiet)).toThrow(/run.threads: is 2, but traces .* one thread only/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('training in cycle mode on two threads writes the one-thread weights and counters; functional mode refuses threads', async () => {
    const { dir, file } = tmpConfig();
    const io = { out: () => undefined, err: () => undefined, progressStream: { write: () => true, isTTY: false } };
    const sets = ['run.mode=cycle', 'data.trainLimit=12', 'data.testLimit=4'];
    await runTraining({ config: file, sets, out: path.join(dir, 'one') }, io);
    await runTraining({ config: file, sets: [...sets, 'run.threads=2'], out: path.join(dir, 'two') }, io);
    for (const f of ['weights.bin', 'counters.json', 'cores.csv', 'link-loads.csv', 'sample-cycles.csv']) {
      expect([f, fs.readFileSync(path.join(dir, 'two', f)).equals(fs.readFileSync(path.join(dir, 'one', f)))]).toEqual([f, true]);
    }
    await expect(runTraining({ config: file, sets: ['run.threads=2'], out: path.join(dir, 'f') }, io)).rejects.toThrow(/run.threads: is 2, but only the cycle-accurate chip/);
  });
});
