import { createHash } from 'node:crypto';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { createLogger } from '../log.ts';
import { PARSER_VERSION } from '../parse/version.ts';
import { ParseJobSchema, type ParseJob } from '../schema/jobs.ts';
import type { ParseResult } from '../schema/parse-result.ts';
import { gunzipBase64, type ArchiveJob, type ErrorArchiveJob } from './archive-jobs.ts';
import { workerOptions, type BaseWorkerOptions } from './worker-options.ts';

const log = createLogger('parse-worker');

export type ParseFn = (
  bytes: Uint8Array,
  info: { filename?: string; url?: string; contentType?: string | null; charset?: string | null },
  /** The later pages of a report split over several pages, in order (none for a one-page document). */
  parts?: { bytes: Uint8Array; url: string; contentType: string | null; filename?: string }[],
) => Promise<ParseResult>;

export type ParseWorkerOptions = BaseWorkerOptions & {
  archiveQueue: Queue<ArchiveJob>;
  /**
   * Defaults to parseDocument (src/parse/parse-file.ts) inside the process's parse sandbox
   * (src/documents/sandbox.ts: heap, RSS and wall-clock limits), loaded on first use.
   */
  parse?: ParseFn;
  parserVersion?: string;
};

// Bad input, not bad luck: retrying an encrypted PDF or a zip bomb gives the same answer. A timeout is
// retried: on a busy machine the same document may fit its wall clock next time.
const PERMANENT_DOCUMENT_CODES = new Set(['encrypted', 'truncated', 'too_large', 'empty', 'unsupported', 'too_deep', 'bomb']);

function filenameOf(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}

let defaultParse: Promise<ParseFn> | undefined;
const loadParse = () =>
  (defaultParse ??= import('../documents/sandbox.ts').then((m) => {
    const sandbox = m.sharedSandbox();
    return ((bytes, info, parts) => sandbox.parse(bytes, info, parts)) as ParseFn;
  }));

/** Runs one parse job: bytes → ParseResult → a `parse-result` archive job. */
export async function processParseJob(
  job: Pick<Job<ParseJob>, 'data' | 'attemptsMade' | 'opts'>,
  opts: Pick<ParseWorkerOptions, 'archiveQueue' | 'parse' | 'parserVersion'>,
): Promise<{ isReport: boolean; figures: number }> {
  const parsed = ParseJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed parse job: ${parsed.error.message}`);
  const { bodyGzipBase64, ...source } = parsed.data;
  const parserVersion = opts.parserVersion ?? PARSER_VERSION;

  const bytes = unpackChecked(bodyGzipBase64, source.url, source.sha256);
  const { parts: packedParts, ...rest } = source;
  const parts = (packedParts ?? []).map((p) => ({
    bytes: new Uint8Array(unpackChecked(p.bodyGzipBase64, p.url, p.sha256)),
    url: p.url,
    contentType: p.contentType,
    filename: filenameOf(p.url),
  }));

  const parse = opts.parse ?? (await loadParse());
  let result: ParseResult;
  try {
    result = await parse(
      new Uint8Array(bytes),
      {
        filename: filenameOf(source.url),
        url: source.url,
        contentType: source.contentType,
        ...(source.charset ? { charset: source.charset } : {}),
      },
      ...(parts.length ? [parts] : []),
    );
  } catch (err) {
    const e = err as Error & { code?: string };
    const permanent = e.name === 'DocumentError' && PERMANENT_DOCUMENT_CODES.has(String(e.code));
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent || lastAttempt) {
      const error: ErrorArchiveJob = {
        kind: 'error',
        error: {
          stage: 'parse',
          code: e.name === 'DocumentError' ? `document_${e.code}` : 'parse_failed',
          message: e.message,
          siteId: source.siteId,
          crawlRunId: source.crawlRunId,
          url: source.url,
        },
      };
      await opts.archiveQueue.add('error', error);
    }
    if (permanent) throw new UnrecoverableError(`${source.url}: ${e.message}`);
    throw err;
  }

  // No fixed job id: the parse job's id already makes this one per document and parser, and a stale
  // finished archive job with a fixed id (Redis outliving its archive) would silently drop the result.
  // A replay after a stall is harmless: saveParse is idempotent.
  // The archive has every page's bytes as a snapshot: the result carries the pages by URL and hash only.
  const partRefs = (packedParts ?? []).map(({ bodyGzipBase64: _, ...ref }) => ref);
  await opts.archiveQueue.add('parse-result', {
    kind: 'parse-result',
    source: { ...rest, ...(partRefs.length ? { parts: partRefs } : {}) },
    parserVersion,
    result,
  });
  return { isReport: result.isReport, figures: Object.keys(result.figures).length };
}

function unpackChecked(bodyGzipBase64: string, url: string, sha256: string): Buffer {
  const bytes = gunzipBase64(bodyGzipBase64);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new UnrecoverableError(`body of ${url} hashes to ${actual}, job says ${sha256}`);
  return bytes;
}

export function createParseWorker(opts: ParseWorkerOptions): Worker<ParseJob> {
  const worker = new Worker<ParseJob>('parse', (job) => processParseJob(job, opts), workerOptions(opts));
  worker.on('failed', (job, err) => log.warn({ url: job?.data.url, attempts: job?.attemptsMade, err: err.message }, 'parse job failed'));
  worker.on('error', (err) => log.error({ err: err.message }, 'parse worker error'));
  return worker;
}
