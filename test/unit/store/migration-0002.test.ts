import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../src/schema/index.ts';
import { Archive, loadMigrations, migrate } from '../../../src/store/index.ts';
import { report, tempDir, track } from './helpers.ts';

const T = '2026-01-01T00:00:00.000Z';

/** An archive as nianbao wrote it before 0002: result JSON with everything, figures with report_id and key index. */
function archive0001(file: string, docs: { url: string; body: string; result: ParseResult }[]): void {
  const db = new Database(file);
  migrate(db, file, loadMigrations().slice(0, 1));
  db.prepare("INSERT INTO sites VALUES ('yongxiu', '永修县', '360425', 'http://www.yongxiu.gov.cn/', '{}', ?, ?)").run(T, T);
  docs.forEach((d, i) => {
    const raw = Buffer.from(d.body);
    const sha = createHash('sha256').update(raw).digest('hex');
    const gz = gzipSync(raw);
    db.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)').run(sha, gz, raw.length, gz.length, 'text/html', T);
    db.prepare(
      'INSERT INTO fetches (requested_url, final_url, status, headers, fetched_at, sha256, site_id) VALUES (?, ?, 200, ?, ?, ?, ?)',
    ).run(d.url, d.url, '{"etag":"\\"e1\\""}', T, sha, 'yongxiu');
    const r = d.result;
    const run = Number(
      db
        .prepare(`INSERT INTO parse_runs (snapshot_sha, parser_version, parsed_at, url, is_report, format, year, figures_count, checks_count, checks_failed, warnings_count, result)
      VALUES (?, '1', ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          sha,
          T,
          d.url,
          r.format,
          r.year,
          Object.keys(r.figures).length,
          r.checks.length,
          r.checks.filter((c) => !c.ok).length,
          r.warnings.length,
          JSON.stringify(r),
        ).lastInsertRowid,
    );
    const reportId = i + 1;
    db.prepare(`INSERT INTO reports (id, doc_key, url, site_id, snapshot_sha, title, year, region_code, region_name, issuer, format, latest_parse_run_id, first_seen, updated_at)
      VALUES (?, ?, ?, 'yongxiu', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      reportId,
      d.url.replace('http://www.', ''),
      d.url,
      sha,
      r.title,
      r.year,
      r.region.code,
      r.region.name,
      r.issuer,
      r.format,
      run,
      T,
      T,
    );
    db.prepare(`INSERT INTO report_sources (url_key, report_id, url, role, snapshot_sha, parse_run_id, is_report, is_primary, figures_count, first_seen, updated_at)
      VALUES (?, ?, ?, 'page', ?, ?, 1, 1, ?, ?, ?)`).run(
      d.url.replace('http://www.', ''),
      reportId,
      d.url,
      sha,
      run,
      Object.keys(r.figures).length,
      T,
      T,
    );
    for (const [k, v] of Object.entries(r.figures)) db.prepare('INSERT INTO figures VALUES (?, ?, ?, ?)').run(run, reportId, k, v);
    r.checks.forEach((c, j) => db.prepare('INSERT INTO checks VALUES (?, ?, ?, ?, ?)').run(run, j, c.rule, c.ok ? 1 : 0, c.detail));
    r.warnings.forEach((w, j) => db.prepare('INSERT INTO warnings VALUES (?, ?, ?, ?)').run(run, j, null, w));
    (r.sections ?? []).forEach((s, j) => db.prepare('INSERT INTO sections VALUES (?, ?, ?, ?, ?)').run(run, j, s.key, s.title, s.text));
  });
  db.close();
}

describe('migration 0002 (compact parse output, versions, search)', () => {
  const body =
    '永修县2020年政府信息公开工作年度报告\n一、总体情况\n本机关全年收到依申请公开申请17件。\n二、主动公开政府信息情况\n主动公开文件12件。';
  const full = report({
    figures: { 'applications.new.total': 17, 'active.procurement.amount_yuan': 1234.56, 'review.total': 0 },
    checks: [
      { rule: 'applications.balance.total', ok: true, detail: '17 + 0 = 17 + 0' },
      { rule: 'review.total', ok: false, detail: '1 ≠ 0 (diff 1)' },
    ],
    warnings: ['table_damaged: row 3', 'converted_traditional'],
    body,
    sections: [
      { key: 'overview', title: '一、总体情况', text: '本机关全年收到依申请公开申请17件。' },
      { key: 'active', title: '二、主动公开政府信息情况', text: '主动公开文件12件。' },
    ],
    source: { kind: 'html' },
  });
  const second = report({
    title: '永修县2021年政府信息公开工作年度报告',
    year: 2021,
    figures: { 'applications.new.total': 30 },
    body: '永修县2021年报告正文：没有检索词',
  });

  it('converts an 0001 archive without losing a field of any parse result', () => {
    const file = join(tempDir(), 'old.sqlite');
    archive0001(file, [
      { url: 'http://www.yongxiu.gov.cn/art/2021/1.html', body: '<html>2020</html>', result: full },
      { url: 'http://www.yongxiu.gov.cn/art/2022/2.html', body: '<html>2021</html>', result: second },
    ]);
    const a = track(Archive.open(file));
    expect(
      a.db
        .prepare('SELECT name FROM _migrations ORDER BY id')
        .all()
        .map((r) => (r as { name: string }).name),
    ).toEqual(loadMigrations().map((m) => m.name));
    const sha = (a.db.prepare('SELECT snapshot_sha FROM reports WHERE id = 1').get() as { snapshot_sha: string }).snapshot_sha;
    expect(a.getParseRun(sha, '1')!.parsed).toEqual(full);
    // The old columns, through the `figures` view.
    expect(a.db.prepare('SELECT parse_run_id, report_id, key, value FROM figures WHERE report_id = 1 ORDER BY key').all()).toEqual([
      { parse_run_id: 1, report_id: 1, key: 'active.procurement.amount_yuan', value: 1234.56 },
      { parse_run_id: 1, report_id: 1, key: 'applications.new.total', value: 17 },
      { parse_run_id: 1, report_id: 1, key: 'review.total', value: 0 },
    ]);
    expect(a.db.prepare("SELECT value FROM v_figures WHERE key = 'applications.new.total' ORDER BY year").all()).toEqual([
      { value: 17 },
      { value: 30 },
    ]);
    expect(a.db.prepare('SELECT rule, detail FROM v_report_checks_failed').all()).toEqual([
      { rule: 'review.total', detail: '1 ≠ 0 (diff 1)' },
    ]);
    expect(a.db.prepare('SELECT ord, key, title, chars FROM sections ORDER BY ord').all()).toEqual([
      { ord: 0, key: 'overview', title: '一、总体情况', chars: full.sections![0].text.length },
      { ord: 1, key: 'active', title: '二、主动公开政府信息情况', chars: full.sections![1].text.length },
    ]);
    // History starts at version 1; the search index covers the converted reports.
    expect(a.db.prepare('SELECT report_id, version, figures_changed FROM v_report_versions ORDER BY report_id').all()).toEqual([
      { report_id: 1, version: 1, figures_changed: 3 },
      { report_id: 2, version: 1, figures_changed: 1 },
    ]);
    expect(a.search('依申请公开').map((h) => h.reportId)).toEqual([1]);
    expect(a.lastFetch('http://www.yongxiu.gov.cn/art/2021/1.html')).toMatchObject({ sha256: sha, etag: '"e1"' });
  });

  it('stores the result compressed, without the figures, checks and warnings its tables hold', () => {
    const file = join(tempDir(), 'old.sqlite');
    archive0001(file, [{ url: 'http://www.yongxiu.gov.cn/art/2021/1.html', body: '<html>2020</html>', result: full }]);
    const a = track(Archive.open(file));
    const row = a.db.prepare('SELECT nianbao_gunzip(result_gz) AS json FROM parse_runs').get() as { json: string };
    const stored = JSON.parse(row.json);
    expect(stored.figures).toBeUndefined();
    expect(stored.checks).toBeUndefined();
    expect(stored.warnings).toBeUndefined();
    expect(stored.body).toBe(body);
    expect(stored.sections[1].text).toBe('主动公开文件12件。');
  });
});
