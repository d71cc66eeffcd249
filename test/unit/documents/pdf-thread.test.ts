import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/documents/render/pdf.ts';
import { templateReport } from '../../../src/documents/render/template.ts';

describe('the pdf.js thread', () => {
  // It keeps ~150 MB (fonts, cMaps, a grown heap) after a PDF; one idle for NIANBAO_PDF_IDLE_MS is ended.
  it('is reused while PDFs keep coming and ended when none comes for the idle time, then started again', async () => {
    process.env.NIANBAO_PDF_IDLE_MS = '400';
    const { readPdfGeometry, pdfThreadRunning } = await import('../../../src/documents/pdf/index.ts');
    const pdf = await renderPdf(templateReport({ title: '永修县2020年政府信息公开工作年度报告', figures: {}, format: '2021' }));
    const opts = { maxPages: 5, timeoutMs: 60_000, maxHeapMb: 256 };
    const first = await readPdfGeometry(pdf, opts);
    expect(first.numPages).toBeGreaterThan(0);
    expect(pdfThreadRunning()).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    await readPdfGeometry(pdf, opts);
    expect(pdfThreadRunning()).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(pdfThreadRunning()).toBe(false);
    const again = await readPdfGeometry(pdf, opts);
    expect(again.pages.map((p) => p.items.length)).toEqual(first.pages.map((p) => p.items.length));
    expect(pdfThreadRunning()).toBe(true);
  });
});
