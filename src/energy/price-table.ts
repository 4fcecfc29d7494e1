/**
 * The counter and per-event price tables of docs/energy-model.md, generated from the
 * counter catalog, PRICE_RULES and the bundled technology tables so the document cannot
 * drift from the code.
 */
import { COUNTER_CATALOG } from '../sim/counter-catalog';
import type { ComponentKind } from '../sim/counter-catalog';
import type { TechTable } from './tech-table';
import type { EnergyChip } from './chip-view';
import { areaReport } from './area';
import { eventPrices, isPriced, PRICE_RULES } from './event-prices';
import { CHIP_ONLY } from './storage';
import { mdCell } from '../report/table';

function sig(x: number): string {
  return x === 0 ? '0' : x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

/** Markdown table: every catalog counter, its unit, which models produce it and what one count means (the catalog's words). */
export function counterTableMarkdown(): string {
  const rows: string[] = ['| counter | unit | produced by | one count is |', '| --- | --- | --- | --- |'];
  for (const kind of Object.keys(COUNTER_CATALOG) as ComponentKind[]) {
    for (const d of COUNTER_CATALOG[kind]) {
      rows.push(`| ${kind}.${d.name} | ${d.unit} | ${d.functional ? 'both models' : 'cycle model'} | ${mdCell(d.doc)} |`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** Markdown table: every catalog counter, its unit, component, rule and price (pJ per count) in each table on `chip`. */
export function priceTableMarkdown(chip: EnergyChip, tables: readonly TechTable[]): string {
  const prices = tables.map((t) => eventPrices({ chip, tech: t, tilePitchMm: areaReport(chip, t, CHIP_ONLY).tilePitchMm }));
  const head = `| counter | unit | component | price rule | ${tables.map((t) => `${t.name} pJ`).join(' | ')} |`;
  const rule = `|${' --- |'.repeat(4 + tables.length)}`;
  const rows: string[] = [head, rule];
  for (const kind of Object.keys(COUNTER_CATALOG) as ComponentKind[]) {
    for (const d of COUNTER_CATALOG[kind]) {
      const r = PRICE_RULES[kind][d.name]!;
      const key = `${kind}.${d.name}`;
      if (isPriced(r)) rows.push(`| ${key} | ${d.unit} | ${r.component} | ${r.rule} | ${prices.map((p) => sig(p[key]!)).join(' | ')} |`);
      else rows.push(`| ${key} | ${d.unit} | free | ${r.free} | ${tables.map(() => '0').join(' | ')} |`);
    }
  }
  return `${rows.join('\n')}\n`;
}
