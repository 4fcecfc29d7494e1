/** A small experiment config written to a temporary directory, for fast trainer and CLI tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Write a tiny config (784-24-10 network, 120 train / 40 test samples, 2 epochs) and return its path. */
export function writeTinyConfig(dir: string, name = 'tiny.json', extra: Record<string, unknown> = {}): string {
  const f = path.join(dir, name);
  const config = {
    seed: 5,
    network: { inputs: 784, hidden: [24], classes: 10, replicas: 1 },
    dynamics: { freeSteps: 4, nudgedSteps: 2 },
    float: { freeSteps: 6, nudgedSteps: 3, replicas: 1 },
    data: { trainLimit: 120, testLimit: 40 },
    run: { epochs: 2, progress: 'never', outDir: path.join(dir, 'runs') },
    ...extra,
  };
  fs.writeFileSync(f, JSON.stringify(config, null, 2));
  return f;
}

/** A fresh temporary directory. */
export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bitspike-${tag}-`));
}
