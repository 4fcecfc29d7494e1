/**
 * The experiment config: one JSON file naming the chip and technology files, the
 * network, its dynamics and learning rule, the data and the run. Every section is
 * declared once (src/learning/params.ts, src/data/data-params.ts, run-params.ts);
 * loading = read JSON, validate (errors name the file and JSON path), apply
 * `--set` overrides and validate again (errors name the override), resolve input
 * paths (see paths.ts), then cross-section checks.
 */
import * as path from 'path';
import { DATA_PARAMS, type DataConfig } from '../data/data-params';
import {
  checkModelParams,
  DYNAMICS_SECTION,
  LEARNING_SECTION,
  NETWORK_SECTION,
  type DynamicsParams,
  type LearningParams,
  type NetworkParams,
} from '../learning/params';
import { MAPPING_PARAMS, type MappingParams } from '../map/params';
import { FAULTS_SECTION, type FaultParams } from '../faults/params';
import { FLOAT_SECTION, type FloatParams } from '../model/float-params';
import { TRACE_PARAMS, type TraceParams } from '../sim/trace-params';
import { deriveHardwareFiles, isHardwareOverride, type DerivedFile } from './hardware-overrides';
import { readJsonFile } from './json-file';
import { applyOverrides, parseOverride, type Override } from './overrides';
import { validateParam, type SectionParam } from './param';
import { filePaths, getPath, installRoot, resolveInputPath, setPath, type PathOrigin } from './paths';
import { RUN_PARAMS, type RunConfig } from './run-params';

/** Declaration of a whole experiment config file (configs/*.json). */
export const EXPERIMENT_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'an experiment (configs/*.json)',
  fields: {
    seed: {
      kind: 'int',
      default: 1,
      min: 0,
      max: 2147483647,
      doc: 'experiment seed: every random stream (weights, data order, beta sign, ...) derives from it',
    },
    chip: { kind: 'string', default: 'hw/chips/default.json', file: true, doc: 'chip architecture file (hw/chips/*.json)' },
    tech: { kind: 'string', default: 'hw/tech/28nm-bulk.json', file: true, doc: 'technology table for energy and area (hw/tech/*.json)' },
    network: NETWORK_SECTION,
    dynamics: DYNAMICS_SECTION,
    learning: LEARNING_SECTION,
    float: FLOAT_SECTION,
    faults: FAULTS_SECTION,
    mapping: MAPPING_PARAMS,
    data: DATA_PARAMS,
    run: RUN_PARAMS,
    trace: TRACE_PARAMS,
  },
};

/** A validated experiment config (all defaults filled, input paths absolute). */
export interface ExperimentConfig {
  seed: number;
  chip: string;
  tech: string;
  network: NetworkParams;
  dynamics: DynamicsParams;
  learning: LearningParams;
  float: FloatParams;
  faults: FaultParams;
  mapping: MappingParams;
  data: DataConfig;
  run: RunConfig;
  /** Trace outputs; relative paths are written inside the run folder. */
  trace: TraceParams;
}

/** A loaded experiment: the config plus where it came from. */
export interface Experiment {
  /** The config file, absolute. */
  file: string;
  /** Config name for run folders: the file name without ".json". */
  name: string;
  config: ExperimentConfig;
  /** The file, or "<file> (with --set)" when overrides were given: for errors about values from either. */
  label: string;
  /** Where the value at a dotted JSON path came from, for error messages: the file, or "--set". */
  sourceOf(jsonPath: string): string;
  /** Chip files and technology tables derived by `--set chip.*` / `tech.*` (config.chip/tech name them). */
  derived: DerivedFile[];
}

/** The config used when none is given: configs/mnist-default.json of the installation. */
export function defaultConfigFile(): string {
  return path.join(installRoot(), 'configs', 'mnist-default.json');
}

/** Label under which override errors are reported. */
const OVERRIDE_LABEL = '--set';

/**
 * Load, override, validate and resolve an experiment config. `file` undefined means
 * the default config; `sets` are "key.path=value" strings, applied in order.
 */
export function loadExperiment(file: string | undefined, sets: readonly string[] = []): Experiment {
  const abs = path.resolve(file ?? defaultConfigFile());
  const raw = readJsonFile(abs, 'config');
  validateParam(EXPERIMENT_PARAMS, raw, abs, '');
  const all: Override[] = sets.map(parseOverride);
  // Changes inside the chip file or technology table apply to those files, below.
  const overrides = all.filter((o) => !isHardwareOverride(o));
  const hardware = all.filter(isHardwareOverride);
  const merged = applyOverrides(raw, overrides);
  const config = (overrides.length > 0 ? validateParam(EXPERIMENT_PARAMS, merged, OVERRIDE_LABEL, '') : validateParam(EXPERIMENT_PARAMS, raw, abs, '')) as ExperimentConfig;
  checkModelParams(config, overrides.length > 0 ? `${abs} (with --set)` : abs);
  const configDir = path.dirname(abs);
  for (const p of filePaths(EXPERIMENT_PARAMS)) {
    const origin: PathOrigin = overrides.some((o) => o.path === p || p.startsWith(`${o.path}.`))
      ? 'override'
      : getPath(raw, p) !== undefined
        ? 'config'
        : 'default';
    setPath(config as unknown as Record<string, unknown>, p, resolveInputPath(getPath(config, p) as string, origin, configDir));
  }
  const derived = deriveHardwareFiles({ chip: config.chip, tech: config.tech }, hardware);
  for (const d of derived) config[d.kind] = d.file;
  const sourceOf = (jsonPath: string): string =>
    overrides.some((o) => o.path === jsonPath || jsonPath.startsWith(`${o.path}.`) || o.path.startsWith(`${jsonPath}.`)) ? OVERRIDE_LABEL : abs;
  const label = all.length > 0 ? `${abs} (with --set)` : abs;
  return { file: abs, name: path.basename(abs).replace(/\.json$/i, ''), config, label, sourceOf, derived };
}
