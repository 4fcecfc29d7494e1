/**
 * `npx bitspike train` under a job scheduler: the scheduler's SIGTERM reaches npm,
 * which exits without passing it on. The trainer must still stop cleanly (checkpoint,
 * exit), not run on orphaned. Here a small parent process plays npm: it starts the
 * CLI and exits on SIGTERM without forwarding it.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pidAlive } from '../../src/store/folder-lock';
import { RUN_FILES } from '../../src/train/run-folder';
import { tempDir, writeTinyConfig } from '../unit/train/tiny-config';
import { builtCli } from './built-cli';

const dir = tempDir('orphan');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('a training whose parent (npx) dies on SIGTERM stops with a checkpoint instead of running on orphaned', async () => {
  // Long enough to be mid-run when the parent dies: 8,000 samples per epoch, 20 epochs.
  const config = writeTinyConfig(dir, 'long.json', { data: { trainLimit: 8000, testLimit: 40 }, run: { epochs: 20, progress: 'never' } });
  const out = path.join(dir, 'run');
  const pidFile = path.join(dir, 'child.pid');
  const parentJs = `
    const { spawn } = require('child_process');
    const c = spawn(process.execPath, ${JSON.stringify([builtCli(), 'train', config, '--out', out])}, { stdio: 'ignore' });
    require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
    process.on('SIGTERM', () => process.exit(143)); // like npm exec: exit, pass nothing on
  `;
  const parent = spawn(process.execPath, ['-e', parentJs], { stdio: 'ignore' });
  await until('the first checkpoint', () => fs.existsSync(path.join(out, RUN_FILES.checkpoint)), 60000);
  const child = Number(fs.readFileSync(pidFile, 'utf8'));
  expect(pidAlive(child)).toBe(true);
  parent.kill('SIGTERM');
  await until('the orphaned trainer to stop', () => !pidAlive(child), 10000);
  // It stopped through its SIGTERM handler: a resumable folder, lock released, no temporary file.
  expect(fs.readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  expect(fs.existsSync(path.join(out, RUN_FILES.results))).toBe(false);
  const epochs = fs.readFileSync(path.join(out, RUN_FILES.epochs), 'utf8').trim().split('\n').length - 1;
  expect(epochs).toBeLessThan(20);
});
