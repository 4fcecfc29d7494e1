/**
 * Golden energy reports: a fixed counter snapshot on the tiny chip priced with every
 * bundled table. A change of any table value, price rule, leakage or area figure shows
 * up as a diff of test/golden/energy-report.golden.json; read it, then accept with
 *   UPDATE_GOLDEN=1 npx jest test/golden/energy-report
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../../src/hw/chip-file';
import type { CounterSnapshot } from '../../src/sim/counter-catalog';
import { areaReport } from '../../src/energy/area';
import { energyChipOf } from '../../src/energy/chip-view';
import { energyReport } from '../../src/energy/energy-report';
import { CHIP_ONLY } from '../../src/energy/storage';
import { loadTechTable } from '../../src/energy/tech-table';

const GOLDEN = path.join(__dirname, 'energy-report.golden.json');

const SNAPSHOT: CounterSnapshot = {
  components: {
    chip: { kind: 'chip', counts: { cycles: 12000, samples: 2, steps: 60, learningPhases: 1 } },
    io: { kind: 'io', counts: { flitsIn: 40, flitsOut: 64, bitsIn: 520, bitsOut: 832 } },
    'core.0': {
      kind: 'core',
      counts: { weightSramReads: 900, weightSramWrites: 30, counterSramReads: 240, counterSramWrites: 240, xnorWords: 870, synapticOps: 6000, accumulatorAdds: 1100, stateUpdates: 480, spikes: 70, packetsInjected: 90, axonWrites: 110, plasticityUpdates: 300, weightFlips: 12, freeStateWrites: 8, activeCycles: 2100, idleCycles: 9900 },
    },
    'router.0': { kind: 'router', counts: { bufferWrites: 150, bufferReads: 150, crossbarTraversals: 150, linkFlits: 60, linkBits: 780, packetsEjected: 90, activeCycles: 140 } },
  },
};

function rounded(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(6)) : v)));
}

it('hand-derived: simple counters of the tiny chip priced with the 28 nm table (not written by the code it checks)', () => {
  // Prices from the rules of docs/energy-model.md ("Every event and its price") and the raw entries of
  // hw/tech/28nm-bulk.json (fJ unless noted) on hw/chips/tiny.json: wordBits 8, banks 1, accumulatorBits 16,
  // stateBits 8, counterBits 8, pipelineDepth 2; packetBits = ceil(log2 3) + ceil(log2 3) + ceil(log2 128) + 1 + 1 = 13.
  //   xnorWords         8 x (0.6338 + 1.901)           = 20.2784 fJ
  //   accumulatorAdds   16 x (1.901 + 4.563)           = 103.424 fJ
  //   stateUpdates      8 x 4.563                      = 36.504 fJ   (freeStateWrites the same)
  //   spikes, axonWrites, biasBitWrites 1 x 4.563      = 4.563 fJ
  //   packetsInjected   2 x 13 x 4.563                 = 118.638 fJ
  //   plasticityUpdates 8 x 3.977                      = 31.816 fJ
  //   bufferWrites/Reads 13 x 4.563                    = 59.319 fJ
  //   crossbar          E_f(13) - 2 x 13 x 4.563 fJ, E_f on the line through (32 b, 0.7187 pJ), (64 b, 1.359 pJ):
  //                     0.7187 - 19 x (1.359 - 0.7187) / 32 = 0.338521875 pJ, less 0.118638 = 0.219883875 pJ
  //   io bits           20.31 pJ
  //   clock: core activeCycles (2 x 8 x 1 + 16) x 4.563 = 146.016 fJ; router activeCycles 0.1273 pJ
  const snap: CounterSnapshot = {
    components: {
      chip: { kind: 'chip', counts: { cycles: 1000, samples: 1 } },
      io: { kind: 'io', counts: { bitsIn: 26, bitsOut: 13 } },
      'core.0': { kind: 'core', counts: { xnorWords: 100, accumulatorAdds: 50, stateUpdates: 20, spikes: 7, packetsInjected: 9, axonWrites: 11, plasticityUpdates: 30, freeStateWrites: 4, biasBitWrites: 48, activeCycles: 200 } },
      'router.0': { kind: 'router', counts: { bufferWrites: 15, bufferReads: 15, crossbarTraversals: 15, activeCycles: 14 } },
    },
  };
  const t = loadTechTable(path.resolve(__dirname, '../../hw/tech/28nm-bulk.json'));
  const r = energyReport(snap, energyChipOf(loadChipFile('tiny')), t, { storage: CHIP_ONLY });
  const want: Record<string, number> = {
    'core.xnorWords': 100 * 0.0202784,
    'core.accumulatorAdds': 50 * 0.103424,
    'core.stateUpdates': 20 * 0.036504,
    'core.spikes': 7 * 0.004563,
    'core.packetsInjected': 9 * 0.118638,
    'core.axonWrites': 11 * 0.004563,
    'core.plasticityUpdates': 30 * 0.031816,
    'core.freeStateWrites': 4 * 0.036504,
    'core.biasBitWrites': 48 * 0.004563,
    'router.bufferWrites': 15 * 0.059319,
    'router.bufferReads': 15 * 0.059319,
    'router.crossbarTraversals': 15 * 0.219883875,
    'io.bitsIn': 26 * 20.31,
    'io.bitsOut': 13 * 20.31,
  };
  for (const [k, v] of Object.entries(want)) expect([k, r.byEventPJ[k]! / v]).toEqual([k, expect.closeTo(1, 9)]);
  // dynamic = the sum of the products above = 807.347320125 + 0.219024 = 807.566344125 pJ; clock = 200 x 0.146016 + 14 x 0.1273 = 30.9854 pJ
  expect(r.dynamicPJ).toBeCloseTo(807.566344125, 6);
  expect(r.clockPJ).toBeCloseTo(30.9854, 6);
});

it('matches the reviewed golden reports', () => {
  const chipDesc = loadChipFile('tiny');
  const chip = energyChipOf(chipDesc);
  const out: Record<string, unknown> = {};
  for (const name of ['28nm-bulk', '22nm-fdsoi', '7nm']) {
    const t = loadTechTable(path.resolve(__dirname, '../../hw/tech', `${name}.json`));
    const r = energyReport(SNAPSHOT, chip, t, { storage: CHIP_ONLY });
    const { tech: _t, chip: _c, ...figures } = r;
    out[name] = rounded({ ...figures, area: areaReport(chip, t, CHIP_ONLY) });
  }
  if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(GOLDEN, `${JSON.stringify(out, null, 2)}\n`);
  expect(out).toEqual(JSON.parse(fs.readFileSync(GOLDEN, 'utf8')));
});
