import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonText, writeFileAtomic, writeJsonAtomic } from '../../../src/store/atomic-write';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-atomic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('atomic writes', () => {
  test('replace the file whole and leave no temporary file', () => {
    const f = path.join(dir, 'a.json');
    writeJsonAtomic(f, { b: [1, 2] });
    expect(fs.readFileSync(f, 'utf8')).toBe('{\n  "b": [\n    1,\n    2\n  ]\n}\n');
    writeFileAtomic(f, new Uint8Array([1, 2, 3]));
    expect(Array.from(fs.readFileSync(f))).toEqual([1, 2, 3]);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  test('a failed write leaves neither the file nor a temporary file', () => {
    const sub = path.join(dir, 'is-a-dir');
    fs.mkdirSync(path.join(sub, 'target.json'), { recursive: true });
    expect(() => writeFileAtomic(path.join(sub, 'target.json'), 'x')).toThrow();
    expect(fs.readdirSync(sub)).toEqual(['target.json']);
    expect(fs.statSync(path.join(sub, 'target.json')).isDirectory()).toBe(true);
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'x.json'), 'x')).toThrow();
  });

  test('canonical JSON text is stable', () => {
    expect(jsonText({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});
