import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXPERIMENT_PARAMS, loadExperiment } from '../../../src/config/experiment';
import { defaultOf } from '../../../src/config/param';
import { installRoot } from '../../../src/config/paths';
import { userErrorMessage } from '../user-error';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-exp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, value: unknown): string {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
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
    expect(userErrorMessage(() => loadExperiment(f))).toMatch(new RegExp(`^${f}: run.epochz: unknown key \\(known keys: epochs, `));
    const g = configFile('bad-type.json', { network: { hidden: [64, 'x'] } });
    expect(userErrorMessage(() => loadExperiment(g))).toBe(`${g}: network.hidden[1]: expected an integer, got "x"`);
    const h = configFile('bad-beta.json', { learning: { beta: 3 } });
    expect(userErrorMessage(() => loadExperiment(h))).toMatch(new RegExp(`^${h}: learning.beta: expected a power of two`));
    const i = configFile('zero.json', { network: { hidden: [0] } });
    expect(userErrorMessage(() => loadExperiment(i))).toBe(`${i}: network.hidden[0]: expected a value in [1, 65536], got 0`);
    const j = configFile('idx-missing.json', { data: { dataset: 'idx' } });
    expect(userErrorMessage(() => loadExperiment(j))).toBe(`${j}: data.trainImages: required when data.dataset is "idx"`);
    const k = configFile('theta.json', { learning: { counterBits: 4, theta: [9] } });
    expect(userErrorMessage(() => loadExperiment(k))).toMatch(new RegExp(`^${k}: learning.theta\\[0\\]: must be below the counter maximum`));
  });

  test('override errors name --set and the path; the config file is checked first', () => {
    const f = configFile('ok.json', { run: { epochs: 2 } });
    expect(userErrorMessage(() => loadExperiment(f, ['run.epochs=0']))).toBe('--set: run.epochs: expected a value in [1, 100000], got 0');
    expect(userErrorMessage(() => loadExperiment(f, ['run.mode=fast']))).toBe('--set: run.mode: expected one of "functional", "cycle", got "fast"');
    expect(userErrorMessage(() => loadExperiment(f, ['nosuch.key=1']))).toMatch(/^--set: nosuch: unknown key/);
    const bad = configFile('bad-then-set.json', { seed: -1 });
    expect(userErrorMessage(() => loadExperiment(bad, ['seed=3']))).toBe(`${bad}: seed: expected a value in [0, 2147483647], got -1`);
    expect(loadExperiment(f, ['run.epochs=7', 'seed=9']).config.run.epochs).toBe(7);
  });

  test('the default config file is configs/mnist-default.json of the installation', () => {
    const file = path.join(installRoot(), 'configs', 'mnist-default.json');
    if (fs.existsSync(file)) expect(loadExperiment(undefined).file).toBe(file);
    else expect(userErrorMessage(() => loadExperiment(undefined))).toBe(`${file}: cannot read the config (ENOENT)`);
  });
});

describe('hardware overrides', () => {
  test('--set chip.* derives a validated chip file with the change; same change, same file', () => {
    const f = configFile('hw.json', {});
    const exp = loadExperiment(f, ['chip.core.sram.wordBits=32', 'chip.mesh.width=2']);
    expect(exp.config.chip).not.toBe(path.join(installRoot(), 'hw', 'chips', 'default.json'));
    const chip = JSON.parse(fs.readFileSync(exp.config.chip, 'utf8'));
    expect(chip.core.sram.wordBits).toBe(32);
    expect(chip.mesh.width).toBe(2);
    const base = JSON.parse(fs.readFileSync(path.join(installRoot(), 'hw', 'chips', 'default.json'), 'utf8'));
    expect(chip.core.neurons).toBe(base.core.neurons);
    expect(exp.derived).toEqual([{ kind: 'chip', base: path.join(installRoot(), 'hw', 'chips', 'default.json'), file: exp.config.chip, changes: ['chip.core.sram.wordBits', 'chip.mesh.width'] }]);
    expect(loadExperiment(f, ['chip.mesh.width=2', 'chip.core.sram.wordBits=32']).config.chip).toBe(exp.config.chip);
    expect(loadExperiment(f).derived).toEqual([]);
  });

  test('--set tech.* derives a technology table', () => {
    const f = configFile('hw-tech.json', {});
    const exp = loadExperiment(f, ['tech.sram.readAnchor.value=1.5']);
    expect(JSON.parse(fs.readFileSync(exp.config.tech, 'utf8')).sram.readAnchor.value).toBe(1.5);
  });

  test('a bad hardware change names the base file and the --set key', () => {
    const f = configFile('hw-bad.json', {});
    const chip = path.join(installRoot(), 'hw', 'chips', 'default.json');
    expect(userErrorMessage(() => loadExperiment(f, ['chip.core.neurons=0']))).toBe(`${chip} (with --set chip.core.neurons): core.neurons: expected a value in [1, 65536], got 0`);
    expect(userErrorMessage(() => loadExperiment(f, ['chip.core.neuronz=4']))).toMatch(/\(with --set chip\.core\.neuronz\): core\.neuronz: unknown key/);
    expect(userErrorMessage(() => loadExperiment(f, ['tech.sram.readAnchor.value=-1']))).toMatch(/28nm-bulk\.json \(with --set tech\.sram\.readAnchor\.value\): sram\.readAnchor/);
  });
});
