/** SECDED costs: hand-computed check bits, stored bits, codec gates, and their effect on prices, area and leakage. */
import * as path from 'path';
import { loadChipFile } from '../../../src/hw/chip-file';
import type { ChipParams } from '../../../src/hw/chip-file';
import { loadTechTable, techValue } from '../../../src/energy/tech-table';
import { eccXorGates, energyChip, sramStoredFactor, storedWordBits } from '../../../src/energy/chip-view';
import { areaReport } from '../../../src/energy/area';
import { leakagePower } from '../../../src/energy/leakage';
import { eventPrices } from '../../../src/energy/event-prices';
import { CHIP_ONLY } from '../../../src/energy/storage';

const t28 = loadTechTable(path.resolve(__dirname, '../../../hw/tech/28nm-bulk.json'));
const def = loadChipFile('default');

function withEcc(p: ChipParams, ecc: 'none' | 'secded'): ChipParams {
  return { ...p, core: { ...p.core, sram: { ...p.core.sram, ecc } } };
}

describe('SECDED cost model', () => {
  const plain = energyChip(withEcc(def.params, 'none'), def.file, 4);
  const ecc = energyChip(withEcc(def.params, 'secded'), def.file, 4);

  test('64-bit words store 72 bits; encoder 7*32 + 64 = 288 XORs, decoder 288 + 8 + 64 = 360', () => {
    expect(def.params.core.sram.wordBits).toBe(64);
    expect(storedWordBits(plain)).toBe(64);
    expect(storedWordBits(ecc)).toBe(72);
    expect(sramStoredFactor(ecc)).toBe(72 / 64);
    expect(eccXorGates(plain)).toEqual({ encode: 0, decode: 0 });
    expect(eccXorGates(ecc)).toEqual({ encode: 288, decode: 360 });
  });

  test('every SRAM access costs more with the code, nothing else changes', () => {
    const ctx = (chip: typeof plain) => ({ chip, tech: t28, tilePitchMm: 0.8 });
    const a = eventPrices(ctx(plain));
    const b = eventPrices(ctx(ecc));
    for (const k of Object.keys(a)) {
      if (/Sram(Reads|Writes)$/.test(k)) expect([k, b[k]! > a[k]!]).toEqual([k, true]);
      else expect([k, b[k]]).toEqual([k, a[k]]);
    }
    // The codec alone is 360 XORs per read: at least that much above the wider word's own read.
    const xor = techValue(t28, 'logic.xnorPerBit');
    expect(b['core.weightSramReads']! - a['core.weightSramReads']!).toBeGreaterThan(360 * xor);
  });

  test('SRAM area and leakage grow by the stored-bit factor (plus the codec gates for area)', () => {
    const o = CHIP_ONLY;
    const aa = areaReport(plain, t28, o).tileUm2;
    const ab = areaReport(ecc, t28, o).tileUm2;
    const codec = def.params.core.sram.banks * (288 + 360) * techValue(t28, 'logic.xnorAreaPerBit');
    expect(ab.weightSram).toBeCloseTo(aa.weightSram * 1.125 + codec, 6);
    expect(ab.counterSram).toBeCloseTo(aa.counterSram * 1.125 + codec, 6);
    expect(ab.router).toBe(aa.router);
    expect(leakagePower(ecc, t28, o).sram).toBeCloseTo(leakagePower(plain, t28, o).sram * 1.125, 9);
  });
});
