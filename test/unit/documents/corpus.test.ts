// The real corpus PDFs keep their table structure through extractDocument: every value cell lands in
// its template row and column, compared with the hand-checked expected figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../../src/documents/index.ts';
import { numericRows, readJson, scoreCells, fixturePath, templateRows } from './helpers.ts';

const CASES = ['03_hongze_2023', '04_hongze_2024', '05_huaian_2024'];

describe('corpus PDFs', () => {
  for (const name of CASES) {
    it(`${name}: every table cell in its row and column`, async () => {
      const exp = readJson(`corpus/${name}.expected.json`);
      const bytes = new Uint8Array(readFileSync(fixturePath(`corpus/${name}.pdf`)));
      const doc = await extractDocument(bytes, { filename: `${name}.pdf` });
      expect(doc.kind).toBe('pdf');
      expect(doc.ocr).toBe(false);
      expect(doc.pages).toBeGreaterThanOrEqual(5);
      // Reports that keep the single 2019-style （六） row have other.* keys instead of the three sub-rows.
      const single = Object.keys(exp.figures).some((k) => k.startsWith('applications.other.'));
      const rows = templateRows(exp.format, single ? 'single' : 'split');
      const score = scoreCells(doc.body, exp.figures, rows);
      expect(score.wrong).toEqual([]);
      expect(score.right).toBe(score.total);
      // Table 三 rows are one line each with 7 value cells, not split over wrapped label lines.
      const seven = numericRows(doc.body).filter(
        (r) => r.length >= 8 && r.slice(-7).every((c) => /^\d+$/.test(c)) && r.some((c) => /[\u4e00-\u9fff]/.test(c)),
      );
      expect(seven.length).toBe(single ? 23 : 25);
      // Letter-spaced and wrapped headers come out joined.
      expect(doc.body).toMatch(/商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他/);
      // The title survives as heading lines of its own (the place name may sit on the line above).
      const lines = doc.body.split('\n').map((l) => l.replace(/\s/g, ''));
      expect(lines.some((l, i) => l === exp.title || l + (lines[i + 1] ?? '') === exp.title)).toBe(true);
      // Page numbers are not content.
      expect(doc.body).not.toMatch(/^- \d+ -$/m);
    }, 180_000);
  }

  it('05: wrapped （六） sub-row labels are joined into their cells', async () => {
    const bytes = new Uint8Array(readFileSync(fixturePath('corpus/05_huaian_2024.pdf')));
    const doc = await extractDocument(bytes, { filename: '05.pdf' });
    const line = doc.body.split('\n').find((l) => l.includes('逾期不补正'));
    expect(line).toBeDefined();
    const cells = line!.split('\t');
    expect(cells.some((c) => c === '1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请')).toBe(true);
    const exp = readJson('corpus/05_huaian_2024.expected.json');
    expect(cells.slice(-7).map(Number)).toEqual(
      ['natural', 'commercial', 'research', 'ngo', 'legal', 'other_org', 'total'].map(
        (c) => exp.figures[`applications.other_no_correction.${c}`],
      ),
    );
  }, 180_000);
});
