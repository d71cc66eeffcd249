// Word-made HTML (mammoth output) → body text. Same table contract as src/parse/html-to-body.ts:
// a merged cell's text appears once at its top-left slot, colspan slots are omitted, rowspan slots
// below are empty fields. Kept local because document HTML has no site chrome to strip.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { tidyCell } from './layout.ts';

const isEl = (n: AnyNode): n is Element => n.type === 'tag';
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'div', 'blockquote', 'pre']);

export function htmlDocumentToBody(html: string): string {
  const $ = cheerio.load(html);
  const out: string[] = [];
  const walk = (node: AnyNode) => {
    if (!isEl(node)) return;
    const name = node.name.toLowerCase();
    if (name === 'table') { out.push(...tableRows($, node)); return; }
    if (BLOCKS.has(name) && !$(node).find('table').length) {
      const t = tidyCell(textOf($, node));
      if (t) out.push(t);
      return;
    }
    for (const c of node.children) walk(c);
  };
  const root = $('body').get(0) ?? $.root().get(0);
  if (root) for (const c of (root as Element).children) walk(c);
  return out.join('\n');
}

function textOf($: cheerio.CheerioAPI, el: Element): string {
  // <br> and paragraph ends inside a cell are wraps of one label, not separate cells.
  $(el).find('br').replaceWith(' ');
  return $(el).find('p').length ? $(el).find('p').toArray().map((p) => $(p).text()).join(' ') : $(el).text();
}

function tableRows($: cheerio.CheerioAPI, table: Element): string[] {
  const trs = $(table).find('tr').toArray().filter((tr) => $(tr).closest('table').get(0) === table);
  type Slot = { r: number; c: number; text: string };
  const grid: Slot[][] = [];
  trs.forEach((tr, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const td of $(tr).children('td, th').toArray()) {
      while (grid[r][c]) c++;
      const rs = Math.min(200, Math.max(1, parseInt($(td).attr('rowspan') ?? '1', 10) || 1));
      const cs = Math.min(200, Math.max(1, parseInt($(td).attr('colspan') ?? '1', 10) || 1));
      const slot = { r, c, text: tidyCell(textOf($, td)) };
      for (let dr = 0; dr < rs && r + dr < trs.length; dr++) {
        grid[r + dr] ??= [];
        for (let dc = 0; dc < cs; dc++) grid[r + dr][c + dc] = slot;
      }
      c += cs;
    }
  });
  const rows: string[] = [];
  grid.forEach((row, r) => {
    const fields: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const s = row[c];
      if (!s) { fields.push(''); continue; }
      if (s.c !== c) continue;
      fields.push(s.r === r ? s.text : '');
    }
    if (fields.some((f) => f !== '')) rows.push(fields.join('\t'));
  });
  return rows;
}
