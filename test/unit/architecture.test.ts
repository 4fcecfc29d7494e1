/**
 * The import direction of docs/architecture.md, checked on the source: every relative
 * import between rooms of src/ (top-level folders) must be one the page allows, so a
 * change that makes, say, the energy model import the cycle model fails here.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Rooms each room may import (besides itself); mirrors "Dependency direction" in docs/architecture.md. */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  kernels: ['util'],
  store: ['util', 'sim', 'learning'],
  sim: ['util', 'config', 'store'],
  config: ['util', 'hw', 'data', 'energy', 'faults', 'learning', 'map', 'model', 'sim', 'store'],
  hw: ['util', 'config'],
  faults: ['util', 'config'],
  learning: ['util', 'config', 'kernels', 'faults', 'sim'],
  model: ['util', 'config', 'kernels', 'faults', 'learning', 'sim'],
  map: ['util', 'config', 'hw', 'faults'],
  chip: ['util', 'config', 'hw', 'kernels', 'faults', 'learning', 'map', 'sim', 'report', 'store'],
  energy: ['util', 'config', 'hw', 'kernels', 'faults', 'learning', 'map', 'model', 'sim', 'report', 'store'],
  noc: ['util', 'hw', 'sim', 'chip'],
  data: ['util', 'config'],
  report: ['util', 'config'],
  train: ['util', 'config', 'hw', 'data', 'energy', 'faults', 'learning', 'map', 'model', 'chip', 'report', 'sim', 'store'],
  lab: ['util', 'config', 'data', 'learning', 'model', 'report', 'store', 'train'],
  explore: ['util', 'config', 'hw', 'data', 'energy', 'faults', 'learning', 'map', 'chip', 'report', 'sim', 'store', 'train'],
  cli: ['util', 'config', 'hw', 'chip', 'data', 'energy', 'explore', 'lab', 'learning', 'noc', 'report', 'sim', 'store', 'train'],
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every cross-room relative import as "file -> imported module". */
function crossRoomImports(): { from: string; to: string; fromRoom: string; toRoom: string }[] {
  const out: { from: string; to: string; fromRoom: string; toRoom: string }[] = [];
  for (const file of sources(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)(?:[^'";]*?from)? '(\.[^']+)'|require\('(\.[^']+)'\)/gm)) {
      const spec = (m[1] ?? m[2]) as string;
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
      const fromRoom = path.relative(SRC, file).split(path.sep)[0] as string;
      const toRoom = target.split(path.sep)[0] as string;
      if (toRoom !== fromRoom) out.push({ from: path.relative(SRC, file), to: target, fromRoom, toRoom });
    }
  }
  return out;
}

describe('import direction (docs/architecture.md)', () => {
  const edges = crossRoomImports();

  test('every room of src/ is listed, and the source has cross-room imports to check', () => {
    const rooms = fs.readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(rooms).toEqual(Object.keys(ALLOWED).sort());
    expect(edges.length).toBeGreaterThan(100);
  });

  test('no import runs against the documented direction', () => {
    const wrong = edges.filter((e) => !(ALLOWED[e.fromRoom] ?? []).includes(e.toRoom)).map((e) => `${e.from} imports ${e.to}`);
    expect(wrong).toEqual([]);
  });

  test('the functional model, the learning rule, the mapper and the energy model never import the cycle model', () => {
    for (const room of ['model', 'learning', 'map', 'energy', 'hw', 'sim', 'faults']) {
      expect(edges.filter((e) => e.fromRoom === room && e.toRoom === 'chip').map((e) => e.from)).toEqual([]);
    }
  });
});
