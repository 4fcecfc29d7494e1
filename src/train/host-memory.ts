/**
 * Limits before work: an estimate of the host memory a run of an experiment needs,
 * refused before anything is built or written when it exceeds the budget.
 *
 * The estimate is linear in what the set-up allocates per unit, with coefficients
 * measured (peak resident set of real `bitspike train` runs, cycle mode, default chip
 * scaled to k x k tiles and the default network with wider hidden layers;
 * test/bench/host-memory.ts re-measures them, docs/architecture.md "Host memory: limits before work"):
 *   bytes = BASE + PER_TILE * tiles (cycle mode only) + PER_SYNAPSE * synapses
 * where tiles = mesh.width * mesh.height and synapses = sum over weight layers of
 * fan-in * fan-out. The per-tile term covers the mesh, its counters and the per-tile
 * reports and checkpoint totals a run writes.
 */
import * as os from 'os';
import type { ChipDescription } from '../hw/chip-file';
import type { ExperimentConfig } from '../config/experiment';
import { layerSizes } from '../learning/params';
import { UserError } from '../util/errors';

/** Measured resident set of a small run (16x16 default chip, 20 samples): the Node runtime, data, code. */
export const BASE_BYTES = 140 * 2 ** 20;
/** Peak resident bytes per mesh tile of a cycle run: measured slopes 37 and 34 KiB/tile (16->64), 27-30 and 39 (64->128), 31 (128->256); near the top. */
export const PER_TILE_BYTES = 40 * 1024;
/** Peak resident bytes per synapse: measured 17-18 B (784-h-100 network, h = 512 -> 4096 on a 16x16 mesh), rounded up. */
export const PER_SYNAPSE_BYTES = 20;
/** Fraction of this machine's memory (os.totalmem) used as the budget when run.memoryBudget is 0. */
export const DEFAULT_BUDGET_FRACTION = 0.5;

/** The budget in bytes: run.memoryBudget MiB, or half of this machine's memory when 0. */
export function memoryBudgetBytes(cfg: ExperimentConfig): number {
  return cfg.run.memoryBudget > 0 ? cfg.run.memoryBudget * 2 ** 20 : Math.floor(DEFAULT_BUDGET_FRACTION * os.totalmem());
}

/** Synapses of the network: sum over weight layers of fan-in x fan-out. */
export function synapseCount(cfg: ExperimentConfig): number {
  const s = layerSizes(cfg.network);
  let n = 0;
  for (let i = 1; i < s.length; i++) n += (s[i - 1] as number) * (s[i] as number);
  return n;
}

/** Estimated peak host bytes of a run of `cfg` (cycle mode on `chip` when given). */
export function estimateHostBytes(cfg: ExperimentConfig, chip: ChipDescription | null): number {
  const tiles = chip === null ? 0 : chip.params.mesh.width * chip.params.mesh.height;
  return BASE_BYTES + PER_TILE_BYTES * tiles + PER_SYNAPSE_BYTES * synapseCount(cfg);
}

function gib(b: number): string {
  return `${(b / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * Throw a one-line UserError when the estimate of a run of `cfg` exceeds the budget;
 * `chip` is the chip the cycle model would build (null for the functional model),
 * `file` the config named in the error.
 */
export function checkHostMemory(cfg: ExperimentConfig, chip: ChipDescription | null, file: string): void {
  const need = estimateHostBytes(cfg, chip);
  const budget = memoryBudgetBytes(cfg);
  if (need <= budget) return;
  const budgetText = cfg.run.memoryBudget > 0 ? `run.memoryBudget ${cfg.run.memoryBudget} MiB` : `half of this machine's ${gib(os.totalmem())}; set run.memoryBudget (MiB) to change it`;
  const what =
    chip === null
      ? `${file}: network: ${synapseCount(cfg)} synapses`
      : `${chip.file}: mesh: ${chip.params.mesh.width}x${chip.params.mesh.height} tiles with ${synapseCount(cfg)} synapses`;
  throw new UserError(`${what} need an estimated ${gib(need)} of host memory, over the budget of ${gib(budget)} (${budgetText})`);
}
