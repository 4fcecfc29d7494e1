/** A self-contained HTML page (inline CSS, inline SVG, no scripts, no external files) for reports. */
import { escapeXml } from './svg-chart';

/** One section of a report page: a heading and ready-made HTML (tables, SVG). */
export interface PageSection {
  heading: string;
  html: string;
}

/** An HTML table; every cell is escaped. */
export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const th = header.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td${typeof c === 'number' ? ' class="n"' : ''}>${escapeXml(String(c))}</td>`).join('')}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs.join('\n')}\n</tbody></table>`;
}

/** A two-column key/value table. */
export function keyValueTable(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return htmlTable(['', ''], pairs).replace('<thead><tr><th></th><th></th></tr></thead>', '');
}

/** The whole page. */
export function htmlPage(title: string, subtitle: string, sections: readonly PageSection[]): string {
  const body = sections.map((s) => `<section>\n<h2>${escapeXml(s.heading)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 1000px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.sub { color: #666; }
.charts { display: flex; flex-wrap: wrap; gap: 0.5em; }
svg title { white-space: pre; }
</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p class="sub">${escapeXml(subtitle)}</p>
${body}
</body>
</html>
`;
}
