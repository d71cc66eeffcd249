// Issue 5: a scanned version of a seed report is OCRed and parsed by the full parser: ≥95% of its table
// cells right, every OCR figure under the OCR warning, and no cell outside the seed's figures invented.
import { describe, expect, it } from 'vitest';
import { renderScan } from '../../../src/documents/render/scan.ts';
import { templateReport } from '../../../src/documents/render/template.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';
import { readJson } from './helpers.ts';

const seed = readJson('seeds/expected/000_142cd551b15b04df.json');

describe('a scanned seed report', () => {
  it('seed 000 (2019 tables) as an image-only PDF parses with ≥95% of its cells right', { timeout: 300_000 }, async () => {
    const scan = await renderScan(templateReport({ title: seed.title, figures: seed.figures, format: '2019' }));
    const got = await parseDocument(scan, { filename: 'yongxiu-2020-scan.pdf' });
    expect(got.source?.ocr).toBe(true);
    expect(got.warnings).toContain('ocr: figures read by OCR');
    const keys = Object.keys(seed.figures);
    const right = keys.filter((k) => got.figures[k] === seed.figures[k]).length;
    const wrong = keys.filter((k) => k in got.figures && got.figures[k] !== seed.figures[k]);
    console.log(
      `[documents] scanned seed 000: ${right}/${keys.length} cells right, ${wrong.length} misread, ${keys.length - right - wrong.length} absent`,
    );
    expect(right / keys.length).toBeGreaterThanOrEqual(0.95);
    expect(got.format).toBe('2019');
    expect(got.year).toBe(2020);
  });
});
