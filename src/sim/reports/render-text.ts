// Report bodies as the two text shapes the seeds show: one cell per line (seed 000, page text) and one table
// row per line with tab-separated cells (seed 002, PDF text).
import type { ReportModel } from './model.ts';
import { reportTableSpecs, tableGrid } from './tables.ts';

const LINE_BREAKS: Record<string, string> = { 本年新制作数量: '本年新\n制作数量', 本年新公开数量: '本年新\n公开数量' };

function titleLine(m: ReportModel): string {
  // seed 002 prints `将乐县 2020 年…`
  return m.style.spacedTitle ? m.title.replace(/(\d{4})/, ' $1 ') : m.title;
}

/**
 * Seed 000 style: paragraphs and cells separated by blank lines; a spanned label appears once, before its
 * first row. Empty cells are dropped, as text extractors drop them.
 */
export function renderCellPerLine(m: ReportModel): string {
  const specs = new Map(reportTableSpecs(m).map((s) => [s.id, s]));
  const out: string[] = [titleLine(m), `发布日期:${m.publishedAt}`];
  for (const b of m.blocks) {
    if (b.kind !== 'table') {
      out.push(b.text);
      continue;
    }
    for (const row of specs.get(b.table)!.rows) {
      for (const cell of row) if (cell.text !== '') out.push(cell.header ? (LINE_BREAKS[cell.text] ?? cell.text) : cell.text);
    }
  }
  return out.join('\n\n') + '\n';
}

/** Seed 002 style: a table row per line, grid cells joined by tabs, empty cells kept. */
export function renderTabText(m: ReportModel): string {
  const specs = new Map(reportTableSpecs(m).map((s) => [s.id, s]));
  const out: string[] = ['', titleLine(m), ''];
  for (const b of m.blocks) {
    if (b.kind === 'table') {
      for (const row of tableGrid(specs.get(b.table)!)) out.push(row.join('\t'));
      out.push('');
    } else out.push(b.text, '');
  }
  return out.join('\n');
}
