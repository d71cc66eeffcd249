import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { ParseJob } from '../../schema/jobs.ts';
import type { ReparseItem } from '../../store/archive.ts';
import { createProgress } from '../progress.ts';
import { CliError, DEFAULT_ARCHIVE, positiveInt, writeLine, type CommandContext } from './common.ts';
import { withRuntime } from './runtime.ts';
import { formatFigureCounts, formatRows } from './summary.ts';

type ReparseOpts = { archive: string; force?: boolean; concurrency?: number; prefix?: string; diff?: string };

/** One line of `--diff`: a figure of a report that the new parser reads differently. */
type DiffRow = { reportId: number; key: string; before: number | null; after: number | null; oldParser: string | null; newParser: string };

// Bodies travel inside parse jobs: keep only a window of them in Redis, not the whole archive.
const MAX_QUEUED = 200;

/**
 * `nianbao reparse`: every archived report snapshot through the parse queue with the current parser —
 * no network. Snapshots this parser version already read are skipped (idempotent); earlier versions'
 * parse runs stay in the archive.
 */
export function reparseCommand(ctx: CommandContext): Command {
  return new Command('reparse')
    .description('re-parse every archived report snapshot with the current parser (no network) and report what changed')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--force', 'also re-parse snapshots this parser version has already read')
    .option('--concurrency <n>', 'parse jobs at once', positiveInt('--concurrency'))
    .option('--prefix <prefix>', 'queue key prefix in Redis (one prefix per archive)')
    .option('--diff <file>', 'write what changed as CSV: report, key, old value, new value, parser versions')
    .action(async (opts: ReparseOpts) => {
      if (!existsSync(opts.archive)) throw new CliError(`no archive at ${opts.archive}`);
      const { PARSER_VERSION } = await import('../../parse/version.ts');
      const { startPipeline } = await import('../../workers/pipeline.ts');
      const { gzipBase64 } = await import('../../workers/archive-jobs.ts');
      const { enqueueParse, parseDocumentKey, parseJobId, pendingCount, sleep } = await import('../../workers/queues.ts');

      await withRuntime({ archivePath: opts.archive }, async ({ redis, archive }) => {
        const all = archive!.listSnapshotsForReparse();
        // One parse per snapshot (the job id is sha + version); its result is then saved for every URL
        // that served the same bytes, so each copy's source row moves to the new version too.
        const bySha = new Map<string, ReparseItem[]>();
        for (const item of all) {
          if (!opts.force && archive!.hasParse(item.sha256, PARSER_VERSION)) continue;
          const list = bySha.get(item.sha256) ?? [];
          list.push(item);
          bySha.set(item.sha256, list);
        }
        const totals = { documents: 0, saved: 0, reportsChanged: 0, reportsNew: 0, figuresChanged: 0, noLongerReports: 0 };
        const changedReports = new Set<number>();
        const diffRows: DiffRow[] = [];
        const parserOf = archive!.db.prepare('SELECT parser_version FROM parse_runs WHERE id = ?');
        const pipeline = startPipeline({
          redisUrl: redis.url,
          prefix: opts.prefix,
          archive,
          roles: { parse: true, archive: true },
          parseConcurrency: opts.concurrency,
          onParseSaved: (job, saved) => {
            const count = (s: typeof saved) => {
              totals.saved++;
              if (s.reportId !== null && s.changed) {
                if (s.isNewReport) totals.reportsNew++;
                else if (!changedReports.has(s.reportId)) totals.reportsChanged++;
                changedReports.add(s.reportId);
              }
              totals.figuresChanged += s.figuresChanged;
              if (s.reportId !== null && s.figureChanges.length > 0) {
                const old =
                  s.previousParseRunId === null
                    ? null
                    : ((parserOf.get(s.previousParseRunId) as { parser_version: string } | undefined)?.parser_version ?? null);
                for (const c of s.figureChanges)
                  diffRows.push({
                    reportId: s.reportId,
                    key: c.key,
                    before: c.before,
                    after: c.after,
                    oldParser: old,
                    newParser: job.parserVersion,
                  });
              }
              if (!job.result.isReport && s.reportId !== null) totals.noLongerReports++;
            };
            count(saved);
            for (const copy of (bySha.get(job.source.sha256) ?? []).slice(1)) {
              count(
                archive!.saveParse({
                  snapshotSha: copy.sha256,
                  parserVersion: job.parserVersion,
                  result: job.result,
                  url: copy.url,
                  pageUrl: copy.role === 'attachment' ? copy.pageUrl : null,
                  siteId: copy.siteId,
                }),
              );
            }
          },
        });
        const progress = bySha.size > 0 ? createProgress(ctx.stdout, { label: 'reparse' }) : { update() {}, stop() {} };
        try {
          for (const [sha, items] of bySha) {
            if (ctx.signal.aborted) break;
            const first = items[0];
            const body = archive!.getSnapshotBody(sha);
            if (!body) continue;
            // A report split over pages is read again from all its pages' snapshots.
            const parts: NonNullable<ParseJob['parts']> = [];
            for (const p of first.parts ?? []) {
              const partBody = archive!.getSnapshotBody(p.sha256);
              if (!partBody) break;
              parts.push({
                url: p.url,
                sha256: p.sha256,
                contentType: archive!.snapshotContentType(p.sha256),
                bodyGzipBase64: gzipBase64(partBody),
              });
            }
            if (opts.force) {
              // A finished job with this id would make BullMQ skip the new one.
              await (await pipeline.queues.parse.getJob(parseJobId(parseDocumentKey({ sha256: sha, parts }), PARSER_VERSION)))
                ?.remove()
                .catch(() => {});
            }
            await enqueueParse(pipeline.queues, {
              sha256: sha,
              url: first.url,
              siteId: first.siteId,
              contentType: first.contentType,
              role: first.role,
              parentUrl: first.pageUrl,
              linkText: null,
              bodyGzipBase64: gzipBase64(body),
              crawlRunId: null,
              ...(parts.length ? { parts } : {}),
            });
            totals.documents++;
            while (!ctx.signal.aborted && (await pendingCount(pipeline.queues.parse)) >= MAX_QUEUED) {
              progress.update(await pipeline.counts());
              await sleep(200, ctx.signal);
            }
          }
          await pipeline.drain({ signal: ctx.signal, onTick: (s) => progress.update(s) });
        } finally {
          progress.stop();
          await pipeline.close();
        }
        const s = archive!.stats();
        writeLine(ctx.stdout, `reparse with parser ${PARSER_VERSION}`);
        writeLine(
          ctx.stdout,
          formatRows([
            [
              'snapshots',
              `${all.length} report/attachment snapshots, ${bySha.size} to parse${opts.force ? '' : ` (${new Set(all.map((i) => i.sha256)).size - bySha.size} already read by this version)`}`,
            ],
            ['reports changed', `${totals.reportsChanged}${totals.reportsNew ? ` (+${totals.reportsNew} new)` : ''}`],
            ['figures changed', totals.figuresChanged],
            ['no longer reports', totals.noLongerReports],
            ['reports', `${s.reports} in archive`],
            ['figures', formatFigureCounts(s)],
          ]),
        );
        if (opts.diff) {
          const { writeFileSync } = await import('node:fs');
          const { csvLine } = await import('../csv.ts');
          const header = csvLine(['report_id', 'key', 'old_value', 'new_value', 'old_parser_version', 'new_parser_version']);
          writeFileSync(
            opts.diff,
            header + diffRows.map((r) => csvLine([r.reportId, r.key, r.before, r.after, r.oldParser, r.newParser])).join(''),
          );
          writeLine(ctx.stdout, `${diffRows.length} changed figures written to ${opts.diff}`);
        }
      });
    });
}
