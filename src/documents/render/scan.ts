// A "scanned" report: the PDF rendering rasterised to page images (pdftoppm) and wrapped back into an
// image-only PDF, which is what a county office uploads after printing and scanning its report.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { renderPdf } from './pdf.ts';
import type { RenderableReport } from './model.ts';
import { runTool } from '../tools.ts';

export type ScanOptions = {
  dpi?: number;
  maxPages?: number;
  /** Tilt of the paper on the scanner glass, in degrees (clockwise), as real scans have. */
  skewDeg?: number;
};

/** Page images (PNG) of a PDF, first page first. */
export async function rasterisePdf(
  pdf: Uint8Array,
  opts: { dpi?: number; firstPage?: number; lastPage?: number; gray?: boolean; format?: 'png' | 'pgm'; timeoutMs?: number } = {},
): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'nianbao-raster-'));
  try {
    const input = join(dir, 'in.pdf');
    await writeFile(input, pdf);
    const args = ['-r', String(opts.dpi ?? 200)];
    if (opts.firstPage) args.push('-f', String(opts.firstPage));
    if (opts.lastPage) args.push('-l', String(opts.lastPage));
    if (opts.gray) args.push('-gray');
    else if ((opts.format ?? 'png') === 'png') args.push('-png');
    args.push(input, join(dir, 'page'));
    await runTool('pdftoppm', args, { timeoutMs: opts.timeoutMs ?? 60_000, pkg: 'poppler-utils' });
    const files = (await readdir(dir)).filter((f) => f.startsWith('page')).sort((a, b) => pageNo(a) - pageNo(b));
    return Promise.all(files.map((f) => readFile(join(dir, f))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
const pageNo = (f: string) => Number(/-(\d+)\./.exec(f)?.[1] ?? 0);

export async function renderScan(report: RenderableReport, opts: ScanOptions = {}): Promise<Buffer> {
  const dpi = opts.dpi ?? 200;
  const pdf = await renderPdf(report);
  const pages = await rasterisePdf(pdf, { dpi, lastPage: opts.maxPages });
  return imagesToPdf(pages, opts.skewDeg ?? 0);
}

/** Wraps page images into a PDF with one full-page image per A4 page and no text layer. */
export function imagesToPdf(images: Buffer[], skewDeg = 0): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { CreationDate: new Date(Date.UTC(2020, 0, 1)) } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const img of images) {
    doc.addPage({ size: 'A4', margin: 0 });
    if (skewDeg) {
      doc.save();
      doc.rotate(skewDeg, { origin: [doc.page.width / 2, doc.page.height / 2] });
    }
    doc.image(img, 0, 0, { width: doc.page.width, height: doc.page.height });
    if (skewDeg) doc.restore();
  }
  doc.end();
  return done;
}
