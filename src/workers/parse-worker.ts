import { createHash } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { createLogger } from '../log.ts';
import type { Extraction, StagedParse } from '../parse/parse-file.ts';
import { EXTRACTOR_VERSION, PARSER_VERSION } from '../parse/version.ts';
import { ParseJobSchema, type ParseJob } from '../schema/jobs.ts';
import type { ParseResult } from '../schema/parse-result.ts';
import { gunzipBase64, gzipBase64, type ErrorArchiveJob, type ParseResultArchiveJob } from './archive-jobs.ts';
import type { ArchiveOutlet } from './archive-writer.ts';
import { workerOptions, type BaseWorkerOptions } from './worker-options.ts';

const log = createLogger('parse-worker');

export type ParseFn = (
  bytes: Uint8Array,
  info: { filename?: string; url?: string; contentType?: string | null; charset?: string | null },
  /** The later pages of a report split over several pages, in order (none for a one-page document). */
  parts?: { bytes: Uint8Array; url: string; contentType: string | null; filename?: string }[],
) => Promise<ParseResult>;

/** ParseFn with the stages apart: a binary document's extraction comes back with the result, to be stored. */
export type StagedParseFn = (...args: Parameters<ParseFn>) => Promise<StagedParse>;
/** A stored extraction → ParseResult (the parser stage alone). */
export type ExtractionParseFn = (extraction: Extraction, info: { filename?: string; url?: string }) => Promise<StagedParse>;

export type ParseWorkerOptions = BaseWorkerOptions & {
  /** The archive queue, or the archive this process owns (localArchiveOutlet). */
  archiveQueue: ArchiveOutlet;
  /**
   * Bytes → result without stages (tests): when given, no extraction is returned for storing. Without it,
   * parseDocumentStaged (src/parse/parse-file.ts) inside the process's parse sandbox (src/documents/sandbox.ts:
   * heap, RSS and wall-clock limits), loaded on first use.
   */
  parse?: ParseFn;
  /** Jobs that carry a stored extraction; defaults to parseExtraction in the same sandbox. */
  parseExtraction?: ExtractionParseFn;
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

type SandboxFns = { staged: StagedParseFn; fromExtraction: ExtractionParseFn };
let defaultFns: Promise<SandboxFns> | undefined;
/** Parse threads the process's pool gets: the largest parse concurrency of its workers (one thread per core at most). */
let poolThreads = 1;
const loadSandbox = () =>
  (defaultFns ??= import('../documents/sandbox-pool.ts').then((m) => {
    const pool = m.sharedSandboxPool(poolThreads);
    return {
      staged: (bytes, info, parts) => pool.run((s) => s.parseStaged(bytes, info, parts)),
      fromExtraction: (extraction, info) => pool.run((s) => s.parseExtraction(extraction, info)),
    } satisfies SandboxFns;
  }));

/**
 * Runs one parse job → a `parse-result` archive job. A job with bytes is extracted (binary documents) and parsed,
 * and the extraction goes to the archive with the result; a job with a stored extraction is only parsed.
 */
export async function processParseJob(
  job: Pick<Job<ParseJob>, 'data' | 'attemptsMade' | 'opts'>,
  opts: Pick<ParseWorkerOptions, 'archiveQueue' | 'parse' | 'parseExtraction' | 'parserVersion'>,
): Promise<{ isReport: boolean; figures: number }> {
  const parsed = ParseJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed parse job: ${parsed.error.message}`);
  const { bodyGzipBase64, extraction: stored, ...source } = parsed.data;
  if ((bodyGzipBase64 === undefined) === (stored === undefined))
    throw new UnrecoverableError(`malformed parse job for ${source.url}: it needs either the bytes or a stored extraction`);
  const parserVersion = opts.parserVersion ?? PARSER_VERSION;
  const { parts: packedParts, ...rest } = source;
  const info = {
    filename: filenameOf(source.url),
    url: source.url,
    contentType: source.contentType,
    ...(source.charset ? { charset: source.charset } : {}),
  };

  let staged: StagedParse;
  try {
    if (stored) {
      const { bodyGzipBase64: gz, extractorVersion: _, ...meta } = stored;
      const fromExtraction = opts.parseExtraction ?? (await loadSandbox()).fromExtraction;
      staged = await fromExtraction({ ...meta, body: gunzipBase64(gz).toString('utf8') }, info);
    } else {
      const bytes = unpackChecked(bodyGzipBase64!, source.url, source.sha256);
      const parts = (packedParts ?? []).map((p) => ({
        bytes: new Uint8Array(unpackChecked(p.bodyGzipBase64, p.url, p.sha256)),
        url: p.url,
        contentType: p.contentType,
        filename: filenameOf(p.url),
      }));
      const args = [new Uint8Array(bytes), info, ...(parts.length ? [parts] : [])] as Parameters<ParseFn>;
      if (opts.parse) {
        const t0 = performance.now();
        staged = { result: await opts.parse(...args), parseMs: performance.now() - t0 };
      } else staged = await (await loadSandbox()).staged(...args);
    }
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
  const result: ParseResult = staged.result;

  // No fixed job id: the parse job's id already makes this one per document and parser, and a stale
  // finished archive job with a fixed id (Redis outliving its archive) would silently drop the result.
  // A replay after a stall is harmless: saveParse is idempotent.
  // The archive has every page's bytes as a snapshot: the result carries the pages by URL and hash only.
  const partRefs = (packedParts ?? []).map(({ bodyGzipBase64: _, ...ref }) => ref);
  const e = staged.extraction;
  const archiveJob: ParseResultArchiveJob = {
    kind: 'parse-result',
    source: { ...rest, ...(partRefs.length ? { parts: partRefs } : {}) },
    parserVersion,
    result,
    // Extracted now: the archive keeps it so the next parser change need not extract again.
    ...(e
      ? {
          extraction: {
            extractorVersion: EXTRACTOR_VERSION,
            kind: e.kind,
            ...(e.pages !== undefined ? { pages: e.pages } : {}),
            ocr: e.ocr,
            warnings: e.warnings,
            bodyGzipBase64: gzipBase64(Buffer.from(e.body, 'utf8')),
          },
        }
      : {}),
    stages: {
      from: stored ? 'extraction' : 'bytes',
      parseMs: Math.round(staged.parseMs),
      ...(staged.extractMs !== undefined ? { extractMs: Math.round(staged.extractMs) } : {}),
    },
  };
  await opts.archiveQueue.add('parse-result', archiveJob);
  return { isReport: result.isReport, figures: Object.keys(result.figures).length };
}

function unpackChecked(bodyGzipBase64: string, url: string, sha256: string): Buffer {
  const bytes = gunzipBase64(bodyGzipBase64);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new UnrecoverableError(`body of ${url} hashes to ${actual}, job says ${sha256}`);
  return bytes;
}

export function createParseWorker(opts: ParseWorkerOptions): Worker<ParseJob> {
  // Each concurrent parse gets a thread of its own (one sandbox parses one document at a time).
  const threads = opts.concurrency ?? 1;
  poolThreads = Math.max(poolThreads, threads);
  // Twice as many jobs as threads: while a thread parses, the next job is already fetched, unpacked and waiting
  // at the pool, and the one before is being saved. With one job per thread each thread sat idle for that
  // (a re-parse kept its two threads about 60 % busy).
  const worker = new Worker<ParseJob>(
    'parse',
    (job) => processParseJob(job, opts),
    workerOptions({ ...opts, concurrency: opts.parse ? threads : threads * 2 }),
  );
  worker.on('failed', (job, err) => log.warn({ url: job?.data.url, attempts: job?.attemptsMade, err: err.message }, 'parse job failed'));
  worker.on('error', (err) => log.error({ err: err.message }, 'parse worker error'));
  return worker;
}
