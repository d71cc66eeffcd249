import { classifyTitle } from './cues.ts';
import { hasReportBodyMarkers, type PageInfo } from './extract.ts';
import { isPagerText, isSameListPager } from './families.ts';
import type { RawResponse } from './fetching-http.ts';
import type { FrontierItem } from './frontier.ts';

// Page judgement (docs/site-families.md §4): what a fetched page is — a report, a list of reports, a shell a
// script fills in, a JS challenge — from its title, its body and its links. Pure functions.

export interface Judgement {
  isReport: boolean;
  title: string | null;
  /** Content links (not chrome, not 上一篇/相关) whose text is a report title. */
  reportLinks: number;
}

/** Report vs decoy vs other for the page just fetched (§4). */
export function judgePage(item: Pick<FrontierItem, 'linkText' | 'reportLink'>, info: PageInfo): Judgement {
  const contentLinks = info.links.filter((l) => !l.chrome);
  const reportLinks = contentLinks.filter((l) => !l.related && classifyTitle(l.text) === 'report').length;
  const titles = [info.title, info.htmlTitle?.split(/[-_|—–]{1,2}/)[0], item.linkText].filter((t): t is string => !!t && !!t.trim());
  if (titles.some((t) => classifyTitle(t) === 'decoy')) return { isReport: false, title: info.title, reportLinks };
  const title = titles.find((t) => classifyTitle(t) === 'report') ?? null;
  if (!title) return { isReport: false, title: info.title, reportLinks };
  const markers = hasReportBodyMarkers(info.bodyText);
  const attachments = contentLinks.filter((l) => l.attachment).length;
  // A list of reports (year column, 汇总 page) carries many report titles and no report body.
  // Without report phrases in the body, a page that links other reports is a (year/unit) column.
  const listy =
    reportLinks >= (markers ? 6 : 1) ||
    !!info.datastore ||
    /createPageHTML\s*\(/.test(info.rawScripts) ||
    /列表/.test(info.columnType ?? '');
  const isReport = !listy && (markers || attachments > 0 || info.imageCount > 0 || item.reportLink);
  return { isReport, title, reportLinks };
}

/** A list page: a datastore, a pager call, report links, or pager links to its own further pages. */
export function isListPage(judged: Judgement, info: PageInfo, html: string, url: string): boolean {
  return (
    !judged.isReport &&
    (info.datastore !== null ||
      /createPageHTML\s*\(/.test(html) ||
      judged.reportLinks >= 2 ||
      info.links.some((l) => !l.chrome && isPagerText(l.text) && isSameListPager(l.url, url)))
  );
}

/** JS cookie challenges (瑞数 412, 加速乐 521) and tiny script-only WAF stubs (§3). */
export function isChallenge(res: Pick<RawResponse, 'status' | 'body'>): boolean {
  const body = res.body?.toString('latin1') ?? '';
  if (res.status === 412 || res.status === 521) return /<script/i.test(body) || body.length < 4096;
  if (res.status === 200 && body.length > 0 && body.length < 2048 && /<script/i.test(body) && !/<a\s[^>]*href/i.test(body)) {
    return /document\.cookie|location\.(href|reload|replace)|\$_ts|setTimeout/.test(body);
  }
  return false;
}

/** Inline or external scripts that fetch data or write the DOM (a list built in the browser). */
export function buildsContent(html: string): boolean {
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
  return scripts.some((s) => {
    if (/type=["']text\/xml["']/i.test(s)) return false;
    const external = /\bsrc=["']([^"']+)["']/i.exec(s)?.[1];
    if (external)
      return !/jquery|analytics|baidu|cnzz|common\.js$|zoom|share/i.test(external) || /ewb|webbuilder|gkmlpt|list|api/i.test(external);
    return /fetch\(|XMLHttpRequest|\$\.(ajax|post|get|getJSON)\(|axios|\.innerHTML\s*=|appendChild|document\.write|location\.hash/.test(s);
  });
}

export function looksLikeBinary(b: Buffer): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

/**
 * A numbered pager drawn for scripts: page links that are `javascript:` or `#` anchors (or carry data-page)
 * with a page number ≥ 2 as their text. Following them takes a browser; ASP.NET postbacks are paged over
 * HTTP instead (paging-aspnet.ts).
 */
export function hasScriptPager(html: string): boolean {
  if (/__doPostBack\(/.test(html)) return false;
  const re = /<a\b([^>]*)>\s*(\d{1,4})\s*<\/a>/gi;
  for (let m: RegExpExecArray | null; (m = re.exec(html)); ) {
    if (Number(m[2]) < 2) continue;
    const attrs = m[1];
    if (/\bdata-page\s*=/i.test(attrs) || /\bhref\s*=\s*["']\s*(javascript:|#["'])/i.test(attrs) || !/\bhref\s*=/i.test(attrs)) return true;
  }
  return false;
}
