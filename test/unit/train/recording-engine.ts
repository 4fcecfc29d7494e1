/** An engine wrapper for trainer tests: records every call it receives and passes it through unchanged. */
import type { Engine, SampleMode } from '../../../src/learning/engine';

/** One recorded runSample call (the mode copied: the trainer refills one object per sample). */
export interface RecordedCall {
  input: Uint32Array;
  label: number;
  mode: SampleMode;
}

/** Records every runSample call; with copyInputs, a copy of each input (the trainer reuses its shift buffer). */
export class Recording implements Engine {
  calls: RecordedCall[] = [];
  constructor(
    private readonly inner: Engine,
    private readonly copyInputs = false,
  ) {}
  runSample(input: Uint32Array, label: number, mode: SampleMode) {
    this.calls.push({ input: this.copyInputs ? input.slice() : input, label, mode: { ...mode } });
    return this.inner.runSample(input, label, mode);
  }
  counters() {
    return this.inner.counters();
  }
  snapshot() {
    return this.inner.snapshot();
  }
  restore(s: Parameters<Engine['restore']>[0]) {
    this.inner.restore(s);
  }
}
