/**
 * Plain-text tables for terminal output: columns padded to their widest cell,
 * numbers right-aligned, text left-aligned, a dashed rule under the header.
 * Also the cell escaping of the Markdown tables the docs are generated with.
 */

/** Render rows as an aligned text table (one string, lines ended by "\n"). */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const widths = header.map((h) => h.length);
  const cells = rows.map((r) => r.map((c) => String(c)));
  for (const r of cells) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells) out.push(line(r));
  return `${out.join('\n')}\n`;
}

/** Text made safe for one Markdown table cell (pipes escaped, line breaks as spaces). */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
