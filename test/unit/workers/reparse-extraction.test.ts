// Extraction and parsing as two stages: a PDF's extraction is stored once per extractor version, and a parser
// change re-parses that text without pdf.js. The proof that the bytes are not read: they are made unreadable
// in the archive, and the figures still come out the same.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACTOR_VERSION, PARSER_VERSION } from '../../../src/parse/version.ts';
import { Archive } from '../../../src/store/archive.ts';
import { readReportFixture } from '../../fixtures/index.ts';
import { runCli, tmpDir } from './helpers.ts';

const tmp = tmpDir('nianbao-reparse-extraction-');
const file = path.join(tmp.dir, 'archive.sqlite');
const PDF = readReportFixture('corpus/04_hongze_2024.pdf');
const PDF_URL = 'http://www.hongze.gov.cn.test/upload/2025/report.pdf';
const PAGE_URL = 'http://www.hongze.gov.cn.test/art/2025/1/20/art_1.html';
let sha: string;
let savedRedisUrl: string | undefined;

beforeAll(() => {
  // A private redis-server per run, as a user without REDIS_URL gets.
  savedRedisUrl = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  const a = Archive.open(file);
  sha = a.putSnapshot({
    requestedUrl: PDF_URL,
    body: PDF,
    status: 200,
    contentType: 'application/pdf',
    kind: 'attachment',
    discoveredFrom: PAGE_URL,
    fetchedAt: '2026-01-01T00:00:00.000Z',
  }).sha256!;
  a.close();
});
afterAll(() => {
  if (savedRedisUrl !== undefined) process.env.REDIS_URL = savedRedisUrl;
  tmp.cleanup();
});

function inArchive<T>(fn: (a: Archive) => T): T {
  const a = Archive.open(file);
  try {
    return fn(a);
  } finally {
    a.close();
  }
}

/** The figures of the snapshot's parse by the current parser. */
const currentFigures = (a: Archive) => {
  const run = a.getParseRun(sha, PARSER_VERSION);
  expect(run, 'a parse run by the current parser').not.toBeNull();
  return run!.parsed.figures;
};

/** What a parser change looks like to the archive: the current version's parse becomes an older version's. */
const ageParse = (a: Archive, as: string) =>
  a.db.prepare('UPDATE parse_runs SET parser_version = ? WHERE snapshot_sha = ? AND parser_version = ?').run(as, sha, PARSER_VERSION);

const extractedAt = (a: Archive) => a.getExtraction(sha, EXTRACTOR_VERSION)?.extractedAt ?? null;

async function reparse(...args: string[]) {
  const r = await runCli('reparse', '--archive', file, ...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out;
}

describe('reparse: extraction and parsing as two stages', () => {
  let figures: Record<string, number>;

  it('the first parse of a PDF extracts it and stores the extraction, gzip-compressed, under the extractor version', {
    timeout: 180_000,
  }, async () => {
    const out = await reparse();
    expect(out).toMatch(/extraction\s+1 documents \(pdf\.js\/OCR\/Word\) in [\d.]+ s \([\d.]+\/s\); 0 parsed from stored text/);
    expect(out).toMatch(/parsing\s+1 documents in [\d.]+ s of parser time/);
    inArchive((a) => {
      figures = currentFigures(a);
      expect(Object.keys(figures).length).toBeGreaterThan(50);
      const e = a.getExtraction(sha, EXTRACTOR_VERSION)!;
      expect(e).toMatchObject({ kind: 'pdf', ocr: false });
      expect(e.pages).toBeGreaterThan(0);
      expect(e.bodyGzip.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(e.bodySize).toBeGreaterThan(e.bodyGzip.length);
      expect(a.extractorVersionsOf(sha)).toEqual([EXTRACTOR_VERSION]);
      expect(a.findReportByUrl(PDF_URL)).not.toBeNull();
    });
  });

  it('a new parser version parses the stored text: the PDF bytes are not read, and the figures are identical', {
    timeout: 120_000,
  }, async () => {
    const before = inArchive((a) => {
      ageParse(a, '0.0.1-old');
      // Unreadable evidence: were the bytes read, the job would fail their hash check and pdf.js would refuse them.
      a.db.prepare('UPDATE snapshots SET body = ? WHERE sha256 = ?').run(gzipSync(Buffer.from('not a pdf')), sha);
      return extractedAt(a);
    });
    const out = await reparse();
    expect(out).toMatch(/1 to parse \(1 from stored text\)/);
    expect(out).toMatch(/extraction\s+none; 1 parsed from stored text/);
    inArchive((a) => {
      expect(currentFigures(a)).toEqual(figures);
      expect(extractedAt(a)).toBe(before);
      expect(a.stats().errors).toBe(0);
      a.db.prepare('UPDATE snapshots SET body = ? WHERE sha256 = ?').run(gzipSync(PDF), sha);
    });
  });

  it('--re-extract runs extraction again, even for a snapshot this parser version has read', { timeout: 180_000 }, async () => {
    const before = inArchive(extractedAt);
    await new Promise((r) => setTimeout(r, 5));
    const out = await reparse('--re-extract');
    expect(out).toMatch(/1 to parse,/);
    expect(out).toMatch(/extraction\s+1 documents \(pdf\.js\/OCR\/Word\)/);
    inArchive((a) => {
      expect(extractedAt(a)! > before!).toBe(true);
      expect(currentFigures(a)).toEqual(figures);
    });
  });

  it('a PDF whose stored extraction is of another extractor version is extracted again, with no parser change', {
    timeout: 180_000,
  }, async () => {
    inArchive((a) => a.db.prepare('UPDATE extractions SET extractor_version = ? WHERE snapshot_sha = ?').run('0-old', sha));
    const out = await reparse();
    expect(out).toMatch(/extraction\s+1 documents \(pdf\.js\/OCR\/Word\)/);
    inArchive((a) => {
      expect(a.extractorVersionsOf(sha).sort()).toEqual(['0-old', EXTRACTOR_VERSION].sort());
      expect(currentFigures(a)).toEqual(figures);
    });
    // Now stored at this version and parsed by this parser: nothing left to do.
    const again = await reparse();
    expect(again).toMatch(/0 to parse/);
  });
});
