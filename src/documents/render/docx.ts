// Writes a minimal but real WordprocessingML package: paragraphs and <w:tbl> tables with gridSpan and
// vMerge, which is how Word stores the template's merged cells (and what docx readers must expand).
import JSZip from 'jszip';

// A fixed timestamp makes the same report render to the same bytes, so re-crawls of the simulated web find
// identical snapshots instead of new versions of every attachment.
const FIXED_DATE = new Date(Date.UTC(2020, 0, 1));
import { blocksOf, isHeadingLike, tableGridOf, type GridTable, type RenderableReport } from './model.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function run(text: string, opts: { bold?: boolean; size?: number } = {}): string {
  const rpr = `<w:rPr><w:rFonts w:ascii="宋体" w:eastAsia="宋体" w:hAnsi="宋体"/>${opts.bold ? '<w:b/>' : ''}<w:sz w:val="${opts.size ?? 24}"/></w:rPr>`;
  // Line breaks inside a paragraph or cell become <w:br/>.
  return text
    .split('\n')
    .map((part, i) => `${i ? `<w:r>${rpr}<w:br/></w:r>` : ''}<w:r>${rpr}<w:t xml:space="preserve">${esc(part)}</w:t></w:r>`)
    .join('');
}

function para(text: string, kind: 'title' | 'heading' | 'body' | 'cell'): string {
  const ppr = {
    title: '<w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/></w:pPr>',
    heading: '<w:pPr><w:pStyle w:val="Heading2"/><w:ind w:firstLine="480"/></w:pPr>',
    body: '<w:pPr><w:ind w:firstLine="480"/></w:pPr>',
    cell: '<w:pPr><w:jc w:val="center"/></w:pPr>',
  }[kind];
  const r = run(text, { bold: kind === 'title' || kind === 'heading', size: kind === 'title' ? 36 : kind === 'cell' ? 18 : 24 });
  return `<w:p>${ppr}${r}</w:p>`;
}

function table(t: GridTable): string {
  const colW = Math.floor(9000 / Math.max(1, t.cols));
  const grid = `<w:tblGrid>${`<w:gridCol w:w="${colW}"/>`.repeat(t.cols)}</w:tblGrid>`;
  const border = (n: string) => `<w:${n} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const tblPr = `<w:tblPr><w:tblW w:w="${colW * t.cols}" w:type="dxa"/><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders></w:tblPr>`;
  const byStart = new Map<string, (typeof t.cells)[number]>();
  const cover: ((typeof t.cells)[number] | undefined)[][] = Array.from({ length: t.rows }, () => new Array(t.cols));
  for (const c of t.cells) {
    byStart.set(`${c.r0},${c.c0}`, c);
    for (let r = c.r0; r <= c.r1; r++) for (let k = c.c0; k <= c.c1; k++) cover[r][k] = c;
  }
  let xml = `<w:tbl>${tblPr}${grid}`;
  for (let r = 0; r < t.rows; r++) {
    xml += '<w:tr>';
    for (let c = 0; c < t.cols; ) {
      const cell = cover[r][c];
      if (!cell) {
        xml += `<w:tc><w:tcPr><w:tcW w:w="${colW}" w:type="dxa"/></w:tcPr><w:p/></w:tc>`;
        c++;
        continue;
      }
      const span = cell.c1 - cell.c0 + 1;
      const gs = span > 1 ? `<w:gridSpan w:val="${span}"/>` : '';
      const vm = cell.r1 > cell.r0 ? (r === cell.r0 ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>') : '';
      const body = r === cell.r0 && cell.text ? para(cell.text, 'cell') : '<w:p/>';
      xml += `<w:tc><w:tcPr><w:tcW w:w="${colW * span}" w:type="dxa"/>${gs}${vm}</w:tcPr>${body}</w:tc>`;
      c = cell.c1 + 1;
    }
    xml += '</w:tr>';
  }
  return xml + '</w:tbl>';
}

export async function renderDocx(report: RenderableReport): Promise<Buffer> {
  let body = para(report.title, 'title');
  for (const b of blocksOf(report)) {
    if (b.kind === 'table') body += table(tableGridOf(report, b.index)) + '<w:p/>';
    else body += para(b.text, b.kind === 'heading' || isHeadingLike(b.text) ? 'heading' : 'body');
  }
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${W_NS}"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
    { date: FIXED_DATE },
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    { date: FIXED_DATE },
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    { date: FIXED_DATE },
  );
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W_NS}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style></w:styles>`,
    { date: FIXED_DATE },
  );
  zip.file('word/document.xml', document);
  zip.forEach((_, entry) => {
    entry.date = FIXED_DATE;
  }); // folders JSZip adds on its own too
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
