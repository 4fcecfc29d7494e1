import { DeadRoutes, blockViews, learnMask } from '../../../src/map/dead-routes';
import { mapNetwork } from '../../../src/map/mapping';
import { loadChipFile } from '../../../src/hw/chip-file';
import { loadExperiment } from '../../../src/config/experiment';
import { createEngine, faultLine } from '../../../src/train/engine-factory';
import { userErrorMessage } from '../user-error';

// A 3x3 mesh, tiles t = y * 3 + x:
//   0 1 2
//   3 4 5
//   6 7 8
describe('XY routes through dead routers and links', () => {
  test('hand-traced routes on a 3x3 mesh', () => {
    const d = new DeadRoutes(3, 3, [{ x: 1, y: 1 }], [{ x: 2, y: 0, dir: 'S' }], 'c.json');
    // 0 -> 8: x first along row 0 (0, 1, 2), then down column 2 (2 -> 5 crosses the dead link).
    expect(d.alive(0, 8)).toBe(false);
    // 8 -> 0: x first along row 2 (8, 7, 6), then up column 0 (3, 0): alive.
    expect(d.alive(8, 0)).toBe(true);
    // 3 -> 5 passes the dead router 4; 6 -> 2 goes 6,7,8 then 5, then 5 -> 2 is the dead link.
    expect(d.alive(3, 5)).toBe(false);
    expect(d.alive(6, 2)).toBe(false);
    // 0 -> 2 stays in row 0; 7 -> 1 goes up column 1 through router 4.
    expect(d.alive(0, 2)).toBe(true);
    expect(d.alive(7, 1)).toBe(false);
    // The dead router's own tile reaches nothing, not even itself.
    expect(d.alive(4, 4)).toBe(false);
    expect(d.alive(0, 0)).toBe(true);
  });

  test('a piece learns only from pieces it can reach both ways', () => {
    const tiny = loadChipFile('tiny');
    const m = mapNetwork([8, 4, 4, 2], tiny.params.core, { width: 3, height: 3 }, { placement: 'snake' }, { chipFile: 'c', configFile: 'c', layersPath: 'network', placementPath: 'mapping.placement' });
    const cores = m.layerPieces.slice(1).map((ps) => ps.map((p) => p.core));
    expect(cores.flat().length).toBeGreaterThanOrEqual(3);
    const [a, b] = [cores[0]![0]!, cores[1]![0]!];
    // A dead link between the two tiles cuts both directions: a cannot see layer 2 (on b), and the synapses between them freeze on both sides.
    const ax = a % 3, ay = Math.floor(a / 3), bx = b % 3;
    expect(ay).toBe(Math.floor(b / 3));
    const d = new DeadRoutes(3, 3, [], [{ x: Math.min(ax, bx), y: ay, dir: 'E' }], 'c.json');
    const views = blockViews(m, d, 0);
    expect(views[0]![0]!.nextSeen).not.toBeNull();
    expect(views[0]![0]!.nextLearn).not.toBeNull();
    expect(learnMask(m, d, 0, b, 1)).not.toBeNull();
  });
});

describe('dead routes in configs', () => {
  test('a router outside the mesh or a link leaving it names the JSON path', () => {
    const a = loadExperiment(undefined, ['faults.deadRouters=[{"x":9,"y":0}]', 'run.mode=functional']);
    expect(userErrorMessage(() => createEngine(a.config, a.label))).toMatch(/faults\.deadRouters\[0\]: router \(9, 0\) is outside the 4x4 mesh/);
    const b = loadExperiment(undefined, ['faults.deadLinks=[{"x":3,"y":0,"dir":"E"}]']);
    expect(userErrorMessage(() => createEngine(b.config, b.label))).toMatch(/faults\.deadLinks\[0\]: no link leaves router \(3, 0\) towards E/);
    expect(userErrorMessage(() => loadExperiment(undefined, ['faults.deadLinks=[{"x":0,"y":0,"dir":"up"}]']))).toMatch(/faults\.deadLinks.*dir/);
  });
  test('train and run name the dead routes', () => {
    const e = loadExperiment(undefined, ['faults.deadLinks=[{"x":0,"y":0,"dir":"E"}]']);
    expect(faultLine(e.config)).toBe('faults (faults.seed 1): no stuck cells or neurons; 0 dead router(s), 1 dead link(s)');
  });
});
