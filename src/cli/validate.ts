/** `bitspike validate`: check a config, its chip and technology files and its data, without running anything. */
import type { Argv, CommandModule } from 'yargs';
import { loadChipFile } from '../chip/chip-file';
import { loadExperiment } from '../config/experiment';
import { loadData } from '../data/load-data';
import { loadTechTable } from '../energy/tech-table';
import { layerSizes } from '../learning/params';
import { checkDataFitsNetwork } from '../train/train-run';
import { out } from './output';

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
    const data = loadData(cfg.data);
    checkDataFitsNetwork(exp, data);
    out(
      `OK ${exp.file}\n` +
        `  network ${layerSizes(cfg.network).join('-')} (${cfg.dynamics.encoding}, ${cfg.learning.rule} rule)\n` +
        `  chip    ${chip.file} (${chip.params.mesh.width}x${chip.params.mesh.height} mesh)\n` +
        `  tech    ${tech.file} (${tech.name})\n` +
        `  data    ${data.train.count} train / ${data.test.count} test samples of ${data.train.features} bits, ${data.classes} classes\n`,
    );
  },
};
