/**
 * Sweep executors run points through the compiled CLI (worker threads and Slurm jobs
 * cannot load TypeScript), so tests that run sweeps first make sure dist/ is at least
 * as new as src/: when any source is newer, they compile (tsc, under a lock folder so
 * that parallel test files do not compile over each other). On a clean clone `npm ci`
 * has just built dist/, and nothing is compiled here.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { newestSource } from '../../process/built-cli';

const root = path.resolve(__dirname, '..', '..', '..');

function oldestOutput(): number {
  const files = ['dist/src/cli/main.js', 'dist/src/cli/pool-worker.js'].map((f) => path.join(root, f));
  return Math.min(...files.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
}

/** The compiled CLI entry (dist/src/cli/main.js), compiled first if src/ is newer. */
export function builtCli(): string {
  if (oldestOutput() < newestSource(path.join(root, 'src'))) {
    const lock = path.join(root, 'dist', '.build-lock');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    for (let i = 0; ; i++) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch {
        if (i > 600) throw new Error(`${lock}: held for 10 minutes`);
        execFileSync('sleep', ['1']);
      }
    }
    try {
      if (oldestOutput() < newestSource(path.join(root, 'src'))) {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
      }
    } finally {
      fs.rmdirSync(lock);
    }
  }
  return path.join(root, 'dist', 'src', 'cli', 'main.js');
}
