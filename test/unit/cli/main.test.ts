import * as fs from 'fs';
import * as path from 'path';
import { declaredParamDocuments } from '../../../src/cli/declared-params';
import { renderMarkdownReference } from '../../../src/report/param-reference';
import { tempDir, writeTinyConfig } from '../train/tiny-config';
import { captureCli } from '../cli-capture';

const dir = tempDir('cli');
const config = writeTinyConfig(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const cli = (...argv: string[]): ReturnType<typeof captureCli> => captureCli(argv);

describe('bitspike CLI', () => {
  test('--help on the program and on every command', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const c of ['train', 'validate', 'info', 'sweep', 'report']) expect(top.out).toContain(`bitspike ${c}`);
    for (const c of ['train', 'validate', 'info', 'sweep', 'report']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`bitspike ${c}`);
    }
    expect((await cli('train', '--help')).out).toContain('--resume');
  });

  test('no command, an unknown command or an unknown flag: exit 2, no stack trace', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.err).toContain('give a command');
    const bad = await cli('trian');
    expect(bad.code).toBe(2);
    const flag = await cli('train', config, '--bogus');
    expect(flag.code).toBe(2);
    expect(flag.err).toBe('bitspike: Unknown argument: bogus (see bitspike --help)\n');
    const choice = await cli('train', config, '--mode', 'fast');
    expect(choice.code).toBe(2);
    expect(choice.err).toMatch(/Invalid values/);
  });

  test('a user error is one line on stderr with exit 2, and no run folder', async () => {
    const r = await cli('train', config, '--set', 'learning.beta=3', '--out', path.join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('bitspike: --set: learning.beta: expected a power of two (..., 0.25, 0.5, 1, 2, 4, ...), got 3\n');
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
    const corrupt = path.join(dir, 'corrupt.json');
    fs.writeFileSync(corrupt, '{"seed": 1,\n "run": {"epochs": 2,}}');
    const c = await cli('validate', corrupt);
    expect(c.code).toBe(2);
    expect(c.err).toBe(`bitspike: ${corrupt}: invalid JSON at line 2, column 22 (near "}}")\n`);
  });

  test('train writes a run folder and prints the test accuracy', async () => {
    const out = path.join(dir, 'run');
    const r = await cli('train', config, '--epochs', '1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test accuracy: \d+\.\d\d% \(\d+\/40\)/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).epochs).toHaveLength(1);
  });

  test('report writes report.html for a run folder', async () => {
    const r = await cli('report', path.join(dir, 'run'));
    expect(r.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'run', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Training</h2>');
    expect(html).toContain('<h2>Configuration</h2>');
    const none = await cli('report', path.join(dir, 'nowhere'));
    expect(none.code).toBe(2);
    const unwritable = path.join(dir, 'no-such-dir', 'r.html');
    const w = await cli('report', path.join(dir, 'run'), '--out', unwritable);
    expect(w.code).toBe(2);
    expect(w.err).toBe(`bitspike: ${unwritable}: cannot write the file (no such file or directory)\n`);
  });

  test('train --precision float runs the float reference', async () => {
    const out = path.join(dir, 'float');
    const r = await cli('train', config, '--epochs', '1', '--precision', 'float', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).precision).toBe('float');
  });

  test('report with several train folders writes one comparison page', async () => {
    const file = path.join(dir, 'compare.html');
    const r = await cli('report', path.join(dir, 'run'), path.join(dir, 'float'), '--out', file);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('<td>run</td>');
    expect(html).toContain('<td>float</td>');
  });

  test('validate prints OK with what it checked', async () => {
    const r = await cli('validate', config);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^OK /);
    expect(r.out).toContain('120 train / 40 test samples of 784 bits (threshold 0.5), 10 classes');
    expect(r.out).toContain('engine  functional/binary; the network also maps onto the chip');
  });

  test('validate notes a network that would not fit the chip, and fails for mode cycle', async () => {
    const wide = await cli('validate', config, '--set', 'network.hidden=[5000]');
    expect(wide.code).toBe(0);
    expect(wide.out).toMatch(/note: run\.mode "cycle" would fail: .*mesh: the network needs 23 cores even split \(layer 2 in 3 segments\).* but the 4x4 mesh has 16: 7 too many/);
    const cycle = await cli('validate', config, '--set', 'network.hidden=[5000]', '--set', 'run.mode=cycle');
    expect(cycle.code).toBe(2);
    expect(cycle.err).toMatch(/^bitspike: .*default\.json: mesh: the network needs 23 cores even split .*7 too many\n$/);
  });

  test('info lists declared parameters; --markdown is the config reference', async () => {
    const r = await cli('info', 'data');
    expect(r.code).toBe(0);
    expect(r.out).toContain('data.threshold');
    expect(r.out).not.toContain('network.hidden');
    const md = await cli('info', '--markdown');
    expect(md.out).toBe(renderMarkdownReference(declaredParamDocuments()));
    const json = JSON.parse((await cli('info', 'run.', '--json')).out);
    expect(json[0].rows.map((x: { path: string }) => x.path)).toEqual(['run.epochs', 'run.mode', 'run.precision', 'run.outDir', 'run.progress', 'run.checkpointEvery', 'run.memoryBudget', 'run.curveEvery', 'run.threads']);
  });
});
