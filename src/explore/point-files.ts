/**
 * Sweeping the hardware: a grid key that starts with "chip." or "tech." changes the
 * chip file or the technology table the experiment names, e.g.
 * `--grid chip.core.sram.wordBits=32,64` or `--grid chip.mesh.width=2,4`. Each point's
 * changes go through the same derivation as `--set chip.*` (src/config/hardware-overrides.ts),
 * but the derived file is kept in the sweep's own folder and the point's config then
 * names it (`chip=<derived file>`), so the sweep folder records exactly which hardware
 * every point simulated.
 */
import { loadExperiment } from '../config/experiment';
import { deriveHardwareFiles, isHardwareOverride } from '../config/hardware-overrides';
import { parseOverride } from '../config/overrides';

/**
 * The `--set` overrides of one grid point: ordinary keys as they are; chip./tech.
 * keys turned into a derived file written to `filesDir` (named after `pointName`)
 * and a `chip=`/`tech=` override naming it.
 */
export function pointSetsWithFiles(configFile: string, baseSets: readonly string[], overrides: readonly string[], filesDir: string, pointName: string): string[] {
  const parsed = overrides.map(parseOverride);
  const sets = [...baseSets, ...overrides.filter((_, i) => !isHardwareOverride(parsed[i]!))];
  const hardware = parsed.filter(isHardwareOverride);
  if (hardware.length === 0) return sets;
  const exp = loadExperiment(configFile, sets);
  const derived = deriveHardwareFiles({ chip: exp.config.chip, tech: exp.config.tech }, hardware, {
    dir: filesDir,
    fileName: (kind) => `${pointName}-${kind}.json`,
    option: '--grid',
  });
  return [...sets, ...derived.map((d) => `${d.kind}=${JSON.stringify(d.file)}`)];
}
