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
 * Every router's event counters (ROUTER_COUNTERS) are compared each cycle too, and both
 * sides can write the VCD of the run (Mesh.attachVcd's signals), compared by compareVcd.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kernel } from '../../src/sim/kernel';
import { VcdWriter } from '../../src/sim/vcd';
import { Mesh } from '../../src/chip/noc/mesh';
import { packetBits } from '../../src/hw/packet';
import { rngStream } from '../../src/util/rng';
import { buildRtl } from './build';
import { CycleObs, GRANT_STRIDE, K, ROUTER_COUNTERS, firstDifference, obsKey } from './observations';

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
  /** The model's router counters summed over routers at the end (the compared values). */
  counters: Record<string, number>;
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
      COUNTERS: 1,
    },
    defines: { MESH_W: p.w, MESH_H: p.h, MESH_AB: p.axonBits, MESH_LANES: p.lanes, MESH_IO_X: p.ioX, MESH_IO_Y: p.ioY, MESH_DEPTH: p.depth },
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

/** The VCD signal groups of the mesh (Mesh.attachVcd). */
export const MESH_VCD_GROUPS = ['router.occupancy', 'link.activity'];

/**
 * Run the TypeScript mesh on the stimulus: per cycle (digest, count) pairs, and the
 * observations of cycle `detail` (>= 0); with `vcdFile`, the mesh's VCD of the run
 * (every router, cycles 0 to `cycles`).
 */
export function modelRun(
  p: MeshRtlParams,
  stim: StimPacket[],
  cycles: number,
  detail = -1,
  vcdFile?: string,
): { digests: Uint32Array; pairs: [number, number][]; delivered: number; counters: Record<string, number> } {
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
  const vcd = vcdFile === undefined ? null : new VcdWriter(vcdFile, { from: 0, to: -1, groups: MESH_VCD_GROUPS });
  if (vcd !== null) mesh.attachVcd(vcd);
  const counters = mesh.routerCounters;
  const cIdx = ROUTER_COUNTERS.map((n) => counters.index(n));
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
      for (let k = 0; k < cIdx.length; k++) obs.add(obsKey(K.CNT, r, k), counters.values[r * counters.stride + (cIdx[k] as number)] as number);
    }
    digests[2 * c] = obs.digest;
    digests[2 * c + 1] = obs.count;
    if (c === detail) pairs = obs.pairs;
  }
  vcd?.finish(cycles);
  const totals: Record<string, number> = {};
  ROUTER_COUNTERS.forEach((n, k) => {
    let sum = 0;
    for (let r = 0; r < R; r++) sum += counters.values[r * counters.stride + (cIdx[k] as number)] as number;
    totals[n] = sum;
  });
  return { digests, pairs, delivered, counters: totals };
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

/** Where both sides write the VCD of a scenario. */
export interface VcdPaths {
  rtl: string;
  model: string;
}

/**
 * One scenario: `cycles` cycles of random traffic through both meshes. `modelParams`
 * (default: p) lets a test give the model different parameters, to check that a
 * disagreement is found and reported. With `vcd`, both sides also write their VCD of the
 * run (the RTL's from its own signals, the model's from Mesh.attachVcd).
 */
export function cosimMesh(
  p: MeshRtlParams,
  cycles: number,
  rate: number,
  seed: number,
  exe = buildMesh(p),
  modelParams = p,
  vcd?: VcdPaths,
): MeshCosimResult {
  const stim = meshStimulus(p, cycles, rate, seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-rtl-'));
  try {
    const stimFile = path.join(dir, 'stimulus.txt');
    const digFile = path.join(dir, 'digests.bin');
    writeStimulus(stimFile, stim, cycles);
    runTb(exe, [stimFile, digFile, ...(vcd ? ['--vcd', vcd.rtl] : [])]);
    const buf = fs.readFileSync(digFile);
    const rtl = new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const model = modelRun(modelParams, stim, cycles, -1, vcd?.model);
    const mismatch = compareRuns(cycles, rtl, model.digests, (c) => ({
      rtl: parsePairs(runTb(exe, [stimFile, digFile, '--detail', String(c)])),
      model: modelRun(modelParams, stim, c + 1, c).pairs,
    }));
    return { cycles, packets: stim.length, delivered: model.delivered, mismatch, counters: model.counters };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A VCD's header (up to and including $enddefinitions), identifier names and value changes per time. */
interface ParsedVcd {
  header: string;
  names: Map<string, string>;
  times: { time: number; values: Map<string, string> }[];
}

function parseVcd(text: string): ParsedVcd {
  const end = text.indexOf('$enddefinitions $end\n');
  if (end < 0) throw new Error('not a VCD: no $enddefinitions');
  const header = text.slice(0, end + '$enddefinitions $end\n'.length);
  const names = new Map<string, string>();
  const scope: string[] = [];
  for (const line of header.split('\n')) {
    const t = line.split(' ');
    if (t[0] === '$scope') scope.push(t[2] as string);
    else if (t[0] === '$upscope') scope.pop();
    else if (t[0] === '$var') names.set(t[3] as string, [...scope, t[4]].join('.'));
  }
  const times: ParsedVcd['times'] = [];
  for (const line of text.slice(header.length).split('\n')) {
    if (line.length === 0 || line === '$dumpvars' || line === '$end') continue;
    if (line.startsWith('#')) {
      times.push({ time: Number(line.slice(1)), values: new Map() });
      continue;
    }
    const cur = times[times.length - 1];
    if (cur === undefined) throw new Error(`VCD value before the first time: ${line}`);
    const sp = line.indexOf(' ');
    // "b101 <code>" for vectors, "1<code>" for 1-bit signals.
    if (sp >= 0) cur.values.set(line.slice(sp + 1), line.slice(1, sp));
    else cur.values.set(line.slice(1), line.slice(0, 1));
  }
  return { header, names, times };
}

/**
 * Compare two VCDs signal for signal: the headers (scopes, names, widths, identifier
 * codes) byte for byte, then every time step's value changes; the order of the changes
 * inside one time step is not compared (VCD gives it no meaning, and the model writes
 * them in event order). Returns the first difference as cycle, signal, RTL value, model
 * value (values in binary, as in the file), or null.
 */
export function compareVcd(rtlText: string, modelText: string): Mismatch | null {
  const a = parseVcd(rtlText);
  const b = parseVcd(modelText);
  if (a.header !== b.header) {
    const la = a.header.split('\n');
    const lb = b.header.split('\n');
    let i = 0;
    while (i < la.length && la[i] === lb[i]) i++;
    return { cycle: 0, signal: `VCD header line ${i + 1}`, rtl: la[i] ?? '(end)', model: lb[i] ?? '(end)' };
  }
  const n = Math.max(a.times.length, b.times.length);
  for (let i = 0; i < n; i++) {
    const ta = a.times[i];
    const tb = b.times[i];
    if (ta === undefined || tb === undefined || ta.time !== tb.time) {
      const t = Math.min(ta?.time ?? Infinity, tb?.time ?? Infinity);
      const side = ta?.time === t ? ta : tb;
      const code = [...(side?.values.keys() ?? [])].sort()[0];
      const name = code === undefined ? '(time step)' : (a.names.get(code) ?? code);
      const v = (x: typeof ta): string => (x?.time === t ? (code === undefined ? `#${t}` : (x.values.get(code) ?? '(no change)')) : '(no change)');
      return { cycle: t, signal: name, rtl: v(ta), model: v(tb) };
    }
    const codes = [...new Set([...ta.values.keys(), ...tb.values.keys()])].sort();
    for (const code of codes) {
      const va = ta.values.get(code);
      const vb = tb.values.get(code);
      if (va !== vb) return { cycle: ta.time, signal: a.names.get(code) ?? code, rtl: va ?? '(no change)', model: vb ?? '(no change)' };
    }
  }
  return null;
}
