/**
 * Set-up cost against mesh size with a small network: the default experiment's
 * network (784-512-100, 3 cores) built on k x k copies of the default chip, k = 4 to
 * 128. CPU seconds to build the ChipEngine (mapping, fan-out tables, mesh, cores,
 * initial weights; best of 3) and the heap it holds. Idle tiles should cost next to nothing.
 */
import * as fs from 'fs';
import { ChipEngine } from '../../src/chip/chip-engine';
import { validateChip } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { cpuSeconds, printTable } from './bench-util';

function main(): void {
  const cfg = loadExperiment(defaultConfigFile()).config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const base = JSON.parse(fs.readFileSync(cfg.chip, 'utf8')) as Record<string, unknown>;
  const rows: string[][] = [];
  new ChipEngine(model, validateChip(base, cfg.chip), cfg.seed, { mapping: cfg.mapping }); // warm-up
  for (const k of [4, 16, 32, 64, 128]) {
    const chip = validateChip({ ...base, mesh: { width: k, height: k } }, `mesh-${k}.json`);
    let best = Infinity;
    let heap = 0;
    let used = 0;
    for (let r = 0; r < 3; r++) {
      (global as { gc?: () => void }).gc?.();
      const h0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const t0 = cpuSeconds();
      const e = new ChipEngine(model, chip, cfg.seed, { mapping: cfg.mapping });
      best = Math.min(best, cpuSeconds() - t0);
      heap = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - h0;
      used = e.chip.active.length;
    }
    rows.push([`${k}x${k}`, String(k * k), String(used), (1000 * best).toFixed(1), (heap / 2 ** 20).toFixed(1)]);
  }
  printTable(['mesh', 'tiles', 'cores used', 'set-up CPU ms', 'heap + buffers MiB'], rows);
}

main();
