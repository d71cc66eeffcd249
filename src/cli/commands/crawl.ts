import { Command } from 'commander';
import { sitesFromArgs, UnknownSiteId } from '../../config/site-ids.ts';
import type { Site, SiteList } from '../../schema/site-config.ts';
import type { Archive } from '../../store/archive.ts';
import type { RunCrawlResult } from '../../workers/run-crawl.ts';
import { createProgress } from '../progress.ts';
import { CliError, collect, DEFAULT_ARCHIVE, DEFAULT_CONFIG, positiveInt, writeLine, type CommandContext } from './common.ts';
import { unfinishedLists } from '../../store/unfinished-lists.ts';
import { withRuntime } from './runtime.ts';
import { formatByYear, formatRows } from './summary.ts';

type CrawlOpts = {
  site?: string[];
  config: string;
  archive: string;
  allowHost?: string[];
  proxy?: string;
  concurrency?: number;
  work: boolean;
  prefix?: string;
  browser: boolean;
  full?: boolean;
};

/** `--site` takes an id or a URL; a URL not in the config becomes an ad-hoc site (src/config/site-ids.ts). */
export function selectSites(list: SiteList, wanted: string[] | undefined): Site[] {
  try {
    return sitesFromArgs(list, wanted);
  } catch (e) {
    if (e instanceof UnknownSiteId) throw new CliError(e.message);
    throw e;
  }
}

export function crawlSummaryLines(archive: Archive, r: RunCrawlResult): string {
  const db = archive.db;
  const run = db.prepare('SELECT * FROM v_crawl_summary WHERE crawl_run_id = ?').get(r.crawlRunId) as
    | { fetches: number; fetches_ok: number; fetches_failed: number; distinct_snapshots: number; errors: number }
    | undefined;
  const pages = r.sites.reduce((a, o) => a + (o.stats?.pagesFetched ?? 0), 0);
  const s = archive.stats();
  const failed = r.sites.filter((o) => !o.ok);
  const rows: [string, string | number][] = [
    ['crawl run', `#${r.crawlRunId} ${r.status} in ${(r.durationMs / 1000).toFixed(1)} s`],
    ['sites', `${r.sites.length - failed.length} crawled${failed.length ? `, ${failed.length} failed` : ''}`],
    ['pages fetched', pages],
    ['requests', `${run?.fetches ?? 0} (${run?.fetches_failed ?? 0} failed)`],
    ['snapshots', `${run?.distinct_snapshots ?? 0} this run, ${s.snapshots} in archive`],
    ['reports', `${s.reports} in archive`],
    ['  by year', formatByYear(s.reportsByYear)],
    ['figures', s.figures],
    ['errors', `${run?.errors ?? 0} this run`],
  ];
  // Said where a user looks: lists a busy machine left unread are not silently missing reports.
  const unread = unfinishedLists(db).filter((l) => r.sites.some((o) => o.siteId === l.siteId));
  if (unread.length) rows.push(['lists unread', `${unread.length} (errors.code = list_unfinished; the next crawl reads them first)`]);
  for (const f of failed) rows.push([`  failed ${f.siteId}`, f.error ?? '']);
  return formatRows(rows);
}

export function crawlCommand(ctx: CommandContext): Command {
  return new Command('crawl')
    .description('crawl sites of the site list into the archive (crawl, parse and archive workers run in this process)')
    .option('--site <url|id>', 'a site id from the config or a home URL (repeatable; default: every site)', collect)
    .option('--config <file>', 'the site list', DEFAULT_CONFIG)
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--allow-host <host>', 'also allow this host for every site (repeatable)', collect)
    .option('--proxy <url>', 'send every request through this HTTP proxy')
    .option('--concurrency <n>', 'sites crawled at once', positiveInt('--concurrency'))
    .option('--no-work', 'only enqueue the crawl jobs (for `nianbao work` processes sharing REDIS_URL)')
    .option('--no-browser', 'never start headless Chromium for script-built lists')
    .option('--full', 'refetch everything unconditionally (default: conditional GETs of what the archive holds)')
    .option('--prefix <prefix>', 'queue key prefix in Redis (one prefix per archive)')
    .action(async (opts: CrawlOpts) => {
      const { loadSiteList } = await import('../../config/index.ts');
      const list = loadSiteList(opts.config);
      const sites = selectSites(list, opts.site);
      const { runCrawl } = await import('../../workers/run-crawl.ts');
      await withRuntime({ archivePath: opts.archive }, async ({ redis, archive }) => {
        if (!opts.work && redis.private) {
          throw new CliError('--no-work needs REDIS_URL: with a private Redis no other worker could take the jobs');
        }
        const progress = createProgress(ctx.stdout, { label: 'crawl' });
        let result: RunCrawlResult;
        try {
          result = await runCrawl({
            archive: archive!,
            redisUrl: redis.url,
            prefix: opts.prefix,
            sites,
            defaults: list.defaults,
            proxyUrl: opts.proxy ?? null,
            extraAllowHosts: opts.allowHost ?? [],
            crawlConcurrency: opts.concurrency,
            browser: opts.browser,
            recrawl: opts.full ? { full: true } : undefined,
            work: opts.work,
            args: { command: 'crawl', sites: sites.map((s) => s.id), config: opts.config, proxy: opts.proxy ?? null },
            signal: ctx.signal,
            onProgress: (s) => progress.update(s),
          });
        } finally {
          progress.stop();
        }
        if (!opts.work) {
          writeLine(ctx.stdout, `crawl run #${result.crawlRunId}: ${sites.length} crawl jobs enqueued on ${redis.url}`);
          return;
        }
        writeLine(ctx.stdout, crawlSummaryLines(archive!, result));
        if (result.status === 'failed') ctx.exitCode = 1;
      });
    });
}
