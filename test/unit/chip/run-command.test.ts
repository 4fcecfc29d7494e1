import * as fs from 'fs';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { linkLoadsCsv } from '../../../src/chip/chip-report';
import { chipFrom, modelParams } from '../../differential/configs';
import * as os from 'os';
import * as path from 'path';
import { readWeights, runInference } from '../../../src/cli/run';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { loadExperiment } from '../../../src/config/experiment';
import { loadData } from '../../../src/data/load-data';
import { encodeSnapshot } from '../../../src/store/weights-file';
import { UserError } from '../../../src/util/errors';

const ROOT = path.join(__dirname, '../../..');
const quiet = { out: () => undefined, progressStream: { write: () => true, isTTY: false } };

function tmpConfig(extra: Record<string, unknown> = {}): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-run-'));
  const file = path.join(dir, 'tiny-mnist.json');
  const cfg = {
    chip: path.join(ROOT, 'hw/chips/default.json'),
    network: { inputs: 784, hidden: [24], classes: 10, replicas: 2 },
    dynamics: { freeSteps: 4, nudgedSteps: 2 },
    data: { trainLimit: 50, testLimit: 12 },
    run: { progress: 'never' },
    ...extra,
  };
  fs.writeFileSync(file, JSON.stringify(cfg));
  return { dir, file };
}

describe('bitspike run', () => {
  test('writes accuracy, per-sample cycles, cores, links and counters; predictions equal the functional model', () => {
    const { dir, file } = tmpConfig();
    // Weights: a functional model trained on a few samples, saved as weights.bin.
    const exp = loadExperiment(file);
    const cfg = exp.config;
    const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
    const f = new FunctionalEngine(model, cfg.seed, { wordBits: 64 });
    const data = loadData(cfg.data, 1);
    for (let i = 0; i < 20; i++) f.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: 1 });
    const weights = path.join(dir, 'weights.bin');
    fs.writeFileSync(weights, encodeSnapshot(f.snapshot()));
    const outDir = path.join(dir, 'out');
    const s = runInference({ config: file, weights, limit: 10, out: outDir }, quiet);
    expect(s.samples).toBe(10);
    let correct = 0;
    const preds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const p = f.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction;
      preds.push(p);
      if (p === data.test.labels[i]) correct++;
    }
    const results = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    expect(results.correct).toBe(correct);
    expect(results.timing.inference.samples).toBe(10);
    expect(results.timing.training.samples).toBe(0);
    expect(results.timing.inference.free).toBeGreaterThan(0);
    expect(results.timing.inferenceLatencySeconds).toBeCloseTo(results.timing.inference.free / 200e6, 12);
    expect(results.timing.inferenceThroughputPerSecond).toBeCloseTo(200e6 / results.timing.inference.total, 6);
    const samples = fs.readFileSync(path.join(outDir, 'samples.csv'), 'utf8').trim().split('\n');
    const free = samples.slice(1).map((l) => Number(l.split(',')[3])).sort((a, b) => a - b);
    expect(results.timing.inferenceLatencyCycles).toEqual({ p50: free[4], p95: free[9], max: free[9] });
    const perSample = fs.readFileSync(path.join(outDir, 'sample-cycles.csv'), 'utf8').trim().split('\n');
    expect(perSample).toHaveLength(11);
    expect(perSample[1]!.split(',')[1]).toBe('inference');
    const chipTiming = JSON.parse(fs.readFileSync(path.join(outDir, 'chip-timing.json'), 'utf8'));
    expect(chipTiming).toEqual(results.timing);
    // The summary's means against the per-sample rows they summarise (written by a different function).
    const rows = perSample.slice(1).map((l) => l.split(',').map(Number));
    const meanOf = (col: number): number => rows.reduce((a, r) => a + r[col]!, 0) / rows.length;
    expect(results.timing.inference.free).toBeCloseTo(meanOf(2), 9);
    expect(results.timing.inference.total).toBeCloseTo(meanOf(5), 9);
    expect(results.timing.inferenceLatencyCycles.max).toBe(Math.max(...rows.map((r) => r[2]!)));
    expect(results.timing.cycles).toBe(rows.reduce((a, r) => a + r[5]!, 0));
    expect(samples).toHaveLength(11);
    expect(samples.slice(1).map((l) => Number(l.split(',')[2]))).toEqual(preds);
    const counters = JSON.parse(fs.readFileSync(path.join(outDir, 'counters.json'), 'utf8'));
    const cores = fs.readFileSync(path.join(outDir, 'cores.csv'), 'utf8').trim().split('\n');
    expect(cores).toHaveLength(1 + 16);
    const links = fs.readFileSync(path.join(outDir, 'links.csv'), 'utf8').trim().split('\n');
    expect(links).toHaveLength(1 + 16);
    // Each counter column of cores.csv and links.csv is that component's count in counters.json.
    const columns = (table: string[], kind: string, names: string[]): void => {
      const head = table[0]!.split(',');
      for (const line of table.slice(1)) {
        const cells = line.split(',');
        const comp = counters.components[`${kind}.${cells[0]}`].counts;
        for (const n of names) expect([kind, cells[0], n, Number(cells[head.indexOf(n)])]).toEqual([kind, cells[0], n, comp[n]]);
      }
    };
    columns(cores, 'core', ['activeCycles', 'queueStalls', 'idleCycles', 'packetsInjected', 'axonWrites']);
    columns(links, 'router', ['linkFlits', 'linkBits', 'crossbarTraversals', 'packetsEjected', 'arbitrationConflicts', 'creditStalls', 'activeCycles']);
    // 4x4 mesh: 2 x 2 x 4 x 3 = 48 directed links; their flits add up to the routers' linkFlits
    const loads = fs.readFileSync(path.join(outDir, 'link-loads.csv'), 'utf8').trim().split('\n');
    expect(loads).toHaveLength(1 + 48);
    const sumLoads = loads.slice(1).reduce((a, l) => a + Number(l.split(',')[5]), 0);
    let routerFlits = 0;
    for (const [id, comp] of Object.entries(counters.components) as Array<[string, { counts: Record<string, number> }]>) if (id.startsWith('router.')) routerFlits += comp.counts['linkFlits']!;
    expect(sumLoads).toBe(routerFlits);
    // Each row: the link's source tile with its mesh coordinates, its neighbour in the named direction, flits per cycle.
    const step: Record<string, [number, number]> = { N: [0, -1], S: [0, 1], E: [1, 0], W: [-1, 0] };
    expect(loads[0]).toBe('from,x,y,to,direction,flits,bits,flitsPerCycle');
    for (const line of loads.slice(1)) {
      const [from, x, y, to, dir, flits, , perCycle] = line.split(',');
      const [dx, dy] = step[dir!]!;
      expect([line, Number(x), Number(y), Number(to)]).toEqual([line, Number(from) % 4, Math.floor(Number(from) / 4), Number(from) + dx + 4 * dy]);
      expect([line, Number(perCycle)]).toEqual([line, Number((Number(flits) / results.timing.cycles).toFixed(6))]);
    }
    expect(counters.components.chip.counts.samples).toBe(10);
    expect(counters.components['core.0'].kind).toBe('core');
  });

  test('trace files named in the config land in the run folder', () => {
    const { dir, file } = tmpConfig({ trace: { to: 5000, vcd: { path: 'wave.vcd', signals: ['core.busy', 'neuron.spikes'], neurons: [0, 24] }, packets: { path: 'packets.csv' } } });
    const outDir = path.join(dir, 'out');
    runInference({ config: file, limit: 2, out: outDir }, quiet);
    const vcd = fs.readFileSync(path.join(outDir, 'wave.vcd'), 'utf8');
    expect(vcd).toMatch(/\$var wire 1 \S+ busy \$end/);
    expect(vcd).toMatch(/\$var wire 1 \S+ L2_n0 \$end/);
    expect(fs.readFileSync(path.join(outDir, 'packets.csv'), 'utf8').split('\n')[0]).toMatch(/^[a-z]/);
  });

  test('bad weights are refused before any folder exists', () => {
    const { dir, file } = tmpConfig();
    const bad = path.join(dir, 'bad.bin');
    fs.writeFileSync(bad, 'not weights at all, really');
    const outDir = path.join(dir, 'out');
    expect(() => runInference({ config: file, weights: bad, out: outDir }, quiet)).toThrow(UserError);
    expect(fs.existsSync(outDir)).toBe(false);
    expect(() => readWeights(path.join(dir, 'none.bin'))).toThrow(/none\.bin: cannot read/);
  });

  test('valid weights of another network are refused, naming both networks, before any folder exists', () => {
    const { dir, file } = tmpConfig();
    const cfg = loadExperiment(file).config;
    const other = { network: { ...cfg.network, hidden: [cfg.network.hidden[0]! + 3] }, dynamics: cfg.dynamics, learning: cfg.learning };
    const weights = path.join(dir, 'other.bin');
    fs.writeFileSync(weights, encodeSnapshot(new FunctionalEngine(other, cfg.seed).snapshot()));
    const outDir = path.join(dir, 'out');
    // 784 inputs, 24 (or 27) hidden, 10 classes x 2 replicas = 20 outputs.
    expect(() => runInference({ config: file, weights, out: outDir }, quiet)).toThrow(
      new UserError(`${weights}: the weights are for a 784-27-20 network but the config describes 784-24-20`),
    );
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test('weights whose declared widths disagree with the config are refused, naming the file, before any folder exists', () => {
    const { dir, file } = tmpConfig();
    const cfg = loadExperiment(file).config;
    const other = { network: cfg.network, dynamics: { ...cfg.dynamics, stateBits: cfg.dynamics.stateBits - 1 }, learning: cfg.learning };
    const weights = path.join(dir, 'narrow.bin');
    fs.writeFileSync(weights, encodeSnapshot(new FunctionalEngine(other, cfg.seed).snapshot()));
    const outDir = path.join(dir, 'out');
    expect(() => runInference({ config: file, weights, out: outDir }, quiet)).toThrow(
      new UserError(`${weights}: declared widths disagree with the config: states ${cfg.dynamics.stateBits - 1} bits (config dynamics.stateBits ${cfg.dynamics.stateBits})`),
    );
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test('a network that does not fit the chip is refused with the chip file and path', () => {
    const { dir, file } = tmpConfig({ chip: path.join(ROOT, 'hw/chips/truenorth-like.json'), mapping: { split: [1, 'auto'] } });
    const outDir = path.join(dir, 'out');
    expect(() => runInference({ config: file, out: outDir }, quiet)).toThrow(/truenorth-like\.json: core\.axons: layer 1 .*network\.hidden\[0\]\) needs a fan-in of 804 axons .* but a core has 256: 548 too many, and mapping\.split keeps it on one core$/);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  // Split layers: each bad input is one line naming the file and JSON path, and nothing is written.
  test.each([
    ['a forced split that leaves synapses on no core', { mapping: { split: [[256, 256], 'auto'] } }, /tiny-mnist\.json: mapping\.split\[0\]: segments of 512 axons leave synapses 512\.\.803 of layer 1's neurons .* on no core$/],
    ['a partial sum wider than the accumulator', { mapping: { partialSumBits: 20 } }, /tiny-mnist\.json: mapping\.partialSumBits: a partial sum of 20 bits is wider than the accumulator .*dynamics\.accumulatorBits = 16\): 4 bits too many$/],
    ['an unknown partial-sum send policy', { mapping: { partialSums: 'sometimes' } }, /tiny-mnist\.json: mapping\.partialSums: expected one of "every-step", "on-change", got "sometimes"$/],
    ['a partial sum too narrow for its segment', { mapping: { partialSumBits: 6 } }, /tiny-mnist\.json: mapping\.partialSumBits: segment 0 of layer 1 sums up to 256 axons, a signed partial sum of 10 bits, but 6 bits holds it: 4 bits short$/],
    ['an explicit placement that leaves a segment of a piece on no tile', { mapping: { placement: [[{ x: 0, y: 0 }, { x: 1, y: 0 }], [{ x: 2, y: 0 }]] } }, /tiny-mnist\.json: mapping\.placement\[0\]: layer 1 is split into 4 segments .* but 2 tiles leave segment\(s\) 2\.\.3 of its last piece's synapses on no core$/],
    ['SECDED over stuck weight cells on a split layer', { chip: 'secded-truenorth.json', faults: { weightStuckRate: 0.01 } }, /tiny-mnist\.json: faults\.weightStuckRate: SECDED over stuck SRAM cells is not modelled in split layers .*secded-truenorth\.json: core\.sram\.ecc is "secded".*$/],
    ['SECDED over stuck register cells on a split layer', { chip: 'secded-truenorth.json', faults: { counterStuckRate: 0.01 } }, /tiny-mnist\.json: faults\.counterStuckRate: SECDED over stuck SRAM cells is not modelled in split layers .*$/],
    ['a network that does not fit even split', { chip: 'small-truenorth.json' }, /small-truenorth\.json: mesh: the network needs 5 cores even split \(layer 1 in 4 segments\) .* but the 2x2 mesh has 4: 1 too many$/],
    ['a multicast destination set wider than the head flit', { chip: 'multicast-truenorth.json' }, /^[^\n]*multicast-truenorth\.json: noc\.multicast: the 64x64 mesh needs a 4096-bit destination set in the header, wider than the 64-bit head flit \(noc\.flitWidth\)$/],
  ])('%s', (_what, extra, pattern) => {
    const { dir, file } = tmpConfig({ chip: path.join(ROOT, 'hw/chips/truenorth-like.json'), run: { progress: 'never', mode: 'cycle' }, ...extra });
    // A TrueNorth-like chip of 2x2 tiles, next to the config.
    const tn = JSON.parse(fs.readFileSync(path.join(ROOT, 'hw/chips/truenorth-like.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'small-truenorth.json'), JSON.stringify({ ...tn, mesh: { width: 2, height: 2 } }));
    // Multicast trees with a 64-bit flit: the 64x64 mesh's destination set does not fit the head flit.
    const core = tn['core'] as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'secded-truenorth.json'), JSON.stringify({ ...tn, core: { ...core, sram: { ...(core['sram'] as object), ecc: 'secded' } } }));
    fs.writeFileSync(path.join(dir, 'multicast-truenorth.json'), JSON.stringify({ ...tn, noc: { ...(tn['noc'] as object), multicast: 'tree', flitWidth: 64 } }));
    const outDir = path.join(dir, 'out');
    let err: unknown;
    try {
      runInference({ config: file, out: outDir }, quiet);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(pattern);
    expect(fs.existsSync(outDir)).toBe(false);
  });
});

describe('link-loads.csv of a chip that ran no sample', () => {
  test('every link has 0 flits, 0 bits and 0 flits per cycle (no division by the 0 cycles)', () => {
    const model = modelParams({ network: { inputs: 6, hidden: [3], classes: 2, replicas: 1 } });
    const chip = chipFrom({ mesh: { width: 2, height: 2 }, core: { neurons: 4, axons: 64 } });
    const rows = linkLoadsCsv(new ChipEngine(model, chip, 1)).trim().split('\n').slice(1);
    // 2x2 mesh: 4 undirected links, 8 directed.
    expect(rows).toHaveLength(8);
    for (const r of rows) expect([r, r.split(',').slice(5)]).toEqual([r, ['0', '0', '0']]);
  });
});
