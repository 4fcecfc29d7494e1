import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { jsonErrorOffset, lineColumn, parseJsonText, readJsonFile } from '../../../src/config/json-file';
import { userErrorMessage } from '../user-error';

describe('JSON files', () => {
  test('valid JSON has no error offset (property over generated JSON)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => jsonErrorOffset(JSON.stringify(v, null, pretty ? 2 : 0)) === -1),
      { numRuns: 200, seed: 11 },
    );
  });

  test.each([
    ['{"a": }', 6],
    ['{"a":1,}', 7],
    ['{\n "a": 1\n "b": 2}', 11],
    ['[1,2] x', 6],
    ['{"a": tru}', 9],
    ['{"a": "x\ny"}', 8],
    ['{"a": 01}', 7],
  ])('finds the first syntax error in %j at offset %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    expect(() => JSON.parse(text)).toThrow();
  });

  test('reports line and column of the error', () => {
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(userErrorMessage(() => parseJsonText('{\n  "seed": 1\n  "run": {}\n}', 'c.json'))).toBe(
      'c.json: invalid JSON at line 3, column 3 (near "\\"run\\": {}\\n}")',
    );
    expect(userErrorMessage(() => parseJsonText('{"a": [1, 2', 'c.json'))).toBe('c.json: invalid JSON: unexpected end of file');
  });

  test('a missing file is a one-line error naming it', () => {
    const f = path.join(os.tmpdir(), 'bitspike-no-such-file.json');
    expect(userErrorMessage(() => readJsonFile(f, 'config'))).toBe(`${f}: cannot read the config (ENOENT)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-json-'));
    fs.writeFileSync(path.join(dir, 'ok.json'), '{"x": [1, 2]}');
    expect(readJsonFile(path.join(dir, 'ok.json'), 'config')).toEqual({ x: [1, 2] });
    fs.rmSync(dir, { recursive: true });
  });
});
