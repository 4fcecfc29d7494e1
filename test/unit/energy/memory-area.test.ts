import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import { mapNetwork } from '../../../src/map/mapping';
import { loadTechTable } from '../../../src/energy/tech-table';
import { energyChip, packetBitsFor } from '../../../src/energy/chip-view';
import { areaReport } from '../../../src/energy/area';
import { checkMemoryFits, memoryReport, storageOptionsOf } from '../../../src/energy/memory';
import { CHIP_ONLY } from '../../../src/energy/storage';
import { UserError } from '../../../src/util/errors';

const t28 = loadTechTable(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'));
const tiny = loadChipFile('tiny');
const SRC = { chipFile: tiny.file, configFile: 'c.json', layersPath: 'network', placementPath: 'mapping.placement' };

describe('memory budget', () => {
  const chip = energyChip(tiny.params, tiny.file, 4);
  const m = mapNetwork([16, 8, 4], tiny.params.core, tiny.params.mesh, { placement: 'snake' }, SRC);
  const r = memoryReport(m, chip, { freeStates: true, biasBits: 6 });
  it('splits weight rows into forward, backward (transposed copy) and padding', () => {
    // Layer 1: 8 rows of fan-in 16 + 4 = 20 bits -> 3 words of 8 bits; layer 2: 4 rows of fan-in 8 -> 1 word.
    expect(r.cores.map((c) => c.weightSegments)).toEqual([
      { forward: 128, backward: 32, padding: 32 },
      { forward: 32, backward: 0, padding: 0 },
    ]);
    const line = (core: number, name: string) => r.cores[core]!.lines.find((l) => l.memory === name)!;
    expect(line(0, 'weights').usedBits).toBe(192);
    expect(line(0, 'plasticity counters').usedBits).toBe(192 * tiny.params.core.counterBits);
    expect(line(0, 'neuron states').usedBits).toBe(8 * 8);
    expect(line(1, 'stored free states').usedBits).toBe(4 * 8);
    expect(line(1, 'biases').usedBits).toBe(4 * 6);
    // Core 0 receives layers 0 and 2 (16 + 4 axons), double-buffered.
    expect(line(0, 'axon buffers').usedBits).toBe(2 * 20);
    expect(line(0, 'router buffers').usedBits).toBe(5 * 4 * chip.packetBits);
  });
  it('totals SRAM per core and chip', () => {
    const k = tiny.params.core;
    expect(r.sramBitsPerCore).toBe(k.sram.capacityBits + k.sram.counterCapacityBits);
    expect(r.sramBitsTotal).toBe(9 * (k.sram.capacityBits + k.sram.counterCapacityBits));
    expect(r.sramBitsUsed).toBe((192 + 32) * (1 + k.counterBits));
    expect(r.chip['weights']).toEqual({ usedBits: 224, capacityBits: 9 * 4096 });
  });
  it('a fitting budget passes the check', () => {
    expect(() => checkMemoryFits(r, tiny.file)).not.toThrow();
  });
  it('refuses a budget that does not fit, naming the memory, core and excess', () => {
    // The same mapping checked against a chip whose counter SRAM is 68 bits too small for core 0.
    const need = 192 * tiny.params.core.counterBits;
    const small = { ...tiny.params, core: { ...tiny.params.core, sram: { ...tiny.params.core.sram, counterCapacityBits: need - 68 } } };
    const r2 = memoryReport(m, energyChip(small, 'small.json', 4), CHIP_ONLY);
    expect(() => checkMemoryFits(r2, 'small.json')).toThrow(UserError);
    expect(() => checkMemoryFits(r2, 'small.json')).toThrow(
      `small.json: core.sram.counterCapacityBits: plasticity counters of tile (0, 0) = core 0 need ${need} bits but the core has ${need - 68}: 68 bits too many`,
    );
  });
  it('stores free states only for symmetric nudging or a free-state reference', () => {
    expect(storageOptionsOf({ symmetric: false, nudgeReference: 'state' }, { bias: false, biasBits: 8 })).toEqual({ freeStates: false, biasBits: 0 });
    expect(storageOptionsOf({ symmetric: true, nudgeReference: 'state' }, { bias: true, biasBits: 8 })).toEqual({ freeStates: true, biasBits: 8 });
    expect(storageOptionsOf({ symmetric: false, nudgeReference: 'free' }, { bias: false, biasBits: 8 }).freeStates).toBe(true);
  });
});

describe('on-change partial-sum registers (mapping.partialSums)', () => {
  // 16-8-4 on tiny (8 neurons, 128 axons), layer 1 forced into segments [8, 8, 4] of its 20-axon
  // fan-in: segment 1 = forward columns 8..15 (one part), segment 2 = the 4 backward columns (one
  // part), each on its own core; partialSumBits auto = 16. Segment cores: 8 row parts x 16 = 128
  // last-sent bits each; the home: 2 x 8 row parts x 16 = 256 last-received bits.
  const chip = energyChip(tiny.params, tiny.file, 4);
  const mapOf = (partialSums: 'every-step' | 'on-change') => mapNetwork([16, 8, 4], tiny.params.core, tiny.params.mesh, { placement: 'snake', split: [[8, 8, 4], 'auto'], partialSums }, SRC);
  const learning = { symmetric: false, nudgeReference: 'state' };
  const dynamics = { bias: false, biasBits: 8 };
  it('every core provisions the busiest core\'s registers; the memory report shows each core\'s use', () => {
    const m = mapOf('on-change');
    const o = storageOptionsOf(learning, dynamics, m);
    expect(o).toEqual({ freeStates: false, biasBits: 0, partialSumRegisterBits: 256 });
    const r = memoryReport(m, chip, o);
    const home = m.layerPieces[1]![0]!.core;
    const used = r.cores.map((c) => [c.core === home, c.lines.find((l) => l.memory === 'partial-sum registers')!.usedBits]);
    expect(used.filter(([h]) => h).map(([, b]) => b)).toEqual([256]);
    // Segment 1 and 2 cores (128 each) and the layer-2 core (0).
    expect(used.filter(([h]) => !h).map(([, b]) => b).sort()).toEqual([0, 128, 128]);
    expect(r.chip['partial-sum registers']).toEqual({ usedBits: 512, capacityBits: 9 * 256 });
    expect(() => checkMemoryFits(r, tiny.file)).not.toThrow();
    // Area: 256 more flip-flops per tile.
    const flop = t28.values['logic.flopArea']!;
    const a = areaReport(chip, t28, storageOptionsOf(learning, dynamics, mapOf('every-step')));
    expect(areaReport(chip, t28, o).tileUm2.registers - a.tileUm2.registers).toBeCloseTo(256 * flop, 9);
  });
  it('every-step needs none: no line, no bits', () => {
    const m = mapOf('every-step');
    expect(storageOptionsOf(learning, dynamics, m)).toEqual({ freeStates: false, biasBits: 0 });
    expect(memoryReport(m, chip, storageOptionsOf(learning, dynamics, m)).cores.every((c) => c.lines.every((l) => l.memory !== 'partial-sum registers'))).toBe(true);
  });
});

describe('area', () => {
  it('packet width: destination x, y, axon index and one payload bit', () => {
    expect(packetBitsFor(tiny.params)).toBe(2 + 2 + Math.ceil(Math.log2(tiny.params.core.axons)) + 1 + 1);
    expect(packetBitsFor(loadChipFile('truenorth-like').params)).toBe(6 + 6 + 8 + 1 + 1);
  });
  it('tile area is the sum of its parts, pitch its square root, chip = tiles x tile', () => {
    const d = loadChipFile('default');
    const a = areaReport(energyChip(d.params, d.file, 4), t28, CHIP_ONLY);
    const sum = Object.values(a.tileUm2).reduce((x, y) => x + y, 0);
    expect(a.tileMm2).toBeCloseTo(sum * 1e-6, 12);
    expect(a.tilePitchMm ** 2).toBeCloseTo(a.tileMm2, 12);
    expect(a.chipMm2).toBeCloseTo(16 * a.tileMm2, 12);
    expect(a.tileUm2.weightSram).toBeCloseTo(1048576 * 0.19, 6);
    expect(Object.values(a.share).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });
  it('more router buffering or a free-state store costs area', () => {
    const d = loadChipFile('default');
    const a = areaReport(energyChip(d.params, d.file, 4), t28, CHIP_ONLY);
    const b = areaReport(energyChip(d.params, d.file, 8), t28, CHIP_ONLY);
    const c = areaReport(energyChip(d.params, d.file, 4), t28, { freeStates: true, biasBits: 0 });
    expect(b.tileUm2.router).toBeGreaterThan(a.tileUm2.router);
    expect(c.tileUm2.registers - a.tileUm2.registers).toBeCloseTo(256 * 8 * t28.values['logic.flopArea']!, 6);
  });
  it('a TrueNorth-like tile at 28 nm is within 2x of the published TrueNorth core (240 x 390 um)', () => {
    const d = loadChipFile('truenorth-like');
    const a = areaReport(energyChip(d.params, d.file, 4), t28, CHIP_ONLY);
    const ratio = a.tileMm2 / (0.24 * 0.39);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
