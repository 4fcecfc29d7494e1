/** `bitspike budget`: memory, area and an energy/latency estimate of one inference and one training sample, without the cycle model. */
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { loadExperiment } from '../config/experiment';
import { layerSizes } from '../learning/params';
import { writeJsonAtomic } from '../store/atomic-write';
import { checkFileWritable } from '../store/writable';
import { formatAreaReport, formatEnergyReport, formatMemoryReport } from '../energy/format';
import { resolveTechFile } from '../energy/tech-table';
import { estimateExperiment, type PlacementTraffic } from '../explore/estimate';
import type { NetworkSnapshot } from '../learning/engine';
import { UserError, userError } from '../util/errors';
import { out } from './output';
import { readWeights } from './run';

interface BudgetArgs {
  config?: string;
  set?: string[];
  tech?: string;
  samples: number;
  json?: string;
  weights?: string;
}

/** The budget command. */
export const command: CommandModule<object, BudgetArgs> = {
  command: 'budget [config]',
  describe: 'memory, area and estimated energy/latency per inference and per training sample (no cycle simulation)',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (JSON; default configs/mnist-default.json)' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set key.path=value (repeatable)' })
      .option('tech', { type: 'string', describe: 'technology table: a file or a name in hw/tech (default: the config\'s tech)' })
      .option('samples', { type: 'number', default: 8, describe: 'samples the functional model runs for the activity-dependent counts (per phase)' })
      .option('weights', { type: 'string', describe: 'checkpoint.bin or weights.bin of a training run (default: the seeded initial network)' })
      .option('json', { type: 'string', describe: 'also write the full budget as JSON to this file' })
      .example('$0 budget', 'budget of configs/mnist-default.json at 28 nm')
      .example('$0 budget --tech 7nm', 'the same design priced with the 7 nm table') as unknown as Argv<BudgetArgs>,
  handler: (a) => {
    if (a.json !== undefined) checkFileWritable(a.json);
    const exp = loadExperiment(a.config, a.set ?? []);
    const cfg = exp.config;
    if (!Number.isInteger(a.samples) || a.samples < 1) throw userError('--samples', '', `expected an integer >= 1, got ${a.samples}`);
    let weights: NetworkSnapshot | undefined;
    if (a.weights !== undefined) {
      const file = path.resolve(a.weights);
      weights = readWeights(file);
      const want = layerSizes(cfg.network).join('-');
      if (weights.layers.join('-') !== want) throw new UserError(`${file}: the weights are for a ${weights.layers.join('-')} network but the config describes ${want}`);
    }
    const k = a.samples;
    const { report: r, chip: desc, tech, placements } = estimateExperiment(exp, k, { comparePlacements: true, ...(weights ? { weights } : {}), ...(a.tech !== undefined ? { techFile: resolveTechFile(a.tech) } : {}) });
    out(`budget of ${exp.file}\nchip ${desc.file}, technology ${tech.file}, weights ${a.weights ?? `initial (seed ${cfg.seed})`}, ${k} sample(s) per phase\nmethod: ${r.method}\n\n`);
    out(`${formatMemoryReport(r.memory)}\n${formatAreaReport(r.area)}\n`);
    out(`${formatEnergyReport(r.inference.energy, 'one inference (free phase + readout)')}\n`);
    out(formatEnergyReport(r.training.energy, 'one training sample (free + nudged phases + learning)'));
    out(`\n${formatPlacementTraffic(placements)}`);
    if (a.json !== undefined) {
      writeJsonAtomic(a.json, {
        config: exp.file,
        chip: desc.file,
        tech: tech.file,
        weights: a.weights ?? null,
        samplesPerPhase: k,
        method: r.method,
        memory: r.memory,
        area: r.area,
        inference: { samples: r.inference.samples, cycles: r.inference.cycles, counters: r.inference.snapshot, energy: r.inference.energy },
        training: { samples: r.training.samples, cycles: r.training.cycles, counters: r.training.snapshot, energy: r.training.energy },
        placements,
      });
    }
  },
};

/** Table of the per-step traffic of each placement (the config's first), so that placements can be compared. */
export function formatPlacementTraffic(rows: readonly PlacementTraffic[]): string {
  const lines = ['traffic per step by placement (every neuron to every core that reads it, partial sums as flits; upper bound, zero-load):', '  placement       packets   hop-weighted   partial-sum flits'];
  rows.forEach((r, i) => {
    const name = `${r.placement}${i === 0 ? ' (used)' : ''}`.padEnd(12);
    if (r.traffic === null) lines.push(`  ${name}  does not map: ${r.error ?? ''}`);
    else lines.push(`  ${name}  ${String(r.traffic.packets).padStart(7)}   ${String(r.traffic.hopPackets).padStart(12)}   ${String(r.traffic.partialSumFlits).padStart(17)}`);
  });
  return `${lines.join('\n')}\n`;
}
