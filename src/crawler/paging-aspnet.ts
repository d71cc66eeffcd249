import * as cheerio from 'cheerio';
import { decodeHtml } from './decode.ts';
import { extractPage } from './extract.ts';
import type { FrontierItem } from './frontier.ts';
import type { PagingHost } from './paging-hanweb.ts';

// List paging, ASP.NET WebForms (docs/site-families.md §2 F): a GET shows page 1; the pager's links are
// `javascript:__doPostBack('<control>','<N>')`, so page N is a POST of the page's form with its hidden
// fields (__VIEWSTATE, __EVENTVALIDATION, …) replayed and __EVENTTARGET/__EVENTARGUMENT set. Each answer
// carries the state for the next postback, so pages are walked in order, one state after another.

const POSTBACK = /__doPostBack\(\s*['"]([^'"]+)['"]\s*,\s*['"](\d{1,4})['"]\s*\)/g;
const MAX_PAGES = 200;

export interface PostbackForm {
  action: string;
  fields: Record<string, string>;
  /** Pager control → page numbers its links name. */
  pager: { target: string; pages: number[] } | null;
  /** "共N页" / "第i/N页" */
  pageCount: number | null;
}

/** The postback form of a WebForms page, or null when the page has none. */
export function parsePostbackForm(html: string, pageUrl: string): PostbackForm | null {
  if (!/__VIEWSTATE/.test(html) || !/__doPostBack/.test(html)) return null;
  const $ = cheerio.load(html);
  const form = $('form')
    .filter((_, f) => $(f).find('input[name="__VIEWSTATE"]').length > 0)
    .first();
  if (!form.length) return null;
  const fields: Record<string, string> = {};
  form.find('input[type="hidden"]').each((_, el) => {
    const name = $(el).attr('name');
    if (name) fields[name] = $(el).attr('value') ?? '';
  });
  let action: string;
  try {
    action = new URL(form.attr('action') || pageUrl, pageUrl).href;
  } catch {
    return null;
  }
  const byTarget = new Map<string, Set<number>>();
  for (const m of html.matchAll(POSTBACK)) {
    const set = byTarget.get(m[1]) ?? new Set<number>();
    set.add(Number(m[2]));
    byTarget.set(m[1], set);
  }
  // The pager is the control whose postbacks carry the most page numbers.
  let pager: PostbackForm['pager'] = null;
  for (const [target, pages] of byTarget) {
    if (!pager || pages.size > pager.pages.length) pager = { target, pages: [...pages].sort((a, b) => a - b) };
  }
  const count = /共\s*(\d{1,4})\s*页|第\s*\d+\s*\/\s*(\d{1,4})\s*页/.exec($('body').text());
  return { action, fields, pager, pageCount: count ? Number(count[1] ?? count[2]) : null };
}

/** Posts back pages 2…N of a WebForms list; returns how many links it queued. */
export async function pageAspnet(host: PagingHost, item: FrontierItem, pageUrl: string, html: string, context: number): Promise<number> {
  let form = parsePostbackForm(html, pageUrl);
  if (!form?.pager) return 0;
  const target = form.pager.target;
  const last = () => Math.min(MAX_PAGES, Math.max(form!.pageCount ?? 0, ...(form!.pager?.pages ?? [])));
  let added = 0;
  for (let n = 2; n <= last(); n++) {
    if (!host.spendBudget()) break;
    const fields = { ...form.fields, __EVENTTARGET: target, __EVENTARGUMENT: String(n) };
    const fr = await host.fetchUrl({ url: form.action, method: 'POST', form: fields, headers: { referer: pageUrl } }, 'list', {
      discoveredFrom: pageUrl,
      linkText: `postback ${n}`,
    });
    if (fr?.res.status !== 200 || !fr.res.body) break;
    const text = decodeHtml(fr.res.body, fr.res.headers['content-type']).text;
    const info = extractPage(text, fr.finalUrl);
    for (const l of info.links) {
      if (host.enqueueLink(item, pageUrl, l, context, true, false) !== null) added++;
    }
    const next = parsePostbackForm(text, pageUrl);
    if (!next) break;
    form = { ...next, pager: next.pager ?? form.pager, pageCount: next.pageCount ?? form.pageCount };
  }
  return added;
}
