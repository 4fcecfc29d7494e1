import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { chipFrom, modelParams } from '../../differential/configs';

/** Value changes of the VCD signal named `name`: [cycle, value] in file order. */
function changes(vcd: string, name: string): Array<[number, number]> {
  const m = new RegExp(`\\$var wire 1 (\\S+) ${name} \\$end`).exec(vcd);
  if (!m) throw new Error(`no signal ${name}`);
  const code = m[1] as string;
  const out: Array<[number, number]> = [];
  let t = 0;
  for (const line of vcd.split('\n')) {
    if (line.startsWith('#')) t = Number(line.slice(1));
    else if ((line === `0${code}` || line === `1${code}`)) out.push([t, Number(line[0])]);
  }
  return out;
}

describe('chip traces', () => {
  test('VCD: core busy per step and learning phase, traced spikes end at the snapshot bits; packet CSV has every packet', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chip-trace-'));
    const model = modelParams({
      network: { inputs: 6, hidden: [3], classes: 2, replicas: 1 },
      dynamics: { freeSteps: 3, nudgedSteps: 2, kFwd: [8], kBwd: [8], offset: [0] },
      learning: { symmetric: true },
    });
    const chip = chipFrom({ mesh: { width: 2, height: 2 }, core: { neurons: 4, axons: 64, sram: { wordBits: 4 }, learning: { startDelay: 1 } }, barrierDelay: 1 });
    const e = new ChipEngine(model, chip, 3, {
      trace: {
        from: 0,
        to: -1,
        vcd: { path: path.join(dir, 'run.vcd'), signals: ['core.busy', 'neuron.spikes', 'router.occupancy'], routers: [], cores: [], neurons: [0, 1, 2, 3] },
        packets: { path: path.join(dir, 'packets.csv') },
      },
    });
    const input = new Uint32Array([0b101101]);
    for (let s = 0; s < 2; s++) e.runSample(input, s % 2, { learn: true, betaSign: 1 });
    e.finish();
    const vcd = fs.readFileSync(path.join(dir, 'run.vcd'), 'utf8');
    // Core 0 (the first busy signal declared) holds layer 1 (3 neurons on 4-neuron cores; layer 2 is on core 1,
    // so core 0 takes no part in the readout). docs/timing-model.md: busy is 1 from the start of a step or learning
    // phase to the core's last commit (end of its learning rows). A step lasts sum R_i + pipelineDepth >= 1 cycles
    // and the next starts barrierDelay = 1 after the barrier e_k >= that commit, so busy falls in between: one
    // rise per step; the learning phase lasts startDelay (1) + its rows >= 1 cycles: one rise. Per sample
    // 3 free + 2 x 2 nudged (symmetric) steps + 1 learning phase = 8 rises, 2 samples = 16.
    const rises = changes(vcd, 'busy').filter(([, v]) => v === 1);
    expect(rises.length).toBe(2 * (3 + 4 + 1));
    const snap = e.snapshot();
    for (const [name, layer, i] of [
      ['L1_n0', 1, 0],
      ['L1_n2', 1, 2],
      ['L2_n0', 2, 0],
    ] as const) {
      const ch = changes(vcd, name);
      const last = ch.length > 0 ? ch[ch.length - 1]![1] : 0;
      expect([name, last]).toEqual([name, ((snap.spikes[layer]![0] as number) >>> i) & 1]);
    }
    const csv = fs.readFileSync(path.join(dir, 'packets.csv'), 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(e.chip.mesh.packetsInjected);
  });

  test('no trace section: no files, and finish() is harmless', () => {
    const e = new ChipEngine(modelParams({ network: { inputs: 4, hidden: [2], classes: 2, replicas: 1 }, dynamics: { kFwd: [4], kBwd: [4], offset: [0] } }), chipFrom({}), 1);
    e.runSample(new Uint32Array([3]), 0, { learn: false });
    expect(() => e.finish()).not.toThrow();
  });
});
