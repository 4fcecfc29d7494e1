/**
 * The commands of the `bitspike` CLI. Each lives in its own file exporting
 * `command: CommandModule`; to add one, import it here and append it to the list.
 */
import type { CommandModule } from 'yargs';
import { command as budget } from './budget';
import { command as info } from './info';
import { command as noc } from './noc';
import { command as report } from './report';
import { command as run } from './run';
import { command as ruleCheck } from './rule-check';
import { command as sweep } from './sweep';
import { command as sweepPoint } from './sweep-point';
import { command as train } from './train';
import { command as validate } from './validate';

/** Every registered command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandModule<object, never>[] = [
  train as CommandModule<object, never>,
  run as CommandModule<object, never>,
  validate as CommandModule<object, never>,
  budget as CommandModule<object, never>,
  info as CommandModule<object, never>,
  noc as CommandModule<object, never>,
  sweep as CommandModule<object, never>,
  sweepPoint as CommandModule<object, never>,
  report as CommandModule<object, never>,
  ruleCheck as CommandModule<object, never>,
];
