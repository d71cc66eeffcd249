import { gunzipSync, gzipSync } from 'node:zlib';
import type { ParseResult } from '../schema/parse-result.ts';
import type { ExtractedText, ParseJob } from '../schema/jobs.ts';
import type { FetchedSnapshot } from '../crawler/types.ts';
import type { RecordUrlInput } from '../store/archive.ts';

// Payloads of the `archive` queue: everything a worker without the SQLite file wants stored. The
// archive writer is their only consumer.

/** One HTTP exchange as the crawler reports it; body bytes gzip+base64 (null for bodiless errors). */
export type SnapshotArchiveJob = {
  kind: 'snapshot';
  siteId: string | null;
  crawlRunId: number | null;
  snapshot: Omit<FetchedSnapshot, 'body'>;
  bodyGzipBase64: string | null;
};

export type ParseResultArchiveJob = {
  kind: 'parse-result';
  /** The parse job minus its bytes (the archive has them as snapshots, continuation pages included). */
  source: Omit<ParseJob, 'bodyGzipBase64' | 'extraction' | 'parts'> & { parts?: PagePartRef[] };
  parserVersion: string;
  result: ParseResult;
  /** A binary document's extraction made by this job, stored once per (snapshot, extractor version). */
  extraction?: ExtractedText;
  /** Where the job started and what each stage took in the parse thread (reparse prints the rates). */
  stages?: { from: 'bytes' | 'extraction'; extractMs?: number; parseMs: number };
};

/** A later page of a report split over several pages, as the archive stores it. */
export type PagePartRef = { url: string; sha256: string; contentType: string | null };

export type ErrorArchiveJob = {
  kind: 'error';
  error: {
    stage: 'fetch' | 'parse' | 'archive' | 'crawl';
    code: string;
    message: string;
    siteId?: string | null;
    crawlRunId?: number | null;
    url?: string | null;
  };
};

/** A URL the crawler met (link, attachment link) that is not itself a fetch. */
export type UrlArchiveJob = {
  kind: 'url';
  siteId: string | null;
  crawlRunId: number | null;
  url: Omit<RecordUrlInput, 'siteId'>;
};

export type ArchiveJob = SnapshotArchiveJob | ParseResultArchiveJob | ErrorArchiveJob | UrlArchiveJob;

// Transport only (Redis holds it for minutes): the fastest level; the archive compresses what it keeps on its own.
export const gzipBase64 = (bytes: Uint8Array): string => gzipSync(bytes, { level: 1 }).toString('base64');
export const gunzipBase64 = (b64: string): Buffer => gunzipSync(Buffer.from(b64, 'base64'));
