import { describe, expect, it } from 'vitest';
import { SITE, freshArchive, report } from './helpers.ts';

function archiveWithTwoYears() {
  const a = freshArchive();
  a.upsertSite(SITE);
  const run = a.startCrawlRun({ sites: ['yongxiu'] });
  const p2020 = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';
  const p2021 = 'http://www.yongxiu.gov.cn/art/2022/1/30/art_1_200.html';
  const s2020 = a.putSnapshot({
    requestedUrl: p2020,
    status: 200,
    body: Buffer.from('2020'),
    siteId: 'yongxiu',
    crawlRunId: run,
    kind: 'report',
    fetchedAt: '2026-01-01T00:00:00.000Z',
  }).sha256!;
  const s2021 = a.putSnapshot({
    requestedUrl: p2021,
    status: 200,
    body: Buffer.from('2021'),
    siteId: 'yongxiu',
    crawlRunId: run,
    kind: 'report',
    fetchedAt: '2026-01-01T00:00:01.000Z',
  }).sha256!;
  a.putSnapshot({
    requestedUrl: 'http://www.yongxiu.gov.cn/missing',
    status: 404,
    body: Buffer.from('页面不存在'),
    siteId: 'yongxiu',
    crawlRunId: run,
    fetchedAt: '2026-01-01T00:00:02.000Z',
  });
  a.recordError({
    stage: 'fetch',
    code: 'http_404',
    message: 'not found',
    url: 'http://www.yongxiu.gov.cn/missing',
    siteId: 'yongxiu',
    crawlRunId: run,
  });
  a.finishCrawlRun(run, 'partial', { pages: 3 });
  a.saveParse({ snapshotSha: s2020, parserVersion: '1', result: report(), url: p2020, siteId: 'yongxiu' });
  a.saveParse({
    snapshotSha: s2021,
    parserVersion: '1',
    url: p2021,
    siteId: 'yongxiu',
    result: report({
      title: '永修县2021年政府信息公开工作年度报告',
      year: 2021,
      format: '2021',
      figures: { 'applications.new.total': 30, 'review.total': 2, 'active.fees.amount_wan': 1.5 },
      checks: [{ rule: 'applications.balance.total', ok: false, detail: '30 + 0 ≠ 29 + 0 (diff 1)' }],
      warnings: ['table_damaged: row 3 unreadable', 'converted_traditional'],
    }),
  });
  return { a, run };
}

describe('views', () => {
  it("v_figures: one row per figure of each report's latest parse, with site, region, year and format", () => {
    const { a } = archiveWithTwoYears();
    const rows = a.db
      .prepare(
        "SELECT site_name, region_code, year, format, key, value FROM v_figures WHERE key IN ('applications.new.total', 'active.fees.amount_wan') ORDER BY year, key",
      )
      .all();
    expect(rows).toEqual([
      { site_name: '永修县', region_code: '360425', year: 2020, format: '2019', key: 'applications.new.total', value: 17 },
      { site_name: '永修县', region_code: '360425', year: 2021, format: '2021', key: 'active.fees.amount_wan', value: 1.5 },
      { site_name: '永修县', region_code: '360425', year: 2021, format: '2021', key: 'applications.new.total', value: 30 },
    ]);
  });

  it('v_reports carries the parse summary', () => {
    const { a } = archiveWithTwoYears();
    expect(
      a.db
        .prepare('SELECT year, figures_count, checks_failed, warnings_count, sources_count, parser_version FROM v_reports ORDER BY year')
        .all(),
    ).toEqual([
      { year: 2020, figures_count: 3, checks_failed: 0, warnings_count: 0, sources_count: 1, parser_version: '1' },
      { year: 2021, figures_count: 3, checks_failed: 1, warnings_count: 2, sources_count: 1, parser_version: '1' },
    ]);
    expect(a.db.prepare('SELECT code FROM warnings ORDER BY ord').all()).toEqual([{ code: 'table_damaged' }, { code: null }]);
  });

  it('v_report_checks_failed lists only failed identities of latest parses', () => {
    const { a } = archiveWithTwoYears();
    expect(a.db.prepare('SELECT year, rule, detail FROM v_report_checks_failed').all()).toEqual([
      { year: 2021, rule: 'applications.balance.total', detail: '30 + 0 ≠ 29 + 0 (diff 1)' },
    ]);
  });

  it('v_reports_by_year counts reports and formats', () => {
    const { a } = archiveWithTwoYears();
    expect(a.db.prepare('SELECT year, reports, regions, format_2019, format_2021 FROM v_reports_by_year ORDER BY year').all()).toEqual([
      { year: 2020, reports: 1, regions: 1, format_2019: 1, format_2021: 0 },
      { year: 2021, reports: 1, regions: 1, format_2019: 0, format_2021: 1 },
    ]);
  });

  it("v_crawl_summary counts a run's fetches, failures and errors", () => {
    const { a, run } = archiveWithTwoYears();
    expect(
      a.db
        .prepare('SELECT crawl_run_id, status, fetches, fetches_ok, fetches_failed, distinct_snapshots, sites, errors FROM v_crawl_summary')
        .all(),
    ).toEqual([
      { crawl_run_id: run, status: 'partial', fetches: 3, fetches_ok: 2, fetches_failed: 1, distinct_snapshots: 3, sites: 1, errors: 1 },
    ]);
  });

  it('v_snapshots has no body column, v_figures_wide one row per report', () => {
    const { a } = archiveWithTwoYears();
    const cols = (a.db.prepare('PRAGMA table_info(v_snapshots)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('body');
    expect(a.db.prepare('SELECT count(*) AS n, sum(fetches) AS f FROM v_snapshots').get()).toEqual({ n: 3, f: 3 });
    expect(a.db.prepare('SELECT year, applications_new, review_total FROM v_figures_wide ORDER BY year').all()).toEqual([
      { year: 2020, applications_new: 17, review_total: 0 },
      { year: 2021, applications_new: 30, review_total: 2 },
    ]);
  });

  it("v_site_summary shows each site's coverage and errors", () => {
    const { a } = archiveWithTwoYears();
    expect(a.db.prepare('SELECT site_id, reports, first_year, last_year, years, fetches, errors FROM v_site_summary').all()).toEqual([
      { site_id: 'yongxiu', reports: 2, first_year: 2020, last_year: 2021, years: '2020,2021', fetches: 3, errors: 1 },
    ]);
  });

  it('stats() summarises the archive', () => {
    const { a } = archiveWithTwoYears();
    expect(a.stats()).toMatchObject({
      sites: 1,
      crawlRuns: 1,
      fetches: 3,
      snapshots: 3,
      reports: 2,
      reportsByYear: { '2020': 1, '2021': 1 },
      figures: 6,
      errors: 1,
      parseRuns: 2,
      urls: 2,
    });
  });
});
