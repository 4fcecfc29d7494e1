/**
 * Per-packet trace as CSV (after SANA-FE's message trace): one row per packet
 * delivered, written at its ejection. Columns:
 *   packet        serial number, in injection order
 *   src, dst      endpoint ids (core id = y * width + x; the I/O port is width * height)
 *   hops          router-to-router links crossed
 *   inject_cycle  cycle the packet entered its source router's input buffer
 *   eject_cycle   cycle it was written into the destination (axon register / I/O port)
 *   latency       eject_cycle - inject_cycle
 *   blocked       cycles spent waiting in input buffers beyond the zero-load latency
 *                 (so latency = hops * (routerDelay + linkDelay) + routerDelay + blocked)
 * Only packets injected inside the cycle window [from, to] are written.
 */
import { TraceFile } from './trace-file';

/** Column names of the packet CSV. */
export const PACKET_CSV_HEADER = ['packet', 'src', 'dst', 'hops', 'inject_cycle', 'eject_cycle', 'latency', 'blocked'] as const;

/** Streams the per-packet CSV. */
export class PacketCsvWriter {
  private readonly out: TraceFile;
  private rows = 0;

  constructor(
    file: string,
    private readonly from = 0,
    private readonly to = -1,
  ) {
    this.out = new TraceFile(file);
    this.out.write(`${PACKET_CSV_HEADER.join(',')}\n`);
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Record one delivered packet. */
  packet(serial: number, src: number, dst: number, hops: number, injectCycle: number, ejectCycle: number, blocked: number): void {
    if (injectCycle < this.from || (this.to >= 0 && injectCycle > this.to)) return;
    this.rows++;
    this.out.write(`${serial},${src},${dst},${hops},${injectCycle},${ejectCycle},${ejectCycle - injectCycle},${blocked}\n`);
  }

  /** Commit the file. */
  finish(): void {
    this.out.commit();
  }

  /** Discard the file. */
  abort(): void {
    this.out.abort();
  }
}
