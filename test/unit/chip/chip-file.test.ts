import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadChipFile, validateChip } from '../../../src/hw/chip-file';
import { userErrorMessage } from '../user-error';

function tinyRaw(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../../../hw/chips/tiny.json'), 'utf8')) as Record<string, unknown>;
}

describe('chip file', () => {
  test.each(['tiny', 'default', 'truenorth-like'])('shipped chip %s validates', (name) => {
    const chip = loadChipFile(name);
    expect(chip.params.name).toBe(name);
    expect(chip.file).toMatch(new RegExp(`hw/chips/${name}\\.json$`));
  });

  test('truenorth-like: 256 axons x 256 neurons, one crossbar row per cycle', () => {
    const p = loadChipFile('truenorth-like').params;
    expect([p.core.axons, p.core.neurons, p.core.sram.wordBits, p.core.sram.banks]).toEqual([256, 256, 256, 1]);
  });

  test('missing fields take their declared defaults', () => {
    const p = validateChip({}, 'x.json').params;
    expect(p.core.sram.wordBits).toBe(64);
    expect(p.encoding).toBe('state-change');
  });

  test.each([
    [['mesh', 'width'], 0, /x\.json: mesh\.width: expected a value in \[1, 1024\], got 0/],
    [['core', 'neurons'], -4, /x\.json: core\.neurons: .* got -4/],
    [['core', 'sram', 'banks'], 0, /core\.sram\.banks/],
    [['core', 'sram', 'wordBits'], 1.5, /core\.sram\.wordBits: expected an integer/],
    [['barrierDelay'], -1, /barrierDelay: expected a value >= 0, got -1/],
    [['encoding'], 'sometimes', /encoding: expected one of "state-change", "every-step"/],
    [['io', 'x'], 3, /io\.x: the I\/O port's router x = 3 is outside the 3x3 mesh/],
    [['core', 'bogus'], 1, /core\.bogus: unknown key/],
    [['noc', 'routerDelay'], 0, /x\.json: noc\.routerDelay: expected a value in \[1, 1024\], got 0/],
    [['noc', 'bufferDepth'], -2, /noc\.bufferDepth: .* got -2/],
    [['core', 'sram', 'capacityBits'], 0, /core\.sram\.capacityBits: .* got 0/],
    [['noc', 'vcs'], 0, /x\.json: noc\.vcs: expected a value in \[1, 16\], got 0/],
    [['noc', 'bufferDepth'], 0, /x\.json: noc\.bufferDepth: expected a value in \[1, 4096\], got 0/],
    [['noc', 'flitWidth'], 3, /x\.json: noc\.flitWidth: a 3-bit flit cannot hold the 5-bit header/],
    [['noc', 'routeDelay'], -1, /x\.json: noc\.routeDelay: expected a value in \[0, 1024\], got -1/],
    [['noc', 'vcAllocDelay'], -2, /x\.json: noc\.vcAllocDelay: .* got -2/],
    [['noc', 'switchAllocDelay'], -1, /x\.json: noc\.switchAllocDelay: .* got -1/],
    [['noc', 'routing'], 'west-first', /x\.json: noc\.routing: expected one of "xy", "yx"/],
  ])('refuses %j = %j', (keys, value, pattern) => {
    const raw = tinyRaw();
    let o = raw;
    for (const k of (keys as string[]).slice(0, -1)) o = o[k] as Record<string, unknown>;
    o[(keys as string[])[(keys as string[]).length - 1] as string] = value;
    expect(userErrorMessage(() => validateChip(raw, 'x.json'))).toMatch(pattern);
  });

  test('VC classes must cover every VC; yx routing cannot carry XY multicast trees', () => {
    const raw = tinyRaw();
    (raw['noc'] as Record<string, unknown>)['vcs'] = 3;
    (raw['noc'] as Record<string, unknown>)['vcClasses'] = [0, 1];
    expect(userErrorMessage(() => validateChip(raw, 'x.json'))).toMatch(/x\.json: noc\.vcClasses: needs one class per VC: 3 entries, got 2/);
    (raw['noc'] as Record<string, unknown>)['vcClasses'] = [0, 0, 0];
    expect(userErrorMessage(() => validateChip(raw, 'x.json'))).toMatch(/x\.json: noc\.vcClasses: message class 1 \(partialSum\) has no VC/);
    const r2 = tinyRaw();
    Object.assign(r2['noc'] as Record<string, unknown>, { routing: 'yx', multicast: 'tree' });
    expect(userErrorMessage(() => validateChip(r2, 'x.json'))).toMatch(/x\.json: noc\.routing: multicast trees follow XY routes/);
  });

  test('a multicast destination set wider than the head flit is refused', () => {
    const raw = tinyRaw();
    Object.assign(raw['noc'] as Record<string, unknown>, { multicast: 'tree', flitWidth: 8 });
    const mesh = raw['mesh'] as { width: number; height: number };
    const n = mesh.width * mesh.height;
    expect(userErrorMessage(() => validateChip(raw, 'x.json'))).toBe(
      `x.json: noc.multicast: the ${mesh.width}x${mesh.height} mesh needs a ${n}-bit destination set in the header, wider than the 8-bit head flit (noc.flitWidth)`,
    );
    (raw['noc'] as Record<string, unknown>)['flitWidth'] = n;
    expect(validateChip(raw, 'x.json').params.noc.multicast).toBe('tree');
  });

  test('a file that is not JSON names the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chip-'));
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{ "mesh": ');
    expect(userErrorMessage(() => loadChipFile(f))).toMatch(/bad\.json: not valid JSON/);
    expect(userErrorMessage(() => loadChipFile(path.join(dir, 'none.json')))).toMatch(/none\.json: cannot read the chip file/);
  });
});
