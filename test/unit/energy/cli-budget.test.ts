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
  it('a split network: the hop-weighted traffic of each placement, the used one first (text and JSON)', async () => {
    // 784 inputs on 256-axon cores: layer 1 (fan-in 784 + 10 x 10 replicas) is split into 4 segments.
    const split = path.join(dir, 'split.json');
    fs.writeFileSync(split, JSON.stringify({ chip: path.resolve(__dirname, '../../../hw/chips/truenorth-like.json'), network: { hidden: [64] }, dynamics: { freeSteps: 3, nudgedSteps: 1 } }));
    const json = path.join(dir, 'split-budget.json');
    const r = await capture(() => main(['budget', split, '--samples', '1', '--json', json]));
    expect(r.code).toBe(0);
    const b = JSON.parse(fs.readFileSync(json, 'utf8'));
    const rows = b.placements as Array<{ placement: string; traffic: { packets: number; hopPackets: number; partialSumFlits: number } }>;
    expect(rows.map((x) => x.placement)).toEqual(['snake', 'spread', 'traffic']);
    // Every segment 1..3 of layer 1 (64 rows, 1 part, except the last: 16 forward + 100 backward columns = 2 parts) sends
    // its rows' partial sums as 2-flit packets (39 bits over 23-bit flits, docs/timing-model.md) whatever the placement.
    for (const x of rows) expect(x.traffic.partialSumFlits).toBe(64 * (1 + 1 + 2) * 2);
    const snake = rows[0]!.traffic;
    expect(rows[2]!.traffic.hopPackets).toBeLessThanOrEqual(snake.hopPackets);
    expect(r.out).toContain('traffic per step by placement');
    expect(r.out).toMatch(new RegExp(`snake \\(used\\)\\s+${snake.packets}\\s+${snake.hopPackets}\\s+${snake.partialSumFlits}\\n`));
    // The estimate counts the partial sums of every step: free steps x 512 packets per inference.
    expect(b.inference.counters.components['core.all'].counts.partialSumPackets).toBe(3 * 64 * 4);
  });
  it('on a multicast-tree chip the traffic table counts one packet per neuron over its XY tree', async () => {
    // small-core (64-neuron cores): layer 1 (64 neurons) on one core feeds both output cores, each
    // input bit the layer-1 core only; the layer-2 pieces feed the layer-1 core.
    const mc = path.join(dir, 'small-core.json');
    fs.writeFileSync(mc, JSON.stringify({ chip: path.resolve(__dirname, '../../../hw/chips/small-core.json'), network: { hidden: [64] }, dynamics: { freeSteps: 3, nudgedSteps: 1 } }));
    const rows: Array<{ packets: number; hopPackets: number }> = [];
    for (const mode of ['unicast', 'tree']) {
      const json = path.join(dir, `small-core-${mode}.json`);
      const r = await capture(() => main(['budget', mc, '--samples', '1', '--set', `chip.noc.multicast=${mode}`, '--json', json]));
      expect(r.code).toBe(0);
      rows.push((JSON.parse(fs.readFileSync(json, 'utf8')).placements as Array<{ traffic: { packets: number; hopPackets: number } }>)[0]!.traffic);
    }
    // 784 input packets and 100 layer-2 packets either way; layer 1's 64 neurons send 2 packets each unicast, 1 tree.
    expect(rows[0]!.packets - rows[1]!.packets).toBe(64);
    expect(rows[1]!.hopPackets).toBeLessThan(rows[0]!.hopPackets);
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
