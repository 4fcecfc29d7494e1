import fc from 'fast-check';
import { parseCsv, toCsv } from '../../../src/report/csv';

describe('CSV parsing', () => {
  test('parses what toCsv writes, for any strings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }).chain((w) => fc.tuple(fc.array(fc.string(), { minLength: w, maxLength: w }), fc.array(fc.array(fc.string(), { minLength: w, maxLength: w }), { maxLength: 5 }))), ([header, rows]) => {
        // A lone empty cell cannot be told from an empty line; CSV writers share this limit.
        fc.pre(header.length > 1 || (header[0] !== '' && rows.every((r) => r[0] !== '')));
        expect(parseCsv(toCsv(header, rows))).toEqual([header, ...rows]);
      }),
      { numRuns: 300, seed: 12 },
    );
  });

  test('accepts CRLF line ends and a missing final newline', () => {
    expect(parseCsv('a,b\r\n1,"x,y"\r\n2,z')).toEqual([['a', 'b'], ['1', 'x,y'], ['2', 'z']]);
  });
});
