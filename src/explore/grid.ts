/**
 * Parameter grids for `bitspike sweep`. Each `--grid key.path=VALUES` names one axis:
 * VALUES is a JSON array (`learning.theta=[[2],[4],[8]]`), or comma-separated values
 * each read as JSON when it parses, else as a string (`seed=1,2,3`,
 * `dynamics.encoding=binary,spin`). The grid is the Cartesian product of the axes,
 * the last axis varying fastest; each point becomes a list of `--set` overrides.
 */
import { parseOverride } from '../config/overrides';
import { UserError } from '../util/errors';

/** One axis of a grid. */
export interface GridAxis {
  key: string;
  values: unknown[];
}

function splitScalars(text: string): unknown[] {
  return text.split(',').map((part) => {
    try {
      return JSON.parse(part) as unknown;
    } catch {
      return part;
    }
  });
}

/** Parse one `--grid key.path=VALUES` argument. */
export function parseGridAxis(text: string): GridAxis {
  const o = parseOverride(text);
  const raw = text.slice(text.indexOf('=') + 1);
  const values = Array.isArray(o.value) ? (o.value as unknown[]) : splitScalars(raw);
  if (values.length === 0) throw new UserError(`--grid ${text}: no values`);
  return { key: o.path, values };
}

/** Check that no key is swept twice. */
export function checkAxes(axes: readonly GridAxis[]): void {
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.key)) throw new UserError(`--grid ${a.key}: the same key is swept twice`);
    seen.add(a.key);
  }
  if (axes.length === 0) throw new UserError('sweep: give at least one --grid key.path=VALUES');
}

/** The points of the grid, each as the axis values in axis order (last axis fastest). */
export function gridPoints(axes: readonly GridAxis[]): unknown[][] {
  let points: unknown[][] = [[]];
  for (const a of axes) points = points.flatMap((p) => a.values.map((v) => [...p, v]));
  return points;
}

/** The `--set` overrides of one grid point. */
export function pointOverrides(axes: readonly GridAxis[], point: readonly unknown[]): string[] {
  return axes.map((a, i) => `${a.key}=${JSON.stringify(point[i])}`);
}
