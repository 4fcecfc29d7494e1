/**
 * Value Change Dump writer (IEEE 1364 section 18, readable by GTKWave).
 *
 * Time: one VCD time unit is one clock cycle (`$timescale 1 ns`, so GTKWave's "ns"
 * read as cycles). Only changes inside the cycle window [from, to] are written;
 * the state at `from` is written as `$dumpvars`. Several `set` calls to one signal in
 * one cycle keep the last value. `pulse` raises a 1-bit signal for exactly one
 * cycle (link activity, spikes). Signals are registered before the first change;
 * components ask `wants(group)` whether the user selected their signal group.
 */
import { TraceFile } from './trace-file';

/** Options of a VCD trace. */
export interface VcdOptions {
  /** First cycle written. */
  from: number;
  /** Last cycle written (-1: no end). */
  to: number;
  /** Selected signal groups, e.g. "router.occupancy". */
  groups: readonly string[];
  /** Component numbers selected per group prefix (e.g. "router" -> [0, 5]); absent or empty = all. */
  select?: Readonly<Record<string, readonly number[]>>;
}

interface ScopeNode {
  name: string;
  children: Map<string, ScopeNode>;
  signals: number[];
}

function idCode(n: number): string {
  let s = '';
  let v = n;
  do {
    s += String.fromCharCode(33 + (v % 94));
    v = Math.floor(v / 94);
  } while (v > 0);
  return s;
}

/** Streams a VCD file of registered signals. */
export class VcdWriter {
  private readonly out: TraceFile;
  private readonly names: string[] = [];
  private readonly scopes: string[][] = [];
  private readonly widths: number[] = [];
  private readonly codes: string[] = [];
  private val = new Float64Array(64);
  private committed = new Float64Array(64);
  private dumped = new Float64Array(64);
  private marked = new Uint8Array(64);
  private markList: number[] = [];
  private pulses: number[] = [];
  private pending = -1;
  private headerDone = false;
  private lastTimeWritten = -1;
  private readonly groups: Set<string>;

  constructor(
    file: string,
    private readonly opts: VcdOptions,
  ) {
    this.out = new TraceFile(file);
    this.groups = new Set(opts.groups);
  }

  /** Whether signal group `group` was selected (and, when given, component `n` of it). */
  wants(group: string, n?: number): boolean {
    if (!this.groups.has(group)) return false;
    if (n === undefined) return true;
    const prefix = group.split('.')[0] as string;
    const sel = this.opts.select?.[prefix];
    return sel === undefined || sel.length === 0 || sel.includes(n);
  }

  /** Register a signal of `width` bits under the scope path; returns its handle. */
  addSignal(scope: readonly string[], name: string, width: number, initial = 0): number {
    if (this.headerDone || this.pending >= 0) throw new Error('VCD signals must be registered before the first change');
    if (!Number.isInteger(width) || width < 1 || width > 53) throw new Error(`bad VCD signal width ${width}`);
    const id = this.names.length;
    this.names.push(name);
    this.scopes.push(scope.slice());
    this.widths.push(width);
    this.codes.push(idCode(id));
    if (id >= this.val.length) this.grow();
    this.val[id] = initial;
    this.committed[id] = initial;
    return id;
  }

  /** Number of registered signals. */
  get signalCount(): number {
    return this.names.length;
  }

  /** Signal `id` takes `value` at `cycle` (cycles must not decrease between calls). */
  set(id: number, cycle: number, value: number): void {
    if (cycle !== this.pending) this.advanceTo(cycle);
    this.val[id] = value;
    if (this.marked[id] === 0) {
      this.marked[id] = 1;
      this.markList.push(id);
    }
  }

  /** 1-bit signal `id` is 1 during `cycle` and returns to 0 at cycle + 1. */
  pulse(id: number, cycle: number): void {
    this.set(id, cycle, 1);
    this.pulses.push(id);
  }

  /** Write everything up to `endCycle` and commit the file. */
  finish(endCycle: number): void {
    if (this.pending >= 0) this.advanceTo(Math.max(endCycle, this.pending + 1));
    this.flush(endCycle);
    if (!this.headerDone && this.inWindow(endCycle)) this.header(endCycle);
    const end = this.opts.to >= 0 ? Math.min(this.opts.to, endCycle) : endCycle;
    if (this.headerDone && end > this.lastTimeWritten) this.out.write(`#${end}\n`);
    if (!this.headerDone) this.header(Math.max(this.opts.from, 0));
    this.out.commit();
  }

  /** Discard the trace (nothing is left at the final path). */
  abort(): void {
    this.out.abort();
  }

  private inWindow(t: number): boolean {
    return t >= this.opts.from && (this.opts.to < 0 || t <= this.opts.to);
  }

  private advanceTo(cycle: number): void {
    if (cycle < this.pending) throw new Error(`VCD time went backwards: ${cycle} < ${this.pending}`);
    if (this.pending >= 0) {
      this.flush(this.pending);
      if (this.pulses.length > 0) {
        const next = this.pending + 1;
        this.pending = next;
        for (const id of this.pulses) {
          this.val[id] = 0;
          if (this.marked[id] === 0) {
            this.marked[id] = 1;
            this.markList.push(id);
          }
        }
        this.pulses = [];
        if (next < cycle) this.flush(next);
      }
    }
    this.pending = cycle;
  }

  /** Write the changes of cycle t (if inside the window) and commit them. */
  private flush(t: number): void {
    if (this.inWindow(t)) {
      if (!this.headerDone) this.header(t);
      let text = '';
      for (const id of this.markList) {
        const v = this.val[id] as number;
        if (v !== this.dumped[id]) {
          text += this.valueText(id, v);
          this.dumped[id] = v;
        }
      }
      if (text.length > 0 && t > this.lastTimeWritten) {
        this.out.write(`#${t}\n${text}`);
        this.lastTimeWritten = t;
      } else if (text.length > 0) {
        this.out.write(text);
      }
    }
    for (const id of this.markList) {
      this.committed[id] = this.val[id] as number;
      this.marked[id] = 0;
    }
    this.markList = [];
  }

  private valueText(id: number, v: number): string {
    const code = this.codes[id] as string;
    return this.widths[id] === 1 ? `${v}${code}\n` : `b${v.toString(2)} ${code}\n`;
  }

  /** Header, then the state at the window start (t itself when t is the first change). */
  private header(t: number): void {
    this.headerDone = true;
    const root: ScopeNode = { name: '', children: new Map(), signals: [] };
    this.names.forEach((_, id) => {
      let node = root;
      for (const s of this.scopes[id] as string[]) {
        let child = node.children.get(s);
        if (!child) {
          child = { name: s, children: new Map(), signals: [] };
          node.children.set(s, child);
        }
        node = child;
      }
      node.signals.push(id);
    });
    const lines: string[] = [
      '$comment bitspike trace: 1 time unit = 1 clock cycle $end',
      '$timescale 1 ns $end',
    ];
    const walk = (node: ScopeNode): void => {
      for (const id of node.signals) {
        lines.push(`$var wire ${this.widths[id]} ${this.codes[id]} ${this.names[id]} $end`);
      }
      for (const child of node.children.values()) {
        lines.push(`$scope module ${child.name} $end`);
        walk(child);
        lines.push('$upscope $end');
      }
    };
    if (root.signals.length > 0) {
      lines.push('$scope module top $end');
      walk(root);
      lines.push('$upscope $end');
    } else {
      walk(root);
    }
    lines.push('$enddefinitions $end');
    // The state at the start of the window: values committed before cycle t, unless
    // t is the window start itself (then t's own changes are part of the start state).
    const start = Math.max(this.opts.from, 0);
    const useCurrent = t === start;
    lines.push(`#${start}`, '$dumpvars');
    let dv = '';
    for (let id = 0; id < this.names.length; id++) {
      const v = (useCurrent ? this.val[id] : this.committed[id]) as number;
      dv += this.valueText(id, v);
      this.dumped[id] = v;
    }
    lines.push(`${dv}$end`);
    this.out.write(`${lines.join('\n')}\n`);
    this.lastTimeWritten = start;
  }

  private grow(): void {
    const n = this.val.length * 2;
    const g = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.val = g(this.val);
    this.committed = g(this.committed);
    this.dumped = g(this.dumped);
    const m = new Uint8Array(n);
    m.set(this.marked);
    this.marked = m;
  }
}
