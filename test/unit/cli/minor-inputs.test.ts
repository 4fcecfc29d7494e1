/**
 * The minor bad inputs of issue 13: each reproduced, each now a one-line answer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseJsonText } from '../../../src/config/json-file';
import { applyOverrides, parseOverride } from '../../../src/config/overrides';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { decodeSnapshot, encodeSnapshot } from '../../../src/store/weights-file';
import { captureCli } from '../cli-capture';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { userErrorMessage } from '../user-error';

const dir = tempDir('minor-inputs');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tinySnapshot(): NetworkSnapshot {
  return {
    layers: [40, 3],
    states: [Int32Array.from([1, -2, 3])],
    spikes: [Uint32Array.from([5, 1]), Uint32Array.from([2])],
    weights: [Uint32Array.from([1, 2, 3, 4, 5, 6])],
    synapseState: [new Int32Array(120)],
    biases: [new Int32Array(0)],
  };
}

describe('minor bad inputs', () => {
  test('a UTF-8 byte-order mark in front of a JSON file is skipped, not reported as invalid JSON', async () => {
    const config = writeTinyConfig(dir, 'bom.json');
    fs.writeFileSync(config, `\uFEFF${fs.readFileSync(config, 'utf8')}`);
    expect(parseJsonText('\uFEFF{"a": 1}', 'x.json')).toEqual({ a: 1 });
    const r = await captureCli(['validate', config]);
    expect([r.code, r.err]).toEqual([0, '']);
  });

  test('info with a prefix no parameter has: exit 2, one line', async () => {
    const r = await captureCli(['info', 'nosuchprefix']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('bitspike: info nosuchprefix: no parameter path starts with "nosuchprefix" (bitspike info lists them all)\n');
    expect((await captureCli(['info', 'learning'])).code).toBe(0);
  });

  test('--set __proto__.K=V (and constructor, prototype) is refused and pollutes nothing', () => {
    for (const text of ['__proto__.polluted=1', 'run.__proto__.x=2', 'constructor.prototype.y=3']) {
      expect(userErrorMessage(() => parseOverride(text))).toMatch(/^--set .*: "(__proto__|constructor)" is not a config key$/);
    }
    const merged = applyOverrides({ run: {} }, [parseOverride('run.epochs=2')]) as Record<string, Record<string, unknown>>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(merged['run']).toEqual({ epochs: 2 });
  });

  test('a weights file with a valid checksum but array lengths that do not fit its layers is refused', () => {
    expect(decodeSnapshot(encodeSnapshot(tinySnapshot()), 'w.bin').layers).toEqual([40, 3]);
    const cases: Array<[(s: NetworkSnapshot) => void, string]> = [
      [(s) => (s.weights[0] = new Uint32Array(5)), 'weights of layer 1: 5 words, expected 6'],
      [(s) => (s.states[0] = new Int32Array(4)), 'states of layer 1: 4 values, expected 3'],
      [(s) => (s.spikes[0] = new Uint32Array(1)), 'spikes of layer 0: 1 words, expected 2'],
      [(s) => (s.synapseState[0] = new Int32Array(7)), 'learning state of layer 1: 7 values, expected 120 or none'],
      [(s) => (s.biases[0] = new Int32Array(2)), 'biases of layer 1: 2 values, expected 3 or none'],
    ];
    for (const [spoil, problem] of cases) {
      const s = tinySnapshot();
      spoil(s);
      expect(userErrorMessage(() => decodeSnapshot(encodeSnapshot(s), 'w.bin'))).toBe(`w.bin: not a valid bitspike weights file: ${problem}`);
    }
  });

  test('report of a folder whose epochs.csv is garbage: exit 2 naming the file and line, no NaN page', async () => {
    const run = path.join(dir, 'garbage');
    fs.mkdirSync(run);
    fs.writeFileSync(path.join(run, 'epochs.csv'), 'epoch,train_accuracy,test_accuracy\n1,0.5,0.4\n2,zz,0.6\n');
    const r = await captureCli(['report', run]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`bitspike: ${path.join(run, 'epochs.csv')}: line 3: train_accuracy is "zz", not a number\n`);
    expect(fs.existsSync(path.join(run, 'report.html'))).toBe(false);
    fs.writeFileSync(path.join(run, 'epochs.csv'), '\u0000\u0001garbage\nmore\n');
    const r2 = await captureCli(['report', run]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('epochs.csv: no column epoch');
  });

  test('reversed trace windows are refused: the config trace section and noc --trace-from/--trace-to', async () => {
    const config = writeTinyConfig(dir, 'trace.json');
    const r = await captureCli(['validate', config, '--set', 'trace.from=100', '--set', 'trace.to=50']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('bitspike: --set: trace.to: is 50, before trace.from 100 (a reversed window traces nothing)\n');
    const n = await captureCli(['noc', '--mesh', '2x2', '--rate', '0.1', '--measure', '10', '--vcd', path.join(dir, 'w.vcd'), '--trace-from', '30', '--trace-to', '20']);
    expect(n.code).toBe(2);
    expect(n.err).toContain('--trace-to: is 20, before --trace-from 30');
    expect(fs.existsSync(path.join(dir, 'w.vcd'))).toBe(false);
  });
});
