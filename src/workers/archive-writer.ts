import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { createLogger } from '../log.ts';
import { ArchiveError, type Archive, type SaveParseResult } from '../store/archive.ts';
import { gunzipBase64, type ArchiveJob, type ParseResultArchiveJob } from './archive-jobs.ts';
import { snapshotToArchiveInput } from './crawl-worker.ts';
import { workerOptions, type BaseWorkerOptions } from './worker-options.ts';

const log = createLogger('archive-writer');

export type ArchiveWriterOptions = Omit<BaseWorkerOptions, 'concurrency'> & {
  archive: Archive;
  /** Called after each saved parse result (reparse counts what changed). */
  onParseSaved?: (job: ParseResultArchiveJob, saved: SaveParseResult) => void;
};

// Input the archive refuses will be refused again: retrying only delays the error row.
const PERMANENT = new Set(['invalid_input', 'constraint', 'not_sqlite', 'corrupt', 'schema_too_new', 'migration_edited']);

/**
 * Applies one archive job. Every branch is idempotent in the archive itself (content-addressed snapshots,
 * fetches unique by url+time+run, parse runs unique by sha+version, errors deduplicated), so a job
 * replayed after a crash or a stall leaves the same rows.
 */
export function applyArchiveJob(archive: Archive, data: ArchiveJob): SaveParseResult | null {
  switch (data.kind) {
    case 'snapshot': {
      const body = data.bodyGzipBase64 ? gunzipBase64(data.bodyGzipBase64) : null;
      archive.putSnapshot(snapshotToArchiveInput({ ...data.snapshot, body }, data.crawlRunId));
      return null;
    }
    case 'parse-result': {
      const { source, parserVersion, result, extraction } = data;
      const saved = archive.saveParse({
        snapshotSha: source.sha256,
        parserVersion,
        result,
        url: source.url,
        // Only an attachment's parent is its report page; a report page's parent is the list it was on.
        pageUrl: source.role === 'attachment' ? source.parentUrl : null,
        siteId: source.siteId,
        contentType: source.contentType,
        ...(source.parts ? { parts: source.parts } : {}),
      });
      // After saveParse, which makes sure the snapshot is archived; a replay writes the same row again.
      if (extraction) {
        const { bodyGzipBase64, extractorVersion, ...meta } = extraction;
        archive.saveExtraction({
          snapshotSha: source.sha256,
          extractorVersion,
          ...meta,
          body: { gzip: Buffer.from(bodyGzipBase64, 'base64') },
          extractMs: data.stages?.extractMs ?? null,
        });
      }
      return saved;
    }
    case 'error':
      archive.recordError(data.error);
      return null;
    case 'url':
      archive.recordUrl({ ...data.url, siteId: data.siteId });
      return null;
    default:
      throw new UnrecoverableError(`unknown archive job kind ${(data as { kind: string }).kind}`);
  }
}

/** A saved parse result is announced to `onParseSaved` (reparse counts what changed). */
function announce(data: ArchiveJob, saved: SaveParseResult | null, onParseSaved: ArchiveWriterOptions['onParseSaved']): void {
  if (saved && data.kind === 'parse-result') onParseSaved?.(data, saved);
}

/**
 * Applies one archive job as the archive writer does: input the archive refuses is recorded as an error row and
 * fails for good (UnrecoverableError); another failure is recorded only on the last attempt and rethrown to be retried.
 */
function writeArchiveJob(
  archive: Archive,
  data: ArchiveJob,
  lastAttempt: boolean,
  onParseSaved: ArchiveWriterOptions['onParseSaved'],
): SaveParseResult | null {
  try {
    const saved = applyArchiveJob(archive, data);
    announce(data, saved, onParseSaved);
    return saved;
  } catch (err) {
    if (err instanceof ArchiveError && PERMANENT.has(err.code)) {
      recordFailure(archive, data, err);
      throw new UnrecoverableError(err.message);
    }
    if (lastAttempt) recordFailure(archive, data, err as Error);
    throw err;
  }
}

/** The only writer of the SQLite file: concurrency 1, so writes never contend with each other. */
export function createArchiveWriter(opts: ArchiveWriterOptions): Worker<ArchiveJob> {
  const processor = async (job: Job<ArchiveJob>) => {
    const saved = writeArchiveJob(opts.archive, job.data, job.attemptsMade + 1 >= (job.opts.attempts ?? 1), opts.onParseSaved);
    return saved ? { reportId: saved.reportId, changed: saved.changed } : null;
  };
  const worker = new Worker<ArchiveJob>('archive', processor, workerOptions({ ...opts, concurrency: 1 }));
  worker.on('failed', (job, err) =>
    log.warn({ kind: job?.data.kind, attempts: job?.attemptsMade, err: err.message }, 'archive job failed'),
  );
  worker.on('error', (err) => log.error({ err: err.message }, 'archive writer error'));
  return worker;
}

/** Where a parse worker sends its results and errors: the archive queue, or the archive this process owns. */
export type ArchiveOutlet = { add(name: string, data: ArchiveJob): Promise<unknown> };

/**
 * The archive queue's work done in place, for a process that parses and owns the archive (`nianbao crawl`,
 * `reparse`): a parse result goes into SQLite before its parse job completes, instead of through Redis as JSON
 * to this same process's archive writer. A failed write fails the parse job, which is retried whole.
 * Results that arrive in the same turn of the event loop (at most `batchSize`) share one transaction: a commit
 * per report was a third of a re-parse's main thread. (Waiting longer for a fuller batch held the parse slots
 * and cost more than it saved.)
 */
export function localArchiveOutlet(opts: Pick<ArchiveWriterOptions, 'archive' | 'onParseSaved'> & { batchSize?: number }): ArchiveOutlet {
  const { archive, onParseSaved } = opts;
  const batchSize = opts.batchSize ?? 32;
  let batch: { data: ArchiveJob; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const items = batch;
    batch = [];
    let saved: (SaveParseResult | null)[];
    try {
      saved = archive.transaction(() => items.map((it) => applyArchiveJob(archive, it.data)));
    } catch {
      // One refused write rolls the whole batch back: each is written again on its own, so only it fails.
      for (const it of items) {
        try {
          writeArchiveJob(archive, it.data, false, onParseSaved);
          it.resolve();
        } catch (e) {
          it.reject(e);
        }
      }
      return;
    }
    items.forEach((it, i) => {
      try {
        announce(it.data, saved[i], onParseSaved);
      } finally {
        it.resolve();
      }
    });
  };
  return {
    add(_name, data) {
      return new Promise<void>((resolve, reject) => {
        batch.push({ data, resolve, reject });
        if (batch.length >= batchSize) flush();
        else scheduled ??= setImmediate(flush);
      });
    },
  };
}

function recordFailure(archive: Archive, d: ArchiveJob, err: Error): void {
  const url =
    d.kind === 'snapshot'
      ? d.snapshot.requestedUrl
      : d.kind === 'parse-result'
        ? d.source.url
        : d.kind === 'url'
          ? d.url.url
          : (d.error.url ?? null);
  try {
    archive.recordError({
      stage: 'archive',
      code: err instanceof ArchiveError ? err.code : 'archive_failed',
      message: `${d.kind}: ${err.message}`,
      url: url || null,
      siteId: d.kind === 'parse-result' ? d.source.siteId : d.kind === 'error' ? d.error.siteId : d.siteId,
      crawlRunId: d.kind === 'parse-result' ? d.source.crawlRunId : d.kind === 'error' ? d.error.crawlRunId : d.crawlRunId,
    });
  } catch (e) {
    log.error({ err: (e as Error).message }, 'cannot even record an archive error');
  }
}
