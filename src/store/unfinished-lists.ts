import type Database from 'better-sqlite3';

// Lists a crawl left unread (a render that timed out on a busy machine, a list API that kept failing) are
// `errors` rows with stage 'crawl' and code 'list_unfinished', url = the list. No table of their own:
// a list is still unfinished while the latest such row about it is at least as recent as the latest fetch
// of the list recorded in `urls.last_seen`. A later run that reads the list fetches it again and records no
// new row, so the fetch is newer and the list drops out; a later run that fails again records a new row
// after its fetch, so the list stays. A run that never reached the list (killed first) leaves it in.

export const LIST_UNFINISHED = 'list_unfinished';

export type UnfinishedList = { url: string; siteId: string; at: string; message: string; crawlRunId: number | null };

/** Lists of a site still unread, oldest first; `siteId` null: every site. */
export function unfinishedLists(db: Database.Database, siteId: string | null = null): UnfinishedList[] {
  const rows = db
    .prepare(
      `SELECT e.url AS url, e.site_id AS siteId, max(e.last_at) AS at, e.message AS message, e.crawl_run_id AS crawlRunId
       FROM errors e
       WHERE e.stage = 'crawl' AND e.code = ? AND e.url IS NOT NULL AND (? IS NULL OR e.site_id = ?)
       GROUP BY e.site_id, e.url`,
    )
    .all(LIST_UNFINISHED, siteId, siteId) as UnfinishedList[];
  const lastSeen = db.prepare('SELECT last_seen FROM urls WHERE url = ?');
  return rows
    .filter((r) => {
      const seen = (lastSeen.get(r.url) as { last_seen: string } | undefined)?.last_seen;
      return !seen || r.at >= seen;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** Per site (of those given), the URLs of its lists still unfinished: what the next crawl of it seeds first. */
export function resumeListsOf(db: Database.Database, sites: { id: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of sites) {
    const urls = unfinishedLists(db, s.id).map((l) => l.url);
    if (urls.length) out[s.id] = urls;
  }
  return out;
}
