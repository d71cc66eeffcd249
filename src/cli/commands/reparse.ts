import { existsSync } from 'node:fs';
import { Command } from 'commander';
import type { ParseJob } from '../../schema/jobs.ts';
import type { ReparseItem } from '../../store/archive.ts';
import { createProgress } from '../progress.ts';
import { CliError, DEFAULT_ARCHIVE, positiveInt, writeLine, type CommandContext } from './common.ts';
import { withRuntime } from './runtime.ts';
import { formatFigureCounts, formatRows } from './summary.ts';

type ReparseOpts = { archive: string; force?: boolean; reExtract?: boolean; concurrency?: number; prefix?: string; diff?: string };

const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const rate = (n: number, ms: number) => (ms > 0 ? `${(n / (ms / 1000)).toFixed(n / (ms / 1000) < 10 ? 2 : 0)}/s` : '–');

type StageTotals = { extracted: number; extractMs: number; fromText: number; parsed: number; parseMs: number; wallMs: number };

/** "3 documents (pdf.js/OCR/Word) in 4.10 s (0.73/s); 120 parsed from stored text (extractor 1)". */
function formatExtraction(s: StageTotals, extractorVersion: string): string {
  const extracted = s.extracted
    ? `${s.extracted} documents (pdf.js/OCR/Word) in ${secs(s.extractMs)} (${rate(s.extracted, s.extractMs)})`
    : 'none';
  return `${extracted}; ${s.fromText} parsed from stored text (extractor ${extractorVersion})`;
}

/** Parser time as the parse threads measured it (extraction excluded), beside the wall clock of the whole run. */
function formatParsing(s: StageTotals): string {
  if (!s.parsed) return 'none';
  return `${s.parsed} documents in ${secs(s.parseMs)} of parser time (${rate(s.parsed, s.parseMs)}); ${secs(s.wallMs)} wall (${rate(s.parsed, s.wallMs)})`;
}

/** One line of `--diff`: a figure of a report that the new parser reads differently. */
type DiffRow = { reportId: number; key: string; before: number | null; after: number | null; oldParser: string | null; newParser: string };

// Bodies travel inside parse jobs: keep only a window of them in Redis, not the whole archive.
const MAX_QUEUED = 200;

/**
 * `nianbao reparse`: every archived report snapshot through the parse queue with the current parser —
 * no network. Snapshots this parser version already read are skipped (idempotent); earlier versions'
 * parse runs stay in the archive. A binary document (PDF, DOCX, scan) whose extraction by the current
 * extractor version is stored goes as that text, so only the parser runs; without one (a new extractor
 * version, a document never extracted since 0004, `--re-extract`) it goes as bytes and is extracted again.
 */
export function reparseCommand(ctx: CommandContext): Command {
  return new Command('reparse')
    .description('re-parse every archived report snapshot with the current parser (no network) and report what changed')
    .option('--archive <path>', 'the SQLite archive', DEFAULT_ARCHIVE)
    .option('--force', 'also re-parse snapshots this parser version has already read')
    .option('--re-extract', 'extract PDFs, scans and Word files again (pdf.js/OCR) instead of parsing their stored text')
    .option('--concurrency <n>', 'parse jobs at once', positiveInt('--concurrency'))
    .option('--prefix <prefix>', 'queue key prefix in Redis (one prefix per archive)')
    .option('--diff <file>', 'write what changed as CSV: report, key, old value, new value, parser versions')
    .action(async (opts: ReparseOpts) => {
      if (!existsSync(opts.archive)) throw new CliError(`no archive at ${opts.archive}`);
      const { EXTRACTOR_VERSION, PARSER_VERSION } = await import('../../parse/version.ts');
      const { sniffInput } = await import('../../parse/sniff-input.ts');
      const { startPipeline } = await import('../../workers/pipeline.ts');
      const { gzipBase64 } = await import('../../workers/archive-jobs.ts');
      const { enqueueParse, parseDocumentKey, parseJobId, pendingCount, sleep } = await import('../../workers/queues.ts');

      await withRuntime({ archivePath: opts.archive }, async ({ redis, archive }) => {
        const all = archive!.listSnapshotsForReparse();
        // One parse per snapshot (the job id is sha + version); its result is then saved for every URL
        // that served the same bytes, so each copy's source row moves to the new version too.
        const bySha = new Map<string, ReparseItem[]>();
        // Parsed by this parser already, but a binary document is still read again when the current extractor's
        // text of it is not stored (or --re-extract): its result may change with the extraction.
        const stale = new Map<string, boolean>();
        const extractionStale = (item: ReparseItem): boolean => {
          if (item.parts?.length) return false;
          let s = stale.get(item.sha256);
          if (s === undefined) {
            const wanted = opts.reExtract || !archive!.extractorVersionsOf(item.sha256).includes(EXTRACTOR_VERSION);
            const head = wanted ? archive!.snapshotHead(item.sha256) : null;
            s = !!head && sniffInput(head, { url: item.url, contentType: item.contentType }) === 'document';
            stale.set(item.sha256, s);
          }
          return s;
        };
        const alreadyParsed = new Set<string>();
        for (const item of all) {
          if (!opts.force && archive!.hasParse(item.sha256, PARSER_VERSION)) {
            if (!extractionStale(item)) continue;
            alreadyParsed.add(item.sha256);
          }
          const list = bySha.get(item.sha256) ?? [];
          list.push(item);
          bySha.set(item.sha256, list);
        }
        const totals = { documents: 0, saved: 0, reportsChanged: 0, reportsNew: 0, figuresChanged: 0, noLongerReports: 0 };
        // What each stage cost, as the parse threads measured it (jobs without stage figures count as bytes, 0 ms).
        const stages = { extracted: 0, extractMs: 0, fromText: 0, parsed: 0, parseMs: 0, queuedFromText: 0, wallMs: 0 };
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
            stages.parsed++;
            stages.parseMs += job.stages?.parseMs ?? 0;
            if (job.extraction) {
              stages.extracted++;
              stages.extractMs += job.stages?.extractMs ?? 0;
            }
            if (job.stages?.from === 'extraction') stages.fromText++;
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
        const started = performance.now();
        try {
          for (const [sha, items] of bySha) {
            if (ctx.signal.aborted) break;
            const first = items[0];
            // The stored text of a binary document: the bytes stay in SQLite and pdf.js/OCR do not run.
            // A report split over pages is HTML and goes as bytes, whole.
            const stored = opts.reExtract || first.parts?.length ? null : archive!.getExtraction(sha, EXTRACTOR_VERSION);
            const body = stored ? null : archive!.getSnapshotBody(sha);
            if (!stored && !body) continue;
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
            if (opts.force || alreadyParsed.has(sha)) {
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
              ...(stored
                ? {
                    extraction: {
                      extractorVersion: stored.extractorVersion,
                      kind: stored.kind,
                      ...(stored.pages !== null ? { pages: stored.pages } : {}),
                      ocr: stored.ocr,
                      warnings: stored.warnings,
                      bodyGzipBase64: stored.bodyGzip.toString('base64'),
                    },
                  }
                : { bodyGzipBase64: gzipBase64(body!) }),
              crawlRunId: null,
              ...(parts.length ? { parts } : {}),
            });
            totals.documents++;
            if (stored) stages.queuedFromText++;
            // Counting the queue is a Redis round trip: look every few jobs, not after each one.
            if (totals.documents % 25 !== 0) continue;
            while (!ctx.signal.aborted && (await pendingCount(pipeline.queues.parse)) >= MAX_QUEUED) {
              progress.update(await pipeline.counts());
              await sleep(200, ctx.signal);
            }
          }
          await pipeline.drain({ signal: ctx.signal, onTick: (s) => progress.update(s) });
          stages.wallMs = performance.now() - started;
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
              `${all.length} report/attachment snapshots, ${bySha.size} to parse${stages.queuedFromText ? ` (${stages.queuedFromText} from stored text)` : ''}${opts.force ? '' : `, ${new Set(all.map((i) => i.sha256)).size - bySha.size} already read by this version`}`,
            ],
            ['extraction', formatExtraction(stages, EXTRACTOR_VERSION)],
            ['parsing', formatParsing(stages)],
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
