/**
 * Golden energy reports: a fixed counter snapshot on the tiny chip priced with every
 * bundled table. A change of any table value, price rule, leakage or area figure shows
 * up as a diff of test/golden/energy-report.golden.json; read it, then accept with
 *   UPDATE_GOLDEN=1 npx jest test/golden/energy-report
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../../src/chip/chip-file';
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
