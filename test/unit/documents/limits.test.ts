import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_LIMITS, DocumentError, extractDocument } from '../../../src/documents/index.ts';
import { checkImage, checkPdf, checkZipInflation, checkZipPackage, inflatedSize } from '../../../src/documents/limits.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';
import { deflatedRun, docxBomb, docxLiar, jpegHeader, pdfFlateBomb, pdfHugeImage, pngHeader, pngNoise } from './hostile-inputs.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../fixtures/reports/corpus');
const MB = 1024 * 1024;
const small = { ...DEFAULT_CONTENT_LIMITS, maxUnpackedBytes: 1 * MB, maxStreamBytes: 1 * MB };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    return (e as DocumentError).code;
  }
  throw new Error('expected a DocumentError');
}

describe('caps checked before a reader allocates', () => {
  it('a DOCX whose document.xml unpacks past the cap is a bomb, named, before mammoth runs', async () => {
    const bytes = await docxBomb(3 * MB);
    expect(bytes.length).toBeLessThan(20_000);
    let err: DocumentError | undefined;
    try {
      checkZipPackage(bytes, 'bomb.docx', small);
    } catch (e) {
      err = e as DocumentError;
    }
    expect(err?.code).toBe('bomb');
    expect(err?.message).toMatch(/bomb: bomb\.docx: .*word\/document\.xml/);
    expect(await codeOf(extractDocument(bytes, { filename: 'bomb.docx' }, { content: small }))).toBe('bomb');
  });

  it('a DOCX that declares 5 KB but inflates past the cap is a bomb too (inflated and counted, not kept)', async () => {
    const bytes = await docxLiar(3 * MB);
    expect(() => checkZipPackage(bytes, 'liar.docx', small)).not.toThrow(); // the declared sizes pass
    expect(await codeOf(checkZipInflation(bytes, 'liar.docx', small))).toBe('bomb');
    expect(await codeOf(extractDocument(bytes, { filename: 'liar.docx' }, { content: small }))).toBe('bomb');
    // A real-sized package passes.
    await expect(checkZipInflation(await docxLiar(64 * 1024, 64 * 1024), 'ok.docx', small)).resolves.toBeUndefined();
  });

  it('counts what a zlib stream inflates to without keeping it, and stops at the cap', async () => {
    const { deflated } = await deflatedRun(5 * MB, 0x41, false);
    expect(await inflatedSize(deflated, 10 * MB)).toBe(5 * MB);
    expect(await inflatedSize(deflated, 1 * MB)).toBeGreaterThan(1 * MB);
    expect(await inflatedSize(deflated, 1 * MB)).toBeLessThan(2 * MB);
  });

  it('a PDF whose content stream inflates past the stream cap is a bomb', async () => {
    const bytes = await pdfFlateBomb(3 * MB);
    expect(await codeOf(checkPdf(bytes, 'bomb.pdf', small))).toBe('bomb');
    expect(await codeOf(extractDocument(bytes, { filename: 'bomb.pdf' }, { content: small }))).toBe('bomb');
  });

  it('a 1 KB PDF declaring a 60000×60000 image is too_large at once', async () => {
    const bytes = pdfHugeImage(60000, 60000);
    expect(bytes.length).toBeLessThan(1024);
    const err = await extractDocument(bytes, { filename: 'img.pdf' }).catch((e: DocumentError) => e);
    expect((err as DocumentError).code).toBe('too_large');
    expect((err as DocumentError).message).toContain('60000×60000');
  });

  it('real PDFs pass the PDF checks', async () => {
    for (const f of ['03_hongze_2023.pdf', '05_huaian_2024.pdf']) {
      await expect(checkPdf(new Uint8Array(readFileSync(path.join(CORPUS, f))), f)).resolves.toBeUndefined();
    }
  });

  it('image headers: random bytes after a PNG signature are a damaged header; huge declared sizes are too_large', async () => {
    expect(await codeOf(parseDocument(pngNoise(10_000, 7), { filename: 'noise.png' }))).toBe('truncated');
    expect(() => checkImage(pngHeader(60000, 60000), 'png', 'big.png')).toThrow(/too_large: big\.png: image of 60000×60000 px/);
    expect(() => checkImage(jpegHeader(60000, 60000), 'jpeg', 'big.jpg')).toThrow(/too_large/);
    expect(() => checkImage(pngHeader(0, 10), 'png', 'zero.png')).toThrow(/truncated/);
    // A page-sized scan is fine.
    expect(() => checkImage(pngHeader(2480, 3508), 'png', 'a4.png')).not.toThrow();
    expect(() => checkImage(jpegHeader(2480, 3508), 'jpeg', 'a4.jpg')).not.toThrow();
  });
});
