/**
 * `bitspike budget` without the cycle model: memory, area and an energy/latency
 * estimate of one inference and one training sample.
 *
 * Method: the functional model (src/model) runs a few real samples; its core
 * counters are exactly those the cycle model counts for the same samples (they are
 * `functional` counters). What the functional model cannot know is estimated:
 * packets and NoC/I-O counters from its per-layer spike counts and the mapping's
 * fan-out with XY hop distances (noc-estimate.ts), and cycles from the zero-load
 * timing formulas (timing-estimate.ts). The estimate is then priced like any run.
 */
import type { CounterSnapshot } from '../sim/counter-catalog';
import type { Mapping } from '../map/mapping';
import type { NetworkSnapshot } from '../learning/engine';
import type { ModelParams } from '../learning/params';
import { FunctionalEngine } from '../model/functional-engine';
import { inputBitsSent } from '../learning/input-frames';
import { rngStream } from '../util/rng';
import type { TechTable } from './tech-table';
import type { EnergyChip } from './chip-view';
import { areaReport } from './area';
import type { AreaReport } from './area';
import { energyReport } from './energy-report';
import type { EnergyReport } from './energy-report';
import { memoryReport } from './memory';
import type { MemoryReport } from './memory';
import { nocCounts } from './noc-estimate';
import { OnChangeSums, remoteSlicesOf } from './psum-activity';
import { readoutPackets } from './readout-estimate';
import { estimateCycles, segmentWords } from './timing-estimate';
import type { CycleEstimate } from './timing-estimate';
import type { StorageOptions } from './storage';

/** What the budget needs. */
export interface BudgetInput {
  model: ModelParams;
  seed: number;
  chip: EnergyChip;
  tech: TechTable;
  mapping: Mapping;
  storage: StorageOptions;
  /** Packed input rows for the inference estimate. */
  inferenceInputs: readonly Uint32Array[];
  /** Packed input rows and labels for the training estimate. */
  trainingInputs: readonly Uint32Array[];
  trainingLabels: readonly number[];
  /** Trained network to start from (default: the seeded initial network); activity depends on it. */
  weights?: NetworkSnapshot;
  /**
   * Where the functional model's runs are kept for reuse (a budget-only sweep passes one
   * map for all its points): the runs depend only on the model, seed, SRAM word width
   * and code, a split mapping's fan-in cuts, and the samples, so points that differ in anything else (banks, mesh,
   * router, technology) price the same runs. Not used with `weights`.
   */
  activityCache?: Map<string, BudgetActivity>;
}

/** What the functional model's run of one phase gives the estimate: block counters per layer, and each sample's output states for the readout. */
export interface PhaseActivity {
  perLayer: Record<string, number>[];
  outputs: Int32Array[];
  /** mapping.partialSums "on-change": per step of the phase, the packets each remote segment sent (psum-activity.ts); absent otherwise. */
  partialSumSends?: number[][];
}

/** The functional model's runs of both phases. */
export interface BudgetActivity {
  inference: PhaseActivity;
  training: PhaseActivity;
}

/** One phase of the estimate (inference or training). */
export interface PhaseEstimate {
  samples: number;
  snapshot: CounterSnapshot;
  cycles: CycleEstimate;
  energy: EnergyReport;
}

/** The budget report. */
export interface BudgetReport {
  method: string;
  memory: MemoryReport;
  area: AreaReport;
  inference: PhaseEstimate;
  training: PhaseEstimate;
}

/** How the estimate is made (printed with every budget). */
export const BUDGET_METHOD =
  'core counters: functional model on the given samples (exact for those samples); NoC/I-O counters: spikes x mapping fan-out x XY hops (zero-load, unicast), plus partial sums (on-change: counted from the functional model\'s per-step spikes) and post-spike packets of split layers; cycles: zero-load timing formulas (no stalls, no contention)';

interface Counted {
  counts: { toRecord(): Record<string, number> };
}

/** Per layer l >= 1 (index l-1): the layer's block counters summed over its blocks (one block or several). */
function layerCounts(e: FunctionalEngine): Record<string, number>[] {
  const layers = e.blocks as unknown as (Counted | Counted[])[];
  return layers.map((b) => sumLayers((Array.isArray(b) ? b : [b]).map((x) => x.counts.toRecord())));
}

function diff(after: Record<string, number>[], before: Record<string, number>[]): Record<string, number>[] {
  return after.map((a, i) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (before[i]![k] ?? 0)])));
}

function sumLayers(per: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of per) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Run `inputs` through `engine` (with `run`), keeping the block counters it adds and each sample's output states. */
function activity(engine: FunctionalEngine, inputs: readonly Uint32Array[], run: (x: Uint32Array, i: number) => Int32Array): PhaseActivity {
  const before = layerCounts(engine);
  const outputs = inputs.map((x, i) => run(x, i));
  return { perLayer: diff(layerCounts(engine), before), outputs };
}

function phase(inp: BudgetInput, act: PhaseActivity, inputs: readonly Uint32Array[], learn: boolean): PhaseEstimate {
  const m = inp.mapping;
  let inputSent = 0;
  let inputParts = 0;
  const everyStep = inp.chip.params.encoding === 'every-step';
  const nudgedPhases = learn ? (inp.model.learning.symmetric ? 2 : 1) : 0;
  const inWords = Math.ceil(m.layers[0]! / 32);
  const readoutPerPiece = m.layerPieces[m.layers.length - 1]!.map(() => 0);
  inputs.forEach((x, i) => {
    inputSent += inputBitsSent(x, m.layers[0]!, inp.model.dynamics, nudgedPhases, everyStep);
    if (x.length > inWords) inputParts += nudgedPhases;
    readoutPackets(m, act.outputs[i]!, inp.model.network.replicas).forEach((n, k) => (readoutPerPiece[k]! += n));
  });
  const perLayer = act.perLayer;
  const S = inputs.length;
  const d = inp.model.dynamics;
  const stepsPerSample = d.freeSteps + (learn ? d.nudgedSteps * (inp.model.learning.symmetric ? 2 : 1) : 0);
  const sends = [inputSent, ...perLayer.map((c, i) => (everyStep ? m.layers[i + 1]! * stepsPerSample * S : c['spikes']!))];
  const psum = act.partialSumSends;
  const noc = nocCounts(m, inp.chip, {
    sends,
    readoutPerPiece,
    steps: S * stepsPerSample,
    learningPhases: learn ? S : 0,
    ...(psum !== undefined ? { partialSumSends: psum.reduce((t, step) => t.map((n, k) => n + step[k]!), psum[0]!.map(() => 0)) } : {}),
  });
  // Rows visited (row equivalents: a split row's segments count their own words).
  const wb = inp.chip.params.core.sram.wordBits;
  const visitedRows = [0, ...perLayer.map((c, i) => c['weightSramWrites']! / segmentWords(m, i + 1, wb).reduce((x, y) => x + y, 0))];
  const core = sumLayers(perLayer);
  const synapseBits = core['weightSramWrites']! > 0 ? core['counterSramWrites']! / core['weightSramWrites']! : 0;
  const cycles = estimateCycles(m, inp.chip, {
    samples: S,
    stepsPerSample,
    inputFlits: noc.io['flitsIn']!,
    inputParts,
    readoutFlits: noc.io['flitsOut']!,
    maxHops: noc.maxHops,
    learning: learn ? { visitedRows, synapseBits } : null,
    ...(psum !== undefined ? { partialSumSends: psum } : {}),
  });
  const tiles = inp.chip.params.mesh.width * inp.chip.params.mesh.height;
  const snapshot: CounterSnapshot = {
    components: {
      chip: { kind: 'chip', counts: { cycles: cycles.cycles, samples: S, steps: S * stepsPerSample, learningPhases: learn ? S : 0 } },
      io: { kind: 'io', counts: noc.io },
      'core.all': {
        kind: 'core',
        counts: {
          ...core,
          ...noc.core,
          queueStalls: 0,
          activeCycles: cycles.coreActiveCycles,
          idleCycles: Math.max(0, cycles.cycles * tiles - cycles.coreActiveCycles),
        },
      },
      'router.all': { kind: 'router', counts: noc.router },
    },
  };
  return { samples: S, snapshot, cycles, energy: energyReport(snapshot, inp.chip, inp.tech, { storage: inp.storage }) };
}

/** The functional model's runs of both phases (the expensive part of a budget). */
function runActivity(inp: BudgetInput): BudgetActivity {
  // A split mapping's SRAM words are counted per segment, as the chip stores them.
  const opts = { wordBits: inp.chip.params.core.sram.wordBits, ecc: inp.chip.params.core.sram.ecc ?? 'none', ...(inp.mapping.split ? { cuts: inp.mapping.cuts } : {}) };
  const engine = new FunctionalEngine(inp.model, inp.seed, opts);
  if (inp.weights) engine.restore(inp.weights);
  const L = inp.mapping.layers.length - 1;
  const outputStates = (e: FunctionalEngine): Int32Array => e.snapshot().states[L - 1]!;
  // On-change partial sums: the remote segments' sums, step by step, from the engine's spikes.
  const onChange = inp.mapping.split && inp.mapping.partialSums === 'on-change';
  let sums = onChange ? new OnChangeSums(inp.model, inp.mapping, opts.wordBits, opts.ecc) : null;
  if (sums !== null) {
    sums.load(engine.snapshot());
    const s = sums;
    engine.stepObserver = (cur) => s.observe(cur);
  }
  const inference = activity(engine, inp.inferenceInputs, (x) => {
    sums?.reset();
    engine.runSample(x, 0, { learn: false });
    return outputStates(engine);
  });
  if (sums !== null) {
    inference.partialSumSends = sums.perStep;
    sums = new OnChangeSums(inp.model, inp.mapping, opts.wordBits, opts.ecc);
    const s = sums;
    engine.stepObserver = (cur) => s.observe(cur);
  }
  // The readout of a training sample sends its free-phase states: a probe engine with the
  // same weights runs the free phase alone (its counters are not used).
  const probe = new FunctionalEngine(inp.model, inp.seed, opts);
  const signs = rngStream(inp.seed, 'budget-beta-sign');
  const randomSign = inp.model.learning.randomSign;
  const training = activity(engine, inp.trainingInputs, (x, i) => {
    const w = engine.snapshot();
    probe.restore(w);
    // Learning changed the weights: the segments sum with this sample's.
    sums?.load(w);
    sums?.reset();
    probe.runSample(x, 0, { learn: false });
    engine.runSample(x, inp.trainingLabels[i]!, { learn: true, betaSign: randomSign && signs.next() < 0.5 ? -1 : 1 });
    return outputStates(probe);
  });
  engine.stepObserver = null;
  if (sums !== null) training.partialSumSends = sums.perStep;
  return { inference, training };
}

/** What the functional model's runs depend on, as a cache key. */
function activityKey(inp: BudgetInput): string {
  const sram = inp.chip.params.core.sram;
  const rows = (xs: readonly Uint32Array[]): number[][] => xs.map((x) => Array.from(x));
  const cuts = inp.mapping.split ? inp.mapping.cuts : null;
  // On-change partial sums are counted per remote segment: the pieces and segments matter too.
  const remote = inp.mapping.split && inp.mapping.partialSums === 'on-change' ? remoteSlicesOf(inp.mapping).map((q) => [q.layer, q.first, q.count, q.colStart, q.colEnd]) : null;
  return JSON.stringify([inp.model, inp.seed, sram.wordBits, sram.ecc ?? 'none', cuts, remote, rows(inp.inferenceInputs), rows(inp.trainingInputs), inp.trainingLabels]);
}

/** Memory, area and the energy/latency estimate of inference and training samples. */
export function budget(inp: BudgetInput): BudgetReport {
  const cache = inp.weights === undefined ? inp.activityCache : undefined;
  const key = cache !== undefined ? activityKey(inp) : '';
  let act = cache?.get(key);
  if (act === undefined) {
    act = runActivity(inp);
    cache?.set(key, act);
  }
  return {
    method: BUDGET_METHOD,
    memory: memoryReport(inp.mapping, inp.chip, inp.storage),
    area: areaReport(inp.chip, inp.tech, inp.storage),
    inference: phase(inp, act.inference, inp.inferenceInputs, false),
    training: phase(inp, act.training, inp.trainingInputs, true),
  };
}
