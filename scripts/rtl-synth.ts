/**
 * Gate counts of the RTL twin (hw/rtl) from yosys, next to the area model of src/energy.
 * Synthesizes the router and the neuron core (weight SRAM left as a black box: it is an
 * SRAM macro, priced per bit by the area model) to yosys's generic gate library (`synth`:
 * $_AND_, $_MUX_, $_DFF_* ... cells) for a sweep of buffer depth, SRAM word width and
 * banks around the default chip (hw/chips/default.json), and prints per setting the cells,
 * the flip-flops, and the area model's figures for the same chip: router area and buffer
 * bits, core datapath area and register bits (28nm-bulk table).
 * Usage (after `npx tsc -p .`): node dist/scripts/rtl-synth.js [router] [core[=WBxBANKS,...]]
 * (no argument: both sweeps; `core=64x2,128x1` synthesizes only those core settings).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile } from '../src/hw/chip-file';
import type { ChipParams } from '../src/hw/chip-file';
import { packetBits } from '../src/hw/packet';
import { areaReport } from '../src/energy/area';
import { energyChip } from '../src/energy/chip-view';
import { coreFlops, coreFlopTotal, CHIP_ONLY, routerBufferBits } from '../src/energy/storage';
import { bundledTechDir, loadTechTable } from '../src/energy/tech-table';
import { UserError } from '../src/util/errors';

const root = path.resolve(__dirname, '..', '..');
const rtl = path.join(root, 'hw', 'rtl');

/** Cells and flip-flops of one synthesized module. */
interface Gates {
  cells: number;
  flops: number;
}

function yosys(top: string, files: string[], blackbox: string[], params: Record<string, number>): Gates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-synth-'));
  try {
    // The top's parameters are set by rewriting their defaults in a copy (yosys 0.23's
    // hierarchy -chparam fails on this core's sub-module derivation).
    for (const f of [...files, ...blackbox]) {
      let text = fs.readFileSync(path.join(rtl, f), 'utf8');
      if (f === `${top}.sv`) {
        for (const [k, v] of Object.entries(params)) {
          const re = new RegExp(`(parameter int ${k}\\s*=\\s*)[^,\\n]+`);
          if (!re.test(text)) throw new Error(`${f} has no parameter ${k}`);
          text = text.replace(re, `$1${v}`);
        }
      }
      fs.writeFileSync(path.join(dir, f), text);
    }
    const stat = path.join(dir, 'stat.txt');
    const script = [
      `read_verilog -sv ${[...files, ...blackbox].map((f) => path.join(dir, f)).join(' ')}`,
      `hierarchy -top ${top}`,
      // SRAM macros are priced per bit by the area model: keep them out of the gate count.
      ...(blackbox.length > 0 ? ['blackbox *weight_sram*'] : []),
      `synth -top ${top} -flatten`,
      `tee -q -o ${stat} stat`,
    ].join('; ');
    const r = spawnSync('yosys', ['-q', '-p', script], { encoding: 'utf8', maxBuffer: 64 << 20, env: process.env });
    if (r.error) throw new UserError('yosys not found: run `sh scripts/services/verilator.sh start` as root, or `apt-get install -y yosys` (Debian package)');
    if (r.status !== 0) throw new Error(`yosys failed on ${top}: ${r.stderr || r.stdout}`);
    const text = fs.readFileSync(stat, 'utf8');
    const cells = Number((/Number of cells:\s+(\d+)/.exec(text) ?? [])[1]);
    let flops = 0;
    for (const m of text.matchAll(/^\s+\$_\w*DFF\w*\s+(\d+)$/gm)) flops += Number(m[1]);
    // The black-box SRAM is one cell: not a gate.
    return { cells: cells - (blackbox.length > 0 ? 1 : 0), flops };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ROUTER_FILES = ['pipe.sv', 'input_buffers.sv', 'credit_counter.sv', 'arbiter.sv', 'route.sv', 'router_counters.sv', 'router.sv'];
const CORE_FILES = ['pipe.sv', 'neuron_block.sv', 'datapath.sv', 'neuron_core.sv'];

function withChanges(base: ChipParams, depth: number, wordBits: number, banks: number): ChipParams {
  return {
    ...base,
    noc: { ...base.noc, bufferDepth: depth },
    core: { ...base.core, sram: { ...base.core.sram, wordBits, banks } },
  };
}

const CORE_SETTINGS: [number, number][] = [
  [16, 1],
  [32, 1],
  [64, 1],
  [64, 2],
  [64, 4],
  [128, 1],
];

/** Which sweeps the command line asks for (no argument: both, every core setting). */
function parseArgs(argv: string[]): { router: boolean; core: [number, number][] } {
  if (argv.length === 0) return { router: true, core: CORE_SETTINGS };
  let router = false;
  let core: [number, number][] = [];
  for (const a of argv) {
    if (a === 'router') router = true;
    else if (a === 'core') core = CORE_SETTINGS;
    else if (a.startsWith('core=')) {
      core = a
        .slice(5)
        .split(',')
        .map((s) => {
          const m = /^(\d+)x(\d+)$/.exec(s);
          if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UserError(`rtl-synth: bad core setting '${s}' (expected WBxBANKS, e.g. 64x2)`);
          return [Number(m[1]), Number(m[2])] as [number, number];
        });
    } else throw new UserError(`rtl-synth: unknown argument '${a}' (expected router, core or core=WBxBANKS,...)`);
  }
  return { router, core };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const chip = loadChipFile('default');
  const tech = loadTechTable(path.join(bundledTechDir(), '28nm-bulk.json'));
  const base = chip.params;
  const pb = packetBits(base.mesh.width, base.mesh.height, base.core.axons, true);
  const xb = Math.max(1, Math.ceil(Math.log2(base.mesh.width)));
  const yb = Math.max(1, Math.ceil(Math.log2(base.mesh.height)));
  const ab = pb - 2 - xb - yb;
  if (args.router) {
    console.log(`Router of ${chip.file} (5 ports, ${pb}-bit flits), generic gates (yosys synth):`);
    console.log('depth | cells | flip-flops | model buffer bits | model router um2 (28nm)');
    for (const depth of [1, 2, 4, 8, 16]) {
      const g = yosys('router', ROUTER_FILES, [], { DEPTH: depth, AB: ab, XB: xb, YB: yb, X: 1, Y: 1 });
      const c = energyChip(withChanges(base, depth, base.core.sram.wordBits, base.core.sram.banks), chip.file, depth);
      const a = areaReport(c, tech, CHIP_ONLY);
      console.log(`${depth} | ${g.cells} | ${g.flops} | ${routerBufferBits(c)} | ${a.tileUm2.router.toFixed(0)}`);
    }
  }
  if (args.core.length === 0) return;
  const neurons = 32;
  const axons = 256;
  console.log(`\nNeuron core datapath (${neurons} rows, ${axons} axons, weight SRAM a black-box macro; other fields of ${chip.file}):`);
  console.log('wordBits | banks | cells | flip-flops | model datapath um2 | model register bits (same rows and axons)');
  for (const [wb, banks] of args.core) {
    const k = base.core;
    const g = yosys('neuron_core', CORE_FILES, ['weight_sram.sv'], {
      NEURONS: neurons,
      AXONS: axons,
      WB: wb,
      BANKS: banks,
      ACC_BITS: k.accumulatorBits,
      STATE_BITS: k.stateBits,
      PIPE: k.pipelineDepth,
      QDEPTH: k.outQueueDepth,
    });
    const p = withChanges(base, base.noc.bufferDepth, wb, banks);
    const c = energyChip({ ...p, core: { ...p.core, neurons, axons } }, chip.file, base.noc.bufferDepth);
    const a = areaReport(c, tech, CHIP_ONLY);
    console.log(`${wb} | ${banks} | ${g.cells} | ${g.flops} | ${a.tileUm2.datapath.toFixed(0)} | ${coreFlopTotal(coreFlops(c, CHIP_ONLY))}`);
  }
}

try {
  main();
} catch (e) {
  if (e instanceof UserError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
