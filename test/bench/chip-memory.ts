/**
 * Peak memory of the filled 64x64 TrueNorth-like chip (chip-filled-64.ts): each run in a
 * fresh process builds the chip (inference only, as `bitspike run` does, or with the
 * learning registers) on 1 or 2 threads (run.threads) and runs 3 inference samples;
 * printed per run: peak resident set of the process (getrusage maxRSS, all threads),
 * set-up wall seconds, and the predictions and cycles (the same for every variant).
 * BENCH_RUNS (default 3) runs per variant, alternating the variants.
 * BENCH_BREAKDOWN=1 also prints, for one 1-thread inference build, the typed arrays of
 * 1 KiB and more allocated while building and running one sample, summed by where they
 * were allocated (the typed-array constructors wrapped).
 */
import { spawnSync } from 'child_process';
import { filled64 } from './chip-filled-64';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

interface Sites {
  bytes: Map<string, { n: number; bytes: number }>;
}

/** Count the typed arrays of 1 KiB and more constructed from now on (not views of existing buffers), by allocation site. */
function wrapTypedArrays(): Sites {
  const sites: Sites = { bytes: new Map() };
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of ['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']) {
    const Orig = g[name] as new (...a: unknown[]) => ArrayBufferView;
    const wrapped: ProxyHandler<typeof Orig> = {
      construct(target, args, newTarget) {
        const a = Reflect.construct(target, args, newTarget === proxy ? target : newTarget) as ArrayBufferView;
        const view = args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer;
        if (!view && a.byteLength >= 1024) {
          const at = (new Error().stack ?? '').split('\n').slice(2, 4).map((s) => s.trim().replace(/\(.*\/(dist\/)?/, '(')).join(' < ');
          const e = sites.bytes.get(at) ?? { n: 0, bytes: 0 };
          e.n++;
          e.bytes += a.byteLength;
          sites.bytes.set(at, e);
        }
        return a;
      },
    };
    const proxy = new Proxy(Orig, wrapped);
    g[name] = proxy;
  }
  return sites;
}

function child(threads: number, inferenceOnly: boolean, breakdown: boolean): void {
  const sites = breakdown ? wrapTypedArrays() : null;
  const t0 = Date.now();
  const { engine, inputs } = filled64(threads, inferenceOnly);
  const setup = (Date.now() - t0) / 1000;
  const got: number[] = [];
  for (let i = 0; i < 3; i++) got.push(engine.runSample(inputs[i % 2] as Uint32Array, 0, { learn: false }).prediction);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ peak, setup, predictions: got, cycles: engine.chip.time }));
  engine.close();
  if (sites !== null) {
    let total = 0;
    for (const e of sites.bytes.values()) total += e.bytes;
    console.error(`typed arrays of >= 1 KiB allocated (build + 1 sample): ${(total / 2 ** 20).toFixed(1)} MiB`);
    for (const [at, e] of [...sites.bytes.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 15)) console.error(`${(e.bytes / 2 ** 20).toFixed(1).padStart(7)} MiB ${String(e.n).padStart(6)}x  ${at}`);
  }
}

function main(): void {
  if (process.argv[2] === 'child') {
    child(Number(process.argv[3]), process.argv[4] === 'inference', process.argv[5] === 'breakdown');
    return;
  }
  const variants = [
    { threads: 1, mode: 'inference' },
    { threads: 2, mode: 'inference' },
    { threads: 1, mode: 'learning' },
    { threads: 2, mode: 'learning' },
  ];
  const peaks = new Map<string, number[]>();
  let reference: string | null = null;
  for (let r = 0; r < RUNS; r++) {
    for (const v of variants) {
      const p = spawnSync(process.execPath, [__filename, 'child', String(v.threads), v.mode], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(`child ${JSON.stringify(v)} failed: ${p.stderr}`);
      const o = JSON.parse(p.stdout.trim().split('\n').pop() as string) as { peak: number; setup: number; predictions: number[]; cycles: number };
      const same = JSON.stringify([o.predictions, o.cycles]);
      if (reference === null) reference = same;
      if (same !== reference) throw new Error(`${JSON.stringify(v)} gave ${same}, others ${reference}`);
      const key = `${v.threads} thread${v.threads > 1 ? 's' : ''}, ${v.mode === 'inference' ? 'inference only' : 'with learning registers'}`;
      (peaks.get(key) ?? peaks.set(key, []).get(key) as number[]).push(o.peak);
      console.log(`run ${r + 1}: ${key}: peak ${o.peak.toFixed(0)} MiB, set-up ${o.setup.toFixed(1)} s wall`);
    }
  }
  console.log(`same predictions and cycles in every run: ${reference}`);
  for (const [k, v] of peaks) console.log(`${k}: peak ${Math.min(...v).toFixed(0)}-${Math.max(...v).toFixed(0)} MiB over ${v.length} runs`);
  if (process.env['BENCH_BREAKDOWN'] === '1') {
    const p = spawnSync(process.execPath, [__filename, 'child', '1', 'inference', 'breakdown'], { encoding: 'utf8' });
    process.stdout.write(p.stderr);
  }
}

if (require.main === module) main();
