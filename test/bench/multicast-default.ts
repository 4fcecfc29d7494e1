/**
 * Multicast trees against unicast packets for the default network (784-512-100 of
 * configs/mnist-default.json) on chips where a spike fans out to several cores:
 *   small-core      hw/chips/small-core.json, 4x4 mesh of 64-neuron cores: layer 1 in 8
 *                   pieces, layer 2 in 2; a layer-1 spike goes to 2 cores, a layer-2 spike to 8;
 *   truenorth-like  hw/chips/truenorth-like.json, 64x64 mesh, layers split (10 cores); the
 *                   multicast header is a 4096-bit destination set.
 * Each chip runs twice in this one process, `noc.multicast` "unicast" and "tree", from the
 * same weights: the functional model trained on BENCH_TRAIN (default 300) samples of the
 * bundled MNIST training set (epoch 1 order, alternating beta sign), then BENCH_SAMPLES
 * (default 20) inferences of the test set on each chip, alternating unicast / tree sample
 * by sample (A B A B) so that the CPU ratio sees the same machine load. Per inference:
 * spike packets the cores send, multicast packets, router link flits and bits, buffer
 * writes, flits saved, cycles, the NoC energy (routerBuffers + crossbar + links of
 * src/energy, 28 nm table), the I/O energy and the total energy. Predictions must be
 * identical. A third small-core variant has flits as narrow as a unicast packet
 * (noc.flitWidth), so its buffers stay narrow and a multicast packet takes 2 flits.
 *   npm run bench -- multicast-default      (BENCH_TRAIN=N, BENCH_SAMPLES=N)
 */
import * as path from 'path';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile, validateChip } from '../../src/hw/chip-file';
import type { ChipDescription } from '../../src/hw/chip-file';
import { defaultConfigFile, loadExperiment } from '../../src/config/experiment';
import { loadData } from '../../src/data/load-data';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { energyChipOf } from '../../src/energy/chip-view';
import { energyReport, totalCounts } from '../../src/energy/energy-report';
import { storageOptionsOf } from '../../src/energy/memory';
import { loadTechTable } from '../../src/energy/tech-table';
import { packetBits } from '../../src/hw/packet';
import { cpuSeconds, printTable } from './bench-util';

const TRAIN = Number(process.env['BENCH_TRAIN'] ?? 300);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 20);
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A variant of chip `d`: noc.multicast `mode`; `narrow`: flitWidth = the unicast spike packet, so a multicast packet takes several flits and buffers stay narrow. */
function variant(d: ChipDescription, mode: 'unicast' | 'tree', narrow: boolean): ChipDescription {
  const p = JSON.parse(JSON.stringify(d.params)) as Record<string, unknown> & { noc: Record<string, unknown> };
  p.noc.multicast = mode;
  if (narrow) p.noc.flitWidth = packetBits(d.params.mesh.width, d.params.mesh.height, d.params.core.axons, true) + 1;
  return validateChip(p, d.file);
}

function main(): void {
  const exp = loadExperiment(defaultConfigFile());
  const cfg = exp.config;
  const model = { network: cfg.network, dynamics: cfg.dynamics, learning: cfg.learning };
  const data = loadData({ ...cfg.data, trainLimit: TRAIN, testLimit: SAMPLES }, cfg.seed);
  const f = new FunctionalEngine(model, cfg.seed);
  for (let i = 0; i < TRAIN; i++) f.runSample(data.train.rows[i]!, data.train.labels[i]!, { learn: true, betaSign: i % 2 === 0 ? 1 : -1 });
  const weights = f.snapshot();
  const tech = loadTechTable(path.join(ROOT, 'hw/tech/28nm-bulk.json'));
  const storage = storageOptionsOf(cfg.learning, cfg.dynamics);
  const layers = [cfg.network.inputs, ...cfg.network.hidden, cfg.network.classes * cfg.network.replicas].join('-');
  console.log(`multicast-default: ${layers} after ${TRAIN} functional training samples, ${SAMPLES} MNIST test inferences per chip, unicast and tree alternating sample by sample in one process`);
  const rows: string[][] = [];
  for (const name of ['small-core', 'truenorth-like']) {
    const base = loadChipFile(path.join(ROOT, `hw/chips/${name}.json`));
    // A flit as narrow as a unicast packet only holds the destination set on small meshes.
    const narrowFits = base.params.mesh.width * base.params.mesh.height <= packetBits(base.params.mesh.width, base.params.mesh.height, base.params.core.axons, true) + 1;
    const modes = narrowFits ? (['unicast', 'tree', 'tree, narrow flits'] as const) : (['unicast', 'tree'] as const);
    const descs = modes.map((m) => variant(base, m === 'unicast' ? 'unicast' : 'tree', m === 'tree, narrow flits'));
    const engines = descs.map((d) => {
      const e = new ChipEngine(model, d, cfg.seed, { mapping: { placement: 'snake' } });
      e.restore(weights);
      return e;
    });
    const V = engines.length;
    const cpu = engines.map(() => 0);
    const preds: number[][] = engines.map(() => []);
    for (let i = 0; i < SAMPLES; i++) {
      for (let k = 0; k < V; k++) {
        // Variants take turns, the order reversed every other sample.
        const j = i % 2 === 0 ? k : V - 1 - k;
        const t0 = cpuSeconds();
        preds[j]!.push(engines[j]!.runSample(data.test.rows[i]!, data.test.labels[i]!, { learn: false }).prediction);
        cpu[j]! += cpuSeconds() - t0;
      }
    }
    for (let j = 1; j < V; j++) if (preds[0]!.join() !== preds[j]!.join()) throw new Error(`${name}: ${modes[j]} predictions differ from unicast`);
    const correct = preds[0]!.filter((p, i) => p === data.test.labels[i]).length;
    engines.forEach((e, j) => {
      const snap = e.counters();
      const t = totalCounts(snap);
      // Priced at the chip's own flit width (a split mapping adds the kind bit).
      const ec = energyChipOf(descs[j]!, e.chip.mapping.split);
      const en = energyReport(snap, ec, tech, { storage });
      const noc = en.byComponentPJ.routerBuffers + en.byComponentPJ.crossbar + en.byComponentPJ.links;
      const per = (x: number | undefined): string => ((x ?? 0) / SAMPLES).toFixed(0);
      rows.push([
        `${name} (${e.chip.mapping.usedCores.length} cores)`,
        `${modes[j]!} (${ec.packetBits}-bit buffers)`,
        per(t['core.packetsInjected']),
        per(t['core.multicastPackets']),
        per(t['router.linkFlits']),
        per(t['router.linkBits']),
        per(t['router.bufferWrites']),
        per(t['router.multicastFlitsSaved']),
        per(t['chip.cycles']),
        ((noc / SAMPLES) * 1e-3).toFixed(3),
        ((en.byComponentPJ.io / SAMPLES) * 1e-3).toFixed(3),
        ((en.totalPJ / SAMPLES) * 1e-3).toFixed(3),
        (cpu[j]! / SAMPLES).toFixed(4),
      ]);
    });
    console.log(`${name}: ${correct}/${SAMPLES} correct, predictions identical in every variant; CPU tree/unicast ${(cpu[1]! / cpu[0]!).toFixed(3)}`);
  }
  printTable(['chip', 'noc.multicast', 'spike pkts', 'multicast pkts', 'link flits', 'link bits', 'buffer writes', 'flits saved', 'cycles', 'NoC nJ', 'I/O nJ', 'total nJ', 'CPU s'], rows);
  console.log('(per inference; NoC = router buffers + crossbar + links; spike pkts = core.packetsInjected incl. readout)');
}

main();
