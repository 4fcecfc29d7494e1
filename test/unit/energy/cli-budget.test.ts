import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';

function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  return fn().then(
    (code) => {
      process.stdout.write = o;
      process.stderr.write = e;
      return { code, out, err };
    },
    (x: unknown) => {
      process.stdout.write = o;
      process.stderr.write = e;
      throw x;
    },
  );
}

describe('bitspike budget', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-cli-'));
  const cfg = path.join(dir, 'small.json');
  fs.writeFileSync(cfg, JSON.stringify({ network: { hidden: [64] }, dynamics: { freeSteps: 4, nudgedSteps: 2 } }));
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  it('prints memory, area and both energy estimates, and writes the JSON', async () => {
    const json = path.join(dir, 'budget.json');
    const r = await capture(() => main(['budget', cfg, '--samples', '2', '--tech', '22nm-fdsoi', '--json', json]));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SRAM bits: \d+ .* per core/);
    expect(r.out).toMatch(/area \(22nm-fdsoi\)/);
    expect(r.out).toMatch(/one inference .*technology 22nm-fdsoi/);
    expect(r.out).toMatch(/one training sample/);
    const b = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(b.inference.energy.totalPJ).toBeGreaterThan(0);
    expect(b.training.energy.perSamplePJ).toBeGreaterThan(b.inference.energy.perSamplePJ);
  });
  it('a bad technology table: one line, exit 2, no JSON written', async () => {
    const bad = path.join(dir, 'bad.json');
    const t = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'), 'utf8'));
    t.logic.adderPerBit.value = -1;
    fs.writeFileSync(bad, JSON.stringify(t));
    const json = path.join(dir, 'none.json');
    const r = await capture(() => main(['budget', cfg, '--tech', bad, '--json', json]));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`bitspike: ${bad}: logic.adderPerBit.value: an energy cannot be negative, got -1\n`);
    expect(fs.existsSync(json)).toBe(false);
  });
});
