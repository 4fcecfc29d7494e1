/**
 * Set-up grows with the mapped network, not with idle tiles: the default network on a
 * 128 x 128 mesh (16,384 tiles, 3 used) builds in about the time it takes on the 4 x 4
 * default chip. CPU time, best of five builds each after a full garbage collection (so that
 * a collection of the previous build's garbage, or of the 16 MiB of router arrays a 128 x 128
 * mesh holds, does not land in the timed build), with a wide margin for the shared machine.
 */
import * as fs from 'fs';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ChipEngine } from '../../../src/chip/chip-engine';
import { validateChip } from '../../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../../src/config/experiment';

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('a 128x128 mesh with a small network starts in about the time a 4x4 one does', () => {
  const cfg = loadExperiment(defaultConfigFile()).config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const base = JSON.parse(fs.readFileSync(cfg.chip, 'utf8')) as Record<string, unknown>;
  const build = (k: number): { seconds: number; used: number } => {
    const chip = validateChip({ ...base, mesh: { width: k, height: k } }, `mesh-${k}.json`);
    let best = Infinity;
    let used = 0;
    for (let r = 0; r < 5; r++) {
      gc();
      const t0 = cpu();
      const e = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
      best = Math.min(best, cpu() - t0);
      used = e.chip.active.length;
    }
    return { seconds: best, used };
  };
  build(4); // warm-up (JIT, WebAssembly compilation)
  const small = build(4);
  const large = build(128);
  expect(large.used).toBe(small.used);
  console.log(`set-up CPU: 4x4 ${(1000 * small.seconds).toFixed(1)} ms, 128x128 ${(1000 * large.seconds).toFixed(1)} ms`);
  // Absolute margin: under a full parallel test run the 4x4 build can take 4 ms and the 128x128 one 47 ms.
  expect(large.seconds).toBeLessThan(3 * small.seconds + 0.08);
});
