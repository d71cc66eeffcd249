// When a URL fetched before is fetched again. Pure: the archive supplies what it knows (the last fetch),
// the caller the clock and the policy. Issue 10: nightly crawls of 2,850 counties must not download every
// page and PDF again when nothing changed.

export type RecrawlPolicy = {
  /**
   * Report pages and attachments fetched less than this many days ago are not requested at all (they
   * rarely change once published). 0: always asked again, conditionally (a 304 costs a few hundred bytes).
   */
  reportIntervalDays: number;
  /** Every this many days a crawl walks every list page to its end, whatever earlier pages showed. */
  fullWalkEveryDays: number;
  /** This crawl refetches everything unconditionally (`--full`). */
  full: boolean;
};

export const DEFAULT_RECRAWL_POLICY: RecrawlPolicy = { reportIntervalDays: 0, fullWalkEveryDays: 7, full: false };

export type RecrawlDecision =
  /** Never fetched (or only failures): an ordinary request. */
  | { action: 'fetch' }
  /** Ask again with If-None-Match / If-Modified-Since; a 304 confirms `sha256`. */
  | { action: 'revalidate'; sha256: string; etag: string | null; lastModified: string | null }
  /** Fetched recently enough: use the archived bytes, send nothing. */
  | { action: 'reuse'; sha256: string };

export type KnownFetch = { fetchedAt: string; sha256: string; etag: string | null; lastModified: string | null };

const DAY_MS = 24 * 3600 * 1000;

export function recrawlDecision(
  kind: 'report' | 'attachment' | 'list' | 'page' | 'other',
  last: KnownFetch | null,
  now: Date,
  policy: RecrawlPolicy = DEFAULT_RECRAWL_POLICY,
): RecrawlDecision {
  if (!last || policy.full) return { action: 'fetch' };
  const ageMs = now.getTime() - new Date(last.fetchedAt).getTime();
  if (
    (kind === 'report' || kind === 'attachment') &&
    policy.reportIntervalDays > 0 &&
    ageMs >= 0 &&
    ageMs < policy.reportIntervalDays * DAY_MS
  ) {
    return { action: 'reuse', sha256: last.sha256 };
  }
  if (!last.etag && !last.lastModified) return { action: 'fetch' };
  return { action: 'revalidate', sha256: last.sha256, etag: last.etag, lastModified: last.lastModified };
}

/**
 * Whether a list walk may stop after a page: on an incremental crawl, a list page that shows no link the
 * archive does not know yet means the pages after it (older entries) hold nothing new either. A full walk
 * is due every `fullWalkEveryDays` since the last one, and always with `--full`.
 */
export function listWalkMayStop(
  newLinksOnPage: number,
  lastFullWalkAt: string | null,
  now: Date,
  policy: RecrawlPolicy = DEFAULT_RECRAWL_POLICY,
): boolean {
  if (policy.full || newLinksOnPage > 0 || !lastFullWalkAt) return false;
  return now.getTime() - new Date(lastFullWalkAt).getTime() < policy.fullWalkEveryDays * DAY_MS;
}
