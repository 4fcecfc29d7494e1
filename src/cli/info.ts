/** `bitspike info`: print every declared parameter (path, type, default, range, unit, description). */
import type { Argv, CommandModule } from 'yargs';
import { renderMarkdownReference, renderTextReference } from '../report/param-reference';
import { declaredParamDocuments } from './declared-params';
import { UserError } from '../util/errors';
import { out } from './output';

interface InfoArgs {
  prefix?: string;
  markdown?: boolean;
  json?: boolean;
}

/** The info command. */
export const command: CommandModule<object, InfoArgs> = {
  command: 'info [prefix]',
  describe: 'list every parameter of configs, chip files and technology tables, from their declarations',
  builder: (y: Argv) =>
    y
      .positional('prefix', { type: 'string', describe: 'only parameters whose path starts with this (e.g. learning, core.sram)' })
      .option('markdown', { type: 'boolean', describe: 'print docs/config-reference.md (Markdown)' })
      .option('json', { type: 'boolean', describe: 'print the rows as JSON' })
      .conflicts('markdown', 'json')
      .example('$0 info learning', 'the learning-rule parameters') as unknown as Argv<InfoArgs>,
  handler: (a) => {
    const docs = declaredParamDocuments();
    const prefix = a.prefix ?? '';
    if (prefix !== '' && !docs.some((d) => d.rows.some((r) => r.path.startsWith(prefix)))) {
      throw new UserError(`info ${prefix}: no parameter path starts with "${prefix}" (bitspike info lists them all)`);
    }
    if (a.markdown) out(renderMarkdownReference(docs));
    else if (a.json) out(`${JSON.stringify(docs.map((d) => ({ ...d, rows: d.rows.filter((r) => r.path.startsWith(a.prefix ?? '')) })), null, 2)}\n`);
    else out(renderTextReference(docs, a.prefix ?? ''));
  },
};
