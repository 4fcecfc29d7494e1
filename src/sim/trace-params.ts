/**
 * Trace options of an experiment (the `trace` section of a config): a VCD waveform
 * and a per-packet CSV, both off by default (empty path), bounded by a cycle window.
 */
import type { SectionParam } from '../config/param';
import { PacketCsvWriter } from './packet-csv';
import { VcdWriter } from './vcd';

/** Signal groups a VCD trace can select. */
export const VCD_SIGNAL_GROUPS = ['core.busy', 'router.occupancy', 'link.activity', 'neuron.spikes'] as const;

/** Declaration of the `trace` section. */
export const TRACE_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'waveform and packet traces (off by default)',
  check: (v) => {
    const from = v['from'] as number;
    const to = v['to'] as number;
    return to !== -1 && to < from ? ['to', `is ${to}, before trace.from ${from} (a reversed window traces nothing)`] : null;
  },
  fields: {
    from: { kind: 'int', default: 0, min: 0, unit: 'cycles', doc: 'first traced cycle' },
    to: { kind: 'int', default: -1, min: -1, unit: 'cycles', doc: 'last traced cycle (-1: until the end of the run)' },
    vcd: {
      kind: 'section',
      doc: 'VCD waveform (GTKWave); one time unit = one cycle',
      fields: {
        path: { kind: 'string', default: '', doc: 'output .vcd file ("" = no waveform)' },
        signals: {
          kind: 'json',
          default: ['core.busy', 'router.occupancy', 'link.activity'],
          doc: `signal groups to trace, any of ${VCD_SIGNAL_GROUPS.join(', ')}`,
          check: (v) => {
            if (!Array.isArray(v)) return `expected an array of signal groups, got ${JSON.stringify(v)}`;
            for (const g of v) {
              if (typeof g !== 'string' || !(VCD_SIGNAL_GROUPS as readonly string[]).includes(g)) {
                return `unknown signal group ${JSON.stringify(g)} (known: ${VCD_SIGNAL_GROUPS.join(', ')})`;
              }
            }
            return null;
          },
        },
        routers: { kind: 'intArray', default: [], min: 0, doc: 'routers (and their links) traced; [] = all' },
        cores: { kind: 'intArray', default: [], min: 0, doc: 'cores whose busy signal is traced; [] = all' },
        neurons: {
          kind: 'intArray',
          default: [],
          min: 0,
          doc: 'neurons whose spike bit is traced (neuron.spikes), as global indices in network order',
        },
      },
    },
    packets: {
      kind: 'section',
      doc: 'per-packet CSV (source, destination, hops, injection and ejection cycles, cycles blocked)',
      fields: {
        path: { kind: 'string', default: '', doc: 'output .csv file ("" = no packet trace)' },
      },
    },
  },
};

/** Validated `trace` section. */
export interface TraceParams {
  from: number;
  to: number;
  vcd: { path: string; signals: string[]; routers: number[]; cores: number[]; neurons: number[] };
  packets: { path: string };
}

/** Open trace writers. */
export interface Traces {
  vcd: VcdWriter | null;
  packets: PacketCsvWriter | null;
}

/** Open the writers the options ask for (none by default). */
export function openTraces(p: TraceParams): Traces {
  const vcd =
    p.vcd.path === ''
      ? null
      : new VcdWriter(p.vcd.path, {
          from: p.from,
          to: p.to,
          groups: p.vcd.signals,
          select: { router: p.vcd.routers, link: p.vcd.routers, core: p.vcd.cores, neuron: p.vcd.neurons },
        });
  const packets = p.packets.path === '' ? null : new PacketCsvWriter(p.packets.path, p.from, p.to);
  return { vcd, packets };
}

/** Commit every open writer; `endCycle` closes the waveform. */
export function finishTraces(t: Traces, endCycle: number): void {
  t.vcd?.finish(endCycle);
  t.packets?.finish();
}

/** Discard every open writer (after a failed run). */
export function abortTraces(t: Traces): void {
  t.vcd?.abort();
  t.packets?.abort();
}
