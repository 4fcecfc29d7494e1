/**
 * A worker thread of a region-parallel run: builds the chip for its region
 * (../chip-engine.ts with the `region` option) and runs the commands of the driving
 * thread (./region-threads.ts) until `close`. Any failure is written to the shared
 * buffer, so that every thread stops at its next synchronisation with the message.
 */
import { receiveMessageOnPort, workerData } from 'worker_threads';
import { ChipEngine } from '../chip-engine';
import type { NetworkSnapshot } from '../../learning/engine';
import { CTL_COMMAND, CTL_REPLY, RegionFailure, SharedState } from './shared-state';
import type { RegionCommand, WorkerStart } from './region-threads';

function main(start: WorkerStart): void {
  const { init, index, port } = start;
  const shared = new SharedState(start.buffer, init.regions, start.capacity);
  const ctl = shared.ctl;
  const reply = (m: unknown): void => {
    port.postMessage(m);
    Atomics.add(ctl, CTL_REPLY + index, 1);
    Atomics.notify(ctl, CTL_REPLY + index);
  };
  try {
    const engine = new ChipEngine(init.model, init.chip, init.seed, { mapping: init.mapping, configFile: init.configFile, inferenceOnly: init.inferenceOnly === true, region: { shared, index } });
    reply({ ready: true });
    let seen = 0;
    for (;;) {
      while (Atomics.load(ctl, CTL_COMMAND) === seen) Atomics.wait(ctl, CTL_COMMAND, seen, 1000);
      seen++;
      if (shared.aborted) return;
      const m = receiveMessageOnPort(port);
      if (m === undefined) throw new Error('a command was announced but none arrived');
      const c = m.message as RegionCommand;
      if (c.kind === 'close') break;
      if (c.kind === 'sample') {
        engine.runSample(c.input, c.label, c.learn ? { learn: true, betaSign: c.betaSign, plasticityKey: c.plasticityKey, readKey: c.readKey, epoch: c.epoch } : { learn: false, readKey: c.readKey });
      } else if (c.kind === 'restore') {
        engine.restore(c.snapshot as NetworkSnapshot);
        reply({ restored: true });
      } else if (c.kind === 'snapshot') {
        reply({ snapshot: engine.regionSnapshot() });
      } else if (c.kind === 'learning-counts') {
        const into = new Float64Array(c.size);
        engine.learningCounts(into);
        reply({ counts: into });
      } else {
        reply({ counters: engine.counters(), linkFlits: engine.chip.mesh.linkLoads().map((l) => l.flits) });
      }
    }
  } catch (e) {
    if (!(e instanceof RegionFailure)) shared.abort(`region ${index}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    port.close();
  }
}

main(workerData as WorkerStart);
