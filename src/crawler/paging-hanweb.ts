import { decodeHtml } from './decode.ts';
import type { PageInfo } from './extract.ts';
import { parseDatastore, parseHanwebParams } from './families.ts';
import { sleep, type RequestSpec } from './fetching-http.ts';
import type { FetchMeta, FetchResult } from './fetching.ts';
import type { FrontierItem } from './frontier.ts';
import type { LinkIn } from './enqueueing.ts';
import type { SnapshotKind } from './types.ts';
import { looksLikeAttachmentUrl, resolveHref, urlKey } from './urls.ts';

// List paging, Hanweb jpage (docs/site-families.md §2): the first group of a column is inline XML
// (`<datastore>`), the rest comes from dataproxy.jsp — POST startrecord/endrecord on most installs, GET
// `page=N` on others, at one of three proxy paths. Each call is an API snapshot; its records' links are
// judged like any list's.

export interface PagingHost {
  fetchUrl(spec: RequestSpec, kind: SnapshotKind, meta: FetchMeta): Promise<FetchResult | null>;
  /** Takes one page of the site's budget; false when it is spent. */
  spendBudget(): boolean;
  countApiRequest(): void;
  /** Records a list left unread (its list API kept failing). */
  unfinished(url: string, why: string): Promise<void>;
  /** Queues a link found on the list; the priority it was queued at, or null. */
  enqueueLink(item: FrontierItem, pageUrl: string, link: LinkIn, context: number, inArea: boolean, onReport: boolean): number | null;
}

const API_EXTRA_TRIES = 2;
const API_RETRY_MS = 2000;

/** No usable answer: nothing, or a 5xx/429 that outlived fetchUrl's retries. */
function failedHard(fr: FetchResult | null): boolean {
  return !!fr && (fr.res.status === 0 || fr.res.status >= 500 || fr.res.status === 429);
}

const PROXY_PATHS = ['/module/web/jpage/dataproxy.jsp', '/module/jpage/dataproxy.jsp', '/module/jslib/jquery/jpage/dataproxy.jsp'];

/** Pages through a Hanweb column's dataproxy; returns how many links it queued. */
export async function pageHanweb(
  host: PagingHost,
  item: FrontierItem,
  pageUrl: string,
  html: string,
  info: PageInfo,
  context: number,
): Promise<number> {
  const ds = info.datastore!;
  const params = parseHanwebParams(html, pageUrl);
  const total = ds.totalRecord ?? params.totalRecord;
  const group = params.perPage * params.groupSize;
  const have = new Set(info.links.filter((l) => l.record).map((l) => urlKey(l.url)));
  if (total !== null && ds.records.length >= total) return 0;
  const proxyPaths = params.proxyUrl ? [params.proxyUrl] : PROXY_PATHS;
  let added = 0;
  let mode: 'post' | 'get' = 'post';
  let proxyIdx = 0;
  let start = ds.records.length > 0 ? ds.records.length + 1 : 1;
  let page = Math.max(2, Math.floor(ds.records.length / params.perPage) + 1);
  let emptyRuns = 0;
  for (let call = 0; call < 300; call++) {
    if (total !== null && mode === 'post' && start > total) break;
    if (!host.spendBudget()) break;
    const base = new URL(proxyPaths[proxyIdx], pageUrl);
    let spec: RequestSpec;
    if (mode === 'post') {
      base.searchParams.set('startrecord', String(start));
      base.searchParams.set('endrecord', String(start + group - 1));
      base.searchParams.set('perpage', String(params.perPage));
      spec = { url: base.href, method: 'POST', form: params.form, headers: { referer: pageUrl, 'x-requested-with': 'XMLHttpRequest' } };
    } else {
      for (const [k, v] of Object.entries(params.form)) base.searchParams.set(k, v);
      base.searchParams.set('page', String(page));
      base.searchParams.set('perpage', String(params.perPage));
      spec = { url: base.href, headers: { referer: pageUrl, 'x-requested-with': 'XMLHttpRequest' } };
    }
    host.countApiRequest();
    let fr = await host.fetchUrl(spec, 'api', { discoveredFrom: pageUrl, linkText: null });
    // The API answered before (or this is a known proxy path) and now fails after fetchUrl's own retries:
    // a loaded host, not a missing endpoint. Two more tries after a pause, then the list is unfinished.
    for (let again = 1; again <= API_EXTRA_TRIES && failedHard(fr) && (call > 0 || params.proxyUrl); again++) {
      await sleep(API_RETRY_MS * again);
      fr = await host.fetchUrl(spec, 'api', { discoveredFrom: pageUrl, linkText: null });
    }
    if (failedHard(fr) && (have.size > ds.records.length || params.proxyUrl)) {
      const why = fr ? (fr.res.status ? `HTTP ${fr.res.status}` : (fr.res.error ?? 'no answer')) : 'refused';
      await host.unfinished(pageUrl, `list API ${spec.url} failed after retries (${why}); ${have.size} entries read`);
      break;
    }
    const text = fr && fr.res.status === 200 && fr.res.body ? decodeHtml(fr.res.body, fr.res.headers['content-type']).text : '';
    const got = text ? parseDatastore(text) : null;
    if (!got) {
      if (mode === 'post' && proxyIdx + 1 < proxyPaths.length) {
        proxyIdx++;
        continue;
      }
      if (mode === 'post') {
        mode = 'get';
        proxyIdx = 0;
        continue;
      }
      break;
    }
    let fresh = 0;
    for (const rec of got.records) {
      const re = /<a\b[^>]*href=["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi;
      for (let m: RegExpExecArray | null; (m = re.exec(rec)); ) {
        const abs = resolveHref(m[1].replace(/&amp;/g, '&'), pageUrl);
        if (!abs) continue;
        const k = urlKey(abs);
        if (have.has(k)) continue;
        have.add(k);
        fresh++;
        const titleAttr = /title=["']([^"']+)["']/i.exec(m[0])?.[1];
        const text = (titleAttr ?? m[2].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
        if (
          host.enqueueLink(
            item,
            pageUrl,
            { url: abs, text, attachment: looksLikeAttachmentUrl(abs), chrome: false },
            context,
            true,
            false,
          ) !== null
        )
          added++;
      }
    }
    if (!fresh) {
      // Servers that ignore startrecord repeat a group; running past the end repeats the last one.
      if (mode === 'get' && ++emptyRuns < 2) {
        page++;
        continue;
      }
      break;
    }
    emptyRuns = 0;
    if (mode === 'post') start += group;
    else {
      page++;
      if (got.totalPage !== null && page > got.totalPage) break;
    }
    const t = got.totalRecord ?? total;
    if (t !== null && have.size >= t) break;
  }
  return added;
}
