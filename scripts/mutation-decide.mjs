#!/usr/bin/env node
// Decides the mutants of a drawn sample (reports/mutation/sample.json, from
// `scripts/mutation-sample.mjs pick`) without Stryker: each mutant is written into its
// source file, the test files that execute its place run (fastest first, stopping at the
// first failing test), and the file is restored. Why: Stryker's sandbox, instrumentation
// and coverage run cost more than the tests themselves on a small shared machine.
//
//   node scripts/mutation-decide.mjs coverage   run the test files once with coverage: per test
//                                              file, pass/fail, seconds and the statements it ran
//   node scripts/mutation-decide.mjs run        decide every sampled mutant not decided yet, the strata
//                                              interleaved (resumable; results in reports/mutation/decided.jsonl;
//                                              CLAIMS=DIR: checkouts of the same commit share the work)
//   TRIAGE=FILE node scripts/mutation-decide.mjs score   score per folder and stratified, 95% intervals;
//                                              FILE (JSON {key: "killed" | "equivalent"}) adds the score after triage
//
// A mutant's test files are those whose coverage executed the innermost statement holding
// it (else the innermost function, else any statement of its file: code run while the
// module loads). Outcomes: Killed (a test failed or a test file threw), Timeout (one test
// file ran over 3x its unmutated time + 60 s, and again over 4 times that), Survived,
// NoCoverage (no test file reaches it). Code running in worker threads comes from dist/, which is built from the
// unmutated sources, as in Stryker's sandbox (a mutated file keeps its old modification
// time, so that tests starting the built CLI do not recompile dist/ with the mutant). Test files left out: as scripts/mutation.sh.
// The source is restored after each mutant, on SIGINT/SIGTERM/SIGHUP, and at the next
// start if the process was killed (reports/mutation/applied.json keeps the original).
import fs from 'fs';
import path from 'path';
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { fileURLToPath } from 'url';
import { mutatedSource, wilson } from './mutation-sample.mjs';
import newest from './newest-source.cjs';

const { newestSource } = newest;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const OUT = 'reports/mutation';
const SAMPLE = path.join(OUT, 'sample.json');
const COVERAGE = path.join(OUT, 'file-coverage.json');
const RESULTS = path.join(OUT, 'decided.jsonl');
const JOURNAL = path.join(OUT, 'applied.json');
const JEST = path.join('node_modules', 'jest', 'bin', 'jest.js');
const STRATA = ['src/chip', 'src/sim', 'src/learning'];
const EXCLUDE = /^test\/rtl\/|^test\/process\/|test\/unit\/train\/host-memory\.test\.ts|test\/unit\/explore\/sweep\.test\.ts|test\/unit\/explore\/slurm\.test\.ts|test\/unit\/explore\/report-browser\.test\.ts|test\/unit\/map\/idle-tiles\.test\.ts/;
const NICE = process.env.NICE ?? '15';

function srcFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...srcFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** Put back a source file a killed run left mutated. */
function restoreJournal() {
  if (!fs.existsSync(JOURNAL)) return;
  const { file, content, atime, mtime } = JSON.parse(fs.readFileSync(JOURNAL, 'utf8'));
  fs.writeFileSync(file, content);
  fs.utimesSync(file, new Date(atime), new Date(mtime));
  fs.unlinkSync(JOURNAL);
  console.log(`restored ${file} (left mutated by an interrupted run)`);
}

async function coverage() {
  restoreJournal();
  const listed = spawnSync('node', [JEST, '--listTests', '--roots=<rootDir>/src', '--roots=<rootDir>/test', '--findRelatedTests', ...STRATA.flatMap(srcFiles)], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`jest --listTests failed: ${listed.stderr}`);
  const tests = listed.stdout.split('\n').filter((l) => l !== '').map((l) => path.relative(root, l)).filter((t) => !EXCLUDE.test(t)).sort();
  if (tests.length === 0) throw new Error('jest --listTests found no related test file');
  console.log(`coverage run over ${tests.length} test files`);
  const args = ['-n', NICE, 'node', JEST, '--ci', '--coverage', '--coverageReporters=text-summary', ...STRATA.map((s) => `--collectCoverageFrom=${s}/**/*.ts`), '--reporters=default', '--reporters=./scripts/mutation-jest/file-coverage-reporter.cjs', `--maxWorkers=${process.env.WORKERS ?? 2}`, '--runTestsByPath', ...tests];
  const r = spawnSync('nice', args, { stdio: 'inherit', env: { ...process.env, MUTATION_COVERAGE_OUT: COVERAGE } });
  const cov = JSON.parse(fs.readFileSync(COVERAGE, 'utf8'));
  const failed = Object.keys(cov).filter((f) => !cov[f].passed);
  console.log(`coverage: ${Object.keys(cov).length} test files, ${failed.length} failing without a mutant${failed.length ? ' (left out): ' + failed.join(', ') : ''}; jest exit ${r.status}`);
}

const inside = (a, m) => (a[0] < m.sl || (a[0] === m.sl && a[1] <= m.sc)) && (a[2] > m.el || (a[2] === m.el && a[3] >= m.ec));
const size = (a) => (a[2] - a[0]) * 1e4 + (a[3] - a[1]);

/** Whether one test file's coverage of the mutant's file executed the mutant's place. */
function reaches(fileCov, m) {
  if (fileCov === undefined) return false;
  const pos = { sl: m.location.start.line + 1, sc: m.location.start.column, el: m.location.end.line + 1, ec: m.location.end.column };
  for (const kind of ['s', 'f']) {
    const holding = fileCov[kind].filter((a) => inside(a, pos)).sort((a, b) => size(a) - size(b));
    if (holding.length > 0) return holding[0][4] > 0;
  }
  return fileCov.s.some((a) => a[4] > 0);
}

/**
 * Run the test files against the mutated source. A file over its time limit is run again
 * (with the files after it) under a limit 4 times longer before the mutant counts as timed
 * out: on a loaded machine a slow file is not yet a hang.
 */
async function runTests(files, cov) {
  const first = await runTestsOnce(files, cov, 1);
  if (first.status !== 'Timeout') return first;
  return runTestsOnce(files.slice(files.indexOf(first.by)), cov, 4);
}

/** Run the given test files (in this order) against the source as it is now; the outcome and the first failing test. */
function runTestsOnce(files, cov, slack) {
  return new Promise((resolve) => {
    const args = ['-n', NICE, 'node', JEST, '--ci', '--bail', '--runInBand', '--testSequencer=./scripts/mutation-jest/ordered-sequencer.cjs', '--testEnvironment=./scripts/mutation-jest/first-failure-environment.cjs', '--runTestsByPath', ...files];
    const child = spawn('nice', args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MUTATION_ORDER: JSON.stringify(files) } });
    running = child;
    const done = new Set();
    let fileStart = Date.now();
    let timedOut = null;
    let buf = '';
    let tail = '';
    let firstFail = null;
    let failName = null;
    child.stderr.on('data', (d) => {
      buf += d.toString();
      tail = (tail + d.toString()).slice(-4000);
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\x1b\[[0-9;]*m/g, '');
        buf = buf.slice(nl + 1);
        const hit = /^\s*(PASS|FAIL)\s+(\S+)/.exec(line);
        const bullet = /^\s*● (.*)$/.exec(line);
        if (bullet && firstFail !== null && failName === null) failName = bullet[1].trim().slice(0, 200);
        if (hit) {
          if (hit[1] === 'FAIL' && firstFail === null) firstFail = path.normalize(hit[2]);
          done.add(path.normalize(hit[2]));
          fileStart = Date.now();
        }
      }
    });
    const timer = setInterval(() => {
      const current = files.find((f) => !done.has(f));
      if (current === undefined) return;
      const limit = slack * (3 * cov[current].seconds + 60) * 1000;
      if (Date.now() - fileStart > limit) {
        timedOut = current;
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }, 1000);
    child.on('close', (code) => {
      clearInterval(timer);
      running = null;
      if (timedOut !== null) return resolve({ status: 'Timeout', by: timedOut });
      // jest writes no --json report when --bail stops it, so the FAIL line and its first "●" name the kill.
      if (firstFail !== null) return resolve({ status: 'Killed', by: firstFail + (failName ? ` > ${failName}` : '') });
      resolve(code === 0 ? { status: 'Survived' } : { status: 'RunError', by: `jest exit ${code}`, tail });
    });
  });
}

/**
 * The sample's mutants with the strata interleaved in proportion (the k-th of a stratum of n
 * at (k + 0.5) / n): every prefix holds the first mutants of each stratum's seeded order, so
 * a run stopped early has decided a smaller stratified sample.
 */
function interleaved(sample) {
  const rank = new Map();
  for (const st of sample.strata) sample.mutants.filter((m) => m.stratum === st.stratum).forEach((m, k, all) => rank.set(m.key, (k + 0.5) / all.length));
  return sample.mutants.slice().sort((a, b) => rank.get(a.key) - rank.get(b.key));
}

let running = null;
let applied = null;

function restoreApplied() {
  if (applied === null) return;
  fs.writeFileSync(applied.file, applied.content);
  fs.utimesSync(applied.file, applied.atime, applied.mtime);
  fs.rmSync(JOURNAL, { force: true });
  applied = null;
}


async function run() {
  restoreJournal();
  const sample = JSON.parse(fs.readFileSync(SAMPLE, 'utf8'));
  if (!sample.commit) throw new Error(`${SAMPLE} was drawn from uncommitted sources; draw it again from a clean checkout`);
  if (spawnSync('git', ['diff', '--quiet', sample.commit, '--', ...STRATA]).status !== 0) throw new Error(`src/chip, src/sim or src/learning differ from the sample's commit ${sample.commit}: check that commit out to decide this sample`);
  // Tests that start the built CLI recompile dist/ when a source is newer (test/unit/explore/built.ts): a mutant
  // must not get into dist/, so each is written with its file's old modification time, and dist/ must be current.
  const built = ['dist/src/cli/main.js', 'dist/src/cli/pool-worker.js'].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  if (Math.min(...built) < newestSource('src')) throw new Error('dist/ is older than src/: build it from these sources first (npx tsc -p .)');
  const cov = JSON.parse(fs.readFileSync(COVERAGE, 'utf8'));
  const usable = Object.keys(cov).filter((f) => cov[f].passed).sort((a, b) => cov[a].seconds - cov[b].seconds);
  const decided = new Set(fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l).key) : []);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (running !== null) try { process.kill(-running.pid, 'SIGKILL'); } catch { /* gone */ }
      restoreApplied();
      process.exit(130);
    });
  }
  process.on('exit', restoreApplied);
  // CLAIMS=DIR: several checkouts of the commit share the work; each mutant goes to the first that claims it
  // (an atomic mkdir of DIR/<hash of its key>), so all of them work along the same interleaved order.
  const claims = process.env.CLAIMS;
  const claim = (m) => {
    if (claims === undefined) return true;
    try {
      fs.mkdirSync(path.join(claims, createHash('sha1').update(m.key).digest('hex')), { recursive: false });
      return true;
    } catch {
      return false;
    }
  };
  if (claims !== undefined) fs.mkdirSync(claims, { recursive: true });
  const todo = interleaved(sample).filter((m) => !decided.has(m.key));
  console.log(`${decided.size} of ${sample.mutants.length} decided before; ${todo.length} to go${claims ? ' (shared with the other checkouts)' : ''}`);
  for (const m of todo) {
    if (!claim(m)) continue;
    const files = usable.filter((t) => reaches(cov[t].src[m.fileName], m));
    const t0 = Date.now();
    let outcome;
    if (files.length === 0) outcome = { status: 'NoCoverage' };
    else {
      const content = fs.readFileSync(m.fileName, 'utf8');
      const { atime, mtime } = fs.statSync(m.fileName);
      fs.writeFileSync(JOURNAL, JSON.stringify({ file: m.fileName, content, atime, mtime }));
      applied = { file: m.fileName, content, atime, mtime };
      fs.writeFileSync(m.fileName, mutatedSource(content, m));
      fs.utimesSync(m.fileName, atime, mtime);
      try {
        outcome = await runTests(files, cov);
      } finally {
        restoreApplied();
      }
    }
    const rec = { key: m.key, stratum: m.stratum, ...outcome, files: files.length, seconds: Math.round((Date.now() - t0) / 1000) };
    fs.appendFileSync(RESULTS, JSON.stringify(rec) + '\n');
    console.log(`${rec.status.padEnd(10)} ${String(rec.seconds).padStart(4)} s ${String(files.length).padStart(3)} files  ${m.key.split('\n')[0].slice(0, 110)}${rec.by ? `  [${rec.by.slice(0, 120)}]` : ''}`);
  }
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;

/** Per-folder and stratified scores of the decided sample (detected = Killed or Timeout; left out: the keys in `skip`). */
function scoreOf(sample, status, skip) {
  const popTotal = sample.strata.reduce((a, s) => a + s.population, 0);
  let estimate = 0, variance = 0, k0 = 0, n0 = 0;
  const rows = [];
  for (const s of sample.strata) {
    const ms = sample.mutants.filter((m) => m.stratum === s.stratum && !skip.has(m.key));
    const n = ms.length;
    const k = ms.filter((m) => ['Killed', 'Timeout'].includes(status.get(m.key))).length;
    const p = n ? k / n : 0;
    const w = s.population / popTotal;
    estimate += w * p;
    if (n > 1) variance += ((w * w * p * (1 - p)) / (n - 1)) * (1 - n / s.population);
    k0 += k;
    n0 += n;
    rows.push({ stratum: s.stratum, population: s.population, n, detected: k, score: p, ci95: wilson(k, n, s.population) });
  }
  const half = 1.959964 * Math.sqrt(variance);
  return { rows, total: { n: n0, detected: k0, score: estimate, ci95: [Math.max(0, estimate - half), Math.min(1, estimate + half)] } };
}

function printScore(title, sc) {
  console.log(title);
  for (const r of sc.rows) console.log(`  ${r.stratum}: ${r.detected} of ${r.n} detected (population ${r.population}): ${pct(r.score)} (95% Wilson ${pct(r.ci95[0])}-${pct(r.ci95[1])})`);
  console.log(`  stratified: ${sc.total.detected} of ${sc.total.n}: ${pct(sc.total.score)} (95% CI ${pct(sc.total.ci95[0])}-${pct(sc.total.ci95[1])})`);
}

async function score() {
  const sample = JSON.parse(fs.readFileSync(SAMPLE, 'utf8'));
  const recs = fs.readFileSync(RESULTS, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  const status = new Map(recs.map((r) => [r.key, r.status]));
  // Only the longest decided prefix of the interleaved order is scored: whether a mutant counts must not depend
  // on how long the mutants before it took (survivors are slow), only on its place in the seeded order.
  const order = interleaved(sample);
  const cut = order.findIndex((m) => !status.has(m.key));
  const scored = cut < 0 ? order : order.slice(0, cut);
  const inScore = new Set(scored.map((m) => m.key));
  const missing = sample.mutants.filter((m) => !inScore.has(m.key));
  const used = recs.filter((r) => inScore.has(r.key));
  const count = (st) => used.filter((r) => r.status === st).length;
  console.log(`mutation sample seed ${sample.seed} (commit ${sample.commit}): ${recs.length} of ${sample.mutants.length} decided; scored: the first ${scored.length} of the interleaved order (${sample.strata.map((st) => `${st.stratum} ${scored.filter((m) => m.stratum === st.stratum).length}`).join(', ')}): ${count('Killed')} killed, ${count('Timeout')} timed out, ${count('Survived')} survived, ${count('NoCoverage')} no coverage, ${count('RunError')} run errors`);
  const before = scoreOf(sample, status, new Set(missing.map((m) => m.key)));
  printScore('before triage:', before);
  const out = { seed: sample.seed, commit: sample.commit, before };
  if (process.env.TRIAGE) {
    const triage = JSON.parse(fs.readFileSync(process.env.TRIAGE, 'utf8'));
    const skip = new Set(missing.map((m) => m.key));
    const after = new Map(status);
    for (const [key, t] of Object.entries(triage)) {
      if (!status.has(key)) throw new Error(`triage key not in the decided sample: ${key}`);
      if (!inScore.has(key)) continue;
      if (t === 'equivalent') skip.add(key);
      else if (t === 'killed') after.set(key, 'Killed');
      else throw new Error(`triage outcome must be "killed" or "equivalent", got ${JSON.stringify(t)}`);
    }
    out.after = scoreOf(sample, after, skip);
    printScore(`after triage (${Object.entries(triage).filter(([k, t]) => t === 'equivalent' && inScore.has(k)).length} equivalent left out):`, out.after);
  }
  const undetected = used.filter((r) => !['Killed', 'Timeout'].includes(r.status));
  if (undetected.length) console.log('not detected:\n  ' + undetected.map((r) => `${r.status.padEnd(10)} ${r.key}`).join('\n  '));
  fs.writeFileSync(path.join(OUT, 'decided-score.json'), JSON.stringify(out, null, 1));
}

const commands = { coverage, run, score };
const cmd = process.argv[2];
if (!commands[cmd]) {
  console.error('usage: node scripts/mutation-decide.mjs coverage|run|score');
  process.exit(2);
}
commands[cmd]().catch((e) => {
  restoreApplied();
  console.error(`mutation-decide: ${e.message}`);
  process.exit(2);
});
