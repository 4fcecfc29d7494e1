import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES } from '../../../src/train/run-folder';
import { runTraining, type TrainIo } from '../../../src/train/train-run';
import { UserError } from '../../../src/util/errors';
import { tempDir, writeTinyConfig } from './tiny-config';

const dir = tempDir('train-run');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function quietIo(): TrainIo & { text: string } {
  const io = {
    text: '',
    out: (s: string) => void (io.text += s),
    err: (s: string) => void (io.text += s),
    progressStream: { write: () => true, isTTY: false },
  };
  return io;
}

const read = (d: string, f: string): Buffer => fs.readFileSync(path.join(d, f));

describe('training runs and run folders', () => {
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  const aIo = quietIo();
  beforeAll(async () => {
    await runTraining({ config, out: a }, aIo);
    await runTraining({ config, out: b }, quietIo());
  });

  test('a run folder holds every result file and no temporary file', () => {
    const files = fs.readdirSync(a);
    expect(files).toEqual(expect.arrayContaining(Object.values(RUN_FILES)));
    expect(files.filter((f) => f.startsWith('.') || f.includes('.tmp'))).toEqual([]);
    const csv = read(a, RUN_FILES.epochs).toString().trim().split('\n');
    expect(csv[0]).toBe('epoch,train_accuracy,test_accuracy,train_seconds,test_seconds,train_samples_per_second,test_samples_per_second');
    expect(csv.length).toBe(3);
    const results = JSON.parse(read(a, RUN_FILES.results).toString());
    expect(results.layers).toEqual([784, 24, 10]);
    expect(results.epochs).toHaveLength(2);
    expect(results.final.testAccuracy).toBe(results.epochs[1].testAccuracy);
    const confusion = read(a, RUN_FILES.confusion).toString().trim().split('\n');
    expect(confusion[0]).toBe('label,pred_0,pred_1,pred_2,pred_3,pred_4,pred_5,pred_6,pred_7,pred_8,pred_9');
    const cells = confusion.slice(1).map((l) => l.split(',').slice(1).map(Number));
    expect(cells.flat().reduce((x, y) => x + y, 0)).toBe(results.epochs[1].testSamples);
    expect(cells.reduce((x, row, i) => x + row[i]!, 0)).toBe(results.epochs[1].testCorrect);
    const resolved = JSON.parse(read(a, RUN_FILES.config).toString());
    expect(path.isAbsolute(resolved.chip)).toBe(true);
    expect(resolved.run.epochs).toBe(2);
  });

  test('the learning statistics: one curve point per epoch (curveEvery 1000 > 120 samples), per-layer counts with their rates', () => {
    const results = JSON.parse(read(a, RUN_FILES.results).toString());
    const curve = read(a, RUN_FILES.learningCurve).toString().trim().split('\n');
    expect(curve[0]).toBe('epoch,sample,window_samples,accuracy,loss');
    const points = curve.slice(1).map((l) => l.split(',').map(Number));
    expect(points.map((p) => p.slice(0, 3))).toEqual([
      [1, 120, 120],
      [2, 120, 120],
    ]);
    // A window that is the whole epoch has the epoch's train accuracy.
    expect(points.map((p) => p[3])).toEqual(results.epochs.map((e: { trainAccuracy: number }) => e.trainAccuracy));
    for (const p of points) expect(p[4]).toBeGreaterThan(0);
    const layers = read(a, RUN_FILES.layerStats).toString().trim().split('\n');
    expect(layers[0]).toBe('epoch,layer,neurons,synapses,weight_flips,flips_per_synapse,counter_saturations,saturations_per_synapse,spike_diffs,spike_diff_fraction');
    const rows = layers.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      [1, 1, 24, 784 * 24],
      [1, 2, 10, 240],
      [2, 1, 24, 784 * 24],
      [2, 2, 10, 240],
    ]);
    for (const r of rows) {
      expect(r[5]).toBeCloseTo(r[4]! / r[3]!, 12);
      expect(r[9]).toBeCloseTo(r[8]! / (r[2]! * 120), 12);
    }
    const json = JSON.parse(read(a, RUN_FILES.learning).toString());
    expect(json.curveEvery).toBe(1000);
    expect(json.curve.map((p: { accuracy: number }) => p.accuracy)).toEqual(points.map((p) => p[3]));
    expect(json.layers.map((r: { weightFlips: number }) => r.weightFlips)).toEqual(rows.map((r) => r[4]));
    // Same config, same seed: the same statistics.
    expect(read(b, RUN_FILES.learning).equals(read(a, RUN_FILES.learning))).toBe(true);
  });

  test('each epoch line prints the learning signal of every weight layer, as layer-stats.csv has it', () => {
    const rows = read(a, RUN_FILES.layerStats).toString().trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const lines = aIo.text.split('\n').filter((l) => /^epoch \d+: /.test(l));
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      const want = rows.filter((r) => r[0] === i + 1).map((r) => (100 * r[9]!).toFixed(2));
      expect(want).toHaveLength(2);
      expect(line).toContain(`  signal ${want.join('/')}%  `);
    }
    // A learning signal of exactly zero everywhere would make the check above vacuous.
    expect(rows.some((r) => r[8]! > 0)).toBe(true);
  });

  test('energy.json prices the training samples and the test inferences apart, besides the whole run', () => {
    const energy = JSON.parse(read(a, 'energy.json').toString());
    // tiny config: 120 train / 40 test samples, 2 epochs.
    expect(energy.run.samples).toBe(2 * (120 + 40));
    // Functional model: cycles are estimated per part, and labelled so.
    expect([energy.run.cyclesFrom, energy.training.cyclesFrom, energy.inference.cyclesFrom]).toEqual(['estimate', 'estimate', 'estimate']);
    expect(energy.training.samples).toBe(2 * 120);
    expect(energy.inference.samples).toBe(2 * 40);
    // An inference is the free phase alone; a training sample adds the nudged phase and the weight update.
    expect(energy.inference.perSamplePJ).toBeLessThan(energy.training.perSamplePJ);
    expect(energy.inference.byEventPJ['core.weightSramWrites'] ?? 0).toBe(0);
    expect(energy.training.byEventPJ['core.weightSramWrites']).toBeGreaterThan(0);
    // Dynamic energy is a sum over events: the two parts add up to the whole run.
    expect(energy.training.dynamicPJ + energy.inference.dynamicPJ).toBeCloseTo(energy.run.dynamicPJ, 3);
  });

  test('on the cycle-accurate chip the two parts carry exact cycles that add up to the run', async () => {
    const cyc = path.join(dir, 'cycle-energy');
    await runTraining({ config, out: cyc, sets: ['run.mode=cycle'] }, quietIo());
    const energy = JSON.parse(read(cyc, 'energy.json').toString());
    expect([energy.run.cyclesFrom, energy.training.cyclesFrom, energy.inference.cyclesFrom]).toEqual(['snapshot', 'snapshot', 'snapshot']);
    expect(energy.training.samples).toBe(2 * 120);
    expect(energy.inference.samples).toBe(2 * 40);
    expect(energy.training.cycles + energy.inference.cycles).toBe(energy.run.cycles);
    expect(energy.inference.latencyPerSampleS).toBeLessThan(energy.training.latencyPerSampleS);
    expect(energy.inference.perSamplePJ).toBeLessThan(energy.training.perSamplePJ);
  });

  test('the printed energy is per training sample and per inference', async () => {
    const io = quietIo();
    await runTraining({ config, out: path.join(dir, 'printed') }, io);
    expect(io.text).toMatch(/energy \(training\): 240 sample\(s\)/);
    expect(io.text).toMatch(/energy \(inference\): 80 sample\(s\)/);
    expect(io.text).not.toMatch(/energy \(run\)/);
  });

  test('same config and seed: byte-identical results.json and weights', () => {
    expect(read(a, RUN_FILES.results).equals(read(b, RUN_FILES.results))).toBe(true);
    expect(read(a, RUN_FILES.weights).equals(read(b, RUN_FILES.weights))).toBe(true);
    expect(read(a, RUN_FILES.counters).equals(read(b, RUN_FILES.counters))).toBe(true);
  });

  test('another seed gives other weights', async () => {
    const c = path.join(dir, 'c');
    await runTraining({ config, out: c, sets: ['seed=6'] }, quietIo());
    expect(read(a, RUN_FILES.weights).equals(read(c, RUN_FILES.weights))).toBe(false);
  });

  test('Ctrl-C stops after the current sample with a checkpoint; --resume ends byte-identical', async () => {
    const r = path.join(dir, 'interrupted');
    const io = quietIo();
    let fired = false;
    const first = await runTraining({ config, out: r }, io, {
      onProgress: (phase, done, _total, _correct, epoch) => {
        if (!fired && epoch === 1 && phase === 'train' && done === 30) {
          fired = true;
          process.emit('SIGINT');
        }
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.checkpoint.position).toMatchObject({ epoch: 1, phase: 'train', sample: 30 });
    expect(io.text).toContain(`resume with: bitspike train --resume ${r}`);
    expect(fs.existsSync(path.join(r, RUN_FILES.results))).toBe(false);
    expect(fs.existsSync(path.join(r, RUN_FILES.weights))).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(0);
    const second = await runTraining({ resume: r }, quietIo());
    expect(second.status).toBe('finished');
    expect(read(r, RUN_FILES.results).equals(read(a, RUN_FILES.results))).toBe(true);
    expect(read(r, RUN_FILES.weights).equals(read(a, RUN_FILES.weights))).toBe(true);
    expect(read(r, RUN_FILES.counters).equals(read(a, RUN_FILES.counters))).toBe(true);
    expect(read(r, RUN_FILES.confusion).equals(read(a, RUN_FILES.confusion))).toBe(true);
    expect(read(r, 'energy.json').equals(read(a, 'energy.json'))).toBe(true);
  });

  test('SIGTERM stops like Ctrl-C, and the run resumes to the same bytes', async () => {
    const r = path.join(dir, 'terminated');
    let fired = false;
    const first = await runTraining({ config, out: r }, quietIo(), {
      onProgress: (phase, done, _total, _correct, epoch) => {
        if (!fired && epoch === 0 && phase === 'test' && done === 7) {
          fired = true;
          process.emit('SIGTERM');
        }
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.checkpoint.position).toMatchObject({ epoch: 0, phase: 'test' });
    expect(process.listenerCount('SIGTERM')).toBe(0);
    await runTraining({ resume: r }, quietIo());
    expect(read(r, RUN_FILES.weights).equals(read(a, RUN_FILES.weights))).toBe(true);
    expect(read(r, RUN_FILES.results).equals(read(a, RUN_FILES.results))).toBe(true);
    // Interrupted inside a test pass: that pass's partial inferences are not counted twice.
    expect(read(r, 'energy.json').equals(read(a, 'energy.json'))).toBe(true);
  });

  test('--resume --epochs extends a finished run exactly like a longer run', async () => {
    const longer = path.join(dir, 'three');
    await runTraining({ config, out: longer, epochs: 3 }, quietIo());
    const extended = path.join(dir, 'extended');
    fs.cpSync(a, extended, { recursive: true });
    await expect(runTraining({ resume: extended }, quietIo())).rejects.toThrow(/already finished 2 epoch\(s\); pass --epochs N with N > 2/);
    await runTraining({ resume: extended, epochs: 3 }, quietIo());
    expect(read(extended, RUN_FILES.weights).equals(read(longer, RUN_FILES.weights))).toBe(true);
    expect(JSON.parse(read(extended, RUN_FILES.config).toString()).run.epochs).toBe(3);
    await expect(runTraining({ resume: extended }, quietIo())).rejects.toThrow(/already finished 3 epoch\(s\)/);
    expect(read(extended, RUN_FILES.results).equals(read(longer, RUN_FILES.results))).toBe(true);
  });

  test('user mistakes are refused before any run folder exists', async () => {
    const root = path.join(dir, 'no-runs');
    const cases: Array<[Parameters<typeof runTraining>[0], RegExp]> = [
      [{ config, sets: [`run.outDir=${root}`, 'run.epochz=1'] }, /^--set: run\.epochz: unknown key/],
      [{ config, sets: [`run.outDir=${root}`, 'network.inputs=100'] }, /^--set: network\.inputs: is 100 but the data has 784 bits per sample/],
      [{ config, sets: [`run.outDir=${root}`, 'network.classes=5'] }, /^--set: network\.classes: is 5 but the data has labels up to 9/],
      [{ config, sets: [`run.outDir=${root}`, 'data.dataset=idx', `data.trainImages=${path.join(dir, 'x')}`, 'data.trainLabels=y', 'data.testImages=z', 'data.testLabels=w'] }, /cannot read data file/],
      [{ config, sets: [`run.outDir=${root}`, 'chip=nowhere.json'] }, /nowhere\.json: cannot read the chip file/],
      [{ config, out: a }, /output folder already exists \(it holds a finished run: choose another --out\)/],
      [{ resume: a, sets: ['seed=2'] }, /only --epochs may be given with --resume/],
      [{ resume: dir }, /not a resumable run folder/],
    ];
    for (const [req, msg] of cases) {
      const before = fs.readdirSync(dir).sort();
      const p = runTraining(req, quietIo());
      await expect(p).rejects.toBeInstanceOf(UserError);
      await expect(p).rejects.toThrow(msg);
      expect(fs.readdirSync(dir).sort()).toEqual(before);
    }
    expect(fs.existsSync(root)).toBe(false);
  });

  test('a checkpoint that does not match the run folder\'s config is refused, naming the key', async () => {
    const edited = path.join(dir, 'edited');
    fs.cpSync(a, edited, { recursive: true });
    const f = path.join(edited, RUN_FILES.config);
    const cfg = JSON.parse(fs.readFileSync(f, 'utf8'));
    cfg.network.hidden = [25];
    fs.writeFileSync(f, JSON.stringify(cfg));
    await expect(runTraining({ resume: edited, epochs: 3 }, quietIo())).rejects.toThrow(
      `${path.join(edited, RUN_FILES.checkpoint)}: written under a different config: network.hidden is [24] there but [25] in ${f}; resume refused (start a new run instead)`,
    );
  });

  test('a run folder that cannot be created is a UserError', async () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    await expect(runTraining({ config, out: path.join(blocker, 'run') }, quietIo())).rejects.toThrow(`${path.join(blocker, 'run')}: cannot create the folder (${blocker} is not a directory)`);
  });

  test('a corrupted checkpoint is refused with a message naming it', async () => {
    const broken = path.join(dir, 'broken');
    fs.cpSync(a, broken, { recursive: true });
    const f = path.join(broken, RUN_FILES.checkpoint);
    fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 100));
    await expect(runTraining({ resume: broken, epochs: 3 }, quietIo())).rejects.toThrow(`${f}: not a valid bitspike checkpoint: checksum mismatch (truncated or corrupted)`);
  });

  test('relative trace outputs are placed inside the run folder', async () => {
    const out = path.join(dir, 'traced');
    await runTraining({ config, out, sets: ['run.epochs=1', 'data.trainLimit=10', 'data.testLimit=5', 'trace.vcd.path=wave.vcd'] }, quietIo());
    const resolved = JSON.parse(read(out, RUN_FILES.config).toString());
    expect(resolved.trace.vcd.path).toBe(path.join(out, 'wave.vcd'));
    expect(resolved.trace.packets.path).toBe('');
  });

  test('--set chip.* hardware is kept in the run folder, and the run resumes with it', async () => {
    const out = path.join(dir, 'narrow');
    let fired = false;
    const first = await runTraining({ config, out, epochs: 1, sets: ['chip.core.sram.wordBits=16'] }, quietIo(), {
      onProgress: (_p, done) => {
        if (!fired && done === 50) {
          fired = true;
          process.emit('SIGINT');
        }
      },
    });
    expect(first.status).toBe('interrupted');
    const resolved = JSON.parse(read(out, RUN_FILES.config).toString());
    expect(resolved.chip).toBe(path.join(out, 'chip.json'));
    expect(JSON.parse(read(out, 'chip.json').toString()).core.sram.wordBits).toBe(16);
    await runTraining({ resume: out }, quietIo());
    // 784 input bits in 16-bit words: 49 words per forward row segment.
    const plain = path.join(dir, 'wide');
    await runTraining({ config, out: plain, epochs: 1 }, quietIo());
    const reads = (d: string): number => JSON.parse(read(d, RUN_FILES.counters).toString()).components['core.all'].counts.weightSramReads;
    expect(reads(out)).toBeGreaterThan(reads(plain));
    expect(read(out, RUN_FILES.weights).equals(read(plain, RUN_FILES.weights))).toBe(true);
  });

  test('the default run folder is <outDir>/<config>-<seed>-<UTC time>', async () => {
    const s = await runTraining({ config, sets: ['run.epochs=1', 'data.trainLimit=20', 'data.testLimit=10'] }, quietIo());
    expect(path.dirname(s.runDir)).toBe(path.join(dir, 'runs'));
    expect(path.basename(s.runDir)).toMatch(/^tiny-5-\d{8}-\d{6}$/);
  });
});
