// Renders a report as a real PDF the way county offices print them: A4, CJK font, two-character paragraph
// indent, and tables with every cell boxed by ruling lines (so readers must use rules, not luck).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { blocksOf, isHeadingLike, tableGridOf, type GridTable, type RenderableReport } from './model.ts';

// A fixed creation date (it also seeds the file /ID) makes the same report render to the same bytes.
const FIXED_DATE = new Date(Date.UTC(2020, 0, 1));

export const CJK_FONT_PATH = process.env.NIANBAO_CJK_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
/** PostScript name of the face inside the collection (pdfkit selects TTC members by it). */
export const CJK_FONT_FAMILY = process.env.NIANBAO_CJK_FONT_FAMILY ?? 'WenQuanYiMicroHei';

export class MissingFontError extends Error {
  constructor(path: string) {
    super(`CJK font not found at ${path}: install the Debian package fonts-wqy-microhei or set NIANBAO_CJK_FONT`);
    this.name = 'MissingFontError';
  }
}

const MARGIN = 72;
const BODY_SIZE = 12;
const CELL_SIZE = 9;
const CELL_PAD = 3;

export type PdfRenderOptions = {
  compress?: boolean;
  /** How cell borders are painted: stroked paths (WPS) or thin filled boxes (Word's "Save as PDF"). */
  ruleStyle?: 'stroke' | 'fill' | 'none';
};

export function renderPdf(report: RenderableReport, opts: PdfRenderOptions = {}): Promise<Buffer> {
  if (!existsSync(CJK_FONT_PATH)) return Promise.reject(new MissingFontError(CJK_FONT_PATH));
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: opts.compress ?? true,
    info: { Title: report.title, CreationDate: FIXED_DATE },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', CJK_FONT_PATH, CJK_FONT_FAMILY);
  doc.font('cjk');
  const width = doc.page.width - 2 * MARGIN;

  doc.fontSize(18).text(report.title, { align: 'center', width });
  doc.moveDown(1);
  for (const b of blocksOf(report)) {
    if (b.kind === 'table') {
      drawTable(doc, tableGridOf(report, b.index), width, opts.ruleStyle ?? 'stroke');
      doc.moveDown(0.8);
    } else if (b.kind === 'heading' || isHeadingLike(b.text)) {
      doc.fontSize(BODY_SIZE + 1).text(b.text, MARGIN + BODY_SIZE * 2, doc.y, { width: width - BODY_SIZE * 2 });
      doc.moveDown(0.3);
    } else {
      doc.fontSize(BODY_SIZE).text(b.text, MARGIN, doc.y, { width, indent: BODY_SIZE * 2, lineGap: 4 });
      doc.moveDown(0.3);
    }
  }
  // Page numbers as printed in real reports: "- n -" in the footer.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(10).text(`- ${i + 1} -`, MARGIN, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function drawTable(doc: Doc, t: GridTable, width: number, ruleStyle: 'stroke' | 'fill' | 'none'): void {
  doc.fontSize(CELL_SIZE);
  // Column widths from the text they must hold (single-column cells), label columns get more.
  const need = new Array(t.cols).fill(CELL_SIZE * 2.5);
  // Numbers never wrap (a wrapped 3119 reads as 311 / 9); labels do, as in printed reports.
  const min = new Array(t.cols).fill(CELL_SIZE * 2);
  for (const c of t.cells) {
    if (c.c0 !== c.c1) continue;
    const w = Math.min(doc.widthOfString(c.text) + 2 * CELL_PAD, CELL_SIZE * 12);
    need[c.c0] = Math.max(need[c.c0], w);
    if (/^[-+]?[\d.,]+$/.test(c.text)) min[c.c0] = Math.max(min[c.c0], doc.widthOfString(c.text) + 2 * CELL_PAD + 2);
  }
  for (let i = 0; i < t.cols; i++) need[i] = Math.max(need[i], min[i]);
  const total = need.reduce((s, v) => s + v, 0);
  const minTotal = min.reduce((s, v) => s + v, 0);
  const colW =
    total <= width
      ? need.map((v) => (v / total) * width)
      : need.map((v, i) => min[i] + ((v - min[i]) * Math.max(0, width - minTotal)) / Math.max(1e-6, total - minTotal));
  const colX = [MARGIN];
  for (const w of colW) colX.push(colX[colX.length - 1] + w);
  const spanW = (c0: number, c1: number) => colX[c1 + 1] - colX[c0];
  // Row heights: each cell's text must fit in the rows it spans; single-row cells decide first.
  const rowH = new Array(t.rows).fill(CELL_SIZE + 2 * CELL_PAD + 4);
  const textH = (c: (typeof t.cells)[number]) =>
    doc.heightOfString(c.text || ' ', { width: spanW(c.c0, c.c1) - 2 * CELL_PAD }) + 2 * CELL_PAD;
  for (const c of t.cells) if (c.r0 === c.r1) rowH[c.r0] = Math.max(rowH[c.r0], textH(c));
  for (const c of t.cells) {
    if (c.r0 === c.r1) continue;
    let h = 0;
    for (let r = c.r0; r <= c.r1; r++) h += rowH[r];
    const extra = textH(c) - h;
    if (extra > 0) for (let r = c.r0; r <= c.r1; r++) rowH[r] += extra / (c.r1 - c.r0 + 1);
  }
  // Place rows on pages; rows never split, tables may.
  const bottomLimit = () => doc.page.height - doc.page.margins.bottom;
  const place: { page: number; y: number }[] = [];
  let y = doc.y;
  const firstRows = Math.min(t.rows, 4);
  let headH = 0;
  for (let r = 0; r < firstRows; r++) headH += rowH[r];
  if (y + headH > bottomLimit()) {
    doc.addPage();
    y = doc.y;
  }
  let page = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
  for (let r = 0; r < t.rows; r++) {
    if (y + rowH[r] > bottomLimit()) {
      doc.addPage();
      page++;
      y = doc.page.margins.top;
    }
    place.push({ page, y });
    y += rowH[r];
  }
  const lastPage = page;
  doc.lineWidth(0.6).strokeColor('black');
  for (const c of t.cells) {
    // A merged cell that crosses a page break is drawn as one box per page; its text goes in the first.
    let r = c.r0;
    let first = true;
    while (r <= c.r1) {
      const pg = place[r].page;
      let r2 = r;
      while (r2 + 1 <= c.r1 && place[r2 + 1].page === pg) r2++;
      const top = place[r].y;
      const h = place[r2].y + rowH[r2] - top;
      doc.switchToPage(pg);
      const x = colX[c.c0],
        w = spanW(c.c0, c.c1);
      if (ruleStyle === 'stroke') doc.rect(x, top, w, h).stroke();
      else if (ruleStyle === 'fill') {
        const k = 0.6;
        doc
          .rect(x, top, w, k)
          .fill('black')
          .rect(x, top + h - k, w, k)
          .fill('black')
          .rect(x, top, k, h)
          .fill('black')
          .rect(x + w - k, top, k, h)
          .fill('black');
      }
      if (first && c.text) {
        const th = doc.heightOfString(c.text, { width: w - 2 * CELL_PAD });
        const numeric = /^[-+]?[\d.,]+$/.test(c.text);
        doc.text(c.text, x + CELL_PAD, top + Math.max(CELL_PAD, (h - th) / 2), {
          width: w - 2 * CELL_PAD,
          align: numeric ? 'center' : 'left',
          lineBreak: true,
        });
      }
      first = false;
      r = r2 + 1;
    }
  }
  doc.switchToPage(lastPage);
  doc.x = MARGIN;
  doc.y = y;
  doc.fontSize(BODY_SIZE);
}
