/**
 * Budget-only sweeps: wall and CPU seconds of a 100-point `sweep --estimate` on the
 * default network (784-512-100, configs/mnist-default.json): SRAM word width (5) x
 * banks (5) x router buffer depth (4), every point mapped, run through the functional
 * model on 8 samples per phase and priced; this includes checking every point and
 * writing the sweep folder. Run: npm run bench -- sweep-estimate
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSweep } from '../../src/explore/sweep';
import { cpuSeconds } from './bench-util';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-bench-estimate-'));
  const config = path.resolve(__dirname, '..', '..', '..', 'configs', 'mnist-default.json');
  const io = { out: () => undefined, err: (s: string) => void process.stderr.write(s), progressStream: { write: () => true, isTTY: false } };
  const grid = ['chip.core.sram.wordBits=16,32,64,128,256', 'chip.core.sram.banks=1,2,4,8,16', 'chip.noc.bufferDepth=2,4,8,16'];
  const c0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const s = await runSweep({ config, grid, out: path.join(dir, 'est'), estimate: true }, io);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds() - c0;
  const rows = JSON.parse(fs.readFileSync(path.join(dir, 'est', 'sweep-results.json'), 'utf8')) as unknown[];
  if (s.status !== 'finished' || rows.length !== 100) throw new Error(`expected 100 priced points, got ${rows.length} (${s.status})`);
  console.log(`100-point budget-only sweep (default network, ${grid.join(' ')}): ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (${((1000 * cpu) / 100).toFixed(0)} ms CPU a point), including the checks of every point and the sweep folder`);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
