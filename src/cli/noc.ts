/**
 * `bitspike noc`: synthetic traffic on the mesh alone. One rate prints one result;
 * a sweep prints (and with --out writes) the latency-throughput curve as CSV.
 * Router parameters come from a chip file's `noc` section (--chip), each
 * overridable by a flag.
 */
import type { Argv, CommandModule } from 'yargs';
import { chipPath, loadChipFile, validateChip, type ChipParams } from '../hw/chip-file';
import { readJsonFile } from '../config/json-file';
import { applyOverrides, parseOverride } from '../config/overrides';
import { NOC_PARAMS, type NocParams } from '../hw/noc-params';
import { defaultOf, validateParam, type Param } from '../config/param';
import { PATTERNS, checkPattern, type PatternName } from '../noc/patterns';
import { DEFAULT_SOURCE_QUEUE } from '../noc/traffic';
import { channelLoadBound } from '../noc/channel-load';
import { histogram } from '../noc/measure';
import { SWEEP_HEADER, rateRange, runSweep, saturationThroughput, sweepRow, type SweepPoint } from '../noc/sweep';
import type { TrafficOptions } from '../noc/traffic';
import { writeFileAtomic } from '../store/atomic-write';
import { checkFileWritable } from '../store/writable';
import { toCsv, type CsvCell } from '../report/csv';
import { abortTraces, finishTraces, openTraces, type Traces } from '../sim/trace-params';
import { UserError } from '../util/errors';
import { err, out } from './output';

interface NocArgs {
  pattern: string;
  rate?: number;
  mesh?: string;
  warmup: number;
  measure: number;
  drain: number;
  seed: number;
  sweep?: string;
  'sweep-from'?: number;
  'sweep-to'?: number;
  'sweep-step'?: number;
  out?: string;
  chip?: string;
  'buffer-depth'?: number;
  'router-delay'?: number;
  'link-delay'?: number;
  'credit-delay'?: number;
  'source-queue': number;
  hotspot?: string;
  'hotspot-fraction': number;
  vcd?: string;
  'vcd-signals': string;
  'packet-csv'?: string;
  'trace-from': number;
  'trace-to': number;
  set?: string[];
  destinations: number;
  'packet-bits'?: number;
  seeds: number;
  'sample-period'?: number;
  histogram?: string;
  'histogram-bin': number;
}

const WHERE = 'command line';

function bad(flag: string, problem: string): UserError {
  return new UserError(`${WHERE}: --${flag}: ${problem}`);
}

function parseMesh(s: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw bad('mesh', `expected WxH (e.g. 8x8), got ${JSON.stringify(s)}`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 1 || height < 1 || width > 1024 || height > 1024) throw bad('mesh', `sizes must be in [1, 1024], got ${s}`);
  return { width, height };
}

function checkInt(flag: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw bad(flag, `expected an integer >= ${min}, got ${v}`);
  return v;
}

function checkRate(flag: string, v: number): number {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw bad(flag, `expected a rate in [0, 1] flits/node/cycle, got ${v}`);
  return v;
}

function rates(a: NocArgs): number[] {
  const range = [a['sweep-from'], a['sweep-to'], a['sweep-step']];
  if (a.sweep !== undefined) {
    if (range.some((v) => v !== undefined)) throw bad('sweep', 'give either --sweep or --sweep-from/--sweep-to/--sweep-step');
    const parts = a.sweep.split(',');
    return parts.map((p) => {
      const v = Number(p.trim());
      if (p.trim() === '' || Number.isNaN(v)) throw bad('sweep', `expected comma-separated rates, got ${JSON.stringify(a.sweep)}`);
      return checkRate('sweep', v);
    });
  }
  if (range.some((v) => v !== undefined)) {
    const [from, to, step] = range;
    if (from === undefined || to === undefined || step === undefined) {
      throw bad('sweep-from', 'a range sweep needs all of --sweep-from, --sweep-to and --sweep-step');
    }
    checkRate('sweep-from', from);
    checkRate('sweep-to', to);
    if (!(step > 0)) throw bad('sweep-step', `expected a step > 0, got ${step}`);
    if (to < from) throw bad('sweep-to', `expected --sweep-to >= --sweep-from, got ${to} < ${from}`);
    return rateRange(from, to, step);
  }
  if (a.rate === undefined) throw bad('rate', 'give --rate R, or a sweep (--sweep r1,r2,... or --sweep-from/--sweep-to/--sweep-step)');
  return [checkRate('rate', a.rate)];
}

function nocParams(a: NocArgs, chip: ChipParams | null): NocParams {
  const base = chip !== null ? chip.noc : (defaultOf(NOC_PARAMS) as NocParams);
  const fields = NOC_PARAMS.fields;
  const flag = (name: string, key: keyof NocParams, v: number | undefined): number =>
    v === undefined ? (base[key] as number) : (validateParam(fields[key] as Param, v, WHERE, `--${name}`) as number);
  return {
    ...base,
    bufferDepth: flag('buffer-depth', 'bufferDepth', a['buffer-depth']),
    routerDelay: flag('router-delay', 'routerDelay', a['router-delay']),
    linkDelay: flag('link-delay', 'linkDelay', a['link-delay']),
    creditDelay: flag('credit-delay', 'creditDelay', a['credit-delay']),
    watchdogCycles: base.watchdogCycles,
  };
}

/**
 * The chip whose router is simulated: --chip (or, when only --set chip.* is given, the
 * default chip) with the --set changes applied and validated (errors name the file
 * and the --set keys); null for the built-in router defaults.
 */
function chipOf(a: NocArgs): ChipParams | null {
  const sets = (a.set ?? []).map(parseOverride);
  for (const o of sets) {
    if (o.keys[0] !== 'chip' || o.keys.length < 2) throw new UserError(`--set ${o.path}: bitspike noc takes chip.<path>=value overrides only`);
  }
  if (sets.length === 0) return a.chip !== undefined ? loadChipFile(a.chip).params : null;
  const file = chipPath(a.chip ?? 'default');
  const raw = applyOverrides(
    readJsonFile(file, 'chip file'),
    sets.map((o) => ({ path: o.keys.slice(1).join('.'), keys: o.keys.slice(1), value: o.value })),
  );
  return validateChip(raw, `${file} (with --set ${sets.map((o) => o.path).join(', ')})`).params;
}

/** Turn the flags into experiment options (throws UserError on bad input). */
export function trafficOptionsOf(a: NocArgs): { base: Omit<TrafficOptions, 'rate'>; rates: number[] } {
  if (!(PATTERNS as readonly string[]).includes(a.pattern)) {
    throw bad('pattern', `expected one of ${PATTERNS.join(', ')}, got ${JSON.stringify(a.pattern)}`);
  }
  const chip = chipOf(a);
  const { width, height } = a.mesh !== undefined ? parseMesh(a.mesh) : (chip?.mesh ?? { width: 8, height: 8 });
  let hotspot = Math.floor(height / 2) * width + Math.floor(width / 2);
  let hotspots: number[] | undefined;
  if (a.hotspot !== undefined) {
    // X,Y or a set X,Y;X,Y;... (BookSim's hotspot set, equal shares).
    const set: number[] = [];
    for (const part of a.hotspot.split(';')) {
      const m = /^(\d+),(\d+)$/.exec(part.trim());
      if (!m) throw bad('hotspot', `expected X,Y or X,Y;X,Y;..., got ${JSON.stringify(a.hotspot)}`);
      if (Number(m[1]) >= width || Number(m[2]) >= height) throw bad('hotspot', `(${part.trim()}) is outside the ${width}x${height} mesh`);
      const node = Number(m[2]) * width + Number(m[1]);
      if (set.includes(node)) throw bad('hotspot', `(${part.trim()}) is listed twice`);
      set.push(node);
    }
    hotspot = set[0] as number;
    if (set.length > 1) hotspots = set;
  }
  const base: Omit<TrafficOptions, 'rate'> = {
    pattern: a.pattern as PatternName,
    width,
    height,
    hotspot,
    ...(hotspots !== undefined ? { hotspots } : {}),
    hotspotFraction: checkRate('hotspot-fraction', a['hotspot-fraction']),
    warmup: checkInt('warmup', a.warmup, 0),
    measure: checkInt('measure', a.measure, 1),
    drain: checkInt('drain', a.drain, 0),
    seed: a.seed,
    sourceQueuePackets: checkInt('source-queue', a['source-queue'], 1),
    noc: nocParams(a, chip),
    destinations: a.destinations,
    ...(a['sample-period'] !== undefined ? { samplePeriod: checkInt('sample-period', a['sample-period'], 1) } : {}),
    ...(a['packet-bits'] !== undefined ? { packetBits: checkInt('packet-bits', a['packet-bits'], 1) } : {}),
  };
  const problem = checkPattern(base);
  if (problem) throw bad('pattern', problem);
  return { base, rates: rates(a) };
}

/** Trace writers asked for by the flags (single-rate runs only). */
function tracesOf(a: NocArgs, rateCount: number): Traces | null {
  if (a.vcd === undefined && a['packet-csv'] === undefined) return null;
  if (rateCount > 1) throw bad(a.vcd !== undefined ? 'vcd' : 'packet-csv', 'traces need a single --rate, not a sweep');
  const signals = a['vcd-signals'].split(',').map((x) => x.trim());
  for (const g of signals) {
    if (g !== 'router.occupancy' && g !== 'link.activity') {
      throw bad('vcd-signals', `expected router.occupancy and/or link.activity, got ${JSON.stringify(g)}`);
    }
  }
  checkInt('trace-from', a['trace-from'], 0);
  checkInt('trace-to', a['trace-to'], -1);
  if (a['trace-to'] !== -1 && a['trace-to'] < a['trace-from']) throw bad('trace-to', `is ${a['trace-to']}, before --trace-from ${a['trace-from']} (a reversed window traces nothing)`);
  for (const f of [a.vcd, a['packet-csv']]) if (f !== undefined) checkFileWritable(f);
  return openTraces({
    from: a['trace-from'],
    to: a['trace-to'],
    vcd: { path: a.vcd ?? '', signals, routers: [], cores: [], neurons: [] },
    packets: { path: a['packet-csv'] ?? '' },
  });
}

/** The noc command. */
export const command: CommandModule<object, NocArgs> = {
  command: 'noc',
  describe: 'synthetic traffic on the mesh network alone: latency and throughput, or a latency-throughput curve',
  builder: (y: Argv) =>
    y
      .option('pattern', { type: 'string', default: 'uniform', describe: `traffic pattern: ${PATTERNS.join(' | ')}` })
      .option('rate', { type: 'number', describe: 'injection rate, flits/node/cycle (Bernoulli per node per cycle)' })
      .option('mesh', { type: 'string', describe: "mesh size WxH (default: the chip's mesh with --chip, else 8x8)" })
      .option('warmup', { type: 'number', default: 1000, describe: 'warm-up cycles (not measured)' })
      .option('measure', { type: 'number', default: 10000, describe: 'measurement window, cycles' })
      .option('drain', { type: 'number', default: 10000, describe: 'max cycles to deliver the measured packets after the window' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the traffic stream' })
      .option('sweep', { type: 'string', describe: 'comma-separated rates: print the latency-throughput curve' })
      .option('sweep-from', { type: 'number', describe: 'first rate of a range sweep' })
      .option('sweep-to', { type: 'number', describe: 'last rate of a range sweep' })
      .option('sweep-step', { type: 'number', describe: 'rate step of a range sweep' })
      .option('out', { type: 'string', describe: 'also write the CSV to this file' })
      .option('chip', { type: 'string', describe: 'take router parameters from this chip file (name in hw/chips or path)' })
      .option('buffer-depth', { type: 'number', describe: 'input buffer depth, flits (overrides the chip)' })
      .option('router-delay', { type: 'number', describe: 'router delay, cycles (overrides the chip)' })
      .option('link-delay', { type: 'number', describe: 'link delay, cycles (overrides the chip)' })
      .option('credit-delay', { type: 'number', describe: 'credit return delay, cycles (overrides the chip)' })
      .option('source-queue', {
        type: 'number',
        default: DEFAULT_SOURCE_QUEUE,
        describe: 'packets each source queue holds; packets generated at a full queue are refused (counted as refused offered load)',
      })
      .option('hotspot', { type: 'string', describe: 'hotspot node X,Y, or a set X,Y;X,Y;... sharing the hotspot traffic equally (default: the mesh centre)' })
      .option('set', { type: 'string', array: true, describe: 'change the chip: --set chip.noc.vcs=2 (repeatable; applies to --chip or the default chip)' })
      .option('seeds', { type: 'number', default: 1, describe: 'seeds per rate (seed, seed+1, ...): means and a 95% confidence interval of the latency' })
      .option('sample-period', { type: 'number', describe: 'sample period, cycles: latency converged when two consecutive periods agree within 5% (default: the whole window)' })
      .option('histogram', { type: 'string', describe: 'write the latency histogram of every rate to this CSV file' })
      .option('histogram-bin', { type: 'number', default: 1, describe: 'histogram bin width, cycles' })
      .option('destinations', { type: 'number', default: 4, describe: 'destinations per message of the multicast pattern' })
      .option('packet-bits', { type: 'number', describe: 'bits per packet (default: a spike packet); above noc.flitWidth packets have several flits' })
      .option('hotspot-fraction', { type: 'number', default: 0.2, describe: 'share of hotspot-pattern packets sent to the hotspot' })
      .option('vcd', { type: 'string', describe: 'write a VCD waveform (GTKWave) of a single-rate run' })
      .option('vcd-signals', { type: 'string', default: 'router.occupancy,link.activity', describe: 'VCD signal groups' })
      .option('packet-csv', { type: 'string', describe: 'write one CSV row per delivered packet of a single-rate run' })
      .option('trace-from', { type: 'number', default: 0, describe: 'first traced cycle' })
      .option('trace-to', { type: 'number', default: -1, describe: 'last traced cycle (-1: to the end)' })
      .example('$0 noc --pattern uniform --rate 0.1 --mesh 8x8', 'one operating point')
      .example('$0 noc --mesh 4x4 --sweep-from 0.05 --sweep-to 1 --sweep-step 0.05 --out curve.csv', 'latency-throughput curve') as unknown as Argv<NocArgs>,
  handler: (a) => {
    if (a.out !== undefined) checkFileWritable(a.out);
    const { base, rates: rs } = trafficOptionsOf(a);
    const traces = tracesOf(a, rs.length);
    const rows: CsvCell[][] = [];
    out(`${SWEEP_HEADER.join(',')}\n`);
    const seeds = checkInt('seeds', a.seeds, 1);
    if (a.histogram !== undefined) checkFileWritable(a.histogram);
    const bin = checkInt('histogram-bin', a['histogram-bin'], 1);
    let results: SweepPoint[];
    let endCycle = 0;
    try {
      results = runSweep(
        traces ? { ...base, traces } : base,
        rs,
        (p) => {
          const row = sweepRow(base, p);
          rows.push(row);
          endCycle = (p.runs[0] as { cycles: number }).cycles;
          out(toCsv(SWEEP_HEADER, [row]).split('\n')[1] + '\n');
        },
        seeds,
      );
    } catch (e) {
      if (traces) abortTraces(traces);
      throw e;
    }
    if (traces) finishTraces(traces, endCycle);
    const { bound } = channelLoadBound(base);
    const runs = results.flatMap((p) => p.runs);
    const saved = runs.reduce((n, r) => n + r.multicastFlitsSaved, 0);
    if (saved > 0) err(`multicast saved ${saved} link flits (${runs.reduce((n, r) => n + r.linkFlits, 0)} sent)\n`);
    const byLat = saturationThroughput(results, 'latency');
    const byAcc = saturationThroughput(results, 'throughput');
    const said = (s: { throughput: number; rate: number | null }, what: string): string =>
      s.rate === null ? `no point saturated by ${what}` : `saturated by ${what} from rate ${s.rate} (accepted before it: ${Number.isFinite(s.throughput) ? Number(s.throughput.toPrecision(6)) : 'none'})`;
    err(`channel-load bound ${Number(bound.toPrecision(6))} flits/node/cycle (${base.pattern}, XY); ${said(byLat, 'latency (3x zero-load)')}; ${said(byAcc, 'throughput')}\n`);
    const unconverged = results.filter((p) => p.convergedPeriods === null).map((p) => p.rate);
    if (unconverged.length > 0) err(`latency did not converge over the sample periods at rate ${unconverged.join(', ')}\n`);
    if (a.histogram !== undefined) {
      const hrows: CsvCell[][] = [];
      for (const p of results) {
        const pooled = new Float64Array(p.runs.reduce((n, r) => n + r.samples.count, 0));
        let off = 0;
        for (const r of p.runs) {
          pooled.set(r.samples.values(), off);
          off += r.samples.count;
        }
        for (const h of histogram(pooled, bin)) hrows.push([p.rate, h.from, h.to, h.count]);
      }
      writeFileAtomic(a.histogram, toCsv(['rate', 'latency_from', 'latency_to', 'packets'], hrows));
    }
    if (a.out !== undefined) writeFileAtomic(a.out, toCsv(SWEEP_HEADER, rows));
  },
};
