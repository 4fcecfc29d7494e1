/** `bitspike train`: train a network on a dataset and write a run folder. */
import type { Argv, CommandModule } from 'yargs';
import { resolveTechFile } from '../energy/tech-table';
import { runTraining } from '../train/train-run';
import { CommandExit } from './command-exit';
import { err, out } from './output';

interface TrainArgs {
  config?: string;
  set?: string[];
  epochs?: number;
  precision?: 'binary' | 'float';
  mode?: 'functional' | 'cycle';
  out?: string;
  resume?: string;
  tech?: string;
}

/** The train command. */
export const command: CommandModule<object, TrainArgs> = {
  command: 'train [config]',
  describe: 'train a network (default config: configs/mnist-default.json) and write a run folder',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (JSON)' })
      .option('set', { type: 'string', array: true, describe: 'override a config value: --set key.path=value (repeatable)' })
      .option('epochs', { type: 'number', describe: 'number of epochs (= --set run.epochs=N)' })
      .option('precision', { choices: ['binary', 'float'] as const, describe: 'binary integer network or the float EP reference' })
      .option('mode', { choices: ['functional', 'cycle'] as const, describe: 'untimed functional model or the cycle-accurate chip' })
      .option('out', { type: 'string', describe: 'run folder to create (default: runs/<config>-<seed>-<time>)' })
      .option('tech', { type: 'string', describe: 'technology table for energy.json: a file or a name in hw/tech (= --set tech=FILE)' })
      .option('resume', { type: 'string', describe: 'continue the interrupted run in this run folder' })
      .example('$0 train', 'short default training run on the bundled MNIST digits')
      .example('$0 train configs/mnist-default.json --epochs 3 --set data.trainLimit=1000', 'quick run on 1,000 samples')
      .example('$0 train --resume runs/mnist-default-1-20260101-120000', 'continue after Ctrl-C') as unknown as Argv<TrainArgs>,
  handler: async (a) => {
    const summary = await runTraining(
      {
        ...(a.config !== undefined ? { config: a.config } : {}),
        sets: [...(a.set ?? []), ...(a.tech !== undefined ? [`tech=${resolveTechFile(a.tech)}`] : [])],
        ...(a.epochs !== undefined ? { epochs: a.epochs } : {}),
        ...(a.precision !== undefined ? { precision: a.precision } : {}),
        ...(a.mode !== undefined ? { mode: a.mode } : {}),
        ...(a.out !== undefined ? { out: a.out } : {}),
        ...(a.resume !== undefined ? { resume: a.resume } : {}),
      },
      { out, err, progressStream: process.stderr },
    );
    if (summary.status === 'interrupted') throw new CommandExit(130);
  },
};
