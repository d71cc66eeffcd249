// CMS family fingerprints and list-paging helpers (docs/site-families.md §2). Pure functions over page text.

export type Family = 'hanweb' | 'trs' | 'epoint' | 'gkmlpt' | 'lonsun' | 'aspnet' | 'static' | 'unknown';

export function fingerprintFamily(html: string, url: string): Family {
  const u = url.toLowerCase();
  if (/\/gkmlpt\//.test(u) || (/gkmlpt/.test(html) && /\bSID\s*[:=]/.test(html))) return 'gkmlpt';
  if (
    /<script[^>]+type=["']text\/xml["'][^>]*>\s*<datastore/i.test(html) ||
    /dataproxy\.jsp|jpage|\/col\/col\d+\//i.test(html + u) ||
    /<meta[^>]+name=["']ContentStart/i.test(html)
  )
    return 'hanweb';
  if (/EWB-FRONT|EpointWebBuilder|webBuilderCommon\.js|categorynum=/i.test(html + u)) return 'epoint';
  if (/\/public\/column\/\d+|organ_catalog_tree|cn\.lonsun/i.test(html + u)) return 'lonsun';
  if (/createPageHTML\s*\(|TRS_Editor|TRS_UEDITOR|\/t\d{8}_\d+\.s?html?/i.test(html + u)) return 'trs';
  if (/__VIEWSTATE|\.aspx/i.test(html + u)) return 'aspnet';
  if (/<a\b/i.test(html)) return 'static';
  return 'unknown';
}

export interface PageCall {
  count: number;
  current: number;
  stem: string;
  ext: string;
}

/** `createPageHTML(countPage, currentPage, "index", "shtml")` and longer variants. */
export function parseCreatePageHTML(html: string): PageCall | null {
  // Templates often inline the function's definition before the call; only a call with values counts.
  const re = /(function\s+)?createPageHTML\s*\(([^)]*)\)/g;
  for (let m: RegExpExecArray | null; (m = re.exec(html)); ) {
    if (m[1]) continue;
    const call = parseCallArgs(m[2], html);
    if (call) return call;
  }
  return null;
}

function parseCallArgs(argText: string, html: string): PageCall | null {
  const args = argText.split(',').map((a) => a.trim());
  const nums: number[] = [];
  const strs: string[] = [];
  for (const a of args) {
    const s = /^["'](.*)["']$/.exec(a);
    if (s) strs.push(s[1]);
    else if (/^\d+$/.test(a)) nums.push(Number(a));
    else {
      // Variables (`countPage`) resolved from `var countPage = 5` in the same page.
      const v = new RegExp(`\\b${a.replace(/[^\w$]/g, '')}\\s*=\\s*(\\d+)`).exec(html);
      if (v && /^[\w$]+$/.test(a)) nums.push(Number(v[1]));
    }
  }
  if (nums.length < 2) return null;
  const extIdx = strs.findIndex((s) => /^(s?html?|jhtml|jsp|php|aspx?)$/i.test(s));
  const ext = extIdx >= 0 ? strs[extIdx] : 'html';
  const stem = extIdx > 0 ? strs[extIdx - 1] : (strs.find((s) => /^[\w-]+$/.test(s)) ?? 'index');
  return { count: nums[0], current: nums[1], stem, ext };
}

/**
 * Page URLs a createPageHTML call stands for. currentPage is 0-based on most templates (page k+1 =
 * `index_k`); a 1-based template whose first page reports current=1 numbers on from `index_2`.
 * Generating the union costs at most one 404 per column and never misses a page.
 */
export function createPageUrls(call: PageCall, pageUrl: string, cap = 500): string[] {
  const k = /_(\d+)\.\w+$/.exec(new URL(pageUrl).pathname);
  const zeroBased = k ? call.current === Number(k[1]) : call.current === 0;
  const last = Math.min(zeroBased ? call.count - 1 : call.count, cap);
  const out: string[] = [];
  for (let i = 1; i <= last; i++) out.push(new URL(`${call.stem}_${i}.${call.ext}`, pageUrl).href);
  return out;
}

export interface Datastore {
  totalRecord: number | null;
  totalPage: number | null;
  records: string[];
  nextGroup: string | null;
}

/** Hanweb `<datastore>` XML (inline `<script type="text/xml">` or a dataproxy.jsp response). */
export function parseDatastore(xml: string): Datastore | null {
  if (!/<datastore/i.test(xml) && !/<recordset/i.test(xml)) return null;
  const num = (tag: string) => {
    const m = new RegExp(`<${tag}>\\s*(\\d+)\\s*</${tag}>`, 'i').exec(xml);
    return m ? Number(m[1]) : null;
  };
  const records: string[] = [];
  const re = /<record[^>]*>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/record>/gi;
  for (let m: RegExpExecArray | null; (m = re.exec(xml)); ) records.push(m[1] ?? m[2] ?? '');
  const ng = /<nextgroup>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/nextgroup>/i.exec(xml);
  const ngHref = ng ? /href=["']([^"']+)["']/i.exec(ng[1] ?? ng[2] ?? '') : null;
  return { totalRecord: num('totalrecord'), totalPage: num('totalpage'), records, nextGroup: ngHref ? ngHref[1] : null };
}

export interface HanwebParams {
  proxyUrl: string | null;
  perPage: number;
  groupSize: number;
  totalRecord: number | null;
  form: Record<string, string>;
}

/** jpage widget settings from the column page's scripts (`columnid`, `unitid`, `webid`, …). */
export function parseHanwebParams(html: string, pageUrl: string): HanwebParams {
  const get = (key: string): string | null => {
    const m = new RegExp(`["']?\\b${key}["']?\\s*[:=]\\s*["']?([^"',}&\\s;)]*)`, 'i').exec(html);
    return m && m[1] !== '' ? m[1] : null;
  };
  const colFromUrl = /\/col\/col(\d+)\//.exec(pageUrl)?.[1] ?? null;
  const form: Record<string, string> = {
    col: get('col') ?? '1',
    appid: get('appid') ?? '1',
    webid: get('webid') ?? '1',
    path: get('path') ?? '/',
    columnid: get('columnid') ?? colFromUrl ?? '',
    sourceContentType: get('sourceContentType') ?? '1',
    unitid: get('unitid') ?? '',
    webname: decodeMaybe(get('webname') ?? ''),
    permissiontype: get('permissiontype') ?? '0',
  };
  const proxy =
    /["']?proxyUrl["']?\s*[:=]\s*["']([^"']+)["']/i.exec(html)?.[1] ??
    /["'](\/module\/[\w/]*dataproxy\.jsp)[^"']*["']/i.exec(html)?.[1] ??
    null;
  const perPage = Number(get('perPage') ?? get('perpage') ?? 15) || 15;
  const groupSize = Number(get('groupSize') ?? 3) || 3;
  const tr = get('totalRecord');
  return { proxyUrl: proxy, perPage, groupSize, totalRecord: tr && /^\d+$/.test(tr) ? Number(tr) : null, form };
}

function decodeMaybe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** "共N页", `countPage = N`, `totalPage: N` — a page count announced without page links. */
export function announcedPageCount(html: string): number | null {
  const m = /共\s*(\d+)\s*页|\b(?:countPage|totalPage|pageCount|totalPages)\s*[:=]\s*["']?(\d+)/i.exec(html);
  if (!m) return null;
  const n = Number(m[1] ?? m[2]);
  return n > 0 && n < 10000 ? n : null;
}

/** Text of links that page through a list. */
export function isPagerText(text: string): boolean {
  return /^(下一页|下页|上一页|上页|尾页|末页|首页|next|prev|»|›|>|>>|<|<<|\[?\d{1,4}\]?)$/i.test(text.replace(/\s+/g, ''));
}

/** URLs that look like page N of the same list as pageUrl (`index_2.html`, `list_3.shtml`, `?page=4`, `/5.html`). */
export function isSameListPager(candidate: string, pageUrl: string): boolean {
  try {
    const a = new URL(candidate);
    const b = new URL(pageUrl);
    if (a.host !== b.host) return false;
    const dir = (p: string) => p.replace(/[^/]*$/, '');
    if (/[?&](page|pageNo|pageNum|pageIndex|currpage|p)=\d+/i.test(a.search) && a.pathname === b.pathname) return true;
    if (dir(a.pathname) === dir(b.pathname) && /(^|\/)(index|list|default)?_?\d+\.\w+$/i.test(a.pathname.split('/').pop() ?? ''))
      return true;
    return false;
  } catch {
    return false;
  }
}
