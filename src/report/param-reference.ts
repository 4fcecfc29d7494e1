/**
 * Rendering of parameter declarations for people: the Markdown of
 * docs/config-reference.md and the plain-text listing of `bitspike info`. Both come
 * from the same rows (paramRows of src/config/param.ts), so they cannot disagree.
 */
import type { ParamRow } from '../config/param';
import { formatTable, mdCell } from './table';

/** One documented file kind: a title, which files it describes, and its rows. */
export interface ParamDocument {
  /** E.g. "Experiment config". */
  title: string;
  /** E.g. "configs/*.json". */
  files: string;
  /** One paragraph on how the file is read. */
  intro: string;
  rows: ParamRow[];
}

/** The complete Markdown reference of every document. */
export function renderMarkdownReference(docs: readonly ParamDocument[]): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    'Generated from the parameter declarations by `npm run docs:config` (or `bitspike info --markdown`); do not edit by hand.',
    'Every parameter is declared once, with its type, default, range and unit; a test fails when this file is out of date.',
    '',
  ];
  for (const d of docs) {
    out.push(`## ${d.title} (\`${d.files}\`)`, '', d.intro, '', '| path | type | default | range | unit | description |', '|---|---|---|---|---|---|');
    for (const r of d.rows) {
      out.push(`| \`${mdCell(r.path)}\` | ${mdCell(r.type)} | ${r.default === '' ? '' : `\`${mdCell(r.default)}\``} | ${mdCell(r.range)} | ${mdCell(r.unit)} | ${mdCell(r.doc)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** A plain-text listing of the rows whose path starts with `prefix`. */
export function renderTextReference(docs: readonly ParamDocument[], prefix: string): string {
  const out: string[] = [];
  for (const d of docs) {
    const rows = d.rows.filter((r) => r.path.startsWith(prefix));
    if (rows.length === 0) continue;
    out.push(`${d.title} (${d.files})\n`);
    out.push(formatTable(['path', 'type', 'default', 'range', 'unit', 'description'], rows.map((r) => [r.path, r.type, r.default, r.range, r.unit, r.doc])));
    out.push('\n');
  }
  return out.join('');
}
