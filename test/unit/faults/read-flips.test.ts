/**
 * Transient SRAM read flips (src/faults/read-flips.ts): the flip rate is the one asked
 * for (binomial bound, fixed seed), draws are a function of the read's coordinates only,
 * SECDED removes exactly the flips alone in their word, the engines count what they
 * draw, `run` reports the flips and reproduces the trainer's test pass, and a rate
 * outside [0, 1] is a one-line error naming its JSON path.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NO_FAULTS } from '../../../src/faults/params';
import { ReadFlips, sampleReadKey } from '../../../src/faults/read-flips';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { loadExperiment } from '../../../src/config/experiment';
import { runInference } from '../../../src/cli/run';
import { runTraining } from '../../../src/train/train-run';
import { UserError } from '../../../src/util/errors';

const ROOT = path.join(__dirname, '../../..');
const SEED = 4242;

/** All positions of a draw, as a fresh array. */
function drawn(rf: ReadFlips, layer: number, row: number, seg: number, bits: number): number[] {
  const n = rf.draw(layer, row, seg, bits);
  return Array.from(rf.positions.subarray(0, n));
}

describe(`read flip draws (faults.seed ${SEED})`, () => {
  test.each([1e-4, 1e-3, 0.01, 0.1, 0.5, 0.7])('rate %p: flipped bits / read bits within 5 binomial sigmas', (rate) => {
    const rf = new ReadFlips({ ...NO_FAULTS, seed: SEED, readFlipRate: rate }, 64, 'none');
    const bits = 1000;
    let flips = 0;
    let reads = 0;
    let disordered = 0;
    const rows = rate < 1e-3 ? 4000 : 400;
    for (let step = 0; step < 5; step++) {
      rf.sampleKey = sampleReadKey('train', 0, step);
      rf.step = step;
      for (let row = 0; row < rows; row++) {
        const pos = drawn(rf, 1, row, 0, bits);
        // ascending, distinct, inside the read
        for (let i = 0; i < pos.length; i++) if (!(pos[i]! >= 0 && pos[i]! < bits && (i === 0 || pos[i]! > pos[i - 1]!))) disordered++;
        flips += pos.length;
        reads += bits;
      }
    }
    expect(disordered).toBe(0);
    const sigma = Math.sqrt(reads * rate * (1 - rate));
    expect(Math.abs(flips - reads * rate)).toBeLessThan(5 * sigma);
  });

  test('rate 0 flips nothing, rate 1 flips every bit', () => {
    expect(drawn(new ReadFlips({ ...NO_FAULTS, readFlipRate: 0 }, 64, 'none'), 1, 0, 0, 100)).toEqual([]);
    expect(drawn(new ReadFlips({ ...NO_FAULTS, readFlipRate: 1 }, 64, 'none'), 1, 0, 0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test('a draw depends on the read coordinates only: the same read gives the same flips, another read others', () => {
    const f = { ...NO_FAULTS, seed: SEED, readFlipRate: 0.05 };
    const a = new ReadFlips(f, 64, 'none');
    const b = new ReadFlips(f, 64, 'none');
    a.sampleKey = b.sampleKey = 77;
    a.step = b.step = 3;
    drawn(b, 2, 9, 0, 640); // b drew something else first: no stream state is shared between draws
    expect(drawn(a, 1, 5, 0, 640)).toEqual(drawn(b, 1, 5, 0, 640));
    const base = drawn(a, 1, 5, 0, 640);
    expect(base.length).toBeGreaterThan(10);
    a.step = 4;
    expect(drawn(a, 1, 5, 0, 640)).not.toEqual(base);
    a.step = 3;
    expect(drawn(a, 1, 6, 0, 640)).not.toEqual(base);
    expect(drawn(a, 2, 5, 0, 640)).not.toEqual(base);
    expect(drawn(a, 1, 5, 1, 640)).not.toEqual(base);
    a.sampleKey = 78;
    expect(drawn(a, 1, 5, 0, 640)).not.toEqual(base);
    expect(drawn(new ReadFlips({ ...f, seed: SEED + 1 }, 64, 'none'), 1, 5, 0, 640)).not.toEqual(base);
  });

  test('SECDED keeps exactly the flips of words with two or more flips, and counts the others as corrected', () => {
    const f = { ...NO_FAULTS, seed: SEED, readFlipRate: 0.02 };
    const plain = new ReadFlips(f, 16, 'none');
    const coded = new ReadFlips(f, 16, 'secded');
    let corrected = 0;
    let kept = 0;
    for (let row = 0; row < 300; row++) {
      const all = drawn(plain, 1, row, 0, 160);
      const perWord = new Map<number, number>();
      for (const p of all) perWord.set(Math.floor(p / 16), (perWord.get(Math.floor(p / 16)) ?? 0) + 1);
      const want = all.filter((p) => perWord.get(Math.floor(p / 16))! >= 2);
      expect(drawn(coded, 1, row, 0, 160)).toEqual(want);
      expect(coded.corrected).toBe(all.length - want.length);
      corrected += coded.corrected;
      kept += want.length;
    }
    expect(corrected).toBeGreaterThan(100);
    expect(kept).toBeGreaterThan(10);
  });

  test.each([1e-3, 0.05, 0.7])('learning-phase reads of a synapse (weight + 6 register bits) flip each bit at rate %p (5 binomial sigmas); SECDED corrects them', (rate) => {
    const f = { ...NO_FAULTS, seed: SEED, readFlipRate: rate };
    const rf = new ReadFlips(f, 64, 'none');
    const coded = new ReadFlips(f, 64, 'secded');
    rf.sampleKey = coded.sampleKey = 9;
    let flips = 0;
    let sites = 0;
    const perBit = new Array<number>(7).fill(0);
    let wrong = 0;
    for (let post = 0; post < 100; post++) {
      for (let pre = 0; pre < 150; pre++) {
        const m = rf.synapse(2, post, pre, 6);
        if (m >>> 7 !== 0) wrong++;
        let bits = 0;
        for (let b = 0; b < 7; b++) if ((m >>> b) & 1) {
          bits++;
          perBit[b]!++;
        }
        flips += bits;
        sites += 7;
        // the same synapse gives the same draw; SECDED corrects every bit of it
        if (rf.synapse(2, post, pre, 6) !== m || coded.synapse(2, post, pre, 6) !== 0 || coded.corrected !== bits) wrong++;
      }
    }
    expect(wrong).toBe(0);
    const sigma = Math.sqrt(sites * rate * (1 - rate));
    expect(Math.abs(flips - sites * rate)).toBeLessThan(5 * sigma);
    // every bit position is hit about equally (each within 5 sigmas of its share)
    const each = Math.sqrt((sites / 7) * rate * (1 - rate));
    for (const n of perBit) expect(Math.abs(n - (sites / 7) * rate)).toBeLessThan(5 * each + 1);
  });

  test('the functional model flips each read bit at the rate (inference reads, 5 binomial sigmas)', () => {
    const rate = 0.003;
    const model = {
      network: { inputs: 200, hidden: [40], classes: 4, replicas: 1 },
      ...(() => {
        const c = loadExperiment(undefined).config;
        return { dynamics: { ...c.dynamics, freeSteps: 6 }, learning: c.learning };
      })(),
      faults: { ...NO_FAULTS, seed: SEED, readFlipRate: rate },
    };
    const e = new FunctionalEngine(model, 1, { wordBits: 32 });
    const x = new Uint32Array(7).fill(0x5a5a5a5a);
    for (let s = 0; s < 40; s++) e.runSample(x, 0, { learn: false, readKey: sampleReadKey('test', 0, s) });
    const c = e.counters().components['core.all']!.counts;
    const bits = (c['weightSramReads'] as number) * 32;
    const sigma = Math.sqrt(bits * rate * (1 - rate));
    expect(bits).toBe(40 * 6 * (40 * Math.ceil((200 + 4) / 32) + 4 * Math.ceil(40 / 32)) * 32);
    expect(Math.abs((c['sramReadFlips'] as number) - bits * rate)).toBeLessThan(5 * sigma);
  });
});

describe('read flips through the commands', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-read-flips-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const quiet = { out: (): void => undefined, err: (): void => undefined, progressStream: { write: (): boolean => true, isTTY: false } };

  test('faults.readFlipRate outside [0, 1] is a one-line error naming the JSON path', () => {
    for (const bad of ['1.5', '-0.1']) {
      let err: unknown = null;
      try {
        loadExperiment(undefined, [`faults.readFlipRate=${bad}`]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      const msg = (err as Error).message;
      expect(msg).toContain('faults.readFlipRate');
      expect(msg).not.toContain('\n');
    }
  });

  test('train (cycle mode) and run on the chip: run with the trained weights reproduces the last test pass, both report the flips', async () => {
    const file = path.join(tmp, 'flips.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        chip: path.join(ROOT, 'hw/chips/default.json'),
        network: { inputs: 784, hidden: [16], classes: 10, replicas: 1 },
        dynamics: { freeSteps: 4, nudgedSteps: 2 },
        data: { trainLimit: 12, testLimit: 10 },
        run: { progress: 'never', mode: 'cycle', epochs: 1 },
        faults: { seed: 5, readFlipRate: 0.02 },
      }),
    );
    const lines: string[] = [];
    const out = path.join(tmp, 'train');
    await runTraining({ config: file, out }, { ...quiet, out: (s: string) => lines.push(s) });
    const text = lines.join('');
    expect(text).toContain('every weight SRAM read bit flips with probability 0.02 (transient)');
    expect(text).toMatch(/transient read flips \(faults\.readFlipRate 0\.02\): [\d,]+ weight SRAM read bits flipped\n/);
    const trained = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    const runLines: string[] = [];
    const r = runInference({ config: file, weights: path.join(out, 'weights.bin'), out: path.join(tmp, 'run') }, { out: (s) => runLines.push(s), progressStream: { write: () => true, isTTY: false } });
    expect(r.accuracy).toBe(trained.final.testAccuracy);
    const res = JSON.parse(fs.readFileSync(path.join(tmp, 'run', 'results.json'), 'utf8'));
    expect(res.readFlips.flippedBits).toBeGreaterThan(0);
    expect(res.readFlips.corrected).toBe(0);
    expect(runLines.join('')).toContain(`transient read flips (faults.readFlipRate 0.02): ${res.readFlips.flippedBits.toLocaleString('en-US')} weight SRAM read bits flipped`);
  });
});
