import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../../src/documents/render/docx.ts';
import { renderPdf } from '../../../src/documents/render/pdf.ts';

// The simulated web renders attachments on request in every process; a re-crawl must meet the same bytes,
// or every attachment would look like a new version of its report.
const report = {
  title: '测试县2020年政府信息公开工作年度报告',
  paragraphs: ['一、总体情况', '正文'],
  tables: [
    [
      ['规章', '1'],
      ['行政规范性文件', '2'],
    ],
  ],
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const later = () => new Promise((r) => setTimeout(r, 2100)); // zip and PDF dates have 2 s / 1 s resolution

describe('document renderers are deterministic', () => {
  it('the same report renders to the same PDF and DOCX bytes at different times', { timeout: 60_000 }, async () => {
    const pdf1 = sha(await renderPdf(report as never));
    const docx1 = sha(await renderDocx(report as never));
    await later();
    expect(sha(await renderPdf(report as never))).toBe(pdf1);
    expect(sha(await renderDocx(report as never))).toBe(docx1);
  });
});
