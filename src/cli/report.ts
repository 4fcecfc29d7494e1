/** `bitspike report`: an HTML page (inline SVG charts, tables) of a train, run or sweep folder. */
import * as path from 'path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../report/atomic-write';
import { folderReport } from '../report/folder-report';
import { out } from './output';

interface ReportArgs {
  folder: string;
  out?: string;
}

/** The report command. */
export const command: CommandModule<object, ReportArgs> = {
  command: 'report <folder>',
  describe: 'write report.html for a train, run or sweep folder: accuracy curves, sweep bars, mesh heat maps, energy breakdown',
  builder: (y: Argv) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'a run or sweep folder' })
      .option('out', { type: 'string', describe: 'HTML file to write (default: <folder>/report.html)' })
      .example('$0 report runs/mnist-default-1-20260101-120000', 'then open its report.html in a browser') as unknown as Argv<ReportArgs>,
  handler: (a) => {
    const html = folderReport(a.folder);
    const file = path.resolve(a.out ?? path.join(a.folder, 'report.html'));
    writeFileAtomic(file, html);
    out(`wrote ${file}\n`);
  },
};
