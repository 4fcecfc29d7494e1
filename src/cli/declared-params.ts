/**
 * Every file kind bitspike reads, with its declared parameters: the source of
 * `bitspike info` and docs/config-reference.md. A new declared file kind is added here.
 */
import { CHIP_PARAMS } from '../hw/chip-file';
import { EXPERIMENT_PARAMS } from '../config/experiment';
import { paramRows, type ParamRow } from '../config/param';
import { TECH_ENTRIES, entryPath } from '../energy/tech-schema';
import { BASE_UNIT } from '../energy/units';
import type { ParamDocument } from '../report/param-reference';

function techRows(): ParamRow[] {
  return TECH_ENTRIES.map((d) => ({
    path: entryPath(d),
    type: `{value, unit, source}: ${d.dim}`,
    default: '',
    range: d.positive ? '> 0' : '>= 0',
    unit: BASE_UNIT[d.dim],
    doc: d.doc,
  }));
}

/** The documents of every declared file kind, in reading order. */
export function declaredParamDocuments(): ParamDocument[] {
  return [
    {
      title: 'Experiment config',
      files: 'configs/*.json',
      intro:
        'An experiment: seed, chip and technology files, network, dynamics, learning rule, float reference, data and run. ' +
        'Missing keys take the defaults below; unknown keys are errors. Input paths written in a config resolve against the ' +
        "config file's directory, paths given with `--set` against the current directory, and default paths against the " +
        'installation. `--set key.path=value` overrides any value (JSON-parsed, else a string); `--set chip.<path>=value` and ' +
        '`--set tech.<path>=value` change the chip file or technology table the config names.',
      rows: paramRows(EXPERIMENT_PARAMS),
    },
    {
      title: 'Chip file',
      files: 'hw/chips/*.json',
      intro: 'A chip architecture: mesh, clock, neuron core, router and links, I/O port, timing. Every timing number of the cycle model is one of these.',
      rows: paramRows(CHIP_PARAMS),
    },
    {
      title: 'Technology table',
      files: 'hw/tech/*.json',
      intro:
        'Per-event energies, leakage and areas. Every entry is required and is an object {"value": number, "unit": string, "source": string}; ' +
        'values are converted to the base unit shown; the source cites the paper and table (or the scaling rule) it comes from.',
      rows: techRows(),
    },
  ];
}
