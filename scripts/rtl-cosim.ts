/**
 * Co-simulate the RTL twin (hw/rtl) of a chip file against the TypeScript chip model:
 * the chip's router mesh under random traffic and its neuron core on random samples.
 * Usage (after `npx tsc -p .`):
 *   node dist/scripts/rtl-cosim.js [--chip NAME|FILE] [--cycles N] [--rate R] [--samples N] [--seed S] [--vcd DIR]
 * With --vcd, the mesh run also writes DIR/rtl.vcd (from the RTL's signals) and
 * DIR/model.vcd (the simulator's VCD of the same run) and compares them signal for signal.
 * Exit codes: 0 agreement, 1 a mismatch (printed as cycle, signal, RTL value, model value),
 * 2 a user mistake: a chip file the RTL does not support, a missing Verilator, bad flags.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadChipFile } from '../src/hw/chip-file';
import { UserError } from '../src/util/errors';
import { coreParamsOf, meshParamsOf } from '../test/rtl/chip-params';
import { cosimCore } from '../test/rtl/core-cosim';
import { compareVcd, cosimMesh } from '../test/rtl/mesh-cosim';
import { requireVerilator } from '../test/rtl/build';

/** Run with `args`; returns the exit code; writes to `log` and `err`. */
export function main(args: string[], log: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  try {
    const opt: Record<string, string> = { chip: 'default', cycles: '20000', rate: '0.2', samples: '1000', seed: '1', vcd: '' };
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      const key = a.replace(/^--/, '');
      if (!a.startsWith('--') || !(key in opt) || i + 1 >= args.length) throw new UserError(`rtl-cosim: unknown or incomplete flag ${a} (flags: --chip, --cycles, --rate, --samples, --seed, --vcd)`);
      opt[key] = args[++i] as string;
    }
    const num = (k: string, lo: number, hi: number): number => {
      const v = Number(opt[k]);
      if (!(v >= lo && v <= hi)) throw new UserError(`rtl-cosim: --${k} ${opt[k]}: need a number in [${lo}, ${hi}]`);
      return v;
    };
    const cycles = Math.floor(num('cycles', 1, 1e8));
    const rate = num('rate', 0, 1);
    const samples = Math.floor(num('samples', 0, 1e7));
    const seed = Math.floor(num('seed', 0, 2 ** 31));
    const chip = loadChipFile(opt['chip'] as string);
    const mp = meshParamsOf(chip);
    const cp = coreParamsOf(chip);
    const vcdDir = opt['vcd'] as string;
    if (vcdDir !== '' && !(fs.existsSync(vcdDir) && fs.statSync(vcdDir).isDirectory())) throw new UserError(`rtl-cosim: --vcd ${vcdDir}: not an existing folder`);
    const vcd = vcdDir === '' ? undefined : { rtl: path.join(vcdDir, 'rtl.vcd'), model: path.join(vcdDir, 'model.vcd') };
    requireVerilator();
    const m = cosimMesh(mp, cycles, rate, seed, undefined, mp, vcd);
    if (m.mismatch) {
      log(`mesh: MISMATCH at cycle ${m.mismatch.cycle}, ${m.mismatch.signal}: RTL ${m.mismatch.rtl}, model ${m.mismatch.model}`);
      return 1;
    }
    log(`mesh ${mp.w}x${mp.h} of ${chip.file}: ${m.cycles} cycles, ${m.packets} packets agree cycle by cycle, router counters included (rate ${rate}, seed ${seed})`);
    if (vcd) {
      const d = compareVcd(fs.readFileSync(vcd.rtl, 'utf8'), fs.readFileSync(vcd.model, 'utf8'));
      if (d) {
        log(`VCD: MISMATCH at cycle ${d.cycle}, ${d.signal}: RTL ${d.rtl}, model ${d.model}`);
        return 1;
      }
      log(`VCD: ${vcd.rtl} and ${vcd.model} agree signal for signal`);
    }
    if (samples > 0) {
      const c = cosimCore(cp, samples, seed);
      if (c.mismatch) {
        log(`core: MISMATCH in sample ${c.mismatch.sample} at cycle ${c.mismatch.cycle}, ${c.mismatch.signal}: RTL ${c.mismatch.rtl}, model ${c.mismatch.model}`);
        return 1;
      }
      log(`core (${cp.neurons} rows, ${cp.axons} axons at most): ${c.samples} samples, ${c.rows} rows, ${c.flits} flits agree (seed ${seed})`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      err(e.message);
      return UserError.EXIT_CODE;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
