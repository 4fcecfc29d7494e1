/**
 * CSV text after RFC 4180: comma-separated, a header row, fields quoted only when
 * they contain a comma, quote or line break, lines ended by "\n".
 */

/** A CSV cell: numbers are written with JavaScript's shortest round-trip form. */
export type CsvCell = string | number | boolean;

function cellText(v: CsvCell): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Render a header and rows as CSV text. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(cellText).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
    }
    lines.push(row.map(cellText).join(','));
  }
  return `${lines.join('\n')}\n`;
}
