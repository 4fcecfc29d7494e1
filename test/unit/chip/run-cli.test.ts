import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { captureCli } from '../cli-capture';

const ROOT = path.join(__dirname, '../../..');
const cli = (...argv: string[]): ReturnType<typeof captureCli> => captureCli(argv);

describe('bitspike run (CLI)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-run-cli-'));
  const config = path.join(dir, 'small.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      chip: path.join(ROOT, 'hw/chips/default.json'),
      network: { inputs: 784, hidden: [16], classes: 10, replicas: 1 },
      dynamics: { freeSteps: 3, nudgedSteps: 2 },
      data: { trainLimit: 20, testLimit: 4 },
      run: { progress: 'never' },
    }),
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--help describes the command', async () => {
    const r = await cli('run', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('bitspike run');
    expect(r.out).toContain('--weights');
  });

  test('runs and reports accuracy and cycles', async () => {
    const r = await cli('run', config, '--limit', '3', '--out', path.join(dir, 'ok'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test accuracy: [\d.]+% \(\d\/3\)/);
    expect(r.out).toMatch(/cycles per inference: [\d.]+ = [\d.]+ us at 200\.0 MHz/);
    expect(fs.existsSync(path.join(dir, 'ok', 'results.json'))).toBe(true);
  });

  test('a placement outside the mesh: exit 2, one line naming the path, no folder', async () => {
    const out = path.join(dir, 'bad');
    const r = await cli('run', config, '--set', 'mapping.placement=[[{"x":9,"y":0}],[{"x":0,"y":0}]]', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/mapping\.placement\[0\]\[0\]\.x: tile x = 9 is outside the 4x4 mesh/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a weights file of another network: exit 2 naming the file', async () => {
    const w = path.join(dir, 'w.bin');
    fs.writeFileSync(w, 'garbage');
    const r = await cli('run', config, '--weights', w, '--out', path.join(dir, 'bad2'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/w\.bin/);
    expect(fs.existsSync(path.join(dir, 'bad2'))).toBe(false);
  });
});
