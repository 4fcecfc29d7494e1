/**
 * The Slurm executor: the sweep's points go to a cluster as one job array, submitted
 * with sbatch. The sweep folder must be on a file system the compute nodes share
 * (as Slurm users expect), at the same path. Each array task runs one point's
 * command, `bitspike sweep-point FOLDER` (the point number comes from
 * $SLURM_ARRAY_TASK_ID, which equals the point number), through a small script
 * written into FOLDER/slurm/; the task's Slurm log goes to its point folder
 * (pNNN/slurm-<job>_<task>.out). Every submission is recorded in
 * FOLDER/slurm/jobs.json (job id, points), so a later `--resume` can tell which job
 * ran a point and which points are still in the queue (squeue).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic-write';
import { UserError } from '../util/errors';
import { compiledFile, type PointTask } from './executor';

/** sbatch options passed through. */
export interface SlurmOptions {
  partition?: string;
  /** Time limit per array task, in any form sbatch --time accepts (e.g. "30", "2:00:00"). */
  time?: string;
  cpusPerTask?: number;
  /** Further sbatch arguments, as given (e.g. ["--account=lab", "--qos=short"]). */
  extra?: string[];
}

/** One submission: a job array over some points. */
export interface SlurmSubmission {
  jobId: string;
  points: number[];
  submitted: string;
}

/** A point's task as the queue shows it. */
export interface QueuedTask {
  jobId: string;
  state: string;
}

const JOBS_FILE = 'jobs.json';
const SCRIPT_FILE = 'point.sh';

/** The Slurm folder of a sweep folder. */
export function slurmDir(dir: string): string {
  return path.join(dir, 'slurm');
}

/** Whether an executable `name` is in one of the PATH's folders. */
function onPath(name: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((d) => {
    try {
      fs.accessSync(path.join(d || '.', name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Refuse to go on when a Slurm command is not on the PATH (checked before the sweep folder is written). */
export function checkSlurmCommands(names: readonly string[] = ['sbatch', 'squeue']): void {
  for (const name of names) {
    if (!onPath(name)) throw new UserError(`--executor slurm: ${name} is not on the PATH (run the sweep on a Slurm login node, or use --executor local)`);
  }
}

/** Array ranges as sbatch writes them: [0,1,2,5,7,8] -> "0-2,5,7-8". */
export function arraySpec(points: readonly number[]): string {
  const sorted = [...points].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The submissions recorded in the sweep folder, oldest first. */
export function readSubmissions(dir: string): SlurmSubmission[] {
  const f = path.join(slurmDir(dir), JOBS_FILE);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as SlurmSubmission[]) : [];
}

/** The job that last ran (or runs) point `k`, or null. */
export function lastJobOf(submissions: readonly SlurmSubmission[], k: number): string | null {
  for (let i = submissions.length - 1; i >= 0; i--) if ((submissions[i] as SlurmSubmission).points.includes(k)) return (submissions[i] as SlurmSubmission).jobId;
  return null;
}

/** The Slurm log of point `k` in job `jobId`. */
export function taskLog(pointDir: string, jobId: string, k: number): string {
  return path.join(pointDir, `slurm-${jobId}_${k}.out`);
}

/**
 * Submit `tasks` (each `bitspike sweep-point FOLDER --index K`) as one job array
 * whose task ids are the point numbers; returns the job id.
 */
export function submitArray(dir: string, tasks: readonly PointTask[], options: SlurmOptions): string {
  if (tasks.length === 0) throw new Error('submitArray: no tasks');
  const sdir = slurmDir(dir);
  fs.mkdirSync(sdir, { recursive: true });
  // The command every task runs: the installation's node and CLI, the folder, the task id.
  const script = path.join(sdir, SCRIPT_FILE);
  writeFileAtomic(
    script,
    [
      '#!/bin/sh',
      '# Written by `bitspike sweep --executor slurm`: array task K runs point K of this sweep folder.',
      `exec ${quote(process.execPath)} ${quote(compiledFile('src/cli/main.js'))} sweep-point ${quote(dir)} --index "$SLURM_ARRAY_TASK_ID"`,
      '',
    ].join('\n'),
  );
  fs.chmodSync(script, 0o755);
  const points = tasks.map((t) => t.index);
  const args = [
    '--parsable',
    `--array=${arraySpec(points)}`,
    `--job-name=bitspike-${path.basename(dir)}`,
    `--chdir=${dir}`,
    `--output=${path.join(dir, 'p%3a', 'slurm-%A_%a.out')}`,
    ...(options.partition !== undefined ? [`--partition=${options.partition}`] : []),
    ...(options.time !== undefined ? [`--time=${options.time}`] : []),
    ...(options.cpusPerTask !== undefined ? [`--cpus-per-task=${options.cpusPerTask}`] : []),
    ...(options.extra ?? []),
    script,
  ];
  const r = spawnSync('sbatch', args, { encoding: 'utf8', env: process.env });
  if (r.error !== undefined) throw new UserError(`--executor slurm: cannot run sbatch (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new UserError(`--executor slurm: sbatch refused the job array: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`}`);
  // --parsable prints "jobid" or "jobid;cluster".
  const jobId = (r.stdout.trim().split('\n').pop() ?? '').split(';')[0] ?? '';
  if (!/^\d+$/.test(jobId)) throw new UserError(`--executor slurm: sbatch printed no job id (${r.stdout.trim()})`);
  const all = [...readSubmissions(dir), { jobId, points, submitted: new Date().toISOString() }];
  writeJsonAtomic(path.join(sdir, JOBS_FILE), all);
  return jobId;
}

/** The tasks of `jobIds` still in the queue, by point (= array task id), from squeue. */
export function queuedTasks(jobIds: readonly string[]): Map<number, QueuedTask> {
  const queued = new Map<number, QueuedTask>();
  if (jobIds.length === 0) return queued;
  // -r: one line per array task, also for pending ones; %F array job id, %K task id, %T state.
  const r = spawnSync('squeue', ['-h', '-r', '-o', '%F %K %T'], { encoding: 'utf8', env: process.env });
  if (r.error !== undefined) throw new UserError(`--executor slurm: cannot run squeue (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new UserError(`--executor slurm: squeue failed: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`}`);
  const wanted = new Set(jobIds);
  for (const line of r.stdout.split('\n')) {
    const [job, task, state] = line.trim().split(/\s+/);
    if (job !== undefined && wanted.has(job) && task !== undefined && /^\d+$/.test(task) && state !== undefined) queued.set(Number(task), { jobId: job, state });
  }
  return queued;
}
