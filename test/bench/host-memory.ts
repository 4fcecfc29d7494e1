/**
 * Calibration of the host-memory estimate (src/train/host-memory.ts): peak resident
 * set (process.resourceUsage().maxRSS, read at exit) of real `bitspike train` runs in
 * fresh processes, cycle mode, 20 training + 20 test samples, one epoch:
 *   the default network on the default chip scaled to k x k tiles (k = 16, 64, 128)
 *   -> bytes per tile = slope between successive k;
 *   784-h-100 on a 16x16 mesh, h = 512 and 4096 -> bytes per synapse;
 * and of `bitspike run` (inference only, 20 test samples): the default network on 32x32 and
 * 64x64 meshes -> bytes per tile; 784-h-100 on 32x32, h = 512 and 16384 -> bytes per synapse.
 * Prints the measured slopes beside the constants the estimate uses.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BASE_BYTES, PER_SYNAPSE_BYTES, PER_SYNAPSE_INFERENCE_BYTES, PER_TILE_BYTES, PER_TILE_INFERENCE_BYTES } from '../../src/train/host-memory';
import { printTable } from './bench-util';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');

function peakRss(dir: string, sets: string[], cmd: 'train' | 'run' = 'train'): number {
  const pre = path.join(dir, 'maxrss.js');
  fs.writeFileSync(pre, "process.on('exit', () => process.stderr.write(`MAXRSS ${process.resourceUsage().maxRSS}\\n`));\n");
  const out = path.join(dir, `run-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const args =
    cmd === 'train'
      ? ['--require', pre, cli, 'train', '--out', out, '--set', 'run.mode=cycle', '--set', 'run.epochs=1', '--set', 'data.trainLimit=20', '--set', 'data.testLimit=20']
      : ['--require', pre, cli, 'run', '--out', out, '--limit', '20'];
  for (const s of sets) args.push('--set', s);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: dir });
  const m = /MAXRSS (\d+)/.exec(r.stderr);
  if (r.status !== 0 || m === null) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  fs.rmSync(out, { recursive: true, force: true });
  return Number(m[1]) * 1024;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-hostmem-'));
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  try {
    const rows: string[][] = [];
    let prev: [number, number] | null = null;
    for (const k of [16, 64, 128]) {
      const rss = peakRss(dir, [`chip.mesh.width=${k}`, `chip.mesh.height=${k}`]);
      const slope = prev === null ? '' : ((rss - prev[1]) / (k * k - prev[0]) / 1024).toFixed(1);
      rows.push([`mesh ${k}x${k}`, mib(rss), slope === '' ? '' : `${slope} KiB/tile`]);
      prev = [k * k, rss];
    }
    const syn = (h: number) => 784 * h + h * 100;
    const a = peakRss(dir, ['chip.mesh.width=16', 'chip.mesh.height=16', 'network.hidden=[512]']);
    const b = peakRss(dir, ['chip.mesh.width=16', 'chip.mesh.height=16', 'network.hidden=[4096]']);
    rows.push(['784-512-100 on 16x16', mib(a), '']);
    rows.push(['784-4096-100 on 16x16', mib(b), `${((b - a) / (syn(4096) - syn(512))).toFixed(1)} B/synapse`]);
    const r32 = peakRss(dir, ['chip.mesh.width=32', 'chip.mesh.height=32'], 'run');
    const r64 = peakRss(dir, ['chip.mesh.width=64', 'chip.mesh.height=64'], 'run');
    rows.push(['run: mesh 32x32', mib(r32), '']);
    rows.push(['run: mesh 64x64', mib(r64), `${((r64 - r32) / (4096 - 1024) / 1024).toFixed(1)} KiB/tile`]);
    const w = peakRss(dir, ['chip.mesh.width=32', 'chip.mesh.height=32', 'network.hidden=[16384]'], 'run');
    rows.push(['run: 784-16384-100 on 32x32', mib(w), `${((w - r32) / (syn(16384) - syn(512))).toFixed(2)} B/synapse`]);
    printTable(['run', 'peak RSS MiB', 'slope'], rows);
    console.log(`estimate uses: BASE ${mib(BASE_BYTES)} MiB, PER_TILE ${PER_TILE_BYTES / 1024} KiB, PER_SYNAPSE ${PER_SYNAPSE_BYTES} B; inference PER_TILE ${PER_TILE_INFERENCE_BYTES / 1024} KiB, PER_SYNAPSE ${PER_SYNAPSE_INFERENCE_BYTES} B`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
