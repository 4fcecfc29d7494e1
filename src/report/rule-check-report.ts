/**
 * Report pages of `bitspike rule-check` folders: agreement (cosine of the summed updates)
 * against log2(beta), one chart per weight layer and nudging with a line per pair of
 * updates; and, for several folders (e.g. the same check on the weights of successive
 * training epochs, given in order), the agreement against the folder's position.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';
import { parseCsv } from './csv';
import { htmlPage, htmlTable, type PageSection } from './html-page';
import { lineChart, type Series } from './svg-chart';

type Row = Record<string, string>;

function readRows(file: string): { header: string[]; rows: Row[] } | null {
  if (!fs.existsSync(file)) return null;
  const [header = [], ...body] = parseCsv(fs.readFileSync(file, 'utf8'));
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

/** The rule-check section of a folder report (null when the folder has no rule-check.csv). */
export function ruleCheckSection(dir: string): PageSection | null {
  const csv = readRows(path.join(dir, 'rule-check.csv'));
  if (!csv || csv.rows.length === 0) return null;
  const parts: string[] = [];
  for (const nudging of unique(csv.rows.map((r) => r['nudging'] ?? ''))) {
    for (const layer of unique(csv.rows.map((r) => r['layer'] ?? ''))) {
      const rows = csv.rows.filter((r) => r['nudging'] === nudging && r['layer'] === layer);
      const series: Series[] = unique(rows.map((r) => `${r['a']}-${r['b']}`)).map((pair) => ({
        name: pair,
        points: rows
          .filter((r) => `${r['a']}-${r['b']}` === pair && r['cosine'] !== '')
          .map((r) => [Math.log2(Number(r['beta'])), Number(r['cosine'])] as const),
      }));
      parts.push(lineChart({ title: `cosine of the summed updates, weight layer ${layer}, ${nudging} nudging`, xLabel: 'log2(beta)', yLabel: 'cosine', series, yMin: -1, yMax: 1 }));
    }
  }
  const chip = readRows(path.join(dir, 'rule-check-chip.csv'));
  if (chip) parts.push('<h3>What the chip rule did (summed over samples)</h3>', htmlTable(chip.header, chip.rows.map((r) => chip.header.map((h) => r[h] ?? ''))));
  parts.push('<h3>Every pair</h3>', htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => r[h] ?? ''))));
  return { heading: 'Rule check', html: parts.join('\n') };
}

/** True when every folder holds a rule-check.csv. */
export function allRuleChecks(dirs: readonly string[]): boolean {
  return dirs.every((d) => fs.existsSync(path.join(d, 'rule-check.csv')));
}

/** One page over several rule-check folders in the given order: chip-vs-EP and chip-vs-BPTT cosine per beta. */
export function ruleCheckCompareReport(dirs: readonly string[]): string {
  const runs = dirs.map((d, k) => {
    const csv = readRows(path.join(d, 'rule-check.csv'));
    if (!csv || csv.rows.length === 0) throw new UserError(`${d}: no rule-check.csv to compare`);
    return { k: k + 1, name: path.basename(path.resolve(d)), rows: csv.rows };
  });
  const first = runs[0]!.rows;
  const parts: string[] = [];
  for (const pair of ['chip-ep', 'chip-bptt', 'ep-bptt']) {
    for (const nudging of unique(first.map((r) => r['nudging'] ?? ''))) {
      for (const layer of unique(first.map((r) => r['layer'] ?? ''))) {
        const series: Series[] = unique(first.map((r) => r['beta'] ?? '')).map((beta) => ({
          name: `beta ${beta}`,
          points: runs.flatMap((run) => {
            const r = run.rows.find((x) => `${x['a']}-${x['b']}` === pair && x['nudging'] === nudging && x['layer'] === layer && x['beta'] === beta);
            return r && r['cosine'] !== '' ? [[run.k, Number(r['cosine'])] as const] : [];
          }),
        }));
        parts.push(lineChart({ title: `${pair} cosine, weight layer ${layer}, ${nudging} nudging`, xLabel: 'folder (in the order given)', yLabel: 'cosine', series, yMin: -1, yMax: 1 }));
      }
    }
  }
  const sections: PageSection[] = [
    { heading: 'Agreement over the folders', html: parts.join('\n') },
    { heading: 'Folders', html: htmlTable(['position', 'folder'], runs.map((r) => [r.k, r.name])) },
  ];
  return htmlPage(`bitspike rule checks of ${runs.length} folders`, dirs.map((d) => path.resolve(d)).join(', '), sections);
}
