/**
 * One point of a sweep, run from the sweep folder alone (`bitspike sweep-point FOLDER
 * --index K`, what every executor runs): it trains with the point's own resolved
 * config (pNNN/point.json) into pNNN/, resuming from pNNN/checkpoint.bin when an
 * earlier attempt left one. What it prints goes to pNNN/point.log; when it fails, its
 * error is kept in pNNN/point-error.txt (one line for a user mistake, the stack for a
 * bug) and the error is thrown on, so the command still exits with its code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTraining, type TrainIo } from '../train/train-run';
import { UserError } from '../util/errors';
import { gridPoints } from './grid';
import { POINT_FILES, pointDir, pointName, readSpec } from './sweep-folder';

/** Log files a scheduler writes into the point folder (Slurm's --output of an array task). */
const SCHEDULER_LOG = /^slurm-\d+_\d+\.out$/;

/** How a point's command ended. */
export type PointRunStatus = 'finished' | 'interrupted' | 'already-done';

/** Run (or resume) point `index` of the sweep in `folder`. */
export async function runSweepPoint(folder: string, index: number): Promise<PointRunStatus> {
  const dir = path.resolve(folder);
  const spec = readSpec(dir);
  const count = gridPoints(spec.axes).length;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UserError(`${dir}: no point ${index} (the sweep has points 0 to ${count - 1})`);
  }
  const pdir = pointDir(dir, index);
  const config = path.join(pdir, POINT_FILES.config);
  if (!fs.existsSync(config)) throw new UserError(`${pdir}: no ${POINT_FILES.config} (the sweep folder is incomplete)`);
  if (fs.existsSync(path.join(pdir, POINT_FILES.results))) return 'already-done';
  const log = path.join(pdir, POINT_FILES.log);
  const write = (s: string): void => fs.appendFileSync(log, s);
  const io: TrainIo = { out: write, err: write, progressStream: { write: () => true, isTTY: false } };
  fs.rmSync(path.join(pdir, POINT_FILES.error), { force: true });
  write(`${new Date().toISOString()} ${pointName(index)} starts\n`);
  try {
    const resume = fs.existsSync(path.join(pdir, POINT_FILES.checkpoint));
    // The point's own files, and the logs a scheduler writes there (Slurm: slurm-<job>_<task>.out), stay.
    const own = fs.readdirSync(pdir).filter((f) => f === POINT_FILES.config || f === POINT_FILES.log || SCHEDULER_LOG.test(f));
    if (!resume) {
      // An attempt that stopped before its first checkpoint left only partial files: start over.
      for (const f of fs.readdirSync(pdir)) if (!own.includes(f)) fs.rmSync(path.join(pdir, f), { recursive: true, force: true });
    }
    const summary = resume
      ? await runTraining({ resume: pdir }, io, { noResumeHint: true })
      : await runTraining({ config, out: pdir, outMayHold: own }, io, { noResumeHint: true });
    return summary.status;
  } catch (e) {
    const text = e instanceof UserError ? e.message : ((e as Error).stack ?? String(e));
    fs.writeFileSync(path.join(pdir, POINT_FILES.error), `${text}\n`);
    write(`error: ${text}\n`);
    throw e;
  }
}
