import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import type { Manifest } from '../../sim/index.ts';
import type { Archive, ReportRow } from '../../store/archive.ts';
import { urlKey } from '../../store/url-key.ts';
import type { RunCrawlResult } from '../../workers/run-crawl.ts';
import { createProgress } from '../progress.ts';
import { CliError, collect, DEFAULT_DEMO_ARCHIVE, positiveInt, writeLine, type CommandContext } from './common.ts';
import { crawlSummaryLines } from './crawl.ts';
import { dropPrefix } from '../../workers/queues.ts';
import { withRuntime } from './runtime.ts';
import { formatRows, pct } from './summary.ts';

type DemoOpts = { archive: string; seed: number; sites?: number; site?: string[]; concurrency?: number; browser: boolean; json?: boolean };

export type DemoScore = {
  expected: number;
  found: number;
  recall: number;
  archived: number;
  matched: number;
  precision: number;
  duplicates: number;
  falsePositives: string[];
  decoys: number;
  decoysArchived: string[];
  missing: string[];
  yearCorrect: number;
  regionCorrect: number;
  yearAccuracy: number;
  regionAccuracy: number;
};

/**
 * The sim knows the truth: which URLs carry which report (page, attachment, aliases) and which are
 * decoys. An archived report matches a manifest report when any of its URLs is one of that report's.
 */
export function scoreAgainstManifest(archive: Archive, manifest: Manifest, siteIds: Set<string>): DemoScore {
  const reports = manifest.reports.filter((r) => siteIds.has(r.siteId));
  // An attachment repeating a report whose page is the report is the same report, not another one.
  const expected = reports.filter((r) => !r.attachmentOf);
  const urlsOf = (r: (typeof reports)[number]) => [r.url, ...(r.aliases ?? []), ...(r.pageUrl ? [r.pageUrl] : [])];
  const keyToExpected = new Map<string, number>();
  expected.forEach((r, i) => urlsOf(r).forEach((u) => keyToExpected.set(urlKey(u), i)));
  for (const r of reports.filter((x) => x.attachmentOf)) {
    const owner = keyToExpected.get(urlKey(r.attachmentOf!));
    if (owner !== undefined) urlsOf(r).forEach((u) => keyToExpected.set(urlKey(u), owner));
  }

  const archived = archive.db
    .prepare(
      `SELECT * FROM reports WHERE status = 'report' AND (site_id IS NULL OR site_id IN (${[...siteIds].map(() => '?').join(',') || "''"}))`,
    )
    .all(...siteIds) as ReportRow[];
  const sourcesOf = archive.db.prepare('SELECT url FROM report_sources WHERE report_id = ?');
  const matchedBy = new Map<number, ReportRow>(); // expected index → first archived report
  let duplicates = 0;
  const falsePositives: string[] = [];
  for (const row of archived) {
    const urls = [row.url, ...(sourcesOf.all(row.id) as { url: string }[]).map((s) => s.url), ...(row.page_url ? [row.page_url] : [])];
    const hits = new Set(urls.map((u) => keyToExpected.get(urlKey(u))).filter((i): i is number => i !== undefined));
    if (hits.size === 0) {
      falsePositives.push(row.url);
      continue;
    }
    for (const i of hits) {
      if (matchedBy.has(i)) duplicates++;
      else matchedBy.set(i, row);
    }
  }
  const decoys = manifest.decoys.filter((d) => siteIds.has(d.siteId));
  const decoyKeys = new Set(decoys.map((d) => urlKey(d.url)));
  const decoysArchived = falsePositives.filter((u) => decoyKeys.has(urlKey(u)));
  let yearCorrect = 0;
  let regionCorrect = 0;
  for (const [i, row] of matchedBy) {
    if (row.year === expected[i].year) yearCorrect++;
    if (row.region_code === expected[i].regionCode) regionCorrect++;
  }
  const found = matchedBy.size;
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    expected: expected.length,
    found,
    recall: ratio(found, expected.length),
    archived: archived.length,
    matched: archived.length - falsePositives.length,
    precision: ratio(archived.length - falsePositives.length - duplicates, archived.length),
    duplicates,
    falsePositives,
    decoys: decoys.length,
    decoysArchived,
    missing: expected.filter((_, i) => !matchedBy.has(i)).map((r) => r.url),
    yearCorrect,
    regionCorrect,
    yearAccuracy: ratio(yearCorrect, found),
    regionAccuracy: ratio(regionCorrect, found),
  };
}

export function demoCommand(ctx: CommandContext): Command {
  return new Command('demo')
    .description('crawl the simulated county web (loopback only) into an archive and score the result against the truth')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_DEMO_ARCHIVE)
    .option('--seed <n>', 'seed of the simulated web', (v) => Number.parseInt(v, 10), 1)
    .option(
      '--sites <n>',
      'a national simulated web of N county sites (every CMS family, built lazily) instead of the 14 demo sites',
      positiveInt('--sites'),
    )
    .option('--site <id>', 'only this simulated site (repeatable)', collect)
    .option('--concurrency <n>', 'sites crawled at once', positiveInt('--concurrency'))
    .option('--no-browser', 'never start headless Chromium for script-built lists')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: DemoOpts) => {
      if (!Number.isInteger(opts.seed)) throw new CliError('--seed must be an integer');
      const { startSimWeb, simSiteList } = await import('../../sim/index.ts');
      const { runCrawl } = await import('../../workers/run-crawl.ts');

      // --sites N: the site list comes from the national sim's manifest, not config/sites.sim.yaml
      const sim = await startSimWeb({ seed: opts.seed, port: 0, ...(opts.sites ? { sites: opts.sites } : {}) });
      try {
        const list = simSiteList(sim.sites);
        const sites = opts.site?.length ? list.sites.filter((s) => opts.site!.includes(s.id)) : list.sites;
        if (opts.site?.length && sites.length !== opts.site.length) {
          throw new CliError(`--site: unknown simulated site (ids: ${list.sites.map((s) => s.id).join(', ')})`);
        }
        await withRuntime({ archivePath: opts.archive }, async ({ redis, archive }) => {
          // On a shared Redis a demo gets queues of its own, removed afterwards: demos must not see
          // each other's finished jobs (those would be skipped as duplicates).
          const prefix = redis.private ? undefined : `nianbao-demo-${randomUUID()}`;
          const progress = createProgress(ctx.stdout, { label: 'demo' });
          let result: RunCrawlResult;
          try {
            result = await runCrawl({
              archive: archive!,
              redisUrl: redis.url,
              prefix,
              sites,
              defaults: list.defaults,
              proxyUrl: sim.proxyUrl,
              crawlConcurrency: opts.concurrency ?? 4,
              browser: opts.browser,
              args: { command: 'demo', seed: opts.seed, sites: sites.map((s) => s.id) },
              signal: ctx.signal,
              onProgress: (s) => progress.update(s),
            });
          } finally {
            progress.stop();
            if (prefix) await dropPrefix(redis.url, prefix);
          }
          const ids = new Set(sites.map((s) => s.id));
          // a national manifest's full report list would build every site: only the crawled ones
          const manifest = opts.sites
            ? { seed: opts.seed, sites: sites.map((s) => sim.sites.find((i) => i.id === s.id)!), ...sim.truth(ids) }
            : sim.manifest;
          const score = scoreAgainstManifest(archive!, manifest, ids);
          if (opts.json) {
            writeLine(ctx.stdout, JSON.stringify({ crawl: { ...result, progress: undefined }, stats: archive!.stats(), score }, null, 2));
          } else {
            writeLine(
              ctx.stdout,
              `nianbao demo: seed ${opts.seed}, ${sites.length} simulated sites via ${sim.proxyUrl}, archive ${opts.archive}`,
            );
            writeLine(ctx.stdout, crawlSummaryLines(archive!, result));
            writeLine(ctx.stdout, 'against the simulation manifest');
            writeLine(ctx.stdout, formatScore(score));
          }
          if (result.status === 'failed') ctx.exitCode = 1;
        });
      } finally {
        await sim.close();
      }
    });
}

export function formatScore(s: DemoScore): string {
  const rows: [string, string | number][] = [
    ['recall', `${s.found}/${s.expected} reports found (${pct(s.found, s.expected)})`],
    [
      'precision',
      `${s.matched - s.duplicates}/${s.archived} archived reports are distinct manifest reports (${pct(s.matched - s.duplicates, s.archived)})`,
    ],
    ['duplicates', s.duplicates],
    ['decoys archived', `${s.decoysArchived.length} of ${s.decoys} decoys`],
    ['other non-reports', s.falsePositives.length - s.decoysArchived.length],
    ['year accuracy', `${s.yearCorrect}/${s.found} (${pct(s.yearCorrect, s.found)})`],
    ['region accuracy', `${s.regionCorrect}/${s.found} (${pct(s.regionCorrect, s.found)})`],
  ];
  for (const u of s.missing.slice(0, 10)) rows.push(['  missing', u]);
  for (const u of s.falsePositives.slice(0, 10)) rows.push(['  not a report', u]);
  return formatRows(rows);
}
