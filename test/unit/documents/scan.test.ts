// A scanned rendering (image-only PDF) is read by OCR; table cells must come out ≥95% right.
import { describe, expect, it, vi } from 'vitest';
import { extractDocument, DocumentError } from '../../../src/documents/index.ts';
import { renderScan, rasterisePdf } from '../../../src/documents/render/scan.ts';
import { renderPdf } from '../../../src/documents/render/pdf.ts';
import { templateReport } from '../../../src/documents/render/template.ts';
import { readJson, scoreCells, templateRows } from './helpers.ts';

vi.setConfig({ testTimeout: 300_000 });

// Figures with many distinct digits (a city-scale 2021 report) make OCR errors visible; all-zero tables would not.
const source = readJson('corpus/05_huaian_2024.expected.json');
const report = templateReport({ title: source.title, figures: source.figures, format: '2021' });

describe('scans', () => {
  it('image-only PDF → OCR, ≥95% of table cells right', async () => {
    const scan = await renderScan(report);
    const t = Date.now();
    const doc = await extractDocument(scan, { filename: 'scan.pdf' });
    expect(doc.kind).toBe('pdf');
    expect(doc.ocr).toBe(true);
    expect(doc.warnings).toContain('ocr: figures read by OCR');
    const score = scoreCells(doc.body, source.figures, templateRows('2021'));
    const accuracy = score.right / score.total;
    console.log(
      `[documents] OCR cell accuracy ${(accuracy * 100).toFixed(1)}% (${score.right}/${score.total}) in ${Date.now() - t} ms; wrong: ${score.wrong.slice(0, 10).join('; ')}`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('a PNG page image is read as an image document', async () => {
    const pdf = await renderPdf({
      title: '测试县2023年政府信息公开工作年度报告',
      paragraphs: ['一、总体情况'],
      tables: [
        [
          ['信息内容', '本年处理决定数量'],
          ['行政许可', '4471'],
          ['行政处罚', '398'],
        ],
      ],
    });
    const [png] = await rasterisePdf(pdf, { dpi: 200, lastPage: 1 });
    const doc = await extractDocument(png, { filename: 'page.jpg' });
    expect(doc).toMatchObject({ kind: 'image', ocr: true });
    expect(doc.body).toMatch(/行政许可\t4471/);
    expect(doc.body).toMatch(/行政处罚\t398/);
  });

  it('without tesseract a scan fails soft with a clear error', async () => {
    const scan = await renderScan({ title: '测试', paragraphs: ['一、总体情况'], tables: [] });
    const old = process.env.NIANBAO_TESSERACT;
    process.env.NIANBAO_TESSERACT = '/nonexistent/tesseract';
    try {
      const err = await extractDocument(scan, { filename: 's.pdf' }).catch((e) => e);
      expect(err).toBeInstanceOf(DocumentError);
      expect(err.code).toBe('unsupported');
      expect(err.message).toMatch(/tesseract-ocr/);
    } finally {
      if (old === undefined) delete process.env.NIANBAO_TESSERACT;
      else process.env.NIANBAO_TESSERACT = old;
    }
  });
});
