/** Declaration of the experiment config's `run` section: how long, which model, where results go. */
import type { SectionParam } from './param';

/** Validated `run` section. */
export interface RunConfig {
  epochs: number;
  mode: 'functional' | 'cycle';
  precision: 'binary' | 'float';
  outDir: string;
  progress: 'auto' | 'always' | 'never';
  checkpointEvery: number;
  memoryBudget: number;
  curveEvery: number;
  threads: number;
}

/** The `run` section of an experiment config. */
export const RUN_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'training run: length, model, outputs',
  fields: {
    epochs: { kind: 'int', default: 1, min: 1, max: 100000, unit: 'epochs', doc: 'passes over the training set' },
    mode: {
      kind: 'enum',
      values: ['functional', 'cycle'],
      default: 'functional',
      doc: 'functional = untimed integer model (fast); cycle = the cycle-accurate chip (same integers, plus cycles and traffic)',
    },
    precision: {
      kind: 'enum',
      values: ['binary', 'float'],
      default: 'binary',
      doc: 'binary = the integer, binary-weight network; float = the float EP reference with the same layer sizes',
    },
    outDir: {
      kind: 'string',
      default: 'runs',
      doc: 'directory (relative to the current directory) under which run folders <config>-<seed>-<time> are created',
    },
    progress: {
      kind: 'enum',
      values: ['auto', 'always', 'never'],
      default: 'auto',
      doc: 'progress bar on stderr: auto = only when stderr is a terminal',
    },
    checkpointEvery: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'samples',
      doc: 'also write a resumable checkpoint every N training samples (0 = only at the end of each epoch and on Ctrl-C)',
    },
    memoryBudget: {
      kind: 'int',
      default: 0,
      min: 0,
      unit: 'MiB',
      doc: 'host memory a run may need: validate, train, run and sweep refuse a mesh and network whose estimated peak exceeds it, before any work (0 = half of this machine\'s memory, os.totalmem; estimate: src/train/host-memory.ts)',
    },
    curveEvery: {
      kind: 'int',
      default: 1000,
      min: 1,
      unit: 'samples',
      doc: 'training samples per point of the learning curve (learning-curve.csv: accuracy and output loss of each window; a resumed run keeps the value it started with)',
    },
    threads: {
      kind: 'int',
      default: 1,
      min: 1,
      max: 1024,
      unit: 'threads',
      doc: 'threads simulating one chip (`bitspike run`, and `bitspike train` with mode "cycle"): the mesh is cut into this many bands of rows, each simulated by its own thread and synchronised every cycle, with the same results as one thread (docs/performance.md); at most the mesh height and this machine\'s cores (os.availableParallelism); single-lane router, unsplit layers and no traces; the functional model runs on one thread',
    },
  },
};
