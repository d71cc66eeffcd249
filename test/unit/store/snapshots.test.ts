import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../../src/store/index.ts';
import { SITE, count, freshArchive } from './helpers.ts';

describe('snapshots and fetches', () => {
  it('stores identical bytes once (gzip) while keeping every fetch', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const run = a.startCrawlRun({ sites: ['yongxiu'] });
    const body = Buffer.from('<html><title>永修县2020年政府信息公开工作年度报告</title></html>'.repeat(50));
    const first = a.putSnapshot({
      requestedUrl: 'http://www.yongxiu.gov.cn/a.html',
      finalUrl: 'http://www.yongxiu.gov.cn/a.html',
      status: 200,
      body,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      siteId: 'yongxiu',
      crawlRunId: run,
      headers: { 'content-type': 'text/html' },
    });
    const again = a.putSnapshot({
      requestedUrl: 'https://yongxiu.gov.cn/a.html',
      finalUrl: 'https://yongxiu.gov.cn/a.html',
      status: 200,
      body,
      fetchedAt: '2026-01-02T00:00:00.000Z',
      siteId: 'yongxiu',
      crawlRunId: run,
    });
    expect(first.isNewBody).toBe(true);
    expect(again.isNewBody).toBe(false);
    expect(again.sha256).toBe(first.sha256);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(again.fetchId).not.toBe(first.fetchId);
    expect(count(a, 'snapshots')).toBe(1);
    expect(count(a, 'fetches')).toBe(2);
    expect(a.getSnapshotBody(first.sha256!)!.equals(body)).toBe(true);
    const row = a.db.prepare('SELECT body, size, stored_size FROM snapshots').get() as { body: Buffer; size: number; stored_size: number };
    expect(row.body.subarray(0, 2).toString('hex')).toBe('1f8b'); // gzip magic
    expect(row.size).toBe(body.length);
    expect(row.stored_size).toBeLessThan(body.length);
    expect(a.stats()).toMatchObject({ snapshots: 1, fetches: 2, snapshotBytes: body.length });
  });

  it('a replayed fetch (same URL, time and run: a retried job) adds nothing', () => {
    const a = freshArchive();
    const input = { requestedUrl: 'http://x.gov.cn/a', status: 200, body: Buffer.from('a'), fetchedAt: '2026-01-01T00:00:00.000Z' };
    const one = a.putSnapshot(input);
    const two = a.putSnapshot(input);
    expect(two).toEqual({ ...one, isNewBody: false, isNewFetch: false });
    expect(count(a, 'fetches')).toBe(1);
  });

  it('records bodiless errors with no snapshot', () => {
    const a = freshArchive();
    const r = a.putSnapshot({ requestedUrl: 'http://dead.gov.cn/', status: null, body: null, error: 'ECONNREFUSED' });
    expect(r.sha256).toBeNull();
    expect(r.isNewBody).toBe(false);
    expect(a.db.prepare('SELECT sha256, error FROM fetches WHERE id = ?').get(r.fetchId)).toEqual({ sha256: null, error: 'ECONNREFUSED' });
    expect(a.getSnapshotBody('0'.repeat(64))).toBeNull();
  });

  it('names a missing site in a constraint error instead of storing an orphan fetch', () => {
    const a = freshArchive();
    expect(() => a.putSnapshot({ requestedUrl: 'http://x.gov.cn/', body: Buffer.from('x'), siteId: 'nowhere' })).toThrow(ArchiveError);
    expect(count(a, 'fetches')).toBe(0);
    expect(count(a, 'snapshots')).toBe(0); // the whole put rolled back
  });
});

describe('urls', () => {
  it('records requested and final URL of a redirect when a kind is given', () => {
    const a = freshArchive();
    const r = a.putSnapshot({
      requestedUrl: 'http://x.gov.cn/module/download/downfile.jsp?filename=a.pdf',
      finalUrl: 'http://x.gov.cn/attach/0/a.pdf',
      status: 200,
      body: Buffer.from('%PDF'),
      kind: 'attachment',
      discoveredFrom: 'http://x.gov.cn/art/1.html',
      linkText: '年报.pdf',
      fetchedAt: '2026-01-01T00:00:00.000Z',
    });
    const rows = a.db.prepare('SELECT url, kind, last_snapshot_sha, discovered_from, link_text FROM urls ORDER BY url').all();
    expect(rows).toEqual([
      {
        url: 'http://x.gov.cn/attach/0/a.pdf',
        kind: 'attachment',
        last_snapshot_sha: r.sha256,
        discovered_from: 'http://x.gov.cn/art/1.html',
        link_text: '年报.pdf',
      },
      {
        url: 'http://x.gov.cn/module/download/downfile.jsp?filename=a.pdf',
        kind: 'attachment',
        last_snapshot_sha: r.sha256,
        discovered_from: 'http://x.gov.cn/art/1.html',
        link_text: '年报.pdf',
      },
    ]);
  });

  it('keeps first sighting, tracks the last, and never demotes a report to a plain page', () => {
    const a = freshArchive();
    a.recordUrl({
      url: 'http://x.gov.cn/r.html',
      kind: 'report',
      status: 200,
      seenAt: '2026-01-01T00:00:00.000Z',
      discoveredFrom: 'http://x.gov.cn/list.html',
      linkText: '2020年报',
    });
    a.recordUrl({
      url: 'http://x.gov.cn/r.html',
      kind: 'page',
      seenAt: '2026-02-01T00:00:00.000Z',
      discoveredFrom: 'http://x.gov.cn/other.html',
      linkText: 'other',
    });
    a.recordUrl({ url: 'http://x.gov.cn/r.html', kind: 'page', seenAt: '2026-02-01T00:00:00.000Z' });
    expect(count(a, 'urls')).toBe(1);
    expect(a.db.prepare('SELECT kind, first_seen, last_seen, last_status, discovered_from, link_text, url_key FROM urls').get()).toEqual({
      kind: 'report',
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-02-01T00:00:00.000Z',
      last_status: 200,
      discovered_from: 'http://x.gov.cn/list.html',
      link_text: '2020年报',
      url_key: 'x.gov.cn/r.html',
    });
  });
});

describe('sites, crawl runs, errors', () => {
  it('upsertSite is idempotent and follows config changes', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    a.upsertSite(SITE);
    a.upsertSite({ ...SITE, home: 'https://www.yongxiu.gov.cn/', allowHosts: ['xxgk.yongxiu.gov.cn'] });
    const rows = a.db.prepare('SELECT id, home, config FROM sites').all() as { id: string; home: string; config: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0].home).toBe('https://www.yongxiu.gov.cn/');
    expect(JSON.parse(rows[0].config).allowHosts).toEqual(['xxgk.yongxiu.gov.cn']);
  });

  it('crawl runs start running and finish with status and stats', () => {
    const a = freshArchive();
    const id = a.startCrawlRun({ sites: ['yongxiu'], maxPages: 10 });
    expect(a.db.prepare('SELECT status, finished_at FROM crawl_runs WHERE id = ?').get(id)).toEqual({
      status: 'running',
      finished_at: null,
    });
    a.finishCrawlRun(id, 'ok', { pages: 3 });
    const row = a.db.prepare('SELECT status, stats, args FROM crawl_runs WHERE id = ?').get(id) as Record<string, string>;
    expect(row.status).toBe('ok');
    expect(JSON.parse(row.stats)).toEqual({ pages: 3 });
    expect(JSON.parse(row.args)).toEqual({ sites: ['yongxiu'], maxPages: 10 });
    expect(() => a.finishCrawlRun(id + 100, 'failed')).toThrow(/no crawl run/);
  });

  it('the same error twice is one row with two occurrences', () => {
    const a = freshArchive();
    const run = a.startCrawlRun();
    const e = { stage: 'fetch' as const, code: 'timeout', message: 'no answer in 30 s', url: 'http://x.gov.cn/', crawlRunId: run };
    const id = a.recordError({ ...e, at: '2026-01-01T00:00:00.000Z' });
    expect(a.recordError({ ...e, at: '2026-01-01T00:01:00.000Z' })).toBe(id);
    a.recordError({ ...e, code: 'http_500', message: 'server error' });
    expect(a.db.prepare('SELECT occurrences, at, last_at FROM errors WHERE id = ?').get(id)).toEqual({
      occurrences: 2,
      at: '2026-01-01T00:00:00.000Z',
      last_at: '2026-01-01T00:01:00.000Z',
    });
    expect(count(a, 'errors')).toBe(2);
    expect(a.db.prepare('SELECT errors FROM v_crawl_summary').get()).toEqual({ errors: 3 });
  });
});

describe('transaction', () => {
  it('commits a batch together, or nothing when it throws', () => {
    const a = freshArchive();
    a.transaction((t) => {
      t.putSnapshot({ requestedUrl: 'http://x.gov.cn/1', body: Buffer.from('1') });
      t.putSnapshot({ requestedUrl: 'http://x.gov.cn/2', body: Buffer.from('2') });
    });
    expect(() =>
      a.transaction((t) => {
        t.putSnapshot({ requestedUrl: 'http://x.gov.cn/3', body: Buffer.from('3') });
        throw new Error('worker died mid-batch');
      }),
    ).toThrow('worker died');
    expect([count(a, 'snapshots'), count(a, 'fetches')]).toEqual([2, 2]);
  });
});
