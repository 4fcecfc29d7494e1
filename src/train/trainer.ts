/**
 * The training loop. Epoch e (0-based) presents the training samples in the order
 * epochOrder(seed, e), each with learn = true and the next sign of BetaSigns(seed, e),
 * counting correct free-phase predictions (train accuracy); then presents every test
 * sample with learn = false (test accuracy). The trainer calls `shouldStop` once after
 * every sample (except the last of a run) and yields to the event loop every ~50 ms so that Ctrl-C can be
 * delivered; a stop returns a checkpoint from which `run` continues to exactly the
 * state an uninterrupted run reaches. The counters of the test passes are kept apart
 * (inference = sum over finished test passes of counters(end) - counters(start);
 * training = all - inference), so that energy can be priced per phase.
 * With `shift` (data.shift) each training sample is moved by the seeded shift of
 * SampleShifts before it is presented (src/data/shift.ts); test samples never are.
 */
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { TrainTestData } from '../data/load-data';
import type { Engine, NetworkSnapshot, SampleMode } from '../learning/engine';
import type { Checkpoint, EpochRecord, EpochTiming, LayerEpochRecord, LearningStats, TrainerPosition } from '../store/checkpoint';
import { LEARN_COUNT_FIELDS } from '../learning/learn-counts';
import { subtractCounters } from '../energy/run-report';
import { addCounters, noCounters } from './counters-sum';
import { BetaSigns, PlasticityKeys, SampleShifts, epochOrder } from './sample-order';
import { shiftRow, type RowGeometry } from '../data/shift';
import { sampleReadKey } from '../faults/read-flips';

/** What the trainer needs besides the engine and the data. */
export interface TrainerOptions {
  seed: number;
  epochs: number;
  /** Draw the sign of beta per sample (learning.randomSign); false = always +1. */
  randomBetaSign: boolean;
  /** Also call onCheckpoint every N training samples (0 = only at the end of each epoch). */
  checkpointEvery: number;
  /** Classes the network predicts (size of the confusion matrix; default: the data's classes). */
  classes?: number;
  /** Training samples per point of the learning curve (run.curveEvery; default 1000). */
  curveEvery?: number;
  /** Random translation of training samples (data.shift > 0); absent or null: samples as they are. */
  shift?: { max: number; share: number; geometry: RowGeometry } | null;
}

/** Callbacks from the training loop. */
export interface TrainerHooks {
  /** Polled after every sample; true stops the run after that sample. */
  shouldStop?: () => boolean;
  /** Progress: phase, samples done and total in this phase, correct so far, 0-based epoch. */
  onProgress?: (phase: 'train' | 'test', done: number, total: number, correct: number, epoch: number) => void;
  /** A resumable state (end of every epoch, and every checkpointEvery samples). */
  onCheckpoint?: (c: Checkpoint) => void;
  /** An epoch finished; `layers` holds its per-layer learning counts (empty for engines without them). */
  onEpoch?: (record: EpochRecord, timing: EpochTiming, layers: readonly LayerEpochRecord[]) => void;
}

/** How a call to `run` ended. */
export interface TrainOutcome {
  status: 'finished' | 'interrupted';
  /** The state to resume from (when finished: position.epoch = epochs). */
  checkpoint: Checkpoint;
  /**
   * Confusion matrix of the last complete test pass, row = label, column = prediction
   * (classes x classes, row-major); null if no test pass completed in this call.
   */
  confusion: Int32Array | null;
}

/** Default training samples per learning-curve point (run.curveEvery). */
export const DEFAULT_CURVE_EVERY = 1000;

/** Statistics with nothing counted yet, starting at `epoch`, `sample`. */
function freshStats(every: number, epoch: number, sample: number, weightLayers: number): LearningStats {
  return {
    every,
    startedAt: { epoch, sample },
    curve: [],
    layers: [],
    window: { samples: 0, correct: 0, outputErrors: 0 },
    epochCounts: new Array<number>(weightLayers * LEARN_COUNT_FIELDS).fill(0),
  };
}

function cloneStats(s: LearningStats): LearningStats {
  return {
    every: s.every,
    startedAt: { ...s.startedAt },
    curve: s.curve.map((p) => ({ ...p })),
    layers: s.layers.map((r) => ({ ...r })),
    window: { ...s.window },
    epochCounts: s.epochCounts.slice(),
  };
}


/** Milliseconds of work between yields to the event loop. */
const YIELD_MS = 50;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Trains an Engine on a dataset, epoch by epoch, resumably. */
export class Trainer {
  constructor(
    private readonly engine: Engine,
    private readonly data: Pick<TrainTestData, 'train' | 'test' | 'classes'>,
    private readonly options: TrainerOptions,
  ) {}

  /** A fresh start: epoch 0, nothing done, the engine's current state. */
  initialCheckpoint(): Checkpoint {
    const snapshot = this.engine.snapshot();
    return {
      position: { epoch: 0, phase: 'train', sample: 0, trainCorrect: 0, history: [] },
      timings: [],
      counters: noCounters(),
      inferenceCounters: noCounters(),
      snapshot,
      learningStats: freshStats(this.options.curveEvery ?? DEFAULT_CURVE_EVERY, 0, 0, snapshot.layers.length - 1),
    };
  }

  /**
   * Train from `start` (default: the engine as it is, epoch 0) until all epochs are
   * done or `shouldStop` says stop. The engine is restored from `start.snapshot`.
   */
  async run(start: Checkpoint = this.initialCheckpoint(), hooks: TrainerHooks = {}): Promise<TrainOutcome> {
    const { engine, data, options } = this;
    const { train, test } = data;
    engine.restore(start.snapshot);
    engine.carryReportTotals?.(start.reportTotals ?? null);
    const reports = (): unknown => engine.reportTotals?.() ?? null;
    const base: CounterSnapshot = start.counters;
    const counters = (): CounterSnapshot => addCounters(base, engine.counters());
    // Counters of the finished test passes (null: the start checkpoint predates the split).
    let inference: CounterSnapshot | null = start.inferenceCounters;
    const pos: TrainerPosition = { ...start.position, history: start.position.history.slice() };
    const timings = start.timings.map((t) => ({ ...t }));
    const stop = hooks.shouldStop ?? (() => false);
    const C = Math.max(options.classes ?? 0, data.classes);
    const confusion = new Int32Array(C * C);
    let confusionDone = false;
    // The last finished test pass's confusion matrix, kept in checkpoints (a finished checkpoint can rewrite confusion.csv).
    let lastConfusion: number[] | null = start.confusion ?? null;
    const progress = hooks.onProgress ?? (() => undefined);
    // Learning statistics: a checkpoint that predates them starts counting here.
    const weightLayers = start.snapshot.layers.length - 1;
    const stats: LearningStats = start.learningStats
      ? cloneStats(start.learningStats)
      : freshStats(options.curveEvery ?? DEFAULT_CURVE_EVERY, start.position.epoch, start.position.phase === 'train' ? start.position.sample : train.count, weightLayers);
    const every = stats.every;
    const win = stats.window;
    // The engine's counts are totals of its life: the epoch's counts are stats.epochCounts + (now - base).
    const hasCounts = engine.learningCounts !== undefined;
    const countsBase = new Float64Array(weightLayers * LEARN_COUNT_FIELDS);
    const countsNow = new Float64Array(weightLayers * LEARN_COUNT_FIELDS);
    engine.learningCounts?.(countsBase);
    const epochCounts = (): number[] => {
      engine.learningCounts?.(countsNow);
      return stats.epochCounts.map((v, i) => v + (countsNow[i] as number) - (countsBase[i] as number));
    };
    const statsHere = (): LearningStats => ({ ...cloneStats(stats), epochCounts: epochCounts() });
    const closeWindow = (epoch: number, sample: number): void => {
      stats.curve.push({ epoch: epoch + 1, sample, samples: win.samples, correct: win.correct, outputErrors: win.outputErrors });
      win.samples = 0;
      win.correct = 0;
      win.outputErrors = 0;
    };
    // Yield only when due: awaiting on every sample would allocate a promise per sample.
    let lastYield = performance.now();
    const yieldDue = (): boolean => performance.now() - lastYield >= YIELD_MS;

    for (; pos.epoch < options.epochs; ) {
      const e = pos.epoch;
      let timing = timings.find((t) => t.epoch === e + 1);
      if (!timing) {
        timing = { epoch: e + 1, trainSeconds: 0, testSeconds: 0, trainCpuSeconds: 0, testCpuSeconds: 0 };
        timings.push(timing);
      }
      const snapshotHere = (phase: 'train' | 'test', snapshot: NetworkSnapshot, counts: CounterSnapshot, reportTotals: unknown, learning: LearningStats): Checkpoint => ({
        position: { ...pos, phase, history: pos.history.slice() },
        timings: timings.map((t) => ({ ...t })),
        counters: counts,
        inferenceCounters: inference,
        snapshot,
        confusion: lastConfusion,
        reportTotals,
        learningStats: learning,
      });

      if (pos.phase === 'train') {
        const order = epochOrder(options.seed, e, train.count);
        const signs = new BetaSigns(options.seed, e, pos.sample, options.randomBetaSign);
        const keys = new PlasticityKeys(options.seed, e, pos.sample);
        const shift = options.shift ?? null;
        const shifts = shift !== null && shift.max > 0 ? new SampleShifts(options.seed, e, pos.sample, shift.max, shift.share) : null;
        const moved = shifts !== null ? new Uint32Array(train.words * train.frames) : null;
        // One mode object refilled per sample (the loop allocates nothing per sample).
        const mode: SampleMode & { learn: true; plasticityKey: number; readKey: number } = { learn: true, betaSign: 1, plasticityKey: 0, readKey: 0, epoch: e };
        let wall = performance.now();
        let cpu = cpuSeconds();
        const account = (): void => {
          const w = performance.now();
          const c = cpuSeconds();
          timing.trainSeconds += (w - wall) / 1000;
          timing.trainCpuSeconds += c - cpu;
          wall = w;
          cpu = c;
        };
        progress('train', pos.sample, train.count, pos.trainCorrect, e);
        while (pos.sample < train.count) {
          const idx = order[pos.sample] as number;
          const label = train.labels[idx] as number;
          mode.betaSign = signs.next();
          mode.plasticityKey = keys.next();
          mode.readKey = sampleReadKey('train', e, pos.sample);
          let row = train.rows[idx] as Uint32Array;
          if (shifts !== null && moved !== null && shifts.next()) {
            shiftRow(row, moved, (shift as { geometry: RowGeometry }).geometry, shifts.dx, shifts.dy);
            row = moved;
          }
          const r = engine.runSample(row, label, mode);
          if (r.prediction === label) {
            pos.trainCorrect++;
            win.correct++;
          }
          win.samples++;
          if (win.outputErrors !== null) win.outputErrors = r.outputErrors === undefined ? null : win.outputErrors + r.outputErrors;
          pos.sample++;
          if (pos.sample % every === 0 || pos.sample === train.count) closeWindow(e, pos.sample);
          progress('train', pos.sample, train.count, pos.trainCorrect, e);
          const periodic = options.checkpointEvery > 0 && pos.sample % options.checkpointEvery === 0 && pos.sample < train.count;
          if (yieldDue()) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          // One stop() call per sample: a Ctrl-C delivered during the yield counts here.
          const stopping = stop();
          if (periodic || stopping) {
            account();
            const c = snapshotHere('train', engine.snapshot(), counters(), reports(), statsHere());
            if (periodic) hooks.onCheckpoint?.(c);
            if (stopping) return { status: 'interrupted', checkpoint: c, confusion: confusionDone ? confusion : null };
          }
        }
        account();
        pos.phase = 'test';
        pos.sample = 0;
      }

      // Test phase: the state after training is kept so that an interruption here
      // resumes by testing again from that state.
      const afterTraining = engine.snapshot();
      const countsAfterTraining = counters();
      const reportsAfterTraining = reports();
      const statsAfterTraining = statsHere();
      const engineBeforeTest = engine.counters();
      let testCorrect = 0;
      confusion.fill(0);
      const wall0 = performance.now();
      const cpu0 = cpuSeconds();
      progress('test', 0, test.count, 0, e);
      // One mode object refilled per sample (the loop allocates nothing per sample).
      const infer: SampleMode & { learn: false; readKey: number } = { learn: false, readKey: 0 };
      for (let j = 0; j < test.count; j++) {
        const label = test.labels[j] as number;
        infer.readKey = sampleReadKey('test', e, j);
        const r = engine.runSample(test.rows[j] as Uint32Array, label, infer);
        if (r.prediction === label) testCorrect++;
        if (r.prediction >= 0 && r.prediction < C) confusion[label * C + r.prediction]++;
        progress('test', j + 1, test.count, testCorrect, e);
        if (yieldDue()) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (j + 1 < test.count && stop()) {
          return { status: 'interrupted', checkpoint: snapshotHere('test', afterTraining, countsAfterTraining, reportsAfterTraining, statsAfterTraining), confusion: null };
        }
      }
      confusionDone = true;
      lastConfusion = Array.from(confusion);
      if (inference !== null) inference = addCounters(inference, subtractCounters(engine.counters(), engineBeforeTest));
      timing.testSeconds = (performance.now() - wall0) / 1000;
      timing.testCpuSeconds = cpuSeconds() - cpu0;
      const record: EpochRecord = {
        epoch: e + 1,
        trainSamples: train.count,
        trainCorrect: pos.trainCorrect,
        trainAccuracy: pos.trainCorrect / train.count,
        testSamples: test.count,
        testCorrect,
        testAccuracy: testCorrect / test.count,
      };
      pos.history.push(record);
      const epochLayers: LayerEpochRecord[] = [];
      if (hasCounts) {
        const ec = epochCounts();
        for (let l = 1; l <= weightLayers; l++) {
          const at = (l - 1) * LEARN_COUNT_FIELDS;
          epochLayers.push({ epoch: e + 1, layer: l, weightFlips: ec[at] as number, counterSaturations: ec[at + 1] as number, spikeDiffs: ec[at + 2] as number });
        }
        stats.layers.push(...epochLayers);
      }
      // The next epoch counts from here.
      stats.epochCounts.fill(0);
      engine.learningCounts?.(countsBase);
      pos.epoch = e + 1;
      pos.phase = 'train';
      pos.sample = 0;
      pos.trainCorrect = 0;
      hooks.onEpoch?.(record, { ...timing }, epochLayers);
      const c = snapshotHere('train', engine.snapshot(), counters(), reports(), statsHere());
      hooks.onCheckpoint?.(c);
      if (pos.epoch < options.epochs && stop()) return { status: 'interrupted', checkpoint: c, confusion };
    }
    return {
      status: 'finished',
      checkpoint: {
        position: { ...pos, history: pos.history.slice() },
        timings,
        counters: counters(),
        inferenceCounters: inference,
        snapshot: engine.snapshot(),
        confusion: lastConfusion,
        reportTotals: reports(),
        learningStats: statsHere(),
      },
      confusion: confusionDone ? confusion : lastConfusion !== null ? Int32Array.from(lastConfusion) : null,
    };
  }
}
