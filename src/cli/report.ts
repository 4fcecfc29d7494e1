/** `bitspike report`: an HTML page (inline SVG charts, tables) of a train, run or sweep folder, or of a NoC curve CSV. */
import * as fs from 'fs';
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../store/atomic-write';
import { designSpaceSections } from '../explore/design-space';
import { compareReport, folderReport, nocCurveReport } from '../report/folder-report';
import { allRuleChecks, ruleCheckCompareReport } from '../report/rule-check-report';
import { out } from './output';

/** Write the page (a file-system refusal is a one-line UserError from writeFileAtomic). */
function writePage(file: string, html: string): void {
  writeFileAtomic(file, html);
  out(`wrote ${file}\n`);
}

interface ReportArgs {
  folder: string;
  more?: string[];
  out?: string;
}

/** The report command. */
export const command: CommandModule<object, ReportArgs> = {
  command: 'report <folder> [more..]',
  describe: 'write report.html for a train, run or sweep folder: accuracy curves, sweep bars, mesh heat maps, energy breakdown',
  builder: (y: Argv) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'a train, run or sweep folder, or a CSV written by `bitspike noc --out`' })
      .positional('more', { type: 'string', array: true, describe: 'more train folders: one page comparing their accuracy curves (or more rule-check folders, in epoch order: agreement over them)' })
      .option('out', { type: 'string', describe: 'HTML file to write (default: <folder>/report.html, <file>.html for a CSV, compare.html for several folders)' })
      .example('$0 report runs/mnist-default-1-20260101-120000', 'then open its report.html in a browser')
      .example('$0 report runs/binary runs/float', 'compare the accuracy curves of two training runs (compare.html)')
      .example('$0 report curve.csv', 'latency-throughput curves of `bitspike noc --sweep ... --out curve.csv`') as unknown as Argv<ReportArgs>,
  handler: (a) => {
    if ((a.more ?? []).length > 0) {
      const file = path.resolve(a.out ?? 'compare.html');
      const dirs = [a.folder, ...(a.more ?? [])];
      writePage(file, allRuleChecks(dirs) ? ruleCheckCompareReport(dirs) : compareReport(dirs));
      return;
    }
    const isCsv = a.folder.endsWith('.csv') && fs.existsSync(a.folder) && fs.statSync(a.folder).isFile();
    const html = isCsv ? nocCurveReport(a.folder) : folderReport(a.folder, designSpaceSections(a.folder));
    const file = path.resolve(a.out ?? (isCsv ? a.folder.replace(/\.csv$/, '.html') : path.join(a.folder, 'report.html')));
    writePage(file, html);
  },
};
