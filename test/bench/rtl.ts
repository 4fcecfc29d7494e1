/**
 * The RTL co-simulation campaign: random router-mesh traffic and random neuron-core
 * samples and random learning rows through the RTL twin (hw/rtl, Verilator) and the TypeScript chip model, compared
 * cycle by cycle (test/rtl). Prints per configuration the scenarios, cycles, packets and
 * samples that agreed, with their seeds, and the first mismatch if any (exit code 1).
 * Usage: npm run bench -- rtl  [env RTL_SCALE=0.1 for a short run; RTL_PARTS=learn for one part
 * (comma-separated from mesh, core, learn)]
 */
import { loadChipFile } from '../../src/hw/chip-file';
import { rngStream } from '../../src/util/rng';
import { coreParamsOf, meshParamsOf } from '../rtl/chip-params';
import { buildCore, cosimCore } from '../rtl/core-cosim';
import type { CoreRtlParams } from '../rtl/core-cosim';
import { buildLearn, cosimLearn } from '../rtl/learn-cosim';
import type { LearnRtlParams } from '../rtl/learn-cosim';
import { buildMesh, cosimMesh } from '../rtl/mesh-cosim';
import type { MeshRtlParams } from '../rtl/mesh-cosim';
import { cpuSeconds, printTable } from './bench-util';

const scale = Number(process.env['RTL_SCALE'] ?? '1');
const CYCLES_PER_SCENARIO = 25000;
const MESH_SCENARIOS = Math.max(1, Math.round(10 * scale));
const CORE_SAMPLES = Math.max(10, Math.round(3000 * scale));
const LEARN_ROWS = Math.max(10, Math.round(2500 * scale));
const parts = new Set((process.env['RTL_PARTS'] ?? 'mesh,core,learn').split(','));

const meshConfigs: [string, MeshRtlParams][] = [
  ['chip default (4x4, depth 4, delays 1)', meshParamsOf(loadChipFile('default'))],
  ['chip tiny (3x3, depth 2)', meshParamsOf(loadChipFile('tiny'))],
  ['2x2, depth 1, rd 2 ld 2 cd 3, 3 I/O lanes at (1,1)', { w: 2, h: 2, depth: 1, rd: 2, ld: 2, cd: 3, lanes: 3, ioX: 1, ioY: 1, axonBits: 20 }],
  ['4x4, depth 3, rd 1 ld 2 cd 2, 2 I/O lanes at (2,1)', { w: 4, h: 4, depth: 3, rd: 1, ld: 2, cd: 2, lanes: 2, ioX: 2, ioY: 1, axonBits: 20 }],
];
const coreConfigs: [string, CoreRtlParams][] = [
  ['chip default core (64-bit words, 2 banks, acc 16, pipe 3, queue 8)', coreParamsOf(loadChipFile('default'), { neurons: 16, axons: 200 })],
  ['chip tiny core (8-bit words, 1 bank, pipe 2, queue 2)', coreParamsOf(loadChipFile('tiny'), { neurons: 8, axons: 128 })],
  ['16-bit words, 3 banks, acc 7, state 4, pipe 0, queue 1', { neurons: 10, axons: 70, wordBits: 16, banks: 3, accBits: 7, stateBits: 4, biasBits: 5, pipe: 0, queueDepth: 1, maxDest: 4 }],
  ['5-bit words, 2 banks, acc 9, state 6, pipe 4, queue 3', { neurons: 12, axons: 48, wordBits: 5, banks: 2, accBits: 9, stateBits: 6, biasBits: 6, pipe: 4, queueDepth: 3, maxDest: 3 }],
];
const learnConfigs: [string, LearnRtlParams][] = [
  ['8-bit words, 1 bank, 8 counter planes, rows up to 48 bits', { wordBits: 8, maxWords: 6, counterPlanes: 8, banks: 1 }],
  ['32-bit words, 3 banks, 6 planes, up to 128 bits', { wordBits: 32, maxWords: 4, counterPlanes: 6, banks: 3 }],
  ['64-bit words, 2 banks, 8 planes, up to 256 bits (chip default)', { wordBits: 64, maxWords: 4, counterPlanes: 8, banks: 2 }],
  ['5-bit words, 4 banks, 4 planes, up to 35 bits', { wordBits: 5, maxWords: 7, counterPlanes: 4, banks: 4 }],
];

let failed = false;
const t0 = cpuSeconds();
const meshRows: string[][] = [];
let totalCycles = 0;
let totalPackets = 0;
let totalScenarios = 0;
(parts.has('mesh') ? meshConfigs : []).forEach(([name, p], ci) => {
  const exe = buildMesh(p);
  const rng = rngStream(ci + 1, 'rtl-campaign-rates');
  const seeds: number[] = [];
  let cycles = 0;
  let packets = 0;
  let mismatch = '';
  for (let s = 0; s < MESH_SCENARIOS && !mismatch; s++) {
    const seed = 1000 * (ci + 1) + s;
    // Offered loads from nearly idle to past saturation.
    const rate = 0.01 + 0.6 * rng.next();
    const r = cosimMesh(p, CYCLES_PER_SCENARIO, rate, seed, exe);
    seeds.push(seed);
    if (r.mismatch) {
      mismatch = `seed ${seed} rate ${rate.toFixed(3)}: cycle ${r.mismatch.cycle}, ${r.mismatch.signal}: RTL ${r.mismatch.rtl}, model ${r.mismatch.model}`;
      failed = true;
    } else {
      cycles += r.cycles;
      packets += r.packets;
    }
  }
  totalCycles += cycles;
  totalPackets += packets;
  totalScenarios += seeds.length - (mismatch ? 1 : 0);
  meshRows.push([name, String(seeds.length), String(cycles), String(packets), `${seeds[0]}..${seeds[seeds.length - 1]}`, mismatch || 'none']);
});
if (parts.has('mesh')) {
  console.log(`Router mesh: ${CYCLES_PER_SCENARIO}-cycle scenarios of uniform random traffic (rates drawn in [0.01, 0.61] packets/endpoint/cycle)`);
  printTable(['configuration', 'scenarios', 'cycles agreed', 'packets', 'seeds', 'first mismatch'], meshRows);
  console.log(`total: ${totalScenarios} scenarios, ${totalCycles} cycles, ${totalPackets} packets agreed cycle by cycle`);
}

const coreRows: string[][] = [];
let totalSamples = 0;
let totalFlits = 0;
let totalRowValues = 0;
(parts.has('core') ? coreConfigs : []).forEach(([name, p], ci) => {
  const exe = buildCore(p);
  const seed = 100 + ci;
  const r = cosimCore(p, CORE_SAMPLES, seed, exe);
  const mismatch = r.mismatch ? `sample ${r.mismatch.sample}, cycle ${r.mismatch.cycle}, ${r.mismatch.signal}: RTL ${r.mismatch.rtl}, model ${r.mismatch.model}` : 'none';
  if (r.mismatch) failed = true;
  else {
    totalSamples += r.samples;
    totalFlits += r.flits;
    totalRowValues += r.rows;
  }
  coreRows.push([name, String(r.mismatch ? r.samples - 1 : r.samples), String(r.rows), String(r.flits), String(seed), mismatch]);
});
if (parts.has('core')) {
  console.log('\nNeuron core: random samples (one step each)');
  printTable(['configuration', 'samples agreed', 'rows', 'flits', 'seed', 'first mismatch'], coreRows);
  console.log(`total: ${totalSamples} samples, ${totalRowValues} rows (dot products, state, spike), ${totalFlits} flits agreed`);
}

const learnRows: string[][] = [];
let totalLearn = 0;
let totalSynapses = 0;
let totalChanged = 0;
let totalFlipped = 0;
let totalSaturated = 0;
(parts.has('learn') ? learnConfigs : []).forEach(([name, p], ci) => {
  const exe = buildLearn(p);
  const seed = 200 + ci;
  const r = cosimLearn(p, LEARN_ROWS, seed, exe);
  const mismatch = r.mismatch ? `row ${r.mismatch.case}: ${r.mismatch.signal}: RTL ${r.mismatch.rtl}, model ${r.mismatch.model}` : 'none';
  if (r.mismatch) failed = true;
  else {
    totalLearn += r.cases;
    totalSynapses += r.synapses;
    totalChanged += r.changed;
    totalFlipped += r.flipped;
    totalSaturated += r.saturated;
  }
  learnRows.push([name, String(r.mismatch ? r.cases - 1 : r.cases), String(r.synapses), String(r.changed), String(r.flipped), String(r.saturated), String(seed), mismatch]);
});
if (parts.has('learn')) {
  console.log('\nLearning row pass (counter rule, rowPasses 2): random rows');
  printTable(['configuration', 'rows agreed', 'synapses', 'counters changed', 'weights flipped', 'clipped', 'seed', 'first mismatch'], learnRows);
  console.log(`total: ${totalLearn} rows, ${totalSynapses} synapses (weights, counters, counts, cycles) agreed; ${totalChanged} counter changes, ${totalFlipped} flips, ${totalSaturated} clipped updates`);
}
console.log(`CPU ${(cpuSeconds() - t0).toFixed(1)} s in this process (Verilator runs in child processes, not counted)`);
process.exit(failed ? 1 : 0);
