/**
 * The Slurm executor: the sweep's points go to a cluster as one job array, submitted
 * with sbatch. The sweep folder must be on a file system the compute nodes share
 * (as Slurm users expect), at the same path. Each array task runs one point's
 * command, `bitspike sweep-point FOLDER` (the point number comes from
 * $SLURM_ARRAY_TASK_ID, which equals the point number), through a small script
 * written into FOLDER/slurm/; the task's Slurm log goes to its point folder
 * (pNNN/slurm-<job>_<task>.out). Every submission is recorded in
 * FOLDER/slurm/jobs.json (job id, points), so a later `--resume` can tell which job
 * ran a point and which points are still in the queue (squeue). An architecture-only
 * sweep's shared training is one more job (`sweep-point FOLDER --train`, its log in
 * train/slurm-<job>.out), and the points' array waits for it (--dependency=afterok:<job>,
 * --kill-on-invalid-dep=yes: when the training fails, Slurm cancels the waiting tasks).
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

/** One submission: a job array over some points, or (train) the shared training job of an architecture-only sweep. */
export interface SlurmSubmission {
  jobId: string;
  /** Points of the array (none for the training job). */
  points: number[];
  submitted: string;
  /** The shared training job (`sweep-point FOLDER --train`). */
  train?: true;
  /** The training job this array waits for (afterok). */
  after?: string;
}

/** A point's task as the queue shows it. */
export interface QueuedTask {
  jobId: string;
  state: string;
}

const JOBS_FILE = 'jobs.json';
const SCRIPT_FILE = 'point.sh';
const TRAIN_SCRIPT_FILE = 'train.sh';

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

/** The last training job submitted, or null. */
export function lastTrainJob(submissions: readonly SlurmSubmission[]): string | null {
  for (let i = submissions.length - 1; i >= 0; i--) if ((submissions[i] as SlurmSubmission).train === true) return (submissions[i] as SlurmSubmission).jobId;
  return null;
}

/** The Slurm log of the training job `jobId` (in the training's folder). */
export function trainLog(trainDir: string, jobId: string): string {
  return path.join(trainDir, `slurm-${jobId}.out`);
}

/** Write an executable script that runs `argv` with this installation's node and CLI (`tail` appended unquoted: shell words such as "$SLURM_ARRAY_TASK_ID"). */
function writeScript(file: string, what: string, argv: readonly string[], tail: string): void {
  writeFileAtomic(
    file,
    ['#!/bin/sh', `# Written by \`bitspike sweep --executor slurm\`: ${what}.`, `exec ${[process.execPath, compiledFile('src/cli/main.js'), ...argv].map(quote).join(' ')}${tail}`, ''].join('\n'),
  );
  fs.chmodSync(file, 0o755);
}

/** sbatch's options from the sweep's, in the order given. */
function optionArgs(options: SlurmOptions): string[] {
  return [
    ...(options.partition !== undefined ? [`--partition=${options.partition}`] : []),
    ...(options.time !== undefined ? [`--time=${options.time}`] : []),
    ...(options.cpusPerTask !== undefined ? [`--cpus-per-task=${options.cpusPerTask}`] : []),
    ...(options.extra ?? []),
  ];
}

/** Run sbatch --parsable with `args`; returns the job id. */
function sbatch(args: readonly string[], what: string): string {
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8', env: process.env });
  if (r.error !== undefined) throw new UserError(`--executor slurm: cannot run sbatch (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new UserError(`--executor slurm: sbatch refused the ${what}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`}`);
  // --parsable prints "jobid" or "jobid;cluster".
  const jobId = (r.stdout.trim().split('\n').pop() ?? '').split(';')[0] ?? '';
  if (!/^\d+$/.test(jobId)) throw new UserError(`--executor slurm: sbatch printed no job id (${r.stdout.trim()})`);
  return jobId;
}

function record(dir: string, submission: SlurmSubmission): void {
  writeJsonAtomic(path.join(slurmDir(dir), JOBS_FILE), [...readSubmissions(dir), submission]);
}

/**
 * Submit the shared training of an architecture-only sweep (`argv`: `sweep-point FOLDER
 * --train`) as one job whose log goes to `trainDir`; returns the job id.
 */
export function submitTraining(dir: string, trainDir: string, argv: readonly string[], options: SlurmOptions): string {
  const sdir = slurmDir(dir);
  fs.mkdirSync(sdir, { recursive: true });
  const script = path.join(sdir, TRAIN_SCRIPT_FILE);
  writeScript(script, 'the shared training of this architecture-only sweep', argv, '');
  const jobId = sbatch([`--job-name=bitspike-${path.basename(dir)}-train`, `--chdir=${dir}`, `--output=${path.join(trainDir, 'slurm-%j.out')}`, ...optionArgs(options), script], 'training job');
  record(dir, { jobId, points: [], submitted: new Date().toISOString(), train: true });
  return jobId;
}

/**
 * Submit `tasks` (each `bitspike sweep-point FOLDER --index K`) as one job array
 * whose task ids are the point numbers; returns the job id. With `after` (a training
 * job's id) the tasks wait for that job to succeed, and Slurm cancels them if it fails.
 */
export function submitArray(dir: string, tasks: readonly PointTask[], options: SlurmOptions, after?: string): string {
  if (tasks.length === 0) throw new Error('submitArray: no tasks');
  const sdir = slurmDir(dir);
  fs.mkdirSync(sdir, { recursive: true });
  // The command every task runs: the installation's node and CLI, the folder, the task id.
  const script = path.join(sdir, SCRIPT_FILE);
  writeScript(script, 'array task K runs point K of this sweep folder', ['sweep-point', dir, '--index'], ' "$SLURM_ARRAY_TASK_ID"');
  const points = tasks.map((t) => t.index);
  const jobId = sbatch(
    [
      `--array=${arraySpec(points)}`,
      `--job-name=bitspike-${path.basename(dir)}`,
      `--chdir=${dir}`,
      `--output=${path.join(dir, 'p%3a', 'slurm-%A_%a.out')}`,
      ...(after !== undefined ? [`--dependency=afterok:${after}`, '--kill-on-invalid-dep=yes'] : []),
      ...optionArgs(options),
      script,
    ],
    'job array',
  );
  record(dir, { jobId, points, submitted: new Date().toISOString(), ...(after !== undefined ? { after } : {}) });
  return jobId;
}

/** Cancel the jobs `jobIds` (scancel): array tasks that wait for a training job that failed. */
export function cancelJobs(jobIds: readonly string[]): void {
  if (jobIds.length === 0) return;
  const r = spawnSync('scancel', [...jobIds], { encoding: 'utf8', env: process.env });
  if (r.error !== undefined) throw new UserError(`--executor slurm: cannot run scancel (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new UserError(`--executor slurm: scancel ${jobIds.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`}`);
}

/**
 * The tasks of `jobIds` still in the queue, by point (= array task id), from squeue;
 * a job that is not an array (the training job) under key -1.
 */
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
    if (job === undefined || !wanted.has(job) || task === undefined || state === undefined) continue;
    if (/^\d+$/.test(task)) queued.set(Number(task), { jobId: job, state });
    else if (task === 'N/A') queued.set(-1, { jobId: job, state });
  }
  return queued;
}
