/** `bitspike sweep-point`: run one point of a sweep folder; what every sweep executor (local pool, Slurm array task) runs. */
import type { Argv, CommandModule } from 'yargs';
import { runSweepPoint } from '../explore/point';
import { UserError } from '../util/errors';
import { CommandExit } from './command-exit';

interface SweepPointArgs {
  folder: string;
  index?: number;
  train?: boolean;
}

/** The sweep-point command. */
export const command: CommandModule<object, SweepPointArgs> = {
  command: 'sweep-point <folder>',
  describe: 'run one point of a sweep folder (what the sweep executors run; --index, or $SLURM_ARRAY_TASK_ID in a Slurm array task)',
  builder: (y: Argv) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'the sweep folder' })
      .option('index', { type: 'number', describe: 'point number (default: $SLURM_ARRAY_TASK_ID)' })
      .option('train', { type: 'boolean', describe: 'run the shared training of an architecture-only sweep (into FOLDER/train) instead of a point' })
      .example('$0 sweep-point runs/sweep --index 3', 'train point p003 into runs/sweep/p003') as unknown as Argv<SweepPointArgs>,
  handler: async (a) => {
    if (a.train === true) {
      if (a.index !== undefined) throw new UserError('sweep-point: give --index K or --train, not both');
      if ((await runSweepPoint(a.folder, 'train')) === 'interrupted') throw new CommandExit(130);
      return;
    }
    const fromEnv = process.env['SLURM_ARRAY_TASK_ID'];
    if (a.index === undefined && fromEnv === undefined) throw new UserError('sweep-point: give --index K (or run inside a Slurm array task, which sets SLURM_ARRAY_TASK_ID)');
    const index = a.index ?? Number(fromEnv);
    const status = await runSweepPoint(a.folder, index);
    if (status === 'interrupted') throw new CommandExit(130);
  },
};
