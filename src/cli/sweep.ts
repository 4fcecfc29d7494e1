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
  executor?: string;
  partition?: string;
  time?: string;
  'cpus-per-task'?: number;
  sbatch?: string[];
  wait?: boolean;
  estimate?: boolean;
  weights?: string;
  'train-each'?: boolean;
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
      .option('executor', { type: 'string', describe: 'where the points run: local (worker threads, default) or slurm (one job array; the sweep folder must be on a shared file system)' })
      .option('partition', { type: 'string', describe: 'Slurm: sbatch --partition' })
      .option('time', { type: 'string', describe: 'Slurm: sbatch --time, per point (e.g. 30, 2:00:00)' })
      .option('cpus-per-task', { type: 'number', describe: 'Slurm: sbatch --cpus-per-task' })
      .option('sbatch', { type: 'string', array: true, describe: 'Slurm: further sbatch arguments, passed as given (e.g. --sbatch=--account=lab)' })
      .option('estimate', { type: 'boolean', describe: 'budget-only: price every point with the analytic estimate (as `bitspike budget`), no training; hundreds of points in seconds' })
      .option('weights', { type: 'string', describe: 'architecture-only sweep (every axis a chip, tech or mapping key): run inference per point with these weights (weights.bin or checkpoint.bin), no training' })
      .option('train-each', { type: 'boolean', describe: 'train every point even when every axis is a chip, tech or mapping key (by default such a sweep trains once and runs inference per point)' })
      .option('wait', { type: 'boolean', describe: 'Slurm: wait until the submitted points have left the queue, then collect them' })
      .example('$0 sweep --grid learning.theta=[[2],[4],[8]] --grid seed=1,2 --epochs 2', '6 training runs; sweep.csv has one row each')
      .example("$0 sweep --grid 'network.hidden=[[256],[512]]' --set data.trainLimit=2000", 'hidden size on a quick subset')
      .example('$0 sweep --grid chip.core.sram.wordBits=32,64 --set run.mode=cycle --epochs 1', 'an architecture-only sweep: trains once, then inference per point on its derived chip')
      .example('$0 sweep --grid seed=1,2,3,4 --executor slurm --partition short --time 1:00:00 --out /shared/s1', 'one Slurm job array; then `sweep --resume /shared/s1` collects and resubmits failed points') as unknown as Argv<SweepArgs>,
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
        ...(a.executor !== undefined ? { executor: a.executor } : {}),
        ...(a.wait !== undefined ? { wait: a.wait } : {}),
        ...(a.estimate !== undefined ? { estimate: a.estimate } : {}),
        ...(a.weights !== undefined ? { weights: a.weights } : {}),
        ...(a['train-each'] !== undefined ? { trainEach: a['train-each'] } : {}),
        slurm: {
          ...(a.partition !== undefined ? { partition: a.partition } : {}),
          ...(a.time !== undefined ? { time: a.time } : {}),
          ...(a['cpus-per-task'] !== undefined ? { cpusPerTask: a['cpus-per-task'] } : {}),
          ...(a.sbatch !== undefined ? { extra: a.sbatch } : {}),
        },
      },
      { out, err, progressStream: process.stderr },
    );
    if (summary.status === 'interrupted') throw new CommandExit(130);
    if (summary.status === 'failed') throw new CommandExit(SWEEP_FAILED_EXIT);
  },
};
