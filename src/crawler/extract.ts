import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { resolveHref, looksLikeAttachmentUrl } from './urls.ts';
import { parseDatastore, type Datastore } from './families.ts';
import { cueText } from './cues.ts';

export interface PageLink {
  url: string;
  text: string;
  /** `appendix="true"`, an attachment extension, or a download endpoint. */
  attachment: boolean;
  /** Inside the page's navigation chrome (header/nav/footer), not its content. */
  chrome: boolean;
  /** Came from a Hanweb inline datastore record. */
  record?: boolean;
  /** 上一篇/下一篇/相关文件 link next to an article, not an item of a list. */
  related?: boolean;
}

export interface PageInfo {
  title: string | null;
  htmlTitle: string | null;
  columnName: string | null;
  columnType: string | null;
  /** Inline script text (pager calls such as createPageHTML live there). */
  rawScripts: string;
  breadcrumb: string | null;
  links: PageLink[];
  iframes: string[];
  metaRefresh: string | null;
  datastore: Datastore | null;
  /** Visible body text length (scripts and styles removed) — small shells are built by scripts. */
  textLength: number;
  bodyText: string;
  scriptCount: number;
  imageCount: number;
}

const CHROME_SEL = 'header, nav, footer, .header, .footer, .nav, .menu, #header, #footer, #nav, .top, .bottom, .foot, .head';

const RELATED_SEL = '[class*="xgwj"], [class*="xgjd"], [class*="related"], [class*="prev"], [class*="next"]';

/** The element or one of its ancestors is in `set` (what `closest` answers). */
function withinAny(el: AnyNode, set: ReadonlySet<AnyNode>): boolean {
  if (!set.size) return false;
  for (let n: AnyNode | null = el; n; n = n.parent) if (set.has(n)) return true;
  return false;
}

export function extractPage(html: string, url: string): PageInfo {
  const $ = cheerio.load(html);
  const meta = (name: string) => $(`meta[name="${name}"]`).attr('content')?.trim() || null;
  const h1 = $('h1').first().text().trim() || null;
  const htmlTitle = $('title').first().text().trim() || null;
  const title = meta('ArticleTitle') ?? h1 ?? htmlTitle;
  const columnName = meta('ColumnName') ?? meta('columnname');
  const columnType = meta('ColumnType');
  const rawScripts = $('script:not([src])')
    .map((_, el) => $(el).html() ?? '')
    .get()
    .join('\n');
  let breadcrumb: string | null = null;
  $(
    '[class*="bread"], [class*="crumb"], [class*="position"], [class*="location"], [id*="position"], [id*="location"], [class*="dqwz"], [class*="current"]',
  ).each((_, el) => {
    const t = $(el).text().replace(/\s+/g, ' ').trim();
    if (!breadcrumb && t && t.length < 300) breadcrumb = t;
  });
  if (!breadcrumb) {
    const m = /当前位置[:：]?([^<\n]{0,200})/.exec($('body').text());
    if (m) breadcrumb = m[1].replace(/\s+/g, ' ').trim();
  }

  const links: PageLink[] = [];
  const seen = new Set<string>();
  const add = (href: string | undefined, text: string, attachment: boolean, chrome: boolean, record = false, related = false) => {
    const abs = resolveHref(href, url);
    if (!abs) return;
    const key = abs + '\u0000' + text;
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ url: abs, text, attachment: attachment || looksLikeAttachmentUrl(abs), chrome, record, related });
  };
  // closest(selector) per link parsed the selector again for every link (an eighth of a crawl's main thread):
  // the containers are found once and each link walks up its ancestors to them.
  const chromeEls = new Set($(CHROME_SEL).get());
  const relatedEls = new Set($(RELATED_SEL).get());
  $('a[href], area[href]').each((_, el) => {
    const $el = $(el);
    const text = ($el.text().replace(/\s+/g, ' ').trim() || $el.attr('title') || $el.find('img').attr('alt') || '').trim();
    // Titles truncated in lists carry the full title in the title attribute.
    const full = $el.attr('title')?.trim();
    const best = full && full.length > text.length ? full : text;
    const appendix = /^true$/i.test($el.attr('appendix') ?? '');
    const around = $el.parent().text().replace(/\s+/g, '');
    const related = /^(上一篇|下一篇|上一条|下一条|上篇|下篇|相关)/.test(around) || withinAny(el, relatedEls);
    add($el.attr('href'), best, appendix, withinAny(el, chromeEls), false, related);
  });
  const iframes: string[] = [];
  $('iframe[src], frame[src]').each((_, el) => {
    const abs = resolveHref($(el).attr('src'), url);
    if (abs) iframes.push(abs);
  });
  let metaRefresh: string | null = null;
  const refresh = $('meta[http-equiv]')
    .filter((_, el) => /refresh/i.test($(el).attr('http-equiv') ?? ''))
    .attr('content');
  if (refresh) {
    const m = /url\s*=\s*['"]?([^'"]+)/i.exec(refresh);
    if (m) metaRefresh = resolveHref(m[1], url);
  }

  // Hanweb embeds the first group of a list as XML inside a script tag; cheerio leaves it as raw text.
  let datastore: Datastore | null = null;
  $('script').each((_, el) => {
    const type = ($(el).attr('type') ?? '').toLowerCase();
    const body = $(el).html() ?? '';
    if (type === 'text/xml' || /<datastore/i.test(body)) {
      const ds = parseDatastore(body);
      if (ds) {
        if (!datastore) datastore = ds;
        else datastore.records.push(...ds.records);
      }
    }
  });
  if (datastore) {
    for (const rec of (datastore as Datastore).records) {
      const $r = cheerio.load(rec);
      $r('a[href]').each((_, el) => {
        const $a = $r(el);
        const text = $a.attr('title')?.trim() || $a.text().replace(/\s+/g, ' ').trim();
        add($a.attr('href'), text, /^true$/i.test($a.attr('appendix') ?? ''), false, true);
      });
    }
  }

  const scriptCount = $('script').length;
  const imageCount = $('body img').length;
  $('script, style, noscript, template').remove();
  const bodyText = $('body').text().replace(/\s+/g, ' ').trim();
  return {
    title,
    htmlTitle,
    columnName,
    columnType,
    rawScripts,
    breadcrumb,
    links,
    iframes,
    metaRefresh,
    datastore,
    textLength: bodyText.length,
    bodyText,
    scriptCount,
    imageCount,
  };
}

/** Phrases that only a report body carries (§4): the 条例, the standard section headings, the table labels. */
export function hasReportBodyMarkers(raw: string): boolean {
  const text = cueText(raw);
  let n = 0;
  if (/政府信息公开条例|政府資訊公開條例|政府信息公開條例/.test(text)) n++;
  if (/总体情况|總體情況|概述/.test(text)) n++;
  if (/主动公开政府信息|主動公開政府信息/.test(text)) n++;
  if (/政府信息公开申请|依申请公开|政府信息公開申請/.test(text)) n++;
  if (/行政复议|行政復議/.test(text)) n++;
  if (/存在的主要问题|存在的主要問題|改进情况/.test(text)) n++;
  if (/统计期限|統計期限/.test(text)) n++;
  return n >= 2;
}
