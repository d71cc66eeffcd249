import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/store/archive.ts';
import { resumeListsOf, unfinishedLists } from '../../../src/store/unfinished-lists.ts';

// The rule without a table of its own: a list is unfinished while its latest list_unfinished row is at
// least as recent as its latest fetch.
describe('unfinished lists', () => {
  const LIST = 'http://www.a.gov.cn.test/xxgk/nb/index.html';
  const OTHER = 'http://www.a.gov.cn.test/xxgk/other/index.html';
  const fetched = (a: Archive, url: string, at: string, run: number) =>
    a.putSnapshot({
      requestedUrl: url,
      status: 200,
      body: Buffer.from(`<html>${at}</html>`),
      fetchedAt: at,
      siteId: 'a',
      crawlRunId: run,
      kind: 'list',
    });
  const failed = (a: Archive, url: string, at: string, run: number) =>
    a.recordError({
      at,
      crawlRunId: run,
      siteId: 'a',
      url,
      stage: 'crawl',
      code: 'list_unfinished',
      message: `list ${url} left unread: x`,
    });

  it('stay unfinished until a later fetch succeeds without a new row; a repeated failure keeps them', () => {
    const a = Archive.open(':memory:');
    try {
      a.upsertSite({ id: 'a', name: 'A县', regionCode: null, home: 'http://www.a.gov.cn.test/', allowHosts: [], maxPages: 10 } as never);
      const r1 = a.startCrawlRun();
      fetched(a, LIST, '2026-01-01T00:00:01.000Z', r1);
      failed(a, LIST, '2026-01-01T00:00:05.000Z', r1);
      fetched(a, OTHER, '2026-01-01T00:00:02.000Z', r1);
      failed(a, OTHER, '2026-01-01T00:00:06.000Z', r1);
      expect(unfinishedLists(a.db, 'a').map((l) => l.url)).toEqual([LIST, OTHER]);
      expect(resumeListsOf(a.db, [{ id: 'a' }, { id: 'b' }])).toEqual({ a: [LIST, OTHER] });

      // Run 2: LIST is read (fetched, no row); OTHER is fetched and fails again.
      const r2 = a.startCrawlRun();
      fetched(a, LIST, '2026-01-02T00:00:01.000Z', r2);
      fetched(a, OTHER, '2026-01-02T00:00:02.000Z', r2);
      failed(a, OTHER, '2026-01-02T00:00:09.000Z', r2);
      expect(unfinishedLists(a.db, 'a').map((l) => l.url)).toEqual([OTHER]);
      expect(unfinishedLists(a.db, 'a')[0]!.crawlRunId).toBe(r2);

      // Run 3 never reaches OTHER (killed first): it stays unfinished.
      a.startCrawlRun();
      expect(unfinishedLists(a.db, 'a').map((l) => l.url)).toEqual([OTHER]);
      expect(unfinishedLists(a.db, 'b')).toEqual([]);
    } finally {
      a.close();
    }
  });
});
