/**
 * Router-mesh co-simulation: the same random traffic through the TypeScript mesh
 * (src/chip/noc/mesh.ts) and the RTL mesh (hw/rtl/mesh.sv, Verilator), compared cycle by
 * cycle on every observation of test/rtl/observations.ts: each input buffer's occupancy and
 * each sender's credits after arbitration, every arrival (router, port, flit), grant (router,
 * input, output, flit), injection and delivery (payload included).
 *
 * Traffic: every endpoint (cores and the I/O port) creates a packet with probability `rate`
 * per cycle, to a uniformly drawn endpoint (itself and the I/O port included), payload bit
 * random, all from rngStream(seed, 'rtl-traffic'); each core injects its oldest due packet
 * when its Local input has a credit, the I/O port as many as it has lanes with credits.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kernel } from '../../src/sim/kernel';
import { Mesh } from '../../src/chip/noc/mesh';
import { packetBits } from '../../src/chip/noc/packet';
import { rngStream } from '../../src/util/rng';
import { buildRtl } from './build';
import { CycleObs, GRANT_STRIDE, K, firstDifference, obsKey } from './observations';

/** The RTL mesh parameters (a chip file's mesh, noc and io sections; axon field width). */
export interface MeshRtlParams {
  w: number;
  h: number;
  depth: number;
  rd: number;
  ld: number;
  cd: number;
  lanes: number;
  ioX: number;
  ioY: number;
  axonBits: number;
}

/** One packet of the stimulus. */
export interface StimPacket {
  created: number;
  src: number;
  dst: number;
  bit: number;
  id: number;
}

/** The first disagreement: cycle, signal, RTL value, model value. */
export interface Mismatch {
  cycle: number;
  signal: string;
  rtl: string;
  model: string;
}

/** Outcome of one scenario. */
export interface MeshCosimResult {
  cycles: number;
  packets: number;
  delivered: number;
  mismatch: Mismatch | null;
}

/** Build (or reuse) the Verilator mesh testbench of `p`. */
export function buildMesh(p: MeshRtlParams): string {
  return buildRtl({
    top: 'mesh',
    params: {
      W: p.w,
      H: p.h,
      AB: p.axonBits,
      DEPTH: p.depth,
      ROUTER_DELAY: p.rd,
      LINK_DELAY: p.ld,
      CREDIT_DELAY: p.cd,
      LANES: p.lanes,
      IO_X: p.ioX,
      IO_Y: p.ioY,
    },
    defines: { MESH_W: p.w, MESH_H: p.h, MESH_AB: p.axonBits, MESH_LANES: p.lanes, MESH_IO_X: p.ioX, MESH_IO_Y: p.ioY },
    testbench: 'mesh_tb.cpp',
  });
}

/** Random traffic of `cycles` cycles at `rate` packets per endpoint and cycle. */
export function meshStimulus(p: MeshRtlParams, cycles: number, rate: number, seed: number): StimPacket[] {
  const rng = rngStream(seed, 'rtl-traffic');
  const endpoints = p.w * p.h + 1;
  const out: StimPacket[] = [];
  const idMask = 2 ** p.axonBits;
  for (let c = 0; c < cycles; c++) {
    for (let e = 0; e < endpoints; e++) {
      if (rng.next() >= rate) continue;
      out.push({ created: c, src: e, dst: rng.below(endpoints), bit: rng.below(2), id: out.length % idMask });
    }
  }
  return out;
}

/**
 * Run the TypeScript mesh on the stimulus: per cycle (digest, count) pairs, and the
 * observations of cycle `detail` (>= 0).
 */
export function modelRun(p: MeshRtlParams, stim: StimPacket[], cycles: number, detail = -1): { digests: Uint32Array; pairs: [number, number][]; delivered: number } {
  const kernel = new Kernel();
  const R = p.w * p.h;
  const mesh = new Mesh(kernel, {
    width: p.w,
    height: p.h,
    noc: { bufferDepth: p.depth, routerDelay: p.rd, linkDelay: p.ld, creditDelay: p.cd, watchdogCycles: 0 },
    io: { x: p.ioX, y: p.ioY, flitsPerCycle: p.lanes },
    packetBits: packetBits(p.w, p.h, 2 ** p.axonBits),
  });
  const obs = new CycleObs();
  let delivered = 0;
  mesh.attach({
    onEject: (dst, axon, bit) => {
      delivered++;
      obs.add(obsKey(K.DLV, dst, 0), axon * 2 + bit);
    },
    onCredit: () => undefined,
  });
  mesh.attachObserver({
    arrive: (r, port, f) => obs.add(obsKey(K.ARR, r, port), mesh.flitTag(f)),
    grant: (r, i, o, f) => obs.add(obsKey(K.GNT, r, i), o * GRANT_STRIDE + mesh.flitTag(f)),
    credit: () => undefined,
  });
  const queues: StimPacket[][] = [];
  for (let e = 0; e <= R; e++) queues.push([]);
  for (const s of stim) (queues[s.src] as StimPacket[]).push(s);
  const head = new Int32Array(R + 1);
  const digests = new Uint32Array(2 * cycles);
  let pairs: [number, number][] = [];
  for (let c = 0; c < cycles; c++) {
    obs.clear(c === detail);
    kernel.run(c);
    for (let e = 0; e <= R; e++) {
      const q = queues[e] as StimPacket[];
      while ((head[e] as number) < q.length && (q[head[e] as number] as StimPacket).created <= c && mesh.canInject(e)) {
        const s = q[head[e] as number] as StimPacket;
        mesh.inject(e, s.dst, s.id, s.bit, s.id);
        obs.add(obsKey(K.INJ, e, 0), s.id);
        head[e] = (head[e] as number) + 1;
      }
    }
    for (let r = 0; r < R; r++) {
      const n = mesh.portsOf(r);
      for (let port = 0; port < n; port++) {
        obs.add(obsKey(K.OCC, r, port), mesh.inputOccupancy(r, port));
        const cr = mesh.senderCredits(r, port);
        if (cr >= 0) obs.add(obsKey(K.CRED, r, port), cr);
      }
    }
    digests[2 * c] = obs.digest;
    digests[2 * c + 1] = obs.count;
    if (c === detail) pairs = obs.pairs;
  }
  return { digests, pairs, delivered };
}

function writeStimulus(file: string, stim: StimPacket[], cycles: number): void {
  const lines = [`cycles ${cycles}`];
  for (const s of stim) lines.push(`${s.created} ${s.src} ${s.dst} ${s.bit} ${s.id}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function runTb(exe: string, args: string[]): string {
  const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(exe)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Compare per-cycle digests; on the first differing cycle, re-run both keeping that cycle's observations. */
export function compareRuns(
  cycles: number,
  rtl: Uint32Array,
  model: Uint32Array,
  detail: (cycle: number) => { rtl: [number, number][]; model: [number, number][] },
): Mismatch | null {
  if (rtl.length !== model.length) throw new Error(`RTL gave ${rtl.length / 2} cycles, the model ${model.length / 2}`);
  for (let c = 0; c < cycles; c++) {
    if (rtl[2 * c] === model[2 * c] && rtl[2 * c + 1] === model[2 * c + 1]) continue;
    const d = detail(c);
    const diff = firstDifference(d.rtl, d.model);
    if (diff === null) return { cycle: c, signal: '(digest only)', rtl: String(rtl[2 * c]), model: String(model[2 * c]) };
    return { cycle: c, signal: diff[0], rtl: diff[1], model: diff[2] };
  }
  return null;
}

function parsePairs(text: string): [number, number][] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [k, v] = l.split(' ');
      return [Number(k), Number(v)];
    });
}

/**
 * One scenario: `cycles` cycles of random traffic through both meshes. `modelParams`
 * (default: p) lets a test give the model different parameters, to check that a
 * disagreement is found and reported.
 */
export function cosimMesh(p: MeshRtlParams, cycles: number, rate: number, seed: number, exe = buildMesh(p), modelParams = p): MeshCosimResult {
  const stim = meshStimulus(p, cycles, rate, seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-'));
  try {
    const stimFile = path.join(dir, 'stimulus.txt');
    const digFile = path.join(dir, 'digests.bin');
    writeStimulus(stimFile, stim, cycles);
    runTb(exe, [stimFile, digFile]);
    const buf = fs.readFileSync(digFile);
    const rtl = new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const model = modelRun(modelParams, stim, cycles);
    const mismatch = compareRuns(cycles, rtl, model.digests, (c) => ({
      rtl: parsePairs(runTb(exe, [stimFile, digFile, '--detail', String(c)])),
      model: modelRun(modelParams, stim, c + 1, c).pairs,
    }));
    return { cycles, packets: stim.length, delivered: model.delivered, mismatch };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
