/** `bitspike sweep`: train once per point of a parameter grid; one CSV row per point. */
import type { Argv, CommandModule } from 'yargs';
import { SWEEP_FAILED_EXIT, runSweep } from '../explore/sweep';
import { CommandExit } from './command-exit';
import { err, out } from './output';

interface SweepArgs {
  config?: string;
  grid?: string[];
  set?: string[];
  epochs?: number;
  out?: string;
  resume?: string;
  workers?: number;
}

/** The sweep command. */
export const command: CommandModule<object, SweepArgs> = {
  command: 'sweep [config]',
  describe: 'train once per point of a parameter grid (--grid key=VALUES, repeatable), points in parallel, and tabulate them in sweep.csv',
  builder: (y: Argv) =>
    y
      .positional('config', { type: 'string', describe: 'experiment config file (default: configs/mnist-default.json)' })
      .option('grid', {
        type: 'string',
        array: true,
        describe: 'one axis: key.path=VALUES, a JSON array or comma-separated values (repeatable; the product is swept)',
      })
      .option('set', { type: 'string', array: true, describe: 'override a config value at every point: --set key.path=value' })
      .option('epochs', { type: 'number', describe: 'epochs per point (= --set run.epochs=N)' })
      .option('out', { type: 'string', describe: 'sweep folder to create (default: runs/<config>-sweep-<time>)' })
      .option('resume', { type: 'string', describe: 'continue the interrupted sweep in this folder: finished points are kept, failed ones retried' })
      .option('workers', { type: 'number', describe: 'points trained at once in worker threads (default: the number of cores)' })
      .example('$0 sweep --grid learning.theta=[[2],[4],[8]] --grid seed=1,2 --epochs 2', '6 training runs; sweep.csv has one row each')
      .example("$0 sweep --grid 'network.hidden=[[256],[512]]' --set data.trainLimit=2000", 'hidden size on a quick subset')
      .example('$0 sweep --grid chip.core.sram.wordBits=32,64 --set run.mode=cycle --epochs 1', 'an architecture knob: each point gets a derived chip file') as unknown as Argv<SweepArgs>,
  handler: async (a) => {
    const summary = await runSweep(
      {
        ...(a.config !== undefined ? { config: a.config } : {}),
        sets: a.set ?? [],
        grid: a.grid ?? [],
        ...(a.epochs !== undefined ? { epochs: a.epochs } : {}),
        ...(a.out !== undefined ? { out: a.out } : {}),
        ...(a.resume !== undefined ? { resume: a.resume } : {}),
        ...(a.workers !== undefined ? { workers: a.workers } : {}),
      },
      { out, err, progressStream: process.stderr },
    );
    if (summary.status === 'interrupted') throw new CommandExit(130);
    if (summary.status === 'failed') throw new CommandExit(SWEEP_FAILED_EXIT);
  },
};
