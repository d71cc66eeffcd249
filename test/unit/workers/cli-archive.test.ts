import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARSER_VERSION } from '../../../src/parse/version.ts';
import { Archive } from '../../../src/store/archive.ts';
import { readReportFixture, readReportJson } from '../../fixtures/index.ts';
import { runCli, tmpDir } from './helpers.ts';

const tmp = tmpDir('nianbao-cli-archive-');
afterAll(() => tmp.cleanup());

async function withoutRedisUrl<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  try {
    return await fn();
  } finally {
    if (saved !== undefined) process.env.REDIS_URL = saved;
  }
}

const SEED = 'seeds/000_142cd551b15b04df.txt';
const PAGE_URL = 'http://www.yongxiu.gov.cn/art/2021/2/20/art_1_100.html';

/** An archive holding the seed report as parsed by an older parser that misread one figure. */
function archiveWithOldParse(file: string): { key: string; old: number; right: number } {
  const expected = readReportJson('seeds/expected/000_142cd551b15b04df.json') as { figures: Record<string, number> };
  const a = Archive.open(file);
  const sha = a.putSnapshot({
    requestedUrl: PAGE_URL,
    finalUrl: PAGE_URL,
    status: 200,
    body: readReportFixture(SEED),
    contentType: 'text/plain; charset=utf-8',
    kind: 'report',
    fetchedAt: '2026-01-01T00:00:00.000Z',
  }).sha256!;
  const key = 'applications.new.total';
  const right = expected.figures[key];
  a.saveParse({
    snapshotSha: sha,
    parserVersion: '0.0.1-old',
    url: PAGE_URL,
    result: {
      isReport: true,
      title: '永修县2020年政府信息公开工作年度报告',
      year: 2020,
      region: { name: '永修县', code: '360425' },
      issuer: null,
      publishedAt: null,
      format: '2019',
      figures: { [key]: right + 100 },
      checks: [],
      warnings: [],
    },
  });
  a.close();
  return { key, old: right + 100, right };
}

describe('nianbao CLI and the archive', () => {
  it('--version prints the package version', async () => {
    const r = await runCli('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  });

  it('work without --archive and without REDIS_URL refuses in one line', async () => {
    const r = await withoutRedisUrl(() => runCli('work', '--crawl', '--parse'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^nianbao: work without --archive needs REDIS_URL .*\n$/);
    const s = await runCli('work', '--schedule', '0 2 * * *');
    expect(s.err).toMatch(/^nianbao: --schedule needs --archive/);
  });

  it('stats opens read-only: the file is unchanged and no -wal/-shm is left beside it', async () => {
    const file = path.join(tmp.dir, 'ro.sqlite');
    Archive.open(file).close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const r = await runCli('stats', '--archive', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/figures\s+0 in reports' latest parses \(v_figures\); 0 rows in figures/);
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });

  it('reparse --diff writes what the parser change changed, prints figure counts that match the tables, and leaves no Redis data behind', {
    timeout: 120_000,
  }, async () => {
    const dir = path.join(tmp.dir, 'reparse');
    const file = path.join(dir, 'archive.sqlite');
    const { key, old, right } = archiveWithOldParse(file);
    const diff = path.join(dir, 'diff.csv');
    const r = await withoutRedisUrl(() => runCli('reparse', '--archive', file, '--diff', diff));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = readFileSync(diff, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('report_id,key,old_value,new_value,old_parser_version,new_parser_version');
    expect(lines).toContain(`1,${key},${old},${right},0.0.1-old,${PARSER_VERSION}`);
    // Keys the old parse lacked are listed as added (empty old value).
    expect(lines.slice(1).every((l) => l.endsWith(`,0.0.1-old,${PARSER_VERSION}`))).toBe(true);

    const a = Archive.open(file, { readonly: true });
    try {
      const latest = (a.db.prepare('SELECT count(*) AS n FROM v_figures').get() as { n: number }).n;
      const all = (a.db.prepare('SELECT count(*) AS n FROM figures').get() as { n: number }).n;
      expect(r.out).toContain(`${latest} in reports' latest parses (v_figures); ${all} rows in figures`);
      expect(lines.length - 1).toBe(a.getParseRun(a.getReport(1)!.snapshot_sha, PARSER_VERSION)!.figures_count);
    } finally {
      a.close();
    }
    expect(existsSync(path.join(dir, 'redis'))).toBe(false);
  });

  it('search finds reports by a phrase and refuses a two-character term', async () => {
    const dir = path.join(tmp.dir, 'search');
    const file = path.join(dir, 'archive.sqlite');
    archiveWithOldParse(file);
    await withoutRedisUrl(() => runCli('reparse', '--archive', file));
    const hit = await runCli('search', '依申请公开', '--archive', file, '--year', '2020');
    expect(hit.code).toBe(0);
    expect(hit.out).toMatch(
      /^#1\t2020\t永修县\t[^\t]*\thttp:\/\/www\.yongxiu\.gov\.cn\/art\/2021\/2\/20\/art_1_100\.html\n\t….*依申请公开/,
    );
    expect(hit.out).toMatch(/1 report\n$/);
    const none = await runCli('search', '依申请公开', '--archive', file, '--year', '2019');
    expect(none.out).toBe('0 reports\n');
    const short = await runCli('search', '公开', '--archive', file);
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/three characters or more/);
  });
});
