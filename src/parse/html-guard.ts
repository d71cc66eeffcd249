// Hostile HTML in bounded stack and memory. The DOM route (parse5 → cheerio → htmlToBody) walks trees
// recursively and costs ~90 bytes of memory per byte of page, so before it runs:
// - nesting deeper than MAX_DEPTH is flattened (the excess tags are dropped, their text kept) by an
//   iterative scan, so no reader recurses past it;
// - a page over MAX_DOM_CHARS first loses what never holds report text (scripts, styles, comments,
//   inline data, attributes the body reader ignores); if still over, it is read without a DOM by an
//   iterative tag scanner that keeps paragraphs as lines and table cells as tabs;
// - body text over MAX_BODY_CHARS is cut (a real report is well under 100 000 characters).
// Every such step leaves a warning; none throws.
import { htmlToBody, type HtmlBody } from './html-to-body.ts';

export const HTML_LIMITS = {
  maxDepth: 256,
  maxDomChars: 4_000_000,
  maxBodyChars: 1_000_000,
};
export type HtmlLimits = typeof HTML_LIMITS;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'frame',
  'keygen',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
// An open tag of these closes the open elements whose group it lists, as the HTML parser does (a <tr>
// ends the open cell and row, a <p> the open paragraph …).
const GROUP: Record<string, string> = { p: 'p', li: 'li', dt: 'd', dd: 'd', option: 'option', tr: 'tr', td: 'cell', th: 'cell' };
const CLOSES: Record<string, Set<string>> = {
  p: new Set(['p']),
  li: new Set(['li']),
  dt: new Set(['d']),
  dd: new Set(['d']),
  option: new Set(['option']),
  tr: new Set(['cell', 'tr']),
  td: new Set(['cell']),
  th: new Set(['cell']),
};

const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

type Open = { name: string; kept: boolean };

/** The approximate open-element stack; `kept` counts the entries whose tags stay in the output. */
class OpenStack {
  readonly items: Open[] = [];
  kept = 0;
  get depth(): number {
    return this.items.length;
  }
  /** Opens `name`, closing an open sibling it implies the end of (p, li, td, tr …). */
  push(name: string, kept: boolean): void {
    const closes = CLOSES[name];
    if (closes) {
      let at = this.items.length;
      while (at > 0 && closes.has(GROUP[this.items[at - 1].name])) at--;
      if (at < this.items.length) this.cut(at);
    }
    this.items.push({ name, kept });
    if (kept) this.kept++;
  }
  /** Closes up to the nearest open `name` (within the top 64 entries); returns it, or null for a stray close. */
  pop(name: string): Open | null {
    for (let i = this.items.length - 1; i >= Math.max(0, this.items.length - 64); i--) {
      if (this.items[i].name === name) {
        const hit = this.items[i];
        this.cut(i);
        return hit;
      }
    }
    return null;
  }
  private cut(at: number): void {
    for (let i = at; i < this.items.length; i++) if (this.items[i].kept) this.kept--;
    this.items.length = at;
  }
}

function skipRawText(html: string, name: string, from: number): number {
  const re = new RegExp(`</${name}`, 'gi');
  re.lastIndex = from;
  const m = re.exec(html);
  return m ? m.index : html.length;
}

/**
 * One iterative pass over the tags, tracking an approximate open-element stack (implied closes of
 * p/li/td/tr…, void and self-closed tags). Raw-text elements (script, style …) are skipped whole.
 */
function scanTags(html: string, onTag: (start: number, end: number, name: string, closing: boolean, stack: OpenStack) => void): void {
  const stack = new OpenStack();
  const tag = new RegExp(TAG.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = tag.exec(html)) !== null) {
    if (!m[2]) continue; // comment
    const name = m[2].toLowerCase();
    const closing = m[1] === '/';
    const end = tag.lastIndex;
    onTag(m.index, end, name, closing, stack);
    if (!closing && RAW_TEXT.has(name)) tag.lastIndex = skipRawText(html, name, end);
  }
}

const opens = (html: string, end: number, name: string) => !VOID.has(name) && html[end - 2] !== '/';

/** Deepest (approximate) element nesting of the page. Linear, no recursion. */
export function htmlDepth(html: string): number {
  let max = 0;
  scanTags(html, (_start, end, name, closing, stack) => {
    if (closing) {
      stack.pop(name);
      return;
    }
    if (!opens(html, end, name)) return;
    stack.push(name, true);
    if (stack.depth > max) max = stack.depth;
  });
  return max;
}

/** Drops every tag nested deeper than `maxDepth` (and its closing tag); the text inside is kept. */
export function capHtmlDepth(html: string, maxDepth: number): { html: string; dropped: number } {
  const out: string[] = [];
  let last = 0;
  let dropped = 0;
  const drop = (start: number, end: number) => {
    out.push(html.slice(last, start));
    last = end;
    dropped++;
  };
  scanTags(html, (start, end, name, closing, stack) => {
    if (closing) {
      const hit = stack.pop(name);
      if (hit && !hit.kept) drop(start, end);
      return;
    }
    if (!opens(html, end, name)) return;
    const keep = stack.kept < maxDepth;
    stack.push(name, keep);
    if (!keep) drop(start, end);
  });
  out.push(html.slice(last));
  return { html: out.join(''), dropped };
}

const KEEP_ATTR = /^(href|src|colspan|rowspan|content|name|http-equiv|charset|property|class|id|title|datetime)$/i;

/** Removes what never holds report text; keeps the tags and the attributes htmlToBody reads. */
export function slimHtml(html: string): string {
  return html
    .replace(/<(script|style|svg|noscript|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<([a-zA-Z][a-zA-Z0-9:-]*)(\s(?:[^>"']|"[^"]*"|'[^']*')*)>/g, (_, tag: string, attrs: string) => {
      const kept: string[] = [];
      for (const a of attrs.matchAll(/([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
        if (!KEEP_ATTR.test(a[1])) continue;
        const v = a[2] ?? '';
        if (v.length > 2048 || /^["']?\s*data:/i.test(v)) continue;
        kept.push(v ? `${a[1]}=${v}` : a[1]);
      }
      return kept.length ? `<${tag} ${kept.join(' ')}>` : `<${tag}>`;
    });
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  ensp: ' ',
  emsp: ' ',
  middot: '·',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  hellip: '…',
};
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (all, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'pre',
  'blockquote',
  'center',
  'hr',
  'tbody',
  'thead',
  'form',
  'header',
  'footer',
  'main',
]);

/**
 * Body text without a DOM: paragraphs and block elements become lines, table cells tab-separated fields.
 * Iterative and linear in the page; used when a page is too big for the DOM route.
 */
export function flattenHtml(html: string, maxChars = Infinity): string {
  const lines: string[] = [];
  let total = 0;
  let line = '';
  let inRow = false;
  let cellOpen = false;
  const text = (s: string) => {
    line += decodeEntities(s.replace(/\s+/g, ' '));
  };
  const endLine = () => {
    const t = line
      .replace(/ +/g, ' ')
      .replace(/ *\t */g, '\t')
      .trim();
    if (t.replace(/\t/g, '')) {
      lines.push(t);
      total += t.length + 1;
    }
    line = '';
  };
  let last = 0;
  scanTags(html, (start, end, name, closing) => {
    if (total > maxChars) return; // enough body: the rest would only be cut
    text(html.slice(last, start));
    last = end;
    if (RAW_TEXT.has(name) && !closing) {
      last = skipRawText(html, name, end);
      return;
    }
    if (name === 'td' || name === 'th') {
      if (!closing) {
        if (cellOpen || (inRow && line)) line += '\t';
        cellOpen = true;
      }
      return;
    }
    if (name === 'tr') {
      endLine();
      inRow = !closing;
      cellOpen = false;
      return;
    }
    if (BLOCK.has(name) && !inRow) endLine();
  });
  if (total <= maxChars) {
    text(html.slice(last));
    endLine();
  }
  return lines.join('\n');
}

export type GuardedHtmlBody = HtmlBody & { warnings: string[] };

/** htmlToBody within the limits above; never throws for size or depth. */
export function guardedHtmlToBody(html: string, url?: string, limits: HtmlLimits = HTML_LIMITS): GuardedHtmlBody {
  const warnings: string[] = [];
  let page = html;
  // Slimming rescues a page bloated by scripts or inline images; one several times over the limit is read
  // flat anyway, and copying it three times over would only cost memory.
  if (page.length > limits.maxDomChars && page.length <= 4 * limits.maxDomChars) {
    page = slimHtml(page);
    warnings.push(
      `page_slimmed: ${html.length} characters of HTML; scripts, styles, comments and unread attributes removed before reading (${page.length} left)`,
    );
  }
  let result: HtmlBody;
  if (page.length > limits.maxDomChars) {
    warnings.push(
      `too_large: ${page.length} characters of HTML is over the ${limits.maxDomChars} the page reader builds a tree for; read as flat text (page metadata and attachments not read)`,
    );
    result = { body: flattenHtml(page, limits.maxBodyChars), pageMeta: {}, attachments: [] };
  } else {
    const depth = htmlDepth(page);
    if (depth > limits.maxDepth) {
      const capped = capHtmlDepth(page, limits.maxDepth);
      warnings.push(
        `too_deep: elements nested ${depth} deep; ${capped.dropped} tags below depth ${limits.maxDepth} were flattened (their text kept)`,
      );
      page = capped.html;
    }
    try {
      result = htmlToBody(page, url);
    } catch (e) {
      // The depth estimate is approximate (misnested markup); a reader that still overflows gets the flat route.
      if (!(e instanceof RangeError)) throw e;
      warnings.push(`too_deep: the page reader overflowed (${e.message}); read as flat text`);
      result = { body: flattenHtml(page), pageMeta: {}, attachments: [] };
    }
  }
  if (result.body.length > limits.maxBodyChars) {
    warnings.push(`too_large: body text of ${result.body.length} characters cut at ${limits.maxBodyChars}`);
    result = { ...result, body: result.body.slice(0, result.body.lastIndexOf('\n', limits.maxBodyChars) + 1 || limits.maxBodyChars) };
  }
  return { ...result, warnings };
}
