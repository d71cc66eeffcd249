import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ArchiveError } from '../../../src/store/index.ts';
import { SITE, count, fetched, freshArchive, notReport, report } from './helpers.ts';

const PAGE = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';
const PDF = 'http://www.yongxiu.gov.cn/attach/0/report2020.pdf';

describe('saveParse: idempotence and parser versions', () => {
  it('the same parse saved twice is one report, one parse run, one set of figures', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const sha = fetched(a, PAGE, 'page v1');
    const first = a.saveParse({ snapshotSha: sha, parserVersion: '1.0.0', result: report(), url: PAGE, siteId: 'yongxiu' });
    const second = a.saveParse({ snapshotSha: sha, parserVersion: '1.0.0', result: report(), url: PAGE, siteId: 'yongxiu' });
    expect(first).toMatchObject({ isNewReport: true, changed: true, figuresChanged: 3, stale: false, disputed: false });
    expect(second).toMatchObject({
      parseRunId: first.parseRunId,
      reportId: first.reportId,
      isNewReport: false,
      changed: false,
      figuresChanged: 0,
    });
    expect([count(a, 'reports'), count(a, 'parse_runs'), count(a, 'figures'), count(a, 'checks'), count(a, 'report_sources')]).toEqual([
      1, 1, 3, 1, 1,
    ]);
    const r = a.getReport(first.reportId!)!;
    expect(r).toMatchObject({
      doc_key: 'yongxiu.gov.cn/art/2021/2/20/art_1_100.html',
      url: PAGE,
      site_id: 'yongxiu',
      year: 2020,
      region_code: '360425',
      format: '2019',
      status: 'report',
      snapshot_sha: sha,
    });
    expect(a.getFigures(r.id)).toEqual({ 'applications.carried_over.total': 0, 'applications.new.total': 17, 'review.total': 0 });
    expect(JSON.parse(a.getParseRun(sha, '1.0.0')!.result)).toEqual(report());
    expect(a.getParseRun(sha, '1.0.0')!.parsed).toEqual(report());
  });

  it('re-saving the same snapshot and version replaces that run and reports what changed', () => {
    const a = freshArchive();
    const sha = fetched(a, PAGE, 'page');
    a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE });
    const again = a.saveParse({
      snapshotSha: sha,
      parserVersion: '1',
      result: report({ figures: { 'applications.new.total': 18 } }),
      url: PAGE,
    });
    expect(again.figureChanges).toEqual([
      { key: 'applications.carried_over.total', before: 0, after: null },
      { key: 'applications.new.total', before: 17, after: 18 },
      { key: 'review.total', before: 0, after: null },
    ]);
    expect(count(a, 'parse_runs')).toBe(1);
    expect(count(a, 'figures')).toBe(1);
  });

  it('a new parser version keeps the old run and counts the figures that changed', () => {
    const a = freshArchive();
    const sha = fetched(a, PAGE, 'page');
    const v1 = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE });
    const v2 = a.saveParse({
      snapshotSha: sha,
      parserVersion: '2',
      url: PAGE,
      result: report({ figures: { 'applications.new.total': 17, 'applications.carried_over.total': 1, 'applications.granted.total': 9 } }),
    });
    expect(v2).toMatchObject({
      reportId: v1.reportId,
      isNewReport: false,
      changed: true,
      figuresChanged: 3,
      previousParseRunId: v1.parseRunId,
    });
    expect(v2.figureChanges).toEqual([
      { key: 'applications.carried_over.total', before: 0, after: 1 },
      { key: 'applications.granted.total', before: null, after: 9 },
      { key: 'review.total', before: 0, after: null },
    ]);
    expect(v2.parseRunId).not.toBe(v1.parseRunId);
    expect(count(a, 'reports')).toBe(1);
    expect(a.db.prepare('SELECT parser_version FROM parse_runs ORDER BY id').all()).toEqual([
      { parser_version: '1' },
      { parser_version: '2' },
    ]);
    // The old run's figures stay queryable; researchers' view shows only the latest.
    expect(a.db.prepare('SELECT count(*) AS n FROM figures WHERE parse_run_id = ?').get(v1.parseRunId)).toEqual({ n: 3 });
    expect(a.db.prepare("SELECT value, parser_version FROM v_figures WHERE key = 'applications.carried_over.total'").all()).toEqual([
      { value: 1, parser_version: '2' },
    ]);
    expect(a.stats().figures).toBe(3);
  });

  it('a parse that reads the same figures under a new version changes nothing', () => {
    const a = freshArchive();
    const sha = fetched(a, PAGE, 'page');
    a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE });
    expect(a.saveParse({ snapshotSha: sha, parserVersion: '2', result: report(), url: PAGE })).toMatchObject({
      changed: false,
      figuresChanged: 0,
    });
  });
});

describe('saveParse: snapshots of the same URL', () => {
  it('a newer snapshot of the page moves the report to it; the older one saved later does not move it back', () => {
    const a = freshArchive();
    const old = fetched(a, PAGE, 'page v1', '2026-01-01T00:00:00.000Z');
    const cur = fetched(a, PAGE, 'page v2 (corrected)', '2026-03-01T00:00:00.000Z');
    const r1 = a.saveParse({ snapshotSha: cur, parserVersion: '1', result: report({ figures: { 'review.total': 2 } }), url: PAGE });
    const r2 = a.saveParse({ snapshotSha: old, parserVersion: '1', result: report({ figures: { 'review.total': 1 } }), url: PAGE });
    expect(r2).toMatchObject({ reportId: r1.reportId, stale: true, changed: false });
    expect(a.getReport(r1.reportId!)!.snapshot_sha).toBe(cur);
    expect(a.getFigures(r1.reportId!)).toEqual({ 'review.total': 2 });
    expect(count(a, 'parse_runs')).toBe(2); // the old snapshot's parse is still archived
  });

  it('http/https and www copies of a URL are the same report', () => {
    const a = freshArchive();
    const sha = fetched(a, PAGE, 'page');
    const r1 = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE });
    const other = fetched(a, 'https://yongxiu.gov.cn/art/2021/2/20/art_1_100.html#top', 'page, re-rendered');
    const r2 = a.saveParse({
      snapshotSha: other,
      parserVersion: '1',
      result: report(),
      url: 'https://yongxiu.gov.cn/art/2021/2/20/art_1_100.html#top',
    });
    expect(r2.reportId).toBe(r1.reportId);
    expect(count(a, 'reports')).toBe(1);
    expect(a.findReportByUrl('https://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html')!.id).toBe(r1.reportId);
  });

  it('byte-identical copies at unrelated URLs (mobile page, reposts) are one report', () => {
    const a = freshArchive();
    const sha = fetched(a, 'http://x.gov.cn/content/post_1.html', 'same bytes');
    fetched(a, 'http://x.gov.cn/content/mpost_1.html', 'same bytes');
    const r1 = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: 'http://x.gov.cn/content/post_1.html' });
    const r2 = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: 'http://x.gov.cn/content/mpost_1.html' });
    expect(r2).toMatchObject({ reportId: r1.reportId, isNewReport: false });
    expect(a.getReportSources(r1.reportId!).map((s) => s.url)).toEqual([
      'http://x.gov.cn/content/post_1.html',
      'http://x.gov.cn/content/mpost_1.html',
    ]);
  });
});

describe('saveParse: documents that are not (or no longer) reports', () => {
  it('stores the parse of a non-report without creating a report', () => {
    const a = freshArchive();
    const sha = fetched(a, 'http://x.gov.cn/notice.html', 'notice');
    const r = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: notReport(), url: 'http://x.gov.cn/notice.html' });
    expect(r).toMatchObject({ reportId: null, changed: false });
    expect([count(a, 'reports'), count(a, 'parse_runs')]).toEqual([0, 1]);
  });

  it('keeps a report whose URL a later parse calls "not a report", marks it disputed and records why', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const sha = fetched(a, PAGE, 'page');
    const r1 = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE, siteId: 'yongxiu' });
    const r2 = a.saveParse({ snapshotSha: sha, parserVersion: '2', result: notReport(), url: PAGE, siteId: 'yongxiu' });
    expect(r2).toMatchObject({ reportId: r1.reportId, disputed: true, changed: true, figuresChanged: 0 });
    const row = a.getReport(r1.reportId!)!;
    expect(row.status).toBe('disputed');
    expect(row.latest_parse_run_id).toBe(r1.parseRunId); // its figures are still those read by v1
    expect(a.db.prepare('SELECT count(*) AS n FROM v_figures').get()).toEqual({ n: 3 });
    expect(a.db.prepare('SELECT stage, code, url FROM errors').all()).toEqual([{ stage: 'parse', code: 'no_longer_report', url: PAGE }]);
    // Replaying the same save records nothing new.
    a.saveParse({ snapshotSha: sha, parserVersion: '2', result: notReport(), url: PAGE, siteId: 'yongxiu' });
    expect(count(a, 'errors')).toBe(1);
    // A later version that reads it as a report again clears the dispute.
    const r3 = a.saveParse({ snapshotSha: sha, parserVersion: '3', result: report(), url: PAGE });
    expect(r3.disputed).toBe(false);
    expect(a.getReport(r1.reportId!)!.status).toBe('report');
  });
});

describe('saveParse: report pages and their attachments', () => {
  it("a page that only links its PDF is one report with the PDF's figures (page parsed first)", () => {
    const a = freshArchive();
    const page = fetched(a, PAGE, 'page: 详见附件');
    const pdf = fetched(a, PDF, '%PDF-1.4 report', undefined, 'attachment');
    const rp = a.saveParse({
      snapshotSha: page,
      parserVersion: '1',
      result: report({ figures: {}, checks: [], format: 'unknown' }),
      url: PAGE,
    });
    const ra = a.saveParse({ snapshotSha: pdf, parserVersion: '1', result: report({ title: null }), url: PDF, pageUrl: PAGE });
    expect(ra.reportId).toBe(rp.reportId);
    expect(ra.figuresChanged).toBe(3);
    expect(count(a, 'reports')).toBe(1);
    const r = a.getReport(rp.reportId!)!;
    expect(r).toMatchObject({ snapshot_sha: pdf, format: '2019', title: '永修县2020年政府信息公开工作年度报告' }); // title from the page
    expect(a.getFigures(r.id)).toMatchObject({ 'applications.new.total': 17 });
    expect(a.getReportSources(r.id).map((s) => [s.role, s.is_primary])).toEqual([
      ['attachment', 1],
      ['page', 0],
    ]);
  });

  it('the same when the attachment is parsed before its page', () => {
    const a = freshArchive();
    const page = fetched(a, PAGE, 'page');
    const pdf = fetched(a, PDF, '%PDF', undefined, 'attachment');
    const ra = a.saveParse({ snapshotSha: pdf, parserVersion: '1', result: report(), url: PDF, pageUrl: PAGE });
    const rp = a.saveParse({ snapshotSha: page, parserVersion: '1', result: report({ figures: {} }), url: PAGE });
    expect(rp.reportId).toBe(ra.reportId);
    expect(count(a, 'reports')).toBe(1);
    expect(a.getReport(ra.reportId!)!.snapshot_sha).toBe(pdf);
  });

  it('a page with tables and the same report as PDF keeps both and records whether they agree', () => {
    const a = freshArchive();
    const page = fetched(a, PAGE, 'page with tables');
    const pdf = fetched(a, PDF, '%PDF', undefined, 'attachment');
    const rp = a.saveParse({ snapshotSha: page, parserVersion: '1', result: report(), url: PAGE });
    a.saveParse({ snapshotSha: pdf, parserVersion: '1', result: report(), url: PDF, pageUrl: PAGE });
    let sources = a.getReportSources(rp.reportId!);
    expect(sources.map((s) => [s.role, s.is_primary, s.agrees])).toEqual([
      ['page', 1, null],
      ['attachment', 0, 1],
    ]);
    expect(a.getReport(rp.reportId!)!.snapshot_sha).toBe(page); // tie on figures: the HTML text wins

    // The PDF, re-read, disagrees on one cell.
    a.saveParse({
      snapshotSha: pdf,
      parserVersion: '2',
      result: report({ figures: { 'applications.new.total': 71, 'review.total': 0 } }),
      url: PDF,
      pageUrl: PAGE,
    });
    sources = a.getReportSources(rp.reportId!);
    const att = sources.find((s) => s.role === 'attachment')!;
    expect(att.agrees).toBe(0);
    expect(JSON.parse(att.diff!)).toEqual({
      conflicts: { 'applications.new.total': { primary: 17, source: 71 } },
      missingInSource: ['applications.carried_over.total'],
      extraInSource: [],
    });
    expect(a.db.prepare('SELECT sources_count, sources_disagreeing FROM v_reports').get()).toEqual({
      sources_count: 2,
      sources_disagreeing: 1,
    });
    expect(count(a, 'snapshots')).toBe(2);
  });

  it('linkAttachment merges a page and an attachment archived as two reports before the link was known', () => {
    const a = freshArchive();
    const page = fetched(a, PAGE, 'page');
    const pdf = fetched(a, PDF, '%PDF', undefined, 'attachment');
    const rp = a.saveParse({ snapshotSha: page, parserVersion: '1', result: report({ figures: {} }), url: PAGE });
    const ra = a.saveParse({ snapshotSha: pdf, parserVersion: '1', result: report(), url: PDF });
    expect(ra.reportId).not.toBe(rp.reportId);
    a.linkAttachment(PAGE, PDF, '永修县2020年年报.pdf');
    a.linkAttachment(PAGE, PDF, '永修县2020年年报.pdf');
    expect(count(a, 'reports')).toBe(1);
    expect(a.getReport(ra.reportId!)).toBeNull();
    const merged = a.getReport(rp.reportId!)!;
    expect(merged.snapshot_sha).toBe(pdf);
    expect(a.db.prepare('SELECT DISTINCT report_id FROM figures WHERE report_id IS NOT NULL').all()).toEqual([{ report_id: rp.reportId }]);
    expect(a.db.prepare('SELECT link_text FROM attachment_links').all()).toEqual([{ link_text: '永修县2020年年报.pdf' }]);
  });

  it('a page linking reports of two different years yields two reports', () => {
    const a = freshArchive();
    const list = 'http://x.gov.cn/xxgknb/index.html';
    const y2020 = fetched(a, 'http://x.gov.cn/a2020.pdf', '%PDF 2020', undefined, 'attachment');
    const y2021 = fetched(a, 'http://x.gov.cn/a2021.pdf', '%PDF 2021', undefined, 'attachment');
    const r1 = a.saveParse({
      snapshotSha: y2020,
      parserVersion: '1',
      result: report({ year: 2020 }),
      url: 'http://x.gov.cn/a2020.pdf',
      pageUrl: list,
    });
    const r2 = a.saveParse({
      snapshotSha: y2021,
      parserVersion: '1',
      result: report({ year: 2021, format: '2021' }),
      url: 'http://x.gov.cn/a2021.pdf',
      pageUrl: list,
    });
    expect(r2.reportId).not.toBe(r1.reportId);
    expect(a.stats().reportsByYear).toEqual({ '2020': 1, '2021': 1 });
  });
});

describe('saveParse: the same report reposted at another address', () => {
  const ORIG = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';
  const BIG5 = 'http://www.yongxiu.gov.cn/big5/art/2021/2/20/art_1_100.html';
  const save = (a: ReturnType<typeof freshArchive>, url: string, body: string, result = report()) => {
    a.upsertSite(SITE);
    return a.saveParse({ snapshotSha: fetched(a, url, body), parserVersion: '1', result, url, siteId: SITE.id });
  };

  it('a 繁體 converter copy (other bytes, same title, year, region and figures) joins the original report', () => {
    const a = freshArchive();
    const r1 = save(a, ORIG, 'simplified page');
    const r2 = save(a, BIG5, '繁體 page with pinyin debris');
    expect(r2).toMatchObject({ reportId: r1.reportId, isNewReport: false });
    expect(count(a, 'reports')).toBe(1);
    expect(
      a
        .getReportSources(r1.reportId!)
        .map((s) => s.url)
        .sort(),
    ).toEqual([BIG5, ORIG].sort());
  });

  it('a copy whose figures differ in one cell stays a separate report', () => {
    const a = freshArchive();
    const r1 = save(a, ORIG, 'simplified page');
    const r2 = save(a, BIG5, 'other page', report({ figures: { ...report().figures, 'review.total': 1 } }));
    expect(r2.reportId).not.toBe(r1.reportId);
    expect(count(a, 'reports')).toBe(2);
  });

  it('two units with identical figures but different titles stay apart', () => {
    const a = freshArchive();
    const r1 = save(a, ORIG, 'county page');
    const r2 = save(a, BIG5, 'bureau page', report({ title: '永修县财政局2020年政府信息公开工作年度报告' }));
    expect(r2.reportId).not.toBe(r1.reportId);
  });
});

describe('saveParse: what must not be merged', () => {
  const LIST = 'http://www.yongxiu.gov.cn/col/col9/index.html';
  const dept = (i: number, issuer: string) => ({
    url: `http://www.yongxiu.gov.cn/attach/0/dept${i}.pdf`,
    result: report({ issuer, title: `${issuer}2020年政府信息公开工作年度报告` }),
  });

  it("a list page linking several departments' reports of one year yields one report each", () => {
    const a = freshArchive();
    const docs = [dept(1, '永修县教育体育局'), dept(2, '永修县财政局'), dept(3, '永修县卫生健康委员会')];
    const listSha = fetched(a, LIST, 'list of links', undefined, 'page');
    a.saveParse({ snapshotSha: listSha, parserVersion: '1', result: notReport(), url: LIST });
    const ids = docs.map(
      (d, i) =>
        a.saveParse({
          snapshotSha: fetched(a, d.url, `%PDF ${i}`, undefined, 'attachment'),
          parserVersion: '1',
          result: d.result,
          url: d.url,
          pageUrl: LIST,
        }).reportId,
    );
    expect(new Set(ids).size).toBe(3);
    expect(a.db.prepare('SELECT issuer FROM reports ORDER BY id').all()).toEqual(docs.map((d) => ({ issuer: d.result.issuer })));
  });

  it('even when that list page is (wrongly) read as a report, a different issuer keeps them apart', () => {
    const a = freshArchive();
    const listSha = fetched(a, LIST, 'list', undefined, 'page');
    const county = a.saveParse({ snapshotSha: listSha, parserVersion: '1', result: report({ figures: {} }), url: LIST });
    const d = dept(1, '永修县教育体育局');
    const r = a.saveParse({
      snapshotSha: fetched(a, d.url, '%PDF', undefined, 'attachment'),
      parserVersion: '1',
      result: d.result,
      url: d.url,
      pageUrl: LIST,
    });
    expect(r.reportId).not.toBe(county.reportId);
  });

  it('a report page parsed after its PDF and DOCX versions gathers all three into one report', () => {
    const a = freshArchive();
    const DOCX = 'http://www.yongxiu.gov.cn/attach/0/report2020.docx';
    const pdf = a.saveParse({
      snapshotSha: fetched(a, PDF, '%PDF', undefined, 'attachment'),
      parserVersion: '1',
      result: report(),
      url: PDF,
      pageUrl: PAGE,
    });
    const docx = a.saveParse({
      snapshotSha: fetched(a, DOCX, 'PK docx', undefined, 'attachment'),
      parserVersion: '1',
      result: report({ issuer: '永修县人民政府办公室' }),
      url: DOCX,
      pageUrl: PAGE,
    });
    expect(docx.reportId).not.toBe(pdf.reportId); // the page is not known yet: nothing says they belong together
    const page = a.saveParse({ snapshotSha: fetched(a, PAGE, 'page'), parserVersion: '1', result: report({ figures: {} }), url: PAGE });
    expect(page.reportId).toBe(pdf.reportId);
    expect(count(a, 'reports')).toBe(1);
    expect(
      a
        .getReportSources(pdf.reportId!)
        .map((s) => s.role)
        .sort(),
    ).toEqual(['attachment', 'attachment', 'page']);
  });
});

describe('saveParse: input errors', () => {
  it('refuses a result that is not a ParseResult, naming the field', () => {
    const a = freshArchive();
    const sha = fetched(a, PAGE, 'page');
    const bad = { ...report(), year: '2020' } as unknown as ReturnType<typeof report>;
    expect(() => a.saveParse({ snapshotSha: sha, parserVersion: '1', result: bad, url: PAGE })).toThrow(/year/);
    expect(count(a, 'parse_runs')).toBe(0);
  });

  it('needs the snapshot, or its body to store it', () => {
    const a = freshArchive();
    const body = Buffer.from('bytes that raced ahead of their fetch');
    const sha = createHash('sha256').update(body).digest('hex');
    let err: unknown;
    try {
      a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE });
    } catch (e) {
      err = e;
    }
    expect((err as ArchiveError).code).toBe('unknown_snapshot');
    const r = a.saveParse({ snapshotSha: sha, parserVersion: '1', result: report(), url: PAGE, body });
    expect(r.reportId).not.toBeNull();
    expect(a.getSnapshotBody(sha)!.equals(body)).toBe(true);
    expect(() => a.saveParse({ snapshotSha: 'f'.repeat(64), parserVersion: '1', result: report(), url: PAGE, body })).toThrow(/hashes to/);
  });
});

describe('listSnapshotsForReparse', () => {
  it('lists report sources and every URL classified as report or attachment, not plain pages', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const page = a.putSnapshot({
      requestedUrl: PAGE,
      status: 200,
      body: Buffer.from('page'),
      siteId: 'yongxiu',
      kind: 'report',
      contentType: 'text/html',
    }).sha256!;
    const pdf = a.putSnapshot({
      requestedUrl: PDF,
      status: 200,
      body: Buffer.from('%PDF'),
      siteId: 'yongxiu',
      kind: 'attachment',
      contentType: 'application/pdf',
    }).sha256!;
    a.putSnapshot({ requestedUrl: 'http://www.yongxiu.gov.cn/', status: 200, body: Buffer.from('home'), siteId: 'yongxiu', kind: 'page' });
    // A report URL whose last fetch was an error page is not offered for re-parse.
    a.putSnapshot({
      requestedUrl: 'http://www.yongxiu.gov.cn/gone.html',
      status: 404,
      body: Buffer.from('页面不存在'),
      siteId: 'yongxiu',
      kind: 'report',
    });
    a.linkAttachment(PAGE, PDF);
    a.saveParse({ snapshotSha: page, parserVersion: '1', result: report(), url: PAGE, siteId: 'yongxiu' });
    expect(a.listSnapshotsForReparse()).toEqual([
      { sha256: page, url: PAGE, siteId: 'yongxiu', contentType: 'text/html', pageUrl: null, role: 'report-page' },
      { sha256: pdf, url: PDF, siteId: 'yongxiu', contentType: 'application/pdf', pageUrl: PAGE, role: 'attachment' },
    ]);
  });
});

describe('reports split over pages', () => {
  const PAGE2 = PAGE.replace('.html', '_2.html');
  const PAGE3 = PAGE.replace('.html', '_3.html');
  const put = (a: ReturnType<typeof freshArchive>, url: string, text: string) =>
    a.putSnapshot({ requestedUrl: url, status: 200, body: Buffer.from(text), siteId: 'yongxiu', kind: 'report', contentType: 'text/html' })
      .sha256!;

  it('keeps the later pages with the first, re-parses them together, and knows when they changed', () => {
    const a = freshArchive();
    a.upsertSite(SITE);
    const p1 = put(a, PAGE, 'page 1');
    const p2 = put(a, PAGE2, 'page 2');
    const parts = [{ url: PAGE2, sha256: p2 }];
    a.saveParse({ snapshotSha: p1, parserVersion: '1', result: report(), url: PAGE, siteId: 'yongxiu', parts });
    expect(a.pagePartsOf(p1)).toEqual(parts);
    // Parsed with exactly these pages: yes; with a changed second page or a third page: not yet.
    expect(a.hasParse(p1, '1', [p2])).toBe(true);
    expect(a.hasParse(p1, '1')).toBe(true);
    const p2b = put(a, PAGE2, 'page 2, corrected');
    expect(a.hasParse(p1, '1', [p2b])).toBe(false);
    expect(a.hasParse(p1, '1', [p2, 'c'.repeat(64)])).toBe(false);
    expect(a.hasParse(p1, '2', [p2])).toBe(false);
    // Re-parse offers the first page with its parts, and never the second page on its own.
    expect(a.listSnapshotsForReparse()).toEqual([
      { sha256: p1, url: PAGE, siteId: 'yongxiu', contentType: 'text/html', pageUrl: null, role: 'report-page', parts },
    ]);
    // A newer parse of the same first page with three pages replaces the list.
    const p3 = put(a, PAGE3, 'page 3');
    const three = [
      { url: PAGE2, sha256: p2b },
      { url: PAGE3, sha256: p3 },
    ];
    a.saveParse({ snapshotSha: p1, parserVersion: '1', result: report(), url: PAGE, siteId: 'yongxiu', parts: three });
    expect(a.pagePartsOf(p1)).toEqual(three);
    expect(a.hasParse(p1, '1', [p2b, p3])).toBe(true);
    expect(count(a, 'reports')).toBe(1);
  });
});
