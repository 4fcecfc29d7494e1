/**
 * The cycle-accurate chip as an Engine (src/learning/engine.ts): the trainer drives it
 * exactly like the functional model, and for the same calls both end in the same
 * NetworkSnapshot, bit for bit; the chip also counts cycles and hardware events.
 */
import type { CounterSnapshot } from './counter-catalog';
import type { Engine, NetworkSnapshot, SampleMode, SampleResult } from '../learning/engine';
import { initialSnapshot } from '../learning/init';
import { checkModelParams } from '../learning/params';
import type { ModelParams } from '../learning/params';
import { wordsFor } from '../kernels';
import type { MappingParams } from '../map/params';
import { Chip } from './chip';
import type { SampleCycles } from './chip';
import type { ChipDescription } from './chip-file';

/** Options of the chip engine. */
export interface ChipEngineOptions {
  /** Placement of the network (default: snake). */
  mapping?: MappingParams;
  /** Config file name for error messages (default "config"). */
  configFile?: string;
}

/** Per-sample cycle totals accumulated over a run (for the run folder). */
export interface CycleTotals {
  samples: number;
  free: number;
  nudged: number;
  learning: number;
  total: number;
}

/** The cycle-accurate chip behind the Engine interface. */
export class ChipEngine implements Engine {
  readonly chip: Chip;
  private readonly input: Uint32Array;
  /** Cycle totals over every sample run so far. */
  readonly totals: CycleTotals = { samples: 0, free: 0, nudged: 0, learning: 0, total: 0 };

  /**
   * Build the chip for validated experiment sections `model`, chip description `chip`
   * and seed `seed` (the same initial weights as FunctionalEngine with that seed).
   */
  constructor(model: ModelParams, chip: ChipDescription, seed: number | string, options: ChipEngineOptions = {}) {
    const configFile = options.configFile ?? 'config';
    checkModelParams(model, configFile);
    this.chip = new Chip(model, chip, options.mapping ?? { placement: 'snake' }, { configFile });
    this.input = new Uint32Array(wordsFor(model.network.inputs));
    this.restore(initialSnapshot(model, seed));
  }

  /** Cycles of the last sample (free, nudged, learning, total). */
  get lastSample(): SampleCycles {
    return this.chip.last;
  }

  runSample(input: Uint32Array, label: number, mode: SampleMode): SampleResult {
    if (input.length < this.input.length) throw new RangeError(`input has ${input.length} words, expected ${this.input.length}`);
    this.input.set(input.subarray(0, this.input.length));
    const prediction = this.chip.runSample(this.input, label, mode.learn, mode.learn ? mode.betaSign : 1);
    const l = this.chip.last;
    const t = this.totals;
    t.samples++;
    t.free += l.free;
    t.nudged += l.nudged;
    t.learning += l.learning;
    t.total += l.total;
    return { prediction };
  }

  counters(): CounterSnapshot {
    return this.chip.counters();
  }

  snapshot(): NetworkSnapshot {
    return this.chip.snapshot(this.input);
  }

  restore(s: NetworkSnapshot): void {
    const expect = this.chip.layers.join('-');
    if (s.layers.join('-') !== expect) throw new RangeError(`snapshot layers ${s.layers.join('-')} do not match network ${expect}`);
    this.input.set((s.spikes[0] as Uint32Array).subarray(0, this.input.length));
    this.chip.restore(s);
  }
}
