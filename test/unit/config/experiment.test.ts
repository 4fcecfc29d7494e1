import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXPERIMENT_PARAMS, loadExperiment } from '../../../src/config/experiment';
import { defaultOf } from '../../../src/config/param';
import { installRoot } from '../../../src/config/paths';
import { UserError } from '../../../src/util/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-exp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, value: unknown): string {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('experiment config', () => {
  test('an empty config takes every default from the declarations', () => {
    const f = configFile('empty.json', {});
    const exp = loadExperiment(f);
    const defaults = defaultOf(EXPERIMENT_PARAMS) as Record<string, unknown>;
    expect(exp.name).toBe('empty');
    expect(exp.config.seed).toBe(defaults['seed']);
    expect(exp.config.network).toEqual(defaults['network']);
    expect(exp.config.run).toEqual(defaults['run']);
    // Default input paths name files shipped with bitspike.
    expect(exp.config.chip).toBe(path.join(installRoot(), 'hw', 'chips', 'default.json'));
    expect(exp.config.tech).toBe(path.join(installRoot(), 'hw', 'tech', '28nm-bulk.json'));
    expect(fs.existsSync(exp.config.chip)).toBe(true);
  });

  test('paths in the config resolve against its directory, --set paths against the cwd', () => {
    const f = configFile('sub/paths.json', { chip: '../chips/mine.json', data: { dataset: 'idx', trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd' } });
    const exp = loadExperiment(f, ['data.testLabels=rel/e.idx']);
    expect(exp.config.chip).toBe(path.join(dir, 'chips', 'mine.json'));
    expect(exp.config.data.trainImages).toBe(path.join(dir, 'sub', 'a'));
    expect(exp.config.data.testLabels).toBe(path.resolve(process.cwd(), 'rel/e.idx'));
    expect(exp.sourceOf('data.testLabels')).toBe('--set');
    expect(exp.sourceOf('data.trainImages')).toBe(f);
  });

  test('errors name the file and the JSON path', () => {
    const f = configFile('bad-key.json', { run: { epochz: 2 } });
    expect(message(() => loadExperiment(f))).toMatch(new RegExp(`^${f}: run.epochz: unknown key \\(known keys: epochs, `));
    const g = configFile('bad-type.json', { network: { hidden: [64, 'x'] } });
    expect(message(() => loadExperiment(g))).toBe(`${g}: network.hidden[1]: expected an integer, got "x"`);
    const h = configFile('bad-beta.json', { learning: { beta: 3 } });
    expect(message(() => loadExperiment(h))).toMatch(new RegExp(`^${h}: learning.beta: expected a power of two`));
    const i = configFile('zero.json', { network: { hidden: [0] } });
    expect(message(() => loadExperiment(i))).toBe(`${i}: network.hidden[0]: expected a value in [1, 65536], got 0`);
    const j = configFile('idx-missing.json', { data: { dataset: 'idx' } });
    expect(message(() => loadExperiment(j))).toBe(`${j}: data.trainImages: required when data.dataset is "idx"`);
    const k = configFile('theta.json', { learning: { counterBits: 4, theta: [9] } });
    expect(message(() => loadExperiment(k))).toMatch(new RegExp(`^${k}: learning.theta\\[0\\]: must be below the counter maximum`));
  });

  test('override errors name --set and the path; the config file is checked first', () => {
    const f = configFile('ok.json', { run: { epochs: 2 } });
    expect(message(() => loadExperiment(f, ['run.epochs=0']))).toBe('--set: run.epochs: expected a value in [1, 100000], got 0');
    expect(message(() => loadExperiment(f, ['run.mode=fast']))).toBe('--set: run.mode: expected one of "functional", "cycle", got "fast"');
    expect(message(() => loadExperiment(f, ['nosuch.key=1']))).toMatch(/^--set: nosuch: unknown key/);
    const bad = configFile('bad-then-set.json', { seed: -1 });
    expect(message(() => loadExperiment(bad, ['seed=3']))).toBe(`${bad}: seed: expected a value in [0, 2147483647], got -1`);
    expect(loadExperiment(f, ['run.epochs=7', 'seed=9']).config.run.epochs).toBe(7);
  });

  test('the default config file is configs/mnist-default.json of the installation', () => {
    const file = path.join(installRoot(), 'configs', 'mnist-default.json');
    if (fs.existsSync(file)) expect(loadExperiment(undefined).file).toBe(file);
    else expect(message(() => loadExperiment(undefined))).toBe(`${file}: cannot read the config (ENOENT)`);
  });
});
