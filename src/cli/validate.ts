/** `bitspike validate`: check a config, its chip and technology files and its data, without running anything. */
import type { Argv, CommandModule } from 'yargs';
import { loadChipFile } from '../hw/chip-file';
import { loadExperiment } from '../config/experiment';
import { loadData } from '../data/load-data';
import { codingText } from '../data/encode';
import { loadTechTable } from '../energy/tech-table';
import { layerSizes } from '../learning/params';
import { createEngine } from '../train/engine-factory';
import { checkDataFitsNetwork } from '../train/train-run';
import { UserError } from '../util/errors';
import { ChipEngine } from '../chip/chip-engine';
import { out } from './output';
import { checkHostMemory } from '../train/host-memory';

interface ValidateArgs {
  config?: string;
  set?: string[];
}

/** The validate command. */
export const command: CommandModule<object, ValidateArgs> = {
  command: 'validate [config]',
  describe: 'check a config and the chip, technology and data files it names; prints OK or a one-line error',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (default: configs/mnist-default.json)' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set key.path=value (repeatable)' }) as unknown as Argv<ValidateArgs>,
  handler: (a) => {
    const exp = loadExperiment(a.config, a.set ?? []);
    const cfg = exp.config;
    const chip = loadChipFile(cfg.chip);
    const tech = loadTechTable(cfg.tech);
    const data = loadData(cfg.data, cfg.seed);
    const warnings = checkDataFitsNetwork(exp, data);
    // Build the engine `train` would build: for mode "cycle" this maps the network
    // onto the chip and checks every capacity.
    const built = createEngine(cfg, exp.label);
    // A chip on several threads (run.threads) stops its worker threads.
    if (built instanceof ChipEngine) built.close();
    let fit = cfg.run.mode === 'cycle' ? 'the network maps onto the chip' : '';
    if (cfg.run.mode !== 'cycle' && cfg.run.precision === 'binary') {
      try {
        checkHostMemory(cfg, chip, exp.label);
        new ChipEngine({ network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning, faults: cfg.faults }, chip, cfg.seed, { mapping: cfg.mapping, configFile: exp.label });
        fit = 'the network also maps onto the chip (run.mode "cycle" would work)';
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        fit = `note: run.mode "cycle" would fail: ${e.message}`;
      }
    }
    out(
      `OK ${exp.file}\n` +
        `  network ${layerSizes(cfg.network).join('-')} (${cfg.dynamics.encoding}, ${cfg.learning.rule} rule)\n` +
        `  chip    ${chip.file} (${chip.params.mesh.width}x${chip.params.mesh.height} mesh)\n` +
        `  tech    ${tech.file} (${tech.name})\n` +
        `  data    ${data.train.count} train / ${data.test.count} test samples of ${data.train.features} bits${data.train.frames > 1 ? ` x ${data.train.frames} frames` : ''} (${codingText(cfg.data)}), ${data.classes} classes\n` +
        warnings.map((w) => `  warning: ${w}\n`).join('') +
        `  engine  ${cfg.run.mode}/${cfg.run.precision}${fit ? `; ${fit}` : ''}\n`,
    );
  },
};
