// Stryker ignorer plugin for the sampled run (scripts/mutation-sample.mjs): Stryker's
// `mutate` ranges select a node together with every node inside it, so this ignorer
// drops the nodes inside a sampled range that are not themselves sampled (they would
// cost test time and are not part of the sample). Mutants of other mutators on the same
// node as a sampled one are still tested; the scoring keeps only the sampled ones.
import fs from 'fs';
import path from 'path';
import { declareClassPlugin, declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

const file = process.env.MUTATION_SAMPLE_FILE;
const sampled = file ? JSON.parse(fs.readFileSync(file, 'utf8')).mutants : [];
// Babel locations: lines 1-based, columns 0-based; the sample stores Stryker's 0-based lines.
const locs = sampled.map((m) => ({
  file: m.fileName,
  s: [m.location.start.line + 1, m.location.start.column],
  e: [m.location.end.line + 1, m.location.end.column],
}));
const before = (a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/** Appends each tested mutant to reports/mutation/progress.jsonl as soon as it is known (the JSON report comes only at the end). */
class ProgressFileReporter {
  constructor() {
    fs.mkdirSync('reports/mutation', { recursive: true });
    fs.writeFileSync('reports/mutation/progress.jsonl', '');
  }
  /** Stryker's mutant ids exist only in this run: write the ids of the sampled mutants for ./mutation-jest/bail-environment.cjs. */
  onMutationTestingPlanReady({ mutantPlans }) {
    const idsFile = process.env.MUTATION_SAMPLE_IDS;
    if (!file || !idsFile) return;
    const keys = new Set(sampled.map((m) => m.key));
    const ids = [];
    for (const { mutant: m } of mutantPlans) {
      const { start, end } = m.location;
      const key = `${path.relative(process.cwd(), m.fileName)}:${start.line + 1}:${start.column}-${end.line + 1}:${end.column} ${m.mutatorName} ${m.replacement}`;
      if (keys.has(key)) ids.push(m.id);
    }
    fs.writeFileSync(idsFile, JSON.stringify(ids));
    fs.appendFileSync('reports/mutation/progress.jsonl', JSON.stringify({ plan: mutantPlans.length, sampledIds: ids.length, sampled: keys.size }) + '\n');
  }

  onMutantTested(r) {
    const { id, fileName, location, mutatorName, replacement, status, statusReason, static: isStatic } = r;
    fs.appendFileSync('reports/mutation/progress.jsonl', JSON.stringify({ id, fileName, location, mutatorName, replacement, status, statusReason, static: isStatic }) + '\n');
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.Reporter, 'progress-file', ProgressFileReporter),
  declareValuePlugin(PluginKind.Ignore, 'mutation-sample', {
    shouldIgnore(path) {
      const loc = path.node.loc;
      const name = path.hub?.file?.opts?.filename;
      if (!loc || !name) return undefined;
      const s = [loc.start.line, loc.start.column];
      const e = [loc.end.line, loc.end.column];
      const mine = locs.filter((l) => name.endsWith(l.file));
      const keep = mine.some((l) => (before(s, l.s) && before(l.e, e)));
      return keep ? undefined : 'not in the mutation sample';
    },
  }),
];
