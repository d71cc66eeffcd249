// Word-made HTML (mammoth output) → body text. Tables go through the page parser's own table renderer
// (one contract for every source); the walk is local because document HTML has no site chrome to strip.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { renderTable } from '../parse/html-to-body.ts';
import { tidyCell } from './layout.ts';

const isEl = (n: AnyNode): n is Element => n.type === 'tag';
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'div', 'blockquote', 'pre']);

export function htmlDocumentToBody(html: string): string {
  const $ = cheerio.load(html);
  const out: string[] = [];
  const walk = (node: AnyNode) => {
    if (!isEl(node)) return;
    const name = node.name.toLowerCase();
    if (name === 'table') {
      out.push(...renderTable(node).filter((row) => row.replace(/\t/g, '') !== ''));
      return;
    }
    if (BLOCKS.has(name) && !$(node).find('table').length) {
      const t = tidyCell($(node).text());
      if (t) out.push(t);
      return;
    }
    for (const c of node.children) walk(c);
  };
  const root = $('body').get(0) ?? $.root().get(0);
  if (root) for (const c of (root as Element).children) walk(c);
  return out.join('\n');
}
