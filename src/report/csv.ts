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

/** Emit a header and rows as CSV text, one line per piece (for files too large for one string). */
export function emitCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], emit: (piece: string) => void): void {
  emit(`${header.map(cellText).join(',')}\n`);
  for (const row of rows) {
    if (row.length !== header.length) {
      throw new Error(`CSV row has ${row.length} cells, header has ${header.length}`);
    }
    emit(`${row.map(cellText).join(',')}\n`);
  }
}

/** Render a header and rows as CSV text. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines: string[] = [];
  emitCsv(header, rows, (l) => lines.push(l));
  return lines.join('');
}

/** Parse CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks) into rows of strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
