import type { Revalidator } from '../crawler/types.ts';
import type { Archive } from '../store/archive.ts';
import { urlKey } from '../store/url-key.ts';
import { DEFAULT_RECRAWL_POLICY, recrawlDecision, type RecrawlPolicy } from '../store/recrawl-policy.ts';

// The crawler's view of the archive on a re-crawl: the validators of each URL's last fetch (conditional
// GET) and the archived bytes a 304 confirms. Only a process that owns the archive has one; crawl workers
// elsewhere fetch unconditionally.

const KINDS = new Set(['report', 'attachment', 'list', 'page']);

export function archiveRevalidator(archive: Archive, policy: Partial<RecrawlPolicy> = {}, now: () => Date = () => new Date()): Revalidator {
  const p = { ...DEFAULT_RECRAWL_POLICY, ...policy };
  return {
    decide(url) {
      if (p.full) return null;
      const last = archive.lastFetch(url);
      if (!last) return null;
      const kind = archive.urlKind(url);
      const d = recrawlDecision(kind && KINDS.has(kind) ? (kind as 'report') : 'other', last, now(), p);
      if (d.action === 'fetch') return null;
      const contentType = archive.snapshotContentType(d.sha256);
      return d.action === 'reuse' ? { action: 'reuse', sha256: d.sha256, contentType } : { ...d, contentType };
    },
    body: (sha) => archive.getSnapshotBody(sha),
  };
}

/**
 * A document whose bytes this parser already read, met at a URL: unless the URL's report source already
 * holds these bytes, the stored result is saved for it (a page corrected to bytes archived elsewhere, a
 * copy at a new address), exactly as a parse job's result would be.
 */
export function reuseParse(
  archive: Archive,
  doc: { sha256: string; url: string; siteId: string; pageUrl: string | null },
  parserVersion: string,
): void {
  const current = archive.db.prepare('SELECT snapshot_sha FROM report_sources WHERE url_key = ?').get(urlKey(doc.url)) as
    | { snapshot_sha: string }
    | undefined;
  if (current?.snapshot_sha === doc.sha256) return;
  const run = archive.getParseRun(doc.sha256, parserVersion);
  if (!run || (!run.parsed.isReport && !current)) return;
  // The parse itself is the stored one: its row keeps its own time.
  archive.saveParse({
    snapshotSha: doc.sha256,
    parserVersion,
    result: run.parsed,
    url: doc.url,
    pageUrl: doc.pageUrl,
    siteId: doc.siteId,
    parsedAt: run.parsed_at,
  });
}
