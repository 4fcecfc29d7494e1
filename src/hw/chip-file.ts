/**
 * Loading and validating a chip file (hw/chips/*.json) against the declarations of
 * src/hw/params.ts and src/hw/noc-params.ts. Errors are one-line UserErrors
 * naming the file and the JSON path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateParam } from '../config/param';
import type { SectionParam } from '../config/param';
import { UserError, userError } from '../util/errors';
import { headerBits } from './packet';
import { NOC_PARAMS } from './noc-params';
import type { NocParams } from './noc-params';
import { CHIP_FIELDS_WITHOUT_NOC } from './params';
import type { CoreParams, SpikeEncoding } from './params';

/** The declaration of a whole chip file. */
export const CHIP_PARAMS: SectionParam = {
  kind: 'section',
  doc: 'a chip architecture (hw/chips/*.json)',
  fields: { ...CHIP_FIELDS_WITHOUT_NOC, noc: NOC_PARAMS },
  check: (v) => {
    const mesh = v['mesh'] as { width: number; height: number };
    const io = v['io'] as { x: number; y: number };
    if (io.x >= mesh.width) return ['io.x', `the I/O port's router x = ${io.x} is outside the ${mesh.width}x${mesh.height} mesh (x < ${mesh.width})`];
    if (io.y >= mesh.height) return ['io.y', `the I/O port's router y = ${io.y} is outside the ${mesh.width}x${mesh.height} mesh (y < ${mesh.height})`];
    const noc = v['noc'] as NocParams;
    const fw = noc.flitWidth ?? 0;
    if ((noc.multicast ?? 'unicast') === 'tree') {
      const set = headerBits(mesh.width, mesh.height, true);
      if (fw > 0 && fw < set) {
        return ['noc.multicast', `the ${mesh.width}x${mesh.height} mesh needs a ${set}-bit destination set in the header, wider than the ${fw}-bit head flit (noc.flitWidth)`];
      }
    }
    const header = headerBits(mesh.width, mesh.height, false);
    if (fw > 0 && fw < header) return ['noc.flitWidth', `a ${fw}-bit flit cannot hold the ${header}-bit header (destination x, y and I/O select) of a ${mesh.width}x${mesh.height} mesh`];
    return null;
  },
};

/** A validated chip file. */
export interface ChipParams {
  name: string;
  description: string;
  mesh: { width: number; height: number };
  clockHz: number;
  core: CoreParams;
  io: { x: number; y: number; flitsPerCycle: number };
  barrierDelay: number;
  resetDelay: number;
  encoding: SpikeEncoding;
  noc: NocParams;
}

/** A chip description together with the file it came from (for error messages). */
export interface ChipDescription {
  file: string;
  params: ChipParams;
}

/** Validate an already-parsed chip file; `file` names it in errors. */
export function validateChip(raw: unknown, file: string): ChipDescription {
  return { file, params: validateParam(CHIP_PARAMS, raw, file, '') as ChipParams };
}

/** Resolve a chip name ("tiny") or path to a file under hw/chips. */
export function chipPath(nameOrPath: string, root = path.resolve(__dirname, '..', '..', '..')): string {
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/')) return nameOrPath;
  const inRepo = path.join(root, 'hw', 'chips', `${nameOrPath}.json`);
  if (fs.existsSync(inRepo)) return inRepo;
  // Running from dist/ or from src/ through ts-jest: also look one level up.
  return path.join(path.resolve(__dirname, '..', '..'), 'hw', 'chips', `${nameOrPath}.json`);
}

/** Read and validate a chip file, or throw a one-line UserError naming the file and JSON path. */
export function loadChipFile(nameOrPath: string): ChipDescription {
  const file = chipPath(nameOrPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot read the chip file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw userError(file, '', `not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return validateChip(raw, file);
}
