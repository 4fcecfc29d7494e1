/**
 * Limits before work: an estimate of the host memory a run of an experiment needs,
 * refused before anything is built or written when it exceeds the budget.
 *
 * The estimate is linear in what the set-up allocates per unit, with coefficients
 * measured (peak resident set of real `bitspike train` runs, cycle mode, default chip
 * scaled to k x k tiles and the default network with wider hidden layers;
 * test/bench/host-memory.ts re-measures them, docs/architecture.md "Host memory: limits before work"):
 *   bytes = BASE + PER_TILE * tiles (cycle mode only) + PER_SYNAPSE * synapses
 *         + (threads - 1) * (PER_THREAD + PER_THREAD_TILE * tiles)      (run.threads > 1)
 * where tiles = mesh.width * mesh.height and synapses = sum over weight layers of
 * fan-in * fan-out. The per-tile term covers the mesh, its counters and the per-tile
 * reports and checkpoint totals a run writes. Inference (`bitspike run`: an inference-only
 * chip, no learning registers, the network loaded a layer at a time) uses its own, smaller
 * per-tile and per-synapse coefficients; each extra thread holds its own mapping and mesh.
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
/** Inference only (`bitspike run`): peak resident bytes per tile, measured 10.2 and 10.0 KiB (32->64, 64->128), rounded up. */
export const PER_TILE_INFERENCE_BYTES = 12 * 1024;
/** Inference only: peak resident bytes per synapse, measured 0.44 B (784-h-100 on 32x32, h = 512 -> 16384); 2 B also covers the filled 64x64 chip's 4,096 active cores (estimate 314 MiB, measured 258-262). */
export const PER_SYNAPSE_INFERENCE_BYTES = 2;
/** Each thread beyond the first (run.threads): measured +60 to +64 MiB on the filled 64x64 chip (4,096 tiles), 24 MiB + 10 KiB per tile. */
export const PER_THREAD_BYTES = 24 * 2 ** 20;
export const PER_THREAD_TILE_BYTES = 10 * 1024;
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

/** What the run builds: a training engine (default) or an inference-only chip (`bitspike run`). */
export interface HostMemoryUse {
  inferenceOnly?: boolean;
}

/** Estimated peak host bytes of a run of `cfg` (cycle mode on `chip` when given, with run.threads threads). */
export function estimateHostBytes(cfg: ExperimentConfig, chip: ChipDescription | null, use: HostMemoryUse = {}): number {
  const tiles = chip === null ? 0 : chip.params.mesh.width * chip.params.mesh.height;
  const inference = use.inferenceOnly === true;
  const extraThreads = chip === null ? 0 : Math.max(0, cfg.run.threads - 1);
  return (
    BASE_BYTES +
    (inference ? PER_TILE_INFERENCE_BYTES : PER_TILE_BYTES) * tiles +
    (inference ? PER_SYNAPSE_INFERENCE_BYTES : PER_SYNAPSE_BYTES) * synapseCount(cfg) +
    extraThreads * (PER_THREAD_BYTES + PER_THREAD_TILE_BYTES * tiles)
  );
}

function gib(b: number): string {
  return `${(b / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * Throw a one-line UserError when the estimate of a run of `cfg` exceeds the budget;
 * `chip` is the chip the cycle model would build (null for the functional model),
 * `file` the config named in the error, `use` what the run builds.
 */
export function checkHostMemory(cfg: ExperimentConfig, chip: ChipDescription | null, file: string, use: HostMemoryUse = {}): void {
  const need = estimateHostBytes(cfg, chip, use);
  const budget = memoryBudgetBytes(cfg);
  if (need <= budget) return;
  const budgetText = cfg.run.memoryBudget > 0 ? `run.memoryBudget ${cfg.run.memoryBudget} MiB` : `half of this machine's ${gib(os.totalmem())}; set run.memoryBudget (MiB) to change it`;
  const what =
    chip === null
      ? `${file}: network: ${synapseCount(cfg)} synapses`
      : `${chip.file}: mesh: ${chip.params.mesh.width}x${chip.params.mesh.height} tiles with ${synapseCount(cfg)} synapses`;
  throw new UserError(`${what} need an estimated ${gib(need)} of host memory, over the budget of ${gib(budget)} (${budgetText})`);
}
