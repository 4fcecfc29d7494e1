/**
 * The worker threads of a region-parallel run, seen from the thread that drives the
 * chip (which simulates region 0 itself). Every worker builds the same chip from the
 * same experiment sections and seed and simulates its region (./region-worker.ts).
 * Commands (run a sample, restore weights, report counters, close) go to all workers
 * at once; the driving thread never yields to its event loop, so commands and replies
 * travel on message ports read synchronously (receiveMessageOnPort) and are announced
 * by sequence numbers in the shared buffer (Atomics.wait / notify).
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'worker_threads';
import type { ModelParams } from '../../learning/params';
import type { MappingParams } from '../../map/params';
import type { ChipDescription } from '../../hw/chip-file';
import { CTL_COMMAND, CTL_REPLY, RegionFailure, SharedState } from './shared-state';
import { RegionPlan } from './plan';
import { RegionSync } from './region-sync';

/** What every region's chip is built from. */
export interface RegionInit {
  model: ModelParams;
  chip: ChipDescription;
  seed: number | string;
  mapping: MappingParams;
  configFile: string;
  regions: number;
  /** Every region built for inference only (ChipEngineOptions.inferenceOnly). */
  inferenceOnly?: boolean;
}

/** What a worker receives at start. */
export interface WorkerStart {
  init: RegionInit;
  index: number;
  buffer: SharedArrayBuffer;
  capacity: number;
  port: MessagePort;
}

/** Commands to the workers. */
export type RegionCommand =
  | { kind: 'sample'; input: Uint32Array; label: number; learn: boolean; betaSign: 1 | -1; plasticityKey: number; readKey: number; epoch: number }
  | { kind: 'restore'; snapshot: unknown }
  | { kind: 'report' }
  | { kind: 'snapshot' }
  | { kind: 'learning-counts'; size: number }
  | { kind: 'close' };

/** The compiled worker file (the TypeScript sources run from dist/ in tests, as the sweep's pool does). */
function workerFile(): string {
  if (path.basename(__filename).endsWith('.ts')) return path.resolve(__dirname, '..', '..', '..', 'dist', 'src', 'chip', 'parallel', 'region-worker.js');
  return path.join(__dirname, 'region-worker.js');
}

/**
 * Young generation of each worker's heap, in MiB (V8's default here is about 48). A
 * region's steps allocate nothing, so a small one costs only scavenges while the chip is
 * built: measured on the filled 64x64 TrueNorth-like chip with 2 threads, peak 321-327
 * against 344-359 MiB, about 1 s more CPU for the build and 3 samples (8-9 s), the same
 * time per step (docs/performance.md "Peak memory of the filled 64x64 chip").
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Regions 1 .. P-1 on worker threads, and region 0's synchronisation for the driving thread. */
export class RegionThreads {
  readonly shared: SharedState;
  readonly plan: RegionPlan;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly seen: number[] = [];
  private closed = false;

  constructor(init: RegionInit) {
    const m = init.chip.params.mesh;
    this.plan = new RegionPlan(m.width, m.height, init.regions);
    const capacity = this.plan.borderCapacity;
    this.shared = new SharedState(new SharedArrayBuffer(SharedState.bytes(init.regions, capacity)), init.regions, capacity);
    const file = workerFile();
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the project (npx tsc -p .) to run a chip on several threads`);
    for (let r = 1; r < init.regions; r++) {
      const { port1, port2 } = new MessageChannel();
      const start: WorkerStart = { init, index: r, buffer: this.shared.buffer, capacity, port: port2 };
      const w = new Worker(file, { workerData: start, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      w.unref();
      port1.unref();
      w.on('error', (e) => this.shared.abort(`region ${r}: ${e.message}`));
      this.workers.push(w);
      this.ports.push(port1);
      this.seen.push(0);
    }
  }

  /** Region 0's synchronisation (the driving thread's chip). */
  regionSync(ioRouter: number): RegionSync {
    return new RegionSync(this.shared, this.plan, 0, ioRouter);
  }

  /** Send a command to every worker. */
  command(c: RegionCommand): void {
    if (this.closed) throw new Error('the region threads are closed');
    for (const p of this.ports) p.postMessage(c);
    Atomics.add(this.shared.ctl, CTL_COMMAND, 1);
    Atomics.notify(this.shared.ctl, CTL_COMMAND);
  }

  /** Wait for every worker's reply to the last command, in region order. */
  replies(): unknown[] {
    const ctl = this.shared.ctl;
    const out: unknown[] = [];
    for (let k = 0; k < this.workers.length; k++) {
      const seen = this.seen[k] as number;
      while (Atomics.load(ctl, CTL_REPLY + k + 1) === seen) {
        if (this.shared.aborted) throw new RegionFailure(this.shared.failure());
        Atomics.wait(ctl, CTL_REPLY + k + 1, seen, 50);
      }
      this.seen[k] = seen + 1;
      const m = receiveMessageOnPort(this.ports[k] as MessagePort);
      if (m === undefined) throw new Error(`region ${k + 1} announced a reply but sent none`);
      out.push(m.message);
    }
    return out;
  }

  /** Stop the workers (each returns from its loop; a failed run's are terminated). */
  close(): void {
    if (this.closed) return;
    if (!this.shared.aborted) this.command({ kind: 'close' });
    else for (const w of this.workers) void w.terminate();
    this.closed = true;
    for (const p of this.ports) p.close();
  }
}
