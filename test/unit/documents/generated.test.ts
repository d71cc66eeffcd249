// Documents generated from a seed's expected figures (PDF with ruled tables, DOCX with real <w:tbl>,
// XLSX) extract to tab rows whose numbers equal the source figures.
import { describe, expect, it, vi } from 'vitest';
import * as XLSX from 'xlsx';
import { extractDocument } from '../../../src/documents/index.ts';
import { renderPdf } from '../../../src/documents/render/pdf.ts';
import { renderDocx } from '../../../src/documents/render/docx.ts';
import { templateReport } from '../../../src/documents/render/template.ts';
import { readJson, scoreCells, templateRows } from './helpers.ts';

// Two cores shared by many suites: PDF work in worker threads can be slow under load.
vi.setConfig({ testTimeout: 180_000 });

const seed = readJson('seeds/expected/000_142cd551b15b04df.json');
// Blank cells must stay blank fields: drop a few figures so the rendering has empty cells.
const BLANKED = ['applications.new.research', 'applications.granted.total', 'review.pending', 'active.fees.change'];
const figures2019: Record<string, number> = Object.fromEntries(
  Object.entries(seed.figures as Record<string, number>).filter(([k]) => !BLANKED.includes(k)),
);
// A 2021-format variant: the same applicant numbers, 2021 keys for table 二 and （六）.
const figures2021: Record<string, number> = {
  ...Object.fromEntries(Object.entries(figures2019).filter(([k]) => !k.startsWith('active.') && !k.startsWith('applications.other.'))),
  'active.regulations.issued': 2,
  'active.regulations.repealed': 0,
  'active.regulations.in_force': 11,
  'active.normative_docs.issued': 8,
  'active.normative_docs.repealed': 26,
  'active.normative_docs.in_force': 66,
  'active.licensing.decisions': 447228,
  'active.penalty.decisions': 3985758,
  'active.coercion.decisions': 88283,
  'active.fees.amount_wan': 96171.6,
  ...Object.fromEntries(
    ['natural', 'commercial', 'research', 'ngo', 'legal', 'other_org', 'total'].flatMap((c, i) => [
      [`applications.other_no_correction.${c}`, i],
      [`applications.other_unpaid.${c}`, 0],
      [`applications.other_other.${c}`, 1000 + i],
    ]),
  ),
};

for (const [format, figures] of [
  ['2019', figures2019],
  ['2021', figures2021],
] as const) {
  const report = templateReport({ title: `永修县2020年政府信息公开工作年度报告`, figures, format });
  const rows = templateRows(format);

  describe(`generated ${format}-format report`, () => {
    it('PDF: every value cell (and every blank) in its row and column', async () => {
      const pdf = await renderPdf(report);
      const doc = await extractDocument(pdf, { filename: 'report.pdf' });
      expect(doc.kind).toBe('pdf');
      const score = scoreCells(doc.body, figures, rows);
      expect(score.wrong).toEqual([]);
      expect(score.total).toBe(rows.flat().length);
      expect(doc.body.split('\n')).toContain('永修县2020年政府信息公开工作年度报告');
      // Paragraphs come out as single lines although the PDF wraps them.
      expect(doc.body).toMatch(/^本报告根据.*请与本机关政务公开办公室联系。$/m);
    });

    it('PDF with borders painted as thin filled boxes (Word export) reads the same', async () => {
      const pdf = await renderPdf(report, { ruleStyle: 'fill' });
      const doc = await extractDocument(pdf, { filename: 'word-export.pdf' });
      const score = scoreCells(doc.body, figures, rows);
      expect(score.wrong).toEqual([]);
    });

    it('PDF without borders: table 三 values and blanks still in their columns', async () => {
      const pdf = await renderPdf(report, { ruleStyle: 'none' });
      const doc = await extractDocument(pdf, { filename: 'borderless.pdf' });
      // Table 四 is not scored: its blank column has no number in any row to show where it is.
      const score = scoreCells(doc.body, figures, rows, (k) => k.startsWith('applications.'));
      expect(score.wrong).toEqual([]);
    });

    it('DOCX: merged cells expanded, values in place', async () => {
      const docx = await renderDocx(report);
      const doc = await extractDocument(docx, { filename: 'report.docx' });
      expect(doc.kind).toBe('docx');
      const score = scoreCells(doc.body, figures, rows);
      expect(score.wrong).toEqual([]);
      // vMerge continuation keeps an empty field for the merged label column.
      expect(doc.body).toMatch(/^\t\t2\.重复申请\t/m);
    });

    it('DOCX served with a wrong extension is still read as DOCX', async () => {
      const docx = await renderDocx(report);
      const doc = await extractDocument(docx, { filename: 'report.doc', contentType: 'application/msword' });
      expect(doc.kind).toBe('docx');
    });
  });
}

describe('spreadsheets', () => {
  it('XLSX: rows → tab rows, merged ranges follow the span contract, blanks kept', async () => {
    const report = templateReport({ title: 't', figures: figures2019, format: '2019' });
    const grid = report.tables[1];
    const ws = XLSX.utils.aoa_to_sheet(grid.map((r) => r.map((c) => (/^-?\d+(\.\d+)?$/.test(c) ? Number(c) : c))));
    ws['!merges'] = [
      { s: { r: 0, c: 0 }, e: { r: 2, c: 2 } },
      { s: { r: 3, c: 0 }, e: { r: 3, c: 2 } },
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '表三');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const doc = await extractDocument(bytes, { filename: 'x.xlsx' });
    expect(doc.kind).toBe('xls');
    const lines = doc.body.split('\n');
    const newRow = lines.find((l) => l.startsWith('一、本年新收'))!.split('\t');
    // colspan 3 → one field, then 7 values with the blank research cell kept.
    expect(newRow.length).toBe(8);
    expect(newRow[3]).toBe('');
    expect(newRow.slice(1).map((c) => (c === '' ? undefined : Number(c)))).toEqual(
      ['natural', 'commercial', 'research', 'ngo', 'legal', 'other_org', 'total'].map((c) => figures2019[`applications.new.${c}`]),
    );
  });
});
