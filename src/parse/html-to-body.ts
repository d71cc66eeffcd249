import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { metaFromLines, pickDate, type PageMeta } from './page-meta.ts';

export type Attachment = { url: string; text: string };
export type HtmlBody = { body: string; pageMeta: PageMeta; attachments: Attachment[] };

const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'aside',
  'header',
  'footer',
  'nav',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'address',
  'center',
  'form',
  'fieldset',
  'figure',
  'figcaption',
  'hr',
  'caption',
  'body',
  'html',
  'ucapcontent',
]);
const DROP = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'template',
  'head',
  'title',
  'meta',
  'link',
  'input',
  'select',
  'button',
  'textarea',
  'map',
  'area',
]);

// Containers CMS families put the article body in (docs/site-families.md §2); checked in order.
const CONTENT_SELECTORS = [
  'ucapcontent',
  '#zoom',
  '#zoomcon',
  '.TRS_Editor',
  '.TRS_UEDITOR',
  '.wzzw-article',
  '.news_cont_d_wrap',
  '.article-content',
  '#UCAP-CONTENT',
  '.bt-article',
  '#content',
  '.content',
  'article',
];
// Page furniture recognised by class or id; never the report body.
const CHROME_ATTR =
  /(^|[\s_-])(nav|menu|footer|foot|header|head-?top|banner|share|crumb|breadcrumb|position|location|toolbar|sidebar|copyright|links?|search|login)([\s_-]|$)/i;
const CHROME_LINE =
  /网站标识码|ICP备|ICP证|公网安备|公安备案|京公网|主办单位|主\s*办\s*[:：]|承\s*办\s*[:：]|版权所有|Copyright|©|字号\s*[:：]?\s*[〖[【(]?\s*大|打印本页|打印\s*\|?\s*关闭|关闭窗口|扫一扫|分享到|当前位置|您现在的位置|您所在的位置|网站地图|联系我们|无障碍|适老化|繁體版|^\s*(首页|上一篇|下一篇|返回顶部)\s*$/i;

const HAN = /\p{Script=Han}/u;

function squeeze(s: string): string {
  // Source line breaks between CJK characters are layout, not spaces.
  return s
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .replace(/(\p{Script=Han}|[，。、；：！？（）《》“”]) (?=\p{Script=Han}|[，。、；：！？（）《》“”])/gu, '$1');
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function isChrome(el: Element): boolean {
  const name = el.name.toLowerCase();
  if (name === 'nav' || name === 'footer') return true;
  const attr = `${el.attribs?.class ?? ''} ${el.attribs?.id ?? ''}`;
  return CHROME_ATTR.test(attr);
}

/** Renders a subtree to lines: blocks break lines, inline text runs are joined, tables become tab rows. */
class Renderer {
  lines: string[] = [];
  private cur = '';
  constructor(private skipChrome: boolean) {}

  flush(): void {
    const t = squeeze(this.cur).trim();
    if (t) this.lines.push(t);
    this.cur = '';
  }

  walk(node: AnyNode): void {
    if (node.type === 'text') {
      this.cur += (node as unknown as { data: string }).data;
      return;
    }
    if (node.type === 'root') {
      for (const c of (node as unknown as { children: AnyNode[] }).children) this.walk(c);
      return;
    }
    if (!isElement(node)) return;
    const name = node.name.toLowerCase();
    if (DROP.has(name)) return;
    if (this.skipChrome && isChrome(node)) return;
    if (name === 'br') {
      this.flush();
      return;
    }
    if (name === 'table' && !isLayoutTable(node)) {
      this.flush();
      for (const row of renderTable(node)) this.lines.push(row);
      return;
    }
    const block = BLOCK.has(name) || ['table', 'tr', 'td', 'th', 'tbody', 'thead', 'tfoot'].includes(name);
    if (block) this.flush();
    for (const c of node.children) this.walk(c);
    if (block) this.flush();
  }
}

/**
 * Old sites lay whole pages out in tables; such a table is walked as blocks so its paragraphs and the data
 * tables nested in it keep their lines. A data table has no nested table and no paragraph-sized cell.
 */
function isLayoutTable(table: Element): boolean {
  let layout = false;
  const visit = (el: Element, depth: number) => {
    for (const c of el.children) {
      if (layout || !isElement(c)) continue;
      const n = c.name.toLowerCase();
      if (n === 'table' && depth > 0) {
        layout = true;
        return;
      }
      if ((n === 'td' || n === 'th') && textLength(c) > 300) {
        layout = true;
        return;
      }
      visit(c, depth + 1);
    }
  };
  visit(table, 0);
  return layout;
}

function textLength(el: AnyNode): number {
  if (el.type === 'text') return (el as unknown as { data: string }).data.replace(/\s+/g, '').length;
  if (!isElement(el)) return 0;
  return el.children.reduce((n, c) => n + textLength(c), 0);
}

/** Text of one table cell: every line break and span inside it joined, CJK without spaces. */
function cellText(el: Element): string {
  const r = new Renderer(false);
  for (const c of el.children) r.walk(c);
  r.flush();
  return r.lines
    .map((l) => l.replace(/\t/g, ' '))
    .reduce((acc, l) => (!acc ? l : HAN.test(acc.slice(-1)) || HAN.test(l[0]) ? acc + l : `${acc} ${l}`), '')
    .trim();
}

function directRows(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (el: Element) => {
    for (const c of el.children) {
      if (!isElement(c)) continue;
      const n = c.name.toLowerCase();
      if (n === 'tr') rows.push(c);
      else if (n === 'thead' || n === 'tbody' || n === 'tfoot') visit(c);
    }
  };
  visit(table);
  return rows;
}

function span(el: Element, attr: string): number {
  const v = parseInt(el.attribs?.[attr] ?? '1', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 200) : 1;
}

type Slot = { origin: [number, number]; text: string };

/**
 * Table → tab rows on the expanded grid. A cell's text appears once, at its top-left slot; slots a colspan
 * covers are omitted; a slot a rowspan carries down is an empty field (positions survive, text is not
 * repeated); a missing or blank cell is an empty field.
 */
export function renderTable(table: Element): string[] {
  const grid: Slot[][] = [];
  const rows = directRows(table);
  rows.forEach((tr, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const td of tr.children) {
      if (!isElement(td) || !['td', 'th'].includes(td.name.toLowerCase())) continue;
      while (grid[r][c]) c++;
      const rs = span(td, 'rowspan');
      const cs = span(td, 'colspan');
      const slot: Slot = { origin: [r, c], text: cellText(td) };
      for (let dr = 0; dr < rs; dr++) {
        if (r + dr >= rows.length) break;
        grid[r + dr] ??= [];
        for (let dc = 0; dc < cs; dc++) grid[r + dr][c + dc] = slot;
      }
      c += cs;
    }
  });
  const out: string[] = [];
  grid.forEach((row, r) => {
    const fields: string[] = [];
    for (let c = 0; c < row.length; c++) {
      const s = row[c];
      if (!s) {
        fields.push('');
        continue;
      }
      const [or, oc] = s.origin;
      if (oc !== c) continue; // inside a colspan
      fields.push(or === r ? s.text : '');
    }
    if (fields.some((f) => f !== '')) out.push(fields.join('\t'));
  });
  return out;
}

function attachmentsOf($: cheerio.CheerioAPI, url?: string): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  $('a[href]').each((_, a) => {
    const href = ($(a).attr('href') ?? '').trim();
    if (!/\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z)(?:[?#]|$)|downfile|download\.jsp|attach/i.test(href)) return;
    if (/^(javascript|mailto):/i.test(href)) return;
    let abs = href;
    try {
      abs = url ? new URL(href, url).toString() : href;
    } catch {
      /* keep as written */
    }
    if (seen.has(abs)) return;
    seen.add(abs);
    out.push({ url: abs, text: squeeze($(a).text()).trim() });
  });
  return out;
}

type Simple = { tag?: string; id?: string; cls?: string };
// The selectors used here are all of one simple kind (tag, #id or .class): matched in one walk over the
// page instead of one cheerio query per selector (each a walk of its own; they were a sixth of a re-parse).
const simple = (sel: string): Simple => (sel[0] === '#' ? { id: sel.slice(1) } : sel[0] === '.' ? { cls: sel.slice(1) } : { tag: sel });
const CONTENT_MATCHERS = CONTENT_SELECTORS.map(simple);
const HEADING_MATCHERS = ['h1', 'h2', '.article-title', '.title', '#title', 'ucaptitle'].map(simple);

function matches(el: Element, m: Simple): boolean {
  if (m.tag) return el.name === m.tag;
  if (m.id) return el.attribs.id === m.id;
  const cls = el.attribs.class;
  return !!cls && cls.split(/\s+/).includes(m.cls!);
}

/** What the page walk collects: elements of each content selector and heading candidates, in document order. */
type PageIndex = { content: Element[][]; headings: Element[]; meta: Map<string, string> };

function indexPage(root: AnyNode): PageIndex {
  const index: PageIndex = { content: CONTENT_MATCHERS.map(() => []), headings: [], meta: new Map() };
  // An explicit stack: pages nested deeper than the call stack reach this walk too (html-guard caps depth).
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      const el = node as Element;
      // Like the cheerio queries this replaces: a <script> or <style> is never the content container.
      if (node.type === 'tag') {
        CONTENT_MATCHERS.forEach((m, i) => {
          if (matches(el, m)) index.content[i].push(el);
        });
      }
      if (HEADING_MATCHERS.some((m) => matches(el, m))) index.headings.push(el);
      if (el.name === 'meta' && el.attribs.name && el.attribs.content !== undefined) {
        const name = el.attribs.name.toLowerCase();
        if (!index.meta.has(name)) index.meta.set(name, el.attribs.content);
      }
    }
    const children = (node as { children?: AnyNode[] }).children;
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return index;
}

function contentRoot($: cheerio.CheerioAPI, index: PageIndex): Element | null {
  for (const found of index.content) {
    const texts = new Map<Element, number>();
    for (const el of found) {
      const text = $(el).text();
      if (text.replace(/\s/g, '').length >= 200) texts.set(el, text.length);
    }
    if (texts.size) return [...texts].sort((a, b) => b[1] - a[1])[0][0];
  }
  return null;
}

const isInside = (el: AnyNode, root: Element): boolean => {
  for (let p: AnyNode | null = el; p; p = p.parent) if (p === root) return true;
  return false;
};

/** The heading shown above a content container (h1/h2 or a *title* element), if the container lacks one. */
function headingBefore($: cheerio.CheerioAPI, root: Element, index: PageIndex): string | undefined {
  let best: string | undefined;
  for (const el of index.headings) {
    if (el !== root && isInside(el, root)) continue;
    const t = squeeze($(el).text()).trim();
    if (/年度?报告|年报/.test(t) && t.length <= 80) best ??= t;
  }
  return best;
}

/** HTML page or fragment → body text (one paragraph per line, tables as tab rows), page metadata, attachments. */
export function htmlToBody(html: string, url?: string): HtmlBody {
  const $ = cheerio.load(html);
  const meta: PageMeta = {};
  const index = indexPage($.root()[0] as unknown as AnyNode);
  const metaContent = (name: string) => index.meta.get(name.toLowerCase())?.trim() || undefined;
  meta.title = metaContent('ArticleTitle');
  const pub = metaContent('PubDate');
  if (pub) meta.publishedAt = pickDate(pub);
  meta.publisher = metaContent('ContentSource');
  meta.siteIdCode = metaContent('SiteIDCode');
  meta.columnName = metaContent('ColumnName');
  const attachments = attachmentsOf($, url);

  // Everything outside the body too: info tables and 发布日期 lines often sit outside the content container.
  const whole = new Renderer(true);
  whole.walk($.root()[0] as unknown as AnyNode);
  whole.flush();
  metaFromLines(whole.lines, meta);

  const root = contentRoot($, index);
  let lines: string[];
  if (root) {
    const r = new Renderer(false);
    r.walk(root);
    r.flush();
    lines = r.lines;
    const heading = headingBefore($, root, index);
    if (heading && !lines.slice(0, 5).some((l) => l.replace(/\s/g, '').includes(heading.replace(/\s/g, '')))) lines.unshift(heading);
    meta.title ??= heading;
  } else {
    lines = whole.lines;
  }
  if (!meta.title) {
    const h = $('h1').first().text().trim() || $('title').first().text().trim();
    if (h) meta.title = squeeze(h);
  }
  // Chrome lines are short and not sentences; a report sentence that says 请联系我们 stays.
  const isChromeLine = (l: string) =>
    CHROME_LINE.test(l) && !l.includes('\t') && l.length <= 120 && (!/。/.test(l) || /网站标识码|ICP备|公网安备|公安备案/.test(l));
  const body = lines.filter((l) => !isChromeLine(l)).join('\n');
  return { body, pageMeta: meta, attachments };
}
