// Continuation pages of one report page: CMSs split a long article over `…_2.html`, `…_3.html` (TRS counts from
// `_1` for the second page), `?page=2`, with a "下一页" pager or a `createPageHTML(…)` script. Only pages of the
// SAME document count: a list page's pager or a "下一篇" (next article) link points at other documents, and a
// report must never absorb them. Pure: the crawler fetches what this returns.
import * as cheerio from 'cheerio';

const PAGE_PARAM = /^(?:page|pageno|pagenum|pageindex|page_no|curpage|currpage|p|pn|pg)$/i;

type PageRef = { url: URL; n: number };

/** A path without its extension: `/a/t2021_123_2.html` → [`/a/t2021_123_2`, `.html`]. */
function splitExt(path: string): { base: string; ext: string } | null {
  const m = path.match(/^(.*\/[^/]+?)(\.[a-z]{2,6})$/i);
  return m ? { base: m[1], ext: m[2].toLowerCase() } : null;
}

/**
 * The page number of `path` as a continuation of `self` (same directory, same extension): `self_N` continues
 * `self`; when `self` is itself page M (`x_M`), `x_N` with N > M continues it. Null otherwise.
 */
function pageAfter(self: string, path: string): number | null {
  const a = splitExt(self);
  const b = splitExt(path);
  if (!a || !b || a.ext !== b.ext) return null;
  const direct = b.base.startsWith(`${a.base}_`) ? b.base.slice(a.base.length + 1) : null;
  if (direct !== null && /^\d{1,3}$/.test(direct)) return Number(direct);
  const own = a.base.match(/^(.*)_(\d{1,3})$/);
  const other = b.base.match(/^(.*)_(\d{1,3})$/);
  if (own && other && own[1] === other[1] && Number(other[2]) > Number(own[2])) return Number(other[2]);
  return null;
}

function pageParam(u: URL): { name: string; n: number } | null {
  for (const [k, v] of u.searchParams) if (PAGE_PARAM.test(k) && /^\d{1,3}$/.test(v)) return { name: k, n: Number(v) };
  return null;
}

/** Same path and the same query apart from the page parameter. */
function sameQueryBut(a: URL, b: URL, name: string): boolean {
  const strip = (u: URL) =>
    [...u.searchParams]
      .filter(([k]) => k !== name)
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('&');
  return a.pathname === b.pathname && strip(a) === strip(b);
}

/**
 * URLs of the pages that continue `pageUrl`'s document, after it, in page order (absolute, each once).
 * Recognised: links to the same file stem with a `_N` suffix, links to the same path whose only difference is a
 * page parameter with a higher number, `<link rel="next">` of either kind, and TRS `createPageHTML(n, cur, stem, ext)`.
 */
export function continuationLinks(html: string, pageUrl: string): string[] {
  let base: URL;
  try {
    base = new URL(pageUrl);
  } catch {
    return [];
  }
  const $ = cheerio.load(html);
  const baseHref = $('base[href]').attr('href');
  let resolveFrom = base;
  if (baseHref) {
    try {
      resolveFrom = new URL(baseHref, base);
    } catch {
      /* a broken <base> is ignored */
    }
  }
  const selfParam = pageParam(base);
  const found = new Map<string, PageRef>();

  const consider = (href: string | undefined) => {
    if (!href || /^(?:javascript|mailto|tel):/i.test(href.trim())) return;
    let u: URL;
    try {
      u = new URL(href.trim(), resolveFrom);
    } catch {
      return;
    }
    u.hash = '';
    if (u.host !== base.host) return;
    if (u.search === base.search) {
      const n = pageAfter(base.pathname, u.pathname);
      if (n !== null) found.set(u.href, { url: u, n });
      return;
    }
    const p = pageParam(u);
    if (!p) return;
    const current = selfParam && selfParam.name === p.name ? selfParam.n : 1;
    if (p.n > current && sameQueryBut(u, base, p.name)) found.set(u.href, { url: u, n: p.n });
  };

  $('a[href]').each((_, el) => consider($(el).attr('href')));
  $('link[rel~="next"][href]').each((_, el) => consider($(el).attr('href')));

  // TRS article pager: createPageHTML(pageCount, currentPage, "t20210120_123456", "html") writes `_1` … `_{n-1}`.
  for (const m of html.matchAll(/createPageHTML\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']/g)) {
    const count = Number(m[1]);
    for (let k = 1; k < Math.min(count, 100); k++) consider(`${m[3]}_${k}.${m[4]}`);
  }
  return [...found.values()].sort((a, b) => a.n - b.n).map((r) => r.url.href);
}
