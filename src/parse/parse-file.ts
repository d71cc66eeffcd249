import type { ParseResult } from '../schema/parse-result.ts';
import { decodeBytes } from './decode.ts';
import { type DocumentInfo, sniffInput } from './sniff-input.ts';
import { guardedHtmlToBody } from './html-guard.ts';
import type { Attachment } from './html-to-body.ts';
import type { PageMeta } from './page-meta.ts';
import { parseReport } from './parse-report.ts';

export { type DocumentInfo, sniffInput } from './sniff-input.ts';

type Extractor = (
  bytes: Uint8Array,
  info: { filename?: string; contentType?: string | null },
) => Promise<{
  kind: string;
  body: string;
  html?: string;
  pages?: number;
  ocr: boolean;
  warnings: string[];
}>;

// Loaded on demand: the document stack (pdf.js, OCR) is heavy and html/text parsing must not need it.
async function loadExtractor(): Promise<Extractor> {
  const path = '../documents/index.ts';
  const mod = (await import(/* @vite-ignore */ path)) as { extractDocument: Extractor };
  return mod.extractDocument;
}

type PageBody = {
  body: string;
  pageMeta: PageMeta;
  attachments: Attachment[];
  kind: string;
  ocr: boolean;
  pages?: number;
  warnings: string[];
};

/** One fetched response → body text and what the page says about it (no parsing yet). */
async function bodyOf(bytes: Uint8Array, info: DocumentInfo): Promise<PageBody> {
  const kind = sniffInput(bytes, info);
  if (kind === 'html') {
    const { text, warnings = [] } = decodeBytes(bytes, { contentType: info.contentType, charset: info.charset });
    const h = guardedHtmlToBody(text, info.url);
    return {
      body: h.body,
      pageMeta: h.pageMeta,
      attachments: h.attachments,
      kind: 'html',
      ocr: false,
      warnings: [...warnings, ...h.warnings],
    };
  }
  if (kind === 'text') {
    const { text, warnings = [] } = decodeBytes(bytes, { contentType: info.contentType, charset: info.charset });
    return { body: text, pageMeta: {}, attachments: [], kind: 'text', ocr: false, warnings };
  }
  const doc = await extractBody(bytes, info);
  return { body: doc.body, pageMeta: {}, attachments: [], kind: doc.kind, ocr: doc.ocr, pages: doc.pages, warnings: doc.warnings };
}

// A pager line of a split article (`上一页 1 2 3 下一页`, `第2页 共3页`): page furniture, not report text.
const PAGER_LINE =
  /^(?=.*(?:上一?页|下一?页|首页|尾页|末页|第\s*\d+\s*页|共\s*\d+\s*页))(?:\s*(?:首页|尾页|上一页|下一页|末页|上页|下页|第\s*\d+\s*页|共\s*\d+\s*页|\[?\d{1,3}\]?|[<>«»]+)\s*)+$/;

/**
 * Several pages of ONE report (an article split over `…_2.html`, `?page=2`; see continuation.ts) → one
 * ParseResult: bodies joined in the given order (tables continue across the cut), pager lines dropped, the
 * heading and info lines that later pages repeat from the first page dropped, metadata from the first page.
 */
export async function parseDocumentPages(pages: Array<DocumentInfo & { bytes: Uint8Array }>): Promise<ParseResult> {
  if (!pages.length) throw new Error('parseDocumentPages: no pages given');
  if (pages.length === 1) return parseDocument(pages[0].bytes, pages[0]);
  const bodies: PageBody[] = [];
  for (const p of pages) bodies.push(await bodyOf(p.bytes, p));
  const first = bodies[0];
  const firstLines = new Set(
    first.body
      .split('\n')
      .slice(0, 12)
      .map((l) => l.replace(/\s+/g, ''))
      .filter(Boolean),
  );
  const joined: string[] = [];
  bodies.forEach((b, k) => {
    let lines = b.body.split('\n').filter((l) => !PAGER_LINE.test(l.trim()) || l.trim() === '');
    if (k > 0) {
      // Later pages repeat the title, date and source lines above the text; the first non-repeated line starts the page.
      let cut = 0;
      while (cut < Math.min(lines.length, 12) && (lines[cut].trim() === '' || firstLines.has(lines[cut].replace(/\s+/g, '')))) cut++;
      lines = lines.slice(cut);
    }
    joined.push(...lines);
  });
  const seen = new Set<string>();
  const attachments = bodies
    .flatMap((b) => b.attachments)
    .filter((a) => {
      if (seen.has(a.url)) return false;
      seen.add(a.url);
      return true;
    });
  return parseReport({
    body: joined.join('\n'),
    pageMeta: first.pageMeta,
    kind: first.kind,
    ocr: bodies.some((b) => b.ocr),
    pages: bodies.reduce((n, b) => n + (b.pages ?? 1), 0),
    attachments,
    warnings: [
      `pages_joined: the report was read from ${pages.length} pages${pages[0].url ? ` (${pages.map((p) => p.url).join(', ')})` : ''}`,
      ...bodies.flatMap((b) => b.warnings),
    ],
  });
}

/**
 * The extraction stage of a binary document (PDF, DOCX, DOC, XLS, image): the body text pdf.js layout, OCR or the
 * Word readers yield, with what they say about it. It is the expensive, parser-independent half of reading a
 * document, so the archive keeps it (per extractor version) and a parser change re-parses it with
 * parseExtraction instead of extracting again. HTML and text have no such stage worth keeping: decoding and
 * html→body cost about what parsing does, and html→body changes with the parser.
 */
export type Extraction = { kind: ExtractionKind; body: string; pages?: number; ocr: boolean; warnings: string[] };
export type ExtractionKind = 'pdf' | 'docx' | 'doc' | 'xls' | 'image';

/** A binary document → its Extraction (pdf.js / OCR / DOCX / DOC / XLS). Throws DocumentError on bad input. */
export async function extractBody(bytes: Uint8Array, info: DocumentInfo = {}): Promise<Extraction> {
  const extract = await loadExtractor();
  const doc = await extract(bytes, { filename: info.filename, contentType: info.contentType });
  const kind = (doc.kind === 'wps' ? 'doc' : doc.kind) as ExtractionKind;
  return { kind, body: doc.body, ...(doc.pages !== undefined ? { pages: doc.pages } : {}), ocr: doc.ocr, warnings: doc.warnings };
}

/** The parsing stage of a binary document: pure and sync, the same result parseDocument gives for its bytes. */
export function parseExtraction(e: Extraction): ParseResult {
  return parseReport({ body: e.body, kind: e.kind, ocr: e.ocr, pages: e.pages, warnings: e.warnings });
}

/** parseDocument with its stages apart: for a binary document, also the extraction and what each stage took. */
export type StagedParse = { result: ParseResult; extraction?: Extraction; extractMs?: number; parseMs: number };

export async function parseDocumentStaged(bytes: Uint8Array, info: DocumentInfo = {}): Promise<StagedParse> {
  if (sniffInput(bytes, info) !== 'document') {
    const t0 = performance.now();
    const result = await parseDocument(bytes, info);
    return { result, parseMs: performance.now() - t0 };
  }
  const t0 = performance.now();
  const extraction = await extractBody(bytes, info);
  const t1 = performance.now();
  const result = parseExtraction(extraction);
  return { result, extraction, extractMs: t1 - t0, parseMs: performance.now() - t1 };
}

/** Any fetched document → ParseResult. Throws (with the reason) only when the bytes cannot be read at all. */
export async function parseDocument(bytes: Uint8Array, info: DocumentInfo = {}): Promise<ParseResult> {
  const kind = sniffInput(bytes, info);
  if (kind === 'html') {
    const { text, warnings = [] } = decodeBytes(bytes, { contentType: info.contentType, charset: info.charset });
    const h = guardedHtmlToBody(text, info.url);
    return parseReport({
      body: h.body,
      pageMeta: h.pageMeta,
      kind: 'html',
      attachments: h.attachments,
      warnings: [...warnings, ...h.warnings],
    });
  }
  if (kind === 'text') {
    const { text, warnings = [] } = decodeBytes(bytes, { contentType: info.contentType, charset: info.charset });
    return parseReport({ body: text, kind: 'text', warnings });
  }
  return parseExtraction(await extractBody(bytes, info));
}
