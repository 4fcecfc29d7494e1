/**
 * One point of a sweep, run from the sweep folder alone (`bitspike sweep-point FOLDER
 * --index K`, what every executor runs): it trains with the point's own resolved
 * config (pNNN/point.json) into pNNN/, resuming from pNNN/checkpoint.bin when an
 * earlier attempt left one; in an architecture-only sweep (arch-only.ts) it runs the
 * test passes on the point's chip instead, and `--train` runs the shared training. What it prints goes to pNNN/point.log; when it fails, its
 * error is kept in pNNN/point-error.txt (one line for a user mistake, the stack for a
 * bug) and the error is thrown on, so the command still exits with its code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTraining, type TrainIo } from '../train/train-run';
import { UserError } from '../util/errors';
import { ARCH_FILES, runInferencePoint, runSharedTraining } from './arch-only';
import { gridPoints } from './grid';
import { POINT_FILES, pointDir, pointName, readSpec } from './sweep-folder';

/** Log files a scheduler writes into the point folder (Slurm's --output: slurm-<job>_<task>.out of an array task, slurm-<job>.out of the training job). */
const SCHEDULER_LOG = /^slurm-\d+(_\d+)?\.out$/;

/** How a point's command ended. */
export type PointRunStatus = 'finished' | 'interrupted' | 'already-done';

/** Run (or resume) point `index` of the sweep in `folder` (`index` "train": the shared training of an architecture-only sweep). */
export async function runSweepPoint(folder: string, index: number | 'train'): Promise<PointRunStatus> {
  const dir = path.resolve(folder);
  const spec = readSpec(dir);
  const count = gridPoints(spec.axes).length;
  if (index === 'train') {
    if (spec.archOnly?.weights !== 'train') throw new UserError(`${dir}: not an architecture-only sweep that trains its network (nothing to do for --train)`);
    const tdir = path.join(dir, ARCH_FILES.train);
    return runInFolder(tdir, 'shared training', (io, own, resume) => runSharedTraining(dir, tdir, io, own, resume));
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UserError(`${dir}: no point ${index} (the sweep has points 0 to ${count - 1})`);
  }
  const archOnly = spec.archOnly;
  return runInFolder(pointDir(dir, index), pointName(index), async (io, own, resume) => {
    if (archOnly !== undefined) return runInferencePoint(dir, archOnly.weights, pointDir(dir, index), io);
    const pdir = pointDir(dir, index);
    const summary = resume
      ? await runTraining({ resume: pdir }, io, { noResumeHint: true })
      : await runTraining({ config: path.join(pdir, POINT_FILES.config), out: pdir, outMayHold: own }, io, { noResumeHint: true });
    return summary.status;
  });
}

/**
 * Run `body` in the point folder `pdir` (which holds point.json): nothing when it has
 * results.json; its output to point.log; its error kept in point-error.txt. An attempt
 * that stopped before its first checkpoint left only partial files: they go first.
 */
async function runInFolder(
  pdir: string,
  name: string,
  body: (io: TrainIo, own: readonly string[], resume: boolean) => Promise<'finished' | 'interrupted'> | 'finished' | 'interrupted',
): Promise<PointRunStatus> {
  const config = path.join(pdir, POINT_FILES.config);
  if (!fs.existsSync(config)) throw new UserError(`${pdir}: no ${POINT_FILES.config} (the sweep folder is incomplete)`);
  if (fs.existsSync(path.join(pdir, POINT_FILES.results))) return 'already-done';
  const log = path.join(pdir, POINT_FILES.log);
  const write = (s: string): void => fs.appendFileSync(log, s);
  const io: TrainIo = { out: write, err: write, progressStream: { write: () => true, isTTY: false } };
  fs.rmSync(path.join(pdir, POINT_FILES.error), { force: true });
  write(`${new Date().toISOString()} ${name} starts\n`);
  try {
    const resume = fs.existsSync(path.join(pdir, POINT_FILES.checkpoint));
    // The point's own files, and the logs a scheduler writes there (Slurm), stay.
    const own = fs.readdirSync(pdir).filter((f) => f === POINT_FILES.config || f === POINT_FILES.log || SCHEDULER_LOG.test(f));
    if (!resume) {
      for (const f of fs.readdirSync(pdir)) if (!own.includes(f)) fs.rmSync(path.join(pdir, f), { recursive: true, force: true });
    }
    return await body(io, own, resume);
  } catch (e) {
    const text = e instanceof UserError ? e.message : ((e as Error).stack ?? String(e));
    fs.writeFileSync(path.join(pdir, POINT_FILES.error), `${text}\n`);
    write(`error: ${text}\n`);
    throw e;
  }
}
