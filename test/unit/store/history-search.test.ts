import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/store/index.ts';
import { SITE, count, fetched, freshArchive, report, tempDir, track } from './helpers.ts';

const URL1 = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';

describe('report history (v_report_versions)', () => {
  it('keeps both snapshots when a page changes, parses the new one and lists what changed', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const old = fetched(a, URL1, '<p>17 件</p>', '2026-01-01T00:00:00.000Z');
    a.saveParse({ snapshotSha: old, parserVersion: '1', result: report(), url: URL1, siteId: 'yongxiu' });
    const corrected = fetched(a, URL1, '<p>18 件 (更正)</p>', '2026-02-01T00:00:00.000Z');
    const saved = a.saveParse({
      snapshotSha: corrected,
      parserVersion: '1',
      url: URL1,
      siteId: 'yongxiu',
      result: report({ figures: { ...report().figures, 'applications.new.total': 18 } }),
    });
    expect(saved.figureChanges).toEqual([{ key: 'applications.new.total', before: 17, after: 18 }]);
    expect(a.hasSnapshot(old) && a.hasSnapshot(corrected)).toBe(true);
    expect(a.getFigures(saved.reportId!)['applications.new.total']).toBe(18);
    expect(
      a.db.prepare('SELECT version, snapshot_sha, url, first_seen, figures_changed, changes FROM v_report_versions ORDER BY version').all(),
    ).toEqual([
      { version: 1, snapshot_sha: old, url: URL1, first_seen: '2026-01-01T00:00:00.000Z', figures_changed: 3, changes: null },
      {
        version: 2,
        snapshot_sha: corrected,
        url: URL1,
        first_seen: '2026-02-01T00:00:00.000Z',
        figures_changed: 1,
        changes: JSON.stringify([{ key: 'applications.new.total', before: 17, after: 18 }]),
      },
    ]);
    // A replayed save and a new parser version over the same bytes are not versions.
    a.saveParse({
      snapshotSha: corrected,
      parserVersion: '1',
      url: URL1,
      siteId: 'yongxiu',
      result: report({ figures: { ...report().figures, 'applications.new.total': 18 } }),
    });
    a.saveParse({
      snapshotSha: corrected,
      parserVersion: '2',
      url: URL1,
      siteId: 'yongxiu',
      result: report({ figures: { ...report().figures, 'applications.new.total': 18 } }),
    });
    expect(count(a, 'report_versions')).toBe(2);
  });

  it('an attachment joining its page is not a version; merged reports keep both histories', () => {
    const a = freshArchive();
    const page = 'http://www.yongxiu.gov.cn/art/1.html';
    const pdf = 'http://www.yongxiu.gov.cn/files/1.pdf';
    // The attachment, then its page joining it: one report, one version.
    a.saveParse({ snapshotSha: fetched(a, pdf, '%PDF-1', undefined, 'attachment'), parserVersion: '1', url: pdf, result: report() });
    a.linkAttachment(page, pdf);
    a.saveParse({ snapshotSha: fetched(a, page, '<html>page</html>'), parserVersion: '1', url: page, result: report() });
    expect(count(a, 'reports')).toBe(1);
    expect(count(a, 'report_versions')).toBe(1);

    // A page and its attachment archived as two reports before the link was known, then merged.
    const page2 = 'http://www.yongxiu.gov.cn/art/2.html';
    const pdf2 = 'http://www.yongxiu.gov.cn/files/2.pdf';
    const r2 = report({ year: 2021, title: '永修县2021年政府信息公开工作年度报告', body: '2021年依申请公开情况' });
    const att = a.saveParse({
      snapshotSha: fetched(a, pdf2, '%PDF-2', undefined, 'attachment'),
      parserVersion: '1',
      url: pdf2,
      result: r2,
    });
    const pg = a.saveParse({ snapshotSha: fetched(a, page2, '<html>page 2</html>'), parserVersion: '1', url: page2, result: r2 });
    expect(pg.reportId).not.toBe(att.reportId);
    a.linkAttachment(page2, pdf2);
    expect(count(a, 'reports')).toBe(2);
    const survivor = a.findReportByUrl(pdf2)!.id;
    expect(a.db.prepare('SELECT version, url FROM report_versions WHERE report_id = ? ORDER BY version').all(survivor)).toEqual([
      { version: 1, url: pg.reportId === survivor ? page2 : pdf2 },
      { version: 2, url: pg.reportId === survivor ? pdf2 : page2 },
    ]);
    // The absorbed report's search row went with it.
    expect(a.search('2021年依申请公开').map((h) => h.reportId)).toEqual([survivor]);
  });
});

describe('full-text search (report_search, trigram)', () => {
  it('finds a phrase in the latest text only, filtered by year, and refuses terms shorter than a trigram', () => {
    const a = freshArchive();
    const u2020 = 'http://www.yongxiu.gov.cn/2020.html';
    const u2021 = 'http://www.yongxiu.gov.cn/2021.html';
    a.saveParse({
      snapshotSha: fetched(a, u2020, 'a'),
      parserVersion: '1',
      url: u2020,
      result: report({ body: '本机关收到依申请公开申请17件。' }),
    });
    a.saveParse({
      snapshotSha: fetched(a, u2021, 'b'),
      parserVersion: '1',
      url: u2021,
      result: report({ year: 2021, title: '永修县2021年政府信息公开工作年度报告', body: '全年收到依申请公开申请30件，无行政复议。' }),
    });
    expect(a.search('依申请公开').map((h) => h.year)).toEqual([2021, 2020]);
    expect(a.search('依申请公开', { year: 2020 })).toMatchObject([{ year: 2020, snippet: expect.stringContaining('依申请公开') }]);
    expect(a.search('行政复议').map((h) => h.year)).toEqual([2021]);
    expect(() => a.search('公开')).toThrow(/at least three characters/);
    // The page changes: the index follows the new text.
    a.saveParse({
      snapshotSha: fetched(a, u2021, 'c', '2026-03-01T00:00:00.000Z'),
      parserVersion: '1',
      url: u2021,
      result: report({ year: 2021, body: '全年收到申请30件，已全部办结。' }),
    });
    expect(a.search('行政复议')).toEqual([]);
    expect(a.search('全部办结').map((h) => h.year)).toEqual([2021]);
  });
});

describe('crawl runs left running by a dead process', () => {
  it('are marked interrupted; live owners, other hosts and ownerless runs are left alone', () => {
    const a = freshArchive();
    const dead = a.startCrawlRun(null, undefined, 'host-a:111');
    const alive = a.startCrawlRun(null, undefined, 'host-a:222');
    const elsewhere = a.startCrawlRun(null, undefined, 'host-b:111');
    const enqueued = a.startCrawlRun(null, undefined, null);
    expect(a.markDeadRunsInterrupted('host-a', (pid) => pid === 222)).toEqual([dead]);
    const status = (id: number) =>
      a.db.prepare('SELECT status, finished_at FROM crawl_runs WHERE id = ?').get(id) as { status: string; finished_at: string | null };
    expect(status(dead)).toMatchObject({ status: 'interrupted', finished_at: expect.any(String) });
    for (const id of [alive, elsewhere, enqueued]) expect(status(id)).toEqual({ status: 'running', finished_at: null });
  });
});

describe('read-only opens', () => {
  it('a closed archive is one plain file, and a read-only open leaves it byte for byte and alone', () => {
    const file = join(tempDir(), 'archive.sqlite');
    const w = Archive.open(file);
    w.upsertSite(SITE);
    w.close();
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
    const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = hash();
    const r = track(Archive.open(file, { readonly: true }));
    expect(r.stats().sites).toBe(1);
    expect(() => r.upsertSite(SITE)).toThrow(/read-only/);
    r.close();
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
    expect(hash()).toBe(before);
  });
});

describe('lastFetch and 304s', () => {
  it('returns the validators of the last fetch with a body and records a 304 as confirming that snapshot', () => {
    const a = freshArchive();
    const sha = a.putSnapshot({
      requestedUrl: URL1,
      finalUrl: URL1,
      status: 200,
      body: Buffer.from('x'),
      fetchedAt: '2026-01-01T00:00:00.000Z',
      headers: { ETag: '"v1"', 'Last-Modified': 'Wed, 01 Jan 2026 00:00:00 GMT' },
      kind: 'report',
    }).sha256!;
    expect(a.lastFetch(URL1)).toMatchObject({ sha256: sha, etag: '"v1"', lastModified: 'Wed, 01 Jan 2026 00:00:00 GMT', status: 200 });
    const r = a.putSnapshot({
      requestedUrl: URL1,
      finalUrl: URL1,
      status: 304,
      body: null,
      fetchedAt: '2026-01-02T00:00:00.000Z',
      headers: {},
      confirmsSha: sha,
      kind: 'report',
    });
    expect(r).toMatchObject({ sha256: sha, isNewBody: false });
    expect(count(a, 'snapshots')).toBe(1);
    // The 304 itself carried no validators: they come from the response it confirmed.
    expect(a.lastFetch(URL1)).toMatchObject({ sha256: sha, status: 304, fetchedAt: '2026-01-02T00:00:00.000Z', etag: '"v1"' });
    expect(a.lastFetch('http://www.yongxiu.gov.cn/never.html')).toBeNull();
  });
});
