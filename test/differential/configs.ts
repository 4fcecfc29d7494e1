/**
 * Seeded random small experiments for the differential tests: a network, a chip that
 * holds it, and a placement, all drawn from one rngStream.
 */
import { defaultOf } from '../../src/config/param';
import { validateChip } from '../../src/hw/chip-file';
import { needsVcRouter } from '../../src/chip/noc/vc-path';
import type { ChipDescription } from '../../src/hw/chip-file';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../src/learning/params';
import type { DynamicsParams, LearningParams, ModelParams, NetworkParams } from '../../src/learning/params';
import { balancedSplit, layerCuts, layerFanIn } from '../../src/map/mapping';
import type { MappingParams, PlacementEntry } from '../../src/map/params';
import { bitsFor } from '../../src/hw/packet';
import { rngStream } from '../../src/util/rng';
import { ruleDefinition, ruleNames } from '../../src/learning/rules';
import type { Rng } from '../../src/util/rng';

/** Default model sections with `over` applied per section. */
export function modelParams(over: { network?: Partial<NetworkParams>; dynamics?: Partial<DynamicsParams>; learning?: Partial<LearningParams> } = {}): ModelParams {
  return {
    network: { ...(defaultOf(NETWORK_SECTION) as NetworkParams), ...over.network },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as DynamicsParams), ...over.dynamics },
    learning: { ...(defaultOf(LEARNING_SECTION) as LearningParams), ...over.learning },
  };
}

/** A chip description from a raw chip object (validated like a chip file). */
export function chipFrom(raw: Record<string, unknown>): ChipDescription {
  return validateChip(raw, 'test-chip.json');
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.below(xs.length)] as T;
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.below(hi - lo + 1);
}

/** One random experiment. */
export interface RandomExperiment {
  model: ModelParams;
  chip: ChipDescription;
  mapping: MappingParams;
  label: string;
}

/**
 * Half of the experiments run the VC router: VCs, multi-flit spike packets, either
 * allocator, stage and channel delays, finite ejection buffers. Drawn from a stream
 * of their own so that the rest of each experiment is the same as without them.
 */
function vcRouter(seed: number, width: number, height: number, axons: number): Record<string, unknown> {
  const rng = rngStream(seed, 'differential-noc-vc');
  if (rng.below(2) === 0) return {};
  const header = bitsFor(width) + bitsFor(height) + 1;
  const packet = header + bitsFor(axons) + 1;
  return {
    vcs: between(rng, 1, 3),
    flitWidth: rng.below(2) === 0 ? 0 : between(rng, header, packet),
    vcAllocator: pick(rng, ['combined', 'separable-input-first']),
    routeDelay: between(rng, 0, 1),
    vcAllocDelay: between(rng, 0, 1),
    switchAllocDelay: between(rng, 0, 1),
    speculative: rng.below(2) === 0,
    injectionDelay: between(rng, 1, 2),
    ejectionDelay: between(rng, 0, 1),
    ejectionDepth: between(rng, 0, 2),
  };
}

/** A random small experiment that fits its chip, drawn from stream `name` of seed `seed`. */
export function randomExperiment(seed: number): RandomExperiment {
  const rng = rngStream(seed, 'differential-config');
  const hidden: number[] = [];
  const nh = between(rng, 1, 2);
  for (let i = 0; i < nh; i++) hidden.push(between(rng, 1, 40));
  const network: NetworkParams = { inputs: between(rng, 1, 70), hidden, classes: between(rng, 2, 4), replicas: between(rng, 1, 3) };
  const stateBits = between(rng, 3, 8);
  const rule = pick(rng, ruleNames());
  const counterBits = between(rng, 3, 6);
  const maxTheta = (1 << (counterBits - 1)) - 2;
  const model = modelParams({
    network,
    dynamics: {
      encoding: pick(rng, ['binary', 'spin'] as const),
      stateBits,
      accumulatorBits: between(rng, stateBits + 2, 16),
      freeSteps: between(rng, 1, 6),
      nudgedSteps: between(rng, 1, 4),
      kFwd: [between(rng, 1, 6)],
      kBwd: [between(rng, 0, 6)],
      offset: [pick(rng, [0, 0, 1 << (stateBits - 1), -between(rng, 1, 20)])],
      stateShift: between(rng, 0, 2),
      resetState: pick(rng, ['zero', 'max'] as const),
      bias: rng.below(2) === 1,
      biasBits: Math.min(stateBits, 6),
    },
    learning: {
      rule,
      beta: pick(rng, [0.5, 1, 2, 4]),
      symmetric: rng.below(2) === 1,
      nudgeReference: pick(rng, ['state', 'free'] as const),
      counterBits,
      theta: [between(rng, 0, maxTheta)],
      leakShift: pick(rng, [0, 0, 2]),
      hiddenRange: between(rng, 1, 3),
      biasStep: between(rng, 0, 2),
    },
  });
  // Half of the time the rule runs with one of the settings it registered for tests.
  if (rng.below(2) === 1) Object.assign(model.learning, pick(rng, ruleDefinition(rule).testSettings));
  homeostasis(seed, 'differential-homeostasis', model);
  contrast(seed, 'differential-contrast', model);
  thetaSchedule(seed, 'differential-theta-schedule', model);
  const layers = [network.inputs, ...hidden, network.classes * network.replicas];
  const fanIn = Math.max(...layerFanIn(layers));
  const readout = (layers[layers.length - 1] as number) * stateBits;
  const axons = Math.max(2 * fanIn + between(rng, 0, 8), 2 ** bitsFor(readout) > readout ? readout : readout);
  const neurons = between(rng, 1, 16);
  let tiles = 0;
  for (let l = 1; l < layers.length; l++) tiles += Math.ceil((layers[l] as number) / neurons);
  const width = between(rng, 1, Math.max(1, Math.min(6, tiles)));
  const height = Math.max(Math.ceil(tiles / width), between(rng, 1, 3));
  const chip = chipFrom({
    name: `random-${seed}`,
    mesh: { width, height },
    core: {
      neurons,
      axons,
      sram: { wordBits: pick(rng, [5, 8, 16, 32, 64]), banks: between(rng, 1, 3), capacityBits: 1 << 24, counterCapacityBits: 1 << 26 },
      accumulatorBits: 16,
      stateBits: 8,
      counterBits: 8,
      pipelineDepth: between(rng, 0, 3),
      outQueueDepth: between(rng, 1, 4),
      learning: { rowPasses: between(rng, 1, 2), startDelay: between(rng, 0, 2) },
    },
    io: { x: rng.below(width), y: rng.below(height), flitsPerCycle: between(rng, 1, 2) },
    barrierDelay: between(rng, 0, 3),
    resetDelay: between(rng, 0, 3),
    encoding: pick(rng, ['state-change', 'every-step']),
    noc: { bufferDepth: between(rng, 1, 3), routerDelay: between(rng, 1, 2), linkDelay: between(rng, 1, 2), creditDelay: between(rng, 1, 2), watchdogCycles: 5000, ...vcRouter(seed, width, height, axons) },
  });
  // A third of the experiments place pieces on random tiles, several layers sharing a core; a third spread layers over the mesh.
  const placementKind = rng.below(3);
  let mapping: MappingParams = { placement: placementKind === 1 ? 'spread' : 'snake' };
  if (placementKind === 2) {
    const used = new Map<number, { rows: number; layers: Set<number> }>();
    const placement: PlacementEntry[][] = [];
    for (let l = 1; l < layers.length; l++) {
      const n = layers[l] as number;
      const parts = balancedSplit(n, Math.min(n, between(rng, Math.ceil(n / neurons), Math.ceil(n / neurons) + 1)));
      const tilesOfLayer: PlacementEntry[] = [];
      for (const count of parts) {
        // a tile with room for the piece (neurons and axons), else a fresh one
        let tile = -1;
        for (let tries = 0; tries < 8 && tile < 0; tries++) {
          const t = rng.below(width * height);
          const u = used.get(t) ?? { rows: 0, layers: new Set<number>() };
          const src = new Set<number>(u.layers);
          src.add(l - 1);
          if (l + 1 < layers.length) src.add(l + 1);
          let ax = 0;
          for (const s2 of src) ax += layers[s2] as number;
          if (u.rows + count <= neurons && ax <= axons && !tilesOfLayer.some((e) => e.y * width + e.x === t)) tile = t;
        }
        if (tile < 0) return randomExperiment(seed + 100000);
        const u = used.get(tile) ?? { rows: 0, layers: new Set<number>() };
        u.rows += count;
        u.layers.add(l - 1);
        if (l + 1 < layers.length) u.layers.add(l + 1);
        used.set(tile, u);
        tilesOfLayer.push({ x: tile % width, y: Math.floor(tile / width), neurons: count });
      }
      placement.push(tilesOfLayer);
    }
    mapping = { placement };
  }
  const label = `seed ${seed}: ${layers.join('-')} ${model.dynamics.encoding} ${rule}${model.learning.symmetric ? ' symmetric' : ''} on ${width}x${height} x ${neurons} neurons, ${chip.params.encoding}${typeof mapping.placement === 'string' ? `, ${mapping.placement}` : ', explicit placement'}`;
  return { model, chip, mapping, label };
}

/**
 * Homeostasis (learning.homeoUp / homeoDown) on a third of the configs with biases, per
 * layer or one value for all, drawn from a stream of its own so that the other draws of a
 * seed stay those of the configs before homeostasis existed; off otherwise.
 */
function homeostasis(seed: number, stream: string, m: ModelParams): void {
  const rng = rngStream(seed, stream);
  m.learning.homeoUp = [0];
  m.learning.homeoDown = [0];
  if (!m.dynamics.bias || rng.below(3) !== 0) return;
  const n = m.network.hidden.length + 1;
  m.learning.homeoUp = Array.from({ length: pick(rng, [1, n]) }, () => between(rng, 0, 3));
  m.learning.homeoDown = Array.from({ length: pick(rng, [1, n]) }, () => between(rng, 1, 5));
}

/**
 * The first-order contrast (learning.contrast) on a third of the {0,1} configs, from a
 * stream of its own (the other draws of a seed stay those of earlier configs); the
 * product contrast otherwise.
 */
function contrast(seed: number, stream: string, m: ModelParams): void {
  const rng = rngStream(seed, stream);
  m.learning.contrast = 'product';
  if (m.dynamics.encoding === 'binary' && rng.below(3) === 0) m.learning.contrast = 'first-order';
}

/**
 * A growing threshold (learning.thetaGrowth, counter rule) on half of the counter-rule
 * configs, from a stream of its own; the tests hand each sample its index as the epoch,
 * so theta moves between the samples.
 */
function thetaSchedule(seed: number, stream: string, m: ModelParams): void {
  const rng = rngStream(seed, stream);
  const learning = m.learning as unknown as Record<string, unknown>;
  if (learning['rule'] !== 'counter' || rng.below(2) === 0) return;
  learning['thetaGrowth'] = between(rng, 1, 3);
  learning['thetaGrowthFrom'] = between(rng, 1, 2);
}

/**
 * A random small experiment whose fan-ins exceed the core's axons, so that the mapper
 * (or a forced mapping.split) splits them over partial-sum cores; placements snake,
 * spread, traffic or explicit (random distinct tiles), partial sums of a random width.
 */
export function randomSplitExperiment(seed: number): RandomExperiment {
  const rng = rngStream(seed, 'differential-split-config');
  const base = randomExperiment(seed);
  const m0 = base.model;
  const stateBits = m0.dynamics.stateBits;
  const classes = between(rng, 2, 4);
  const replicas = between(rng, 1, 3);
  const sumBits = bitsFor(replicas * (2 ** stateBits - 1) + 1);
  const axons = between(rng, Math.max(8, classes * sumBits), Math.max(8, classes * sumBits) + 24);
  const hidden: number[] = [];
  const nh = between(rng, 1, 2);
  for (let i = 0; i < nh; i++) hidden.push(between(rng, 4, axons + 20));
  const network: NetworkParams = { inputs: between(rng, axons + 1, 2 * axons + 30), hidden, classes, replicas };
  const accumulatorBits = between(rng, Math.max(stateBits + 2, bitsFor(2 * axons + 2) + 1), 16);
  const model: ModelParams = {
    network,
    dynamics: { ...m0.dynamics, accumulatorBits },
    learning: { ...m0.learning, symmetric: rng.below(2) === 1, rule: pick(rng, ['counter', 'hidden', 'stochastic'] as const) },
  };
  homeostasis(seed, 'differential-split-homeostasis', model);
  contrast(seed, 'differential-split-contrast', model);
  thetaSchedule(seed, 'differential-split-theta-schedule', model);
  const layers = [network.inputs, ...hidden, classes * replicas];
  const L = layers.length - 1;
  const neurons = between(rng, 1, 12);
  const wordBits = pick(rng, [5, 8, 16, 32, 64]);
  // Forced splits on some layers: a segment count, or segment lengths.
  const fanIn = layerFanIn(layers);
  let split: MappingParams['split'] = 'auto';
  if (rng.below(2) === 1) {
    split = [];
    for (let l = 1; l <= L; l++) {
      const f = fanIn[l] as number;
      const minSegs = Math.ceil(f / axons);
      const kind = rng.below(3);
      if (kind === 0) split.push('auto');
      else if (kind === 1) split.push(between(rng, minSegs, minSegs + 1));
      else {
        const S = between(rng, minSegs + 1, minSegs + 2);
        const lengths = balancedSplit(f, S);
        // move a few axons between neighbours, staying within the axons
        for (let k = 0; k + 1 < S; k++) {
          const d = rng.below(3) - 1;
          if ((lengths[k] as number) + d >= 1 && (lengths[k] as number) + d <= axons && (lengths[k + 1] as number) - d >= 1 && (lengths[k + 1] as number) - d <= axons) {
            lengths[k] = (lengths[k] as number) + d;
            lengths[k + 1] = (lengths[k + 1] as number) - d;
          }
        }
        split.push(lengths.every((n) => n <= axons) ? lengths : 'auto');
      }
    }
  }
  const core = {
    neurons,
    axons,
    sram: { wordBits, banks: between(rng, 1, 3), capacityBits: 1 << 24, counterCapacityBits: 1 << 26 },
    accumulatorBits: 16,
    stateBits: 8,
    counterBits: 8,
    pipelineDepth: between(rng, 0, 3),
    outQueueDepth: between(rng, 1, 4),
    learning: { rowPasses: between(rng, 1, 2), startDelay: between(rng, 0, 2) },
  };
  const probe = chipFrom({ name: 'probe', mesh: { width: 1, height: 1 }, core, io: { x: 0, y: 0, flitsPerCycle: 1 } });
  const cuts = layerCuts(layers, probe.params.core, split, { chipFile: 'test-chip.json', configFile: 'exp.json', layersPath: 'network', placementPath: 'mapping.placement' });
  let tiles = 0;
  for (let l = 1; l <= L; l++) tiles += Math.ceil((layers[l] as number) / neurons) * ((cuts[l] as number[]).length - 1);
  const width = between(rng, 1, Math.max(1, Math.min(6, tiles)));
  const height = Math.ceil(tiles / width) + rng.below(2);
  const chip = chipFrom({
    name: `random-split-${seed}`,
    mesh: { width, height },
    core,
    io: { x: rng.below(width), y: rng.below(height), flitsPerCycle: between(rng, 1, 2) },
    barrierDelay: between(rng, 0, 3),
    resetDelay: between(rng, 0, 3),
    encoding: pick(rng, ['state-change', 'every-step']),
    noc: { bufferDepth: between(rng, 1, 3), routerDelay: between(rng, 1, 2), linkDelay: between(rng, 1, 2), creditDelay: between(rng, 1, 2), watchdogCycles: 5000 },
  });
  const psumNeed = bitsFor(axons + 1) + 1;
  const partialSumBits = rng.below(2) === 0 ? ('auto' as const) : between(rng, psumNeed, accumulatorBits);
  const kind = rng.below(4);
  let placement: MappingParams['placement'] = kind === 0 ? 'snake' : kind === 1 ? 'spread' : 'traffic';
  if (kind === 3) {
    // explicit: every piece's S segments on distinct random tiles, home first
    const free = Array.from({ length: width * height }, (_, t) => t);
    for (let i = free.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [free[i], free[j]] = [free[j] as number, free[i] as number];
    }
    const explicit: PlacementEntry[][] = [];
    let t = 0;
    for (let l = 1; l <= L; l++) {
      const S = (cuts[l] as number[]).length - 1;
      const list: PlacementEntry[] = [];
      for (let g = 0; g < Math.ceil((layers[l] as number) / neurons) * S; g++) {
        const tile = free[t++] as number;
        list.push({ x: tile % width, y: Math.floor(tile / width) });
      }
      explicit.push(list);
    }
    placement = explicit;
  }
  // The send policy from a stream of its own, so the draws above stay as they were.
  const partialSums = rngStream(seed, 'differential-split-psum-policy').below(2) === 1 ? ('on-change' as const) : ('every-step' as const);
  const mapping: MappingParams = { placement, split, partialSumBits, partialSums };
  const label = `split seed ${seed}: ${layers.join('-')} cuts ${JSON.stringify(cuts.slice(1))} ${model.dynamics.encoding} ${model.learning.rule}${model.learning.symmetric ? ' symmetric' : ''} on ${width}x${height} x ${neurons}n/${axons}a wordBits ${wordBits}, ${chip.params.encoding}, ${typeof placement === 'string' ? placement : 'explicit'}, psum ${partialSumBits} ${partialSums}`;
  return { model, chip, mapping, label };
}

/** Dead routers (0-1) and links (1-3, only those inside the mesh) drawn from `rng`, in a fixed draw order (cases keep their seeds). */
export function randomDeadRoutes(rng: { below(n: number): number }, width: number, height: number): {
  deadRouters: { x: number; y: number }[];
  deadLinks: { x: number; y: number; dir: 'N' | 'E' | 'S' | 'W' }[];
} {
  const dirs = ['N', 'E', 'S', 'W'] as const;
  const deadRouters: { x: number; y: number }[] = [];
  const deadLinks: { x: number; y: number; dir: 'N' | 'E' | 'S' | 'W' }[] = [];
  const nr = rng.below(2);
  for (let i = 0; i < nr; i++) deadRouters.push({ x: rng.below(width), y: rng.below(height) });
  const nl = 1 + rng.below(3);
  for (let i = 0; i < nl; i++) {
    const x = rng.below(width);
    const y = rng.below(height);
    const dir = dirs.filter((d) => (d === 'E' ? x + 1 < width : d === 'W' ? x > 0 : d === 'S' ? y + 1 < height : y > 0));
    if (dir.length > 0) deadLinks.push({ x, y, dir: dir[rng.below(dir.length)] as 'N' | 'E' | 'S' | 'W' });
  }
  return { deadRouters, deadLinks };
}

/**
 * randomExperiment(seed) on a mesh of 1 or 2 columns and at least 4 rows (placements by
 * name only), so that a run on 2 or 4 threads (bands of rows) has flits and credits
 * crossing every border; null when the experiment needs the VC router.
 */
export function tallExperiment(seed: number): RandomExperiment | null {
  const e = randomExperiment(seed);
  if (typeof e.mapping.placement !== 'string' || needsVcRouter(e.chip.params.noc)) return null;
  const p = e.chip.params;
  const tiles = p.mesh.width * p.mesh.height;
  const width = 1 + (seed % 2);
  const height = Math.max(4, Math.ceil(tiles / width));
  const chip = validateChip({ ...p, mesh: { width, height }, io: { ...p.io, x: p.io.x % width, y: (p.io.y * 7) % height } }, `${e.chip.file} (tall)`);
  return { ...e, chip };
}
