// Documents → body text (docs/architecture.md, "src/documents/"). Every reader returns the same shape:
// one paragraph per line and each table row as one line of tab-separated cells.
import { DocumentError } from './errors.ts';
import { sniffDocument, extOf } from './sniff.ts';
import { hasEofMarker, readPdfGeometry } from './pdf/index.ts';
import { layoutDocument, type PageGeometry } from './layout.ts';
import { extractDocx } from './docx.ts';
import { extractDoc } from './doc.ts';
import { extractSheet } from './xls.ts';
import { ocrImage, ocrPdfPages, OCR_DPI, OCR_WARNING } from './ocr.ts';
import { checkImage, checkPdf, checkZipInflation, checkZipPackage, DEFAULT_CONTENT_LIMITS, type ContentLimits } from './limits.ts';

export { DocumentError, type DocumentErrorCode } from './errors.ts';
export { sniffDocument, type DocumentKind } from './sniff.ts';
export { DEFAULT_CONTENT_LIMITS, type ContentLimits } from './limits.ts';

export type ExtractedDocument = {
  kind: 'pdf' | 'docx' | 'doc' | 'xls' | 'image' | 'wps';
  body: string;
  html?: string;
  pages?: number;
  ocr: boolean;
  warnings: string[];
};

export type ExtractOptions = {
  /** Inputs above this size are refused before any parsing. */
  maxBytes?: number;
  /** Pages read from a PDF; the rest are dropped with a warning. */
  maxPages?: number;
  /** Pages OCRed (scans are slow: ~seconds per page). */
  maxOcrPages?: number;
  /** Whole-document budget. */
  timeoutMs?: number;
  /** Heap for the PDF worker thread. */
  maxHeapMb?: number;
  /** Set false to refuse scans instead of running tesseract. */
  ocr?: boolean;
  /** Unpacked-size, stream and pixel caps checked before a reader allocates (limits.ts). */
  content?: ContentLimits;
};

export const DEFAULT_LIMITS = {
  maxBytes: 100 * 1024 * 1024,
  maxPages: 200,
  maxOcrPages: 20,
  timeoutMs: 120_000,
  maxHeapMb: 512,
} as const;

export async function extractDocument(
  bytes: Uint8Array,
  info: { filename?: string | null; contentType?: string | null } = {},
  options: ExtractOptions = {},
): Promise<ExtractedDocument> {
  const o = { ...DEFAULT_LIMITS, ocr: true, content: DEFAULT_CONTENT_LIMITS, ...options };
  const filename = info.filename ?? null;
  if (!bytes || bytes.length === 0) throw new DocumentError('empty', filename, 'zero bytes');
  if (bytes.length > o.maxBytes) throw new DocumentError('too_large', filename, `${bytes.length} bytes > limit ${o.maxBytes}`);
  const sniffed = sniffDocument(bytes, info);
  const deadline = Date.now() + o.timeoutMs;
  // Later stages (OCR after pdf.js) get at least a second, but never more than the caller allowed in all.
  const floor = Math.min(1000, o.timeoutMs);
  const budget = () => Math.max(floor, deadline - Date.now());
  switch (sniffed.kind) {
    case 'pdf':
      return extractPdf(bytes, filename, o, budget);
    case 'docx':
      checkZipPackage(bytes, filename, o.content);
      await checkZipInflation(bytes, filename, o.content);
      return withTimeout(extractDocx(bytes, filename), budget(), filename);
    case 'doc':
    case 'wps':
      return withTimeout(extractDoc(bytes, filename, sniffed.kind), budget(), filename);
    case 'xls':
    case 'xlsx':
      if (sniffed.kind === 'xlsx') {
        checkZipPackage(bytes, filename, o.content);
        await checkZipInflation(bytes, filename, o.content);
      }
      return withTimeout(
        Promise.resolve().then(() => extractSheet(bytes, filename)),
        budget(),
        filename,
      );
    case 'image': {
      if (!o.ocr) throw new DocumentError('unsupported', filename, 'image document and OCR is disabled');
      checkImage(bytes, sniffed.imageType!, filename, o.content);
      const pages = await ocrImage(bytes, sniffed.imageType!, { filename, timeoutMs: budget() });
      return { kind: 'image', body: layoutDocument(pages), pages: 1, ocr: true, warnings: [OCR_WARNING] };
    }
    case 'ofd':
      throw new DocumentError('unsupported', filename, 'OFD documents are not supported');
    case 'zip':
    case 'rar':
    case '7z':
      throw new DocumentError('unsupported', filename, `${sniffed.kind} archives are not opened`);
    case 'html':
    case 'text':
      throw new DocumentError('unsupported', filename, `${sniffed.kind} is not a document; parse it as ${sniffed.kind}`);
    default:
      throw new DocumentError('unsupported', filename, `unknown document type${extOf(filename) ? ` (.${extOf(filename)})` : ''}`);
  }
}

async function extractPdf(
  bytes: Uint8Array,
  filename: string | null,
  o: Required<ExtractOptions>,
  budget: () => number,
): Promise<ExtractedDocument> {
  if (!hasEofMarker(bytes)) throw new DocumentError('truncated', filename, 'PDF has no %%EOF marker at its end (cut off?)');
  await checkPdf(bytes, filename, o.content);
  const raw = await readPdfGeometry(bytes, { filename, maxPages: o.maxPages, timeoutMs: budget(), maxHeapMb: o.maxHeapMb });
  const warnings: string[] = [];
  if (raw.numPages > raw.pages.length) warnings.push(`pages_dropped: read ${raw.pages.length} of ${raw.numPages} pages`);
  // A page with images and (almost) no text is a scan; so is every page of a document with no text at
  // all (its page images may have been too large for pdf.js to decode and count).
  const textOf = (p: (typeof raw.pages)[number]) => p.items.reduce((n, it) => n + it.s.trim().length, 0);
  const noText = raw.pages.reduce((n, p) => n + textOf(p), 0) < 20;
  type RawPage = (typeof raw.pages)[number];
  const scanned = raw.pages.map((p, i) => ({ i, p })).filter(({ p }) => textOf(p) < 5 && (p.images > 0 || noText));
  const pages: PageGeometry[] = raw.pages;
  let ocr = false;
  if (scanned.length > 0) {
    if (!o.ocr) throw new DocumentError('unsupported', filename, 'scanned PDF and OCR is disabled');
    // A page rasterised at OCR_DPI must stay within the pixel cap (a hostile MediaBox can be metres wide).
    const px = (p: RawPage) => ((p.width * OCR_DPI) / 72) * ((p.height * OCR_DPI) / 72);
    const oversized = scanned.filter(({ p }) => px(p) > o.content.maxImagePixels);
    if (oversized.length)
      warnings.push(
        `pages_dropped: ${oversized.length} scanned pages too large to rasterise (over ${o.content.maxImagePixels / 1e6} Mpx at ${OCR_DPI} dpi)`,
      );
    const wanted = scanned
      .filter(({ p }) => px(p) <= o.content.maxImagePixels)
      .slice(0, o.maxOcrPages)
      .map(({ i }) => i + 1);
    if (scanned.length > wanted.length) warnings.push(`pages_dropped: OCR limited to ${wanted.length} of ${scanned.length} scanned pages`);
    const ocrPages = await ocrPdfPages(bytes, wanted, { filename, timeoutMs: budget() });
    wanted.forEach((pageNo, k) => {
      if (ocrPages[k]) pages[pageNo - 1] = ocrPages[k];
    });
    ocr = true;
    warnings.push(OCR_WARNING);
  }
  const body = layoutDocument(pages);
  return { kind: 'pdf', body, pages: raw.numPages, ocr, warnings };
}

function withTimeout<T>(p: Promise<T>, ms: number, filename: string | null): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DocumentError('timeout', filename, `not read within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
