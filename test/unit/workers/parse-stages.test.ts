// The two stages of reading a binary document, below the CLI: the parse thread hands back the extraction with
// the result, the parse worker sends it to the archive writer, and a job carrying that text is parsed to the
// same result without extracting.
import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseSandbox, sharedSandbox } from '../../../src/documents/sandbox.ts';
import { parseDocument, parseDocumentStaged, parseExtraction } from '../../../src/parse/parse-file.ts';
import { EXTRACTOR_VERSION } from '../../../src/parse/version.ts';
import type { ParseJob } from '../../../src/schema/jobs.ts';
import { gunzipBase64, gzipBase64, type ArchiveJob, type ParseResultArchiveJob } from '../../../src/workers/archive-jobs.ts';
import { processParseJob } from '../../../src/workers/parse-worker.ts';
import { readReportFixture } from '../../fixtures/index.ts';

const PDF = readReportFixture('corpus/04_hongze_2024.pdf');
const HTML = readReportFixture('corpus/01_shanghai_office_2019.html');
afterAll(() => sharedSandbox().close());

/** An archive queue that keeps what is added to it. */
function capture() {
  const added: ArchiveJob[] = [];
  const queue = { add: async (_name: string, data: ArchiveJob) => void added.push(data) } as unknown as Queue<ArchiveJob>;
  return { added, queue };
}

const job = (data: Partial<ParseJob>) => ({
  data: {
    sha256: createHash('sha256').update(PDF).digest('hex'),
    url: 'http://www.hongze.gov.cn.test/upload/report.pdf',
    siteId: null,
    contentType: 'application/pdf',
    role: 'attachment' as const,
    parentUrl: null,
    linkText: null,
    crawlRunId: null,
    ...data,
  } as ParseJob,
  attemptsMade: 0,
  opts: { attempts: 1 },
});

describe('extraction and parsing as two stages', () => {
  it('parseExtraction of a PDF’s extraction is the result parseDocument gives for its bytes; HTML has no extraction', {
    timeout: 60_000,
  }, async () => {
    const staged = await parseDocumentStaged(PDF, { filename: 'report.pdf' });
    expect(staged.extraction).toMatchObject({ kind: 'pdf', ocr: false });
    expect(staged.extractMs).toBeGreaterThan(0);
    expect(parseExtraction(staged.extraction!)).toEqual(await parseDocument(PDF, { filename: 'report.pdf' }));
    expect(staged.result).toEqual(parseExtraction(staged.extraction!));
    const html = await parseDocumentStaged(HTML, { filename: 'report.html' });
    expect(html.extraction).toBeUndefined();
    expect(html.result.isReport).toBe(true);
  });

  it('the parse worker stores a PDF’s extraction with its result, and a job with that text parses to the same result without extracting', {
    timeout: 60_000,
  }, async () => {
    const bytesRun = capture();
    await processParseJob(job({ bodyGzipBase64: gzipBase64(PDF) }), { archiveQueue: bytesRun.queue });
    const fromBytes = bytesRun.added[0] as ParseResultArchiveJob;
    expect(fromBytes.extraction).toMatchObject({ extractorVersion: EXTRACTOR_VERSION, kind: 'pdf', ocr: false });
    expect(gunzipBase64(fromBytes.extraction!.bodyGzipBase64).toString('utf8')).toMatch(/\t/);
    expect(fromBytes.stages).toMatchObject({ from: 'bytes' });
    expect(fromBytes.stages!.extractMs).toBeGreaterThan(0);
    expect(fromBytes.source).not.toHaveProperty('bodyGzipBase64');

    // Both jobs run in the process's shared sandbox (the worker's default): it extracted once, for the bytes.
    const extractedBefore = sharedSandbox().extracted;
    expect(extractedBefore).toBeGreaterThan(0);
    const textRun = capture();
    await processParseJob(job({ extraction: fromBytes.extraction }), { archiveQueue: textRun.queue });
    const fromText = textRun.added[0] as ParseResultArchiveJob;
    expect(sharedSandbox().extracted).toBe(extractedBefore);
    expect(fromText.extraction).toBeUndefined();
    expect(fromText.stages).toMatchObject({ from: 'extraction' });
    expect(fromText.stages!.extractMs).toBeUndefined();
    expect(fromText.result).toEqual(fromBytes.result);
  });

  it('the sandbox counts extractions: bytes of a PDF count, its stored text and HTML do not', { timeout: 60_000 }, async () => {
    const s = new ParseSandbox();
    try {
      const staged = await s.parseStaged(PDF, { filename: 'report.pdf' });
      expect(s.extracted).toBe(1);
      const again = await s.parseExtraction(staged.extraction!);
      await s.parse(HTML, { filename: 'report.html' });
      expect(s.extracted).toBe(1);
      expect(again.result).toEqual(staged.result);
      expect(again.extraction).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('a job with neither bytes nor an extraction is refused as malformed', async () => {
    const run = capture();
    await expect(processParseJob(job({}), { archiveQueue: run.queue })).rejects.toThrow(/either the bytes or a stored extraction/);
    expect(run.added).toEqual([]);
  });
});
