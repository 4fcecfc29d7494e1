import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { defaultOf } from '../../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams, NetworkParams } from '../../../src/learning/params';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { loadTechTable } from '../../../src/energy/tech-table';
import { ENERGY_FILE, energyReportForRun, formatRunEnergy, prepareRunEnergy, subtractCounters, writeRunEnergy } from '../../../src/energy/run-report';

const tech = loadTechTable(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'));
const chip = loadChipFile('tiny');
const model: ModelParams = {
  network: { ...(defaultOf(NETWORK_SECTION) as NetworkParams), inputs: 16, hidden: [8], classes: 2, replicas: 2 },
  dynamics: { ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams), stateBits: chip.params.core.stateBits, accumulatorBits: chip.params.core.accumulatorBits },
  learning: defaultOf(LEARNING_SECTION) as LearningParams,
};
const x = Uint32Array.of(0b1011_0110_1100_0101);

describe('energy of a run', () => {
  it('prices a cycle-model run with its own cycle count', () => {
    const e = new ChipEngine(model, chip, 1);
    e.runSample(x, 1, { learn: true, betaSign: 1 });
    const r = energyReportForRun({ counters: e.counters(), chip, tech, model, configFile: 't.json' })!;
    expect(r.cyclesFrom).toBe('snapshot');
    expect(r.missingKinds).toEqual([]);
    expect(r.samples).toBe(1);
    expect(r.totalPJ).toBeGreaterThan(0);
  });
  it('estimates cycles for a functional run and names the missing counter kinds', () => {
    const f = new FunctionalEngine(model, 1, { wordBits: chip.params.core.sram.wordBits });
    f.runSample(x, 0, { learn: false });
    const before = f.counters();
    f.runSample(x, 1, { learn: true, betaSign: -1 });
    const all = energyReportForRun({ counters: f.counters(), chip, tech, model, configFile: 't.json' })!;
    expect(all.cyclesFrom).toBe('estimate');
    expect(all.cycles).toBeGreaterThan(0);
    expect(all.missingKinds).toEqual(['router', 'io']);
    const training = energyReportForRun({ counters: subtractCounters(f.counters(), before), chip, tech, model, configFile: 't.json' })!;
    expect(training.samples).toBe(1);
    expect(training.totalPJ).toBeLessThan(all.totalPJ);
    expect(formatRunEnergy({ training })).toMatch(/not included: no router, io counters/);
  });
  it('returns null for an engine that counts no hardware events', () => {
    expect(energyReportForRun({ counters: { components: { chip: { kind: 'chip', counts: { samples: 3 } } } }, chip, tech, model, configFile: 't.json' })).toBeNull();
  });
  it('writes energy.json whole into the run folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'energy-run-'));
    const e = new ChipEngine(model, chip, 1);
    e.runSample(x, 0, { learn: false });
    const r = energyReportForRun({ counters: e.counters(), chip, tech, model, configFile: 't.json' })!;
    writeRunEnergy(dir, { run: r });
    const back = JSON.parse(fs.readFileSync(path.join(dir, ENERGY_FILE), 'utf8'));
    expect(back.run.totalPJ).toBeCloseTo(r.totalPJ, 6);
    expect(fs.readdirSync(dir)).toEqual([ENERGY_FILE]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('prepareRunEnergy', () => {
  const cfg = { chip: chip.file, tech: path.resolve(__dirname, '../../../hw/tech/7nm.json'), ...model };
  it('refuses a bad technology table before the run starts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'energy-prep-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ name: 'x', description: 'y', sram: {}, logic: {}, noc: {}, io: {} }));
    expect(() => prepareRunEnergy({ ...cfg, tech: bad }, 'c.json')).toThrow(`${bad}: sram.anchorBytes: missing entry`);
    fs.rmSync(dir, { recursive: true });
  });
  it('writes energy.json with the chosen table and returns the table to print', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'energy-prep-'));
    const f = new FunctionalEngine(model, 1, { wordBits: chip.params.core.sram.wordBits });
    f.runSample(x, 1, { learn: true, betaSign: 1 });
    const text = prepareRunEnergy(cfg, 'c.json')(f.counters(), dir);
    expect(text).toMatch(/technology 7nm/);
    const back = JSON.parse(fs.readFileSync(path.join(dir, ENERGY_FILE), 'utf8'));
    expect(back.run.tech.name).toBe('7nm');
    expect(back.run.clockPJ).toBeGreaterThan(0);
    expect(prepareRunEnergy(cfg, 'c.json')({ components: {} }, dir)).toBe('');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('prepareRunEnergy with the counters of the inferences', () => {
  const cfg = { chip: chip.file, tech: path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'), ...model };
  it('prices training samples and inferences apart, prints those two and keeps the whole run in energy.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'energy-split-'));
    const e = new ChipEngine(model, chip, 1);
    e.runSample(x, 1, { learn: true, betaSign: 1 });
    e.runSample(x, 0, { learn: true, betaSign: -1 });
    const before = e.counters();
    e.runSample(x, 1, { learn: false });
    const inference = subtractCounters(e.counters(), before);
    const text = prepareRunEnergy(cfg, 'c.json')(e.counters(), dir, inference);
    expect(text).toMatch(/^energy \(training\): 2 sample\(s\)/m);
    expect(text).toMatch(/^energy \(inference\): 1 sample\(s\)/m);
    expect(text).not.toMatch(/energy \(run\)/);
    const back = JSON.parse(fs.readFileSync(path.join(dir, ENERGY_FILE), 'utf8'));
    expect(Object.keys(back)).toEqual(['run', 'training', 'inference']);
    expect([back.run.samples, back.training.samples, back.inference.samples]).toEqual([3, 2, 1]);
    expect(back.training.cycles + back.inference.cycles).toBe(back.run.cycles);
    expect(back.inference.perSamplePJ).toBeLessThan(back.training.perSamplePJ);
    // No test pass (nothing inferred): only the training part is priced apart.
    expect(prepareRunEnergy(cfg, 'c.json')(before, dir, subtractCounters(before, before))).toMatch(/^energy \(training\): 2 sample\(s\)/);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, ENERGY_FILE), 'utf8')))).toEqual(['run', 'training']);
    // A checkpoint from before the split (null): the whole run only.
    expect(prepareRunEnergy(cfg, 'c.json')(e.counters(), dir, null)).toMatch(/^energy \(run\): 3 sample\(s\)/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('prepareRunEnergy memory check', () => {
  const big = { ...model, network: { ...model.network, hidden: [100] } };
  const cfg = { chip: chip.file, tech: path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'), ...big };
  it('refuses a cycle-model run that does not fit the chip before it starts, naming what and by how much', () => {
    expect(() => prepareRunEnergy({ ...cfg, run: { precision: 'binary', mode: 'cycle' } }, 'big.json')).toThrow(/: mesh: the network needs 14 cores .*: 5 too many$/);
    expect(() => prepareRunEnergy({ ...cfg, run: { precision: 'float' } }, 'big.json')).not.toThrow();
  });
  it('lets a functional run of a network the chip cannot hold run unpriced, saying why', () => {
    const finish = prepareRunEnergy({ ...cfg, run: { precision: 'binary', mode: 'functional' } }, 'big.json');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'energy-misfit-'));
    expect(finish({ components: { 'core.all': { kind: 'core', counts: { xnorWords: 1 } } } }, dir)).toMatch(/^energy: not priced, the network does not fit the chip: .*5 too many\n$/);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
