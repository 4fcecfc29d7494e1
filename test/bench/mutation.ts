/**
 * Mutation score of src/chip, src/sim and src/learning from a seeded random sample of
 * StrykerJS mutants, stratified per folder (scripts/mutation.sh, scripts/mutation-sample.mjs):
 * prints the seed, "sampled n of N" per folder, the score with its 95% confidence interval
 * and every mutant the tests did not detect. Usage: npm run bench -- mutation
 * [env SAMPLE=120 SEED=1; MUTATION_FULL=1 for every mutant, which takes many hours].
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const env = { ...process.env };
if (env['MUTATION_FULL'] === '1') delete env['SAMPLE'];
else {
  env['SAMPLE'] = env['SAMPLE'] ?? '120';
  env['SEED'] = env['SEED'] ?? '1';
}
const r = spawnSync('sh', [path.join(root, 'scripts', 'mutation.sh')], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
