import { toCsv } from '../../../src/report/csv';
import { formatTable } from '../../../src/report/table';

describe('CSV', () => {
  test('quotes only cells that need it, RFC 4180 style', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [0.5, 'say "hi", then\nleave'], [true, '']])).toBe('a,b\n1,x\n0.5,"say ""hi"", then\nleave"\ntrue,\n');
  });
  test('a row with the wrong number of cells is a bug', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/1 cells, header has 2/);
  });
});

describe('tables', () => {
  test('pad columns, right-align numbers', () => {
    expect(formatTable(['name', 'n'], [['a', 1], ['long', 100]])).toBe('name    n\n----  ---\na       1\nlong  100\n');
  });
});
