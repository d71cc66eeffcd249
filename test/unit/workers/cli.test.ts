import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARSER_VERSION } from '../../../src/parse/version.ts';
import { Archive } from '../../../src/store/archive.ts';
import { reportFixture } from '../../fixtures/index.ts';
import { runCli, tmpDir } from './helpers.ts';

const tmp = tmpDir('nianbao-cli-');
afterAll(() => tmp.cleanup());

const cli = runCli;

describe('nianbao CLI', () => {
  it('lists its commands in --help and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['crawl', 'work', 'demo', 'stats', 'reparse', 'parse']) expect(r.out).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('turns errors into one line on stderr and a non-zero exit code', async () => {
    const missing = await cli('stats', '--archive', path.join(tmp.dir, 'none.sqlite'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^nianbao: no archive at .*none\.sqlite.*\n$/);
    expect(missing.err.trim().split('\n')).toHaveLength(1);

    const badConfig = path.join(tmp.dir, 'bad.yaml');
    writeFileSync(badConfig, 'sites:\n  - id: Bad Id\n    name: x\n');
    const config = await cli('crawl', '--config', badConfig, '--archive', path.join(tmp.dir, 'c.sqlite'));
    expect(config.code).toBe(1);
    expect(config.err.trim().split('\n')).toHaveLength(1);
    expect(config.err).toMatch(/bad\.yaml:2: sites\[0\]\.id/);

    const usage = await cli('crawl', '--concurrency', 'lots');
    expect(usage.code).toBe(1);
    expect(usage.err).toContain('--concurrency must be a positive integer');

    const unknown = await cli('fly');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/unknown command 'fly'/);
  });

  it('crawl refuses a --site that is neither an id of the config nor a URL', async () => {
    const config = path.join(tmp.dir, 'sites.yaml');
    writeFileSync(
      config,
      'sites:\n  - id: lingchuan\n    name: 陵川县\n    regionCode: "140524"\n    home: http://www.lczf.gov.cn.test/\n',
    );
    const unknown = await cli('crawl', '--config', config, '--site', 'atlantis', '--archive', path.join(tmp.dir, 'u.sqlite'));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('nianbao: --site atlantis: no site with that id in the config (ids: lingchuan)\n');
  });

  describe('stats and reparse on an archive', () => {
    const file = path.join(tmp.dir, 'r.sqlite');
    const html = readFileSync(reportFixture('corpus/01_shanghai_office_2019.html'));
    const url = 'http://www.shanghai.gov.cn.test/nw12344/20200814/report.html';
    let sha: string;
    beforeAll(() => {
      const a = Archive.open(file);
      a.upsertSite({
        id: 'sh',
        name: '上海市',
        regionCode: '310000',
        home: 'http://www.shanghai.gov.cn.test/',
        allowHosts: [],
        maxPages: 10,
      });
      const run = a.startCrawlRun();
      sha = a.putSnapshot({
        requestedUrl: url,
        body: html,
        status: 200,
        contentType: 'text/html',
        siteId: 'sh',
        crawlRunId: run,
        kind: 'report',
      }).sha256!;
      // What an older parser made of it: a report, but without its figures.
      a.saveParse({
        snapshotSha: sha,
        parserVersion: '0.0.0-old',
        url,
        siteId: 'sh',
        result: {
          isReport: true,
          title: 'old',
          year: 2019,
          region: { name: null, code: null },
          issuer: null,
          publishedAt: null,
          format: 'unknown',
          figures: {},
          checks: [],
          warnings: [],
        },
      });
      a.finishCrawlRun(run, 'ok');
      a.close();
    });

    it('stats prints what the archive holds', async () => {
      const r = await cli('stats', '--archive', file);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/reports\s+1/);
      expect(r.out).toMatch(/by year\s+2019: 1/);
    });

    it('reparse re-reads archived reports with the current parser, keeps the old parse, and is idempotent', {
      timeout: 120_000,
    }, async () => {
      const first = await cli('reparse', '--archive', file);
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expect(first.out).toContain(`parser ${PARSER_VERSION}`);
      expect(first.out).toMatch(/reports changed\s+1\b/);
      const changed = Number(/figures changed\s+(\d+)/.exec(first.out)![1]);
      expect(changed).toBeGreaterThan(50);

      const a = Archive.open(file);
      try {
        const versions = a.db.prepare('SELECT parser_version FROM parse_runs WHERE snapshot_sha = ? ORDER BY id').all(sha);
        expect(versions).toEqual([{ parser_version: '0.0.0-old' }, { parser_version: PARSER_VERSION }]);
        expect(a.findReportByUrl(url)!.year).toBe(2019);
      } finally {
        a.close();
      }

      const again = await cli('reparse', '--archive', file);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/0 to parse/);
      expect(again.out).toMatch(/reports changed\s+0\b/);
      expect(again.out).toMatch(/figures changed\s+0\b/);
    });
  });
});
