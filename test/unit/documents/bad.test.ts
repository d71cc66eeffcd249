// Bad input fails fast with a DocumentError naming the file and a stable code, never a hang or crash.
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import { describe, expect, it, vi } from 'vitest';
import { DocumentError, extractDocument } from '../../../src/documents/index.ts';
import { renderPdf } from '../../../src/documents/render/pdf.ts';
import { renderDocx } from '../../../src/documents/render/docx.ts';

vi.setConfig({ testTimeout: 120_000 });

const report = {
  title: '测试县2023年政府信息公开工作年度报告',
  paragraphs: ['一、总体情况', '本年度依法公开政府信息。'],
  tables: [
    [
      ['信息内容', '本年制发件数'],
      ['规章', '3'],
    ],
  ],
};

async function codeOf(p: Promise<unknown>, bound = 30_000): Promise<{ code: string; filename: string | null; ms: number }> {
  const t = Date.now();
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentError);
    const d = e as DocumentError;
    const ms = Date.now() - t;
    expect(ms).toBeLessThan(bound);
    return { code: d.code, filename: d.filename, ms };
  }
  throw new Error('expected a DocumentError');
}

function encryptedPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' });
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('secret report');
    doc.end();
  });
}

describe('bad documents', () => {
  it('zero bytes → empty', async () => {
    expect(await codeOf(extractDocument(new Uint8Array(0), { filename: 'a.pdf' }))).toMatchObject({ code: 'empty', filename: 'a.pdf' });
  });

  it('200 MB → too_large before any parsing', async () => {
    const big = new Uint8Array(200 * 1024 * 1024);
    big.set(Buffer.from('%PDF-1.7\n'));
    const r = await codeOf(extractDocument(big, { filename: 'big.pdf' }), 2000);
    expect(r).toMatchObject({ code: 'too_large', filename: 'big.pdf' });
  });

  it('truncated PDF → truncated', async () => {
    const pdf = await renderPdf(report);
    expect(await codeOf(extractDocument(pdf.subarray(0, Math.floor(pdf.length / 2)), { filename: 'cut.pdf' }))).toMatchObject({
      code: 'truncated',
    });
    // Only the header survived the transfer.
    expect(await codeOf(extractDocument(pdf.subarray(0, 20), { filename: 'cut.pdf' }))).toMatchObject({ code: 'truncated' });
  });

  it('PDF whose body is garbage but ends in %%EOF → truncated, not a crash', async () => {
    const junk = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5000, 0x41), Buffer.from('\n%%EOF\n')]);
    expect(await codeOf(extractDocument(junk, { filename: 'junk.pdf' }))).toMatchObject({ code: 'truncated' });
  });

  it('encrypted PDF → encrypted', async () => {
    const pdf = await encryptedPdf();
    expect(await codeOf(extractDocument(pdf, { filename: 'locked.pdf' }))).toMatchObject({ code: 'encrypted', filename: 'locked.pdf' });
  });

  it('owner-password-only PDF (copy protection, common on gov sites) is read normally', async () => {
    const doc = new PDFDocument({ ownerPassword: 'owner', permissions: { copying: false, printing: 'lowResolution' }, pdfVersion: '1.7' });
    const chunks: Buffer[] = [];
    const pdf = await new Promise<Buffer>((resolve) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.text('annual report 2023');
      doc.end();
    });
    const out = await extractDocument(pdf, { filename: 'protected.pdf' });
    expect(out.body).toContain('annual report 2023');
  });

  it('truncated DOCX → truncated', async () => {
    const docx = await renderDocx(report);
    expect(await codeOf(extractDocument(docx.subarray(0, docx.length - 200), { filename: 'cut.docx' }))).toMatchObject({
      code: 'truncated',
    });
  });

  it('wrong extension: magic bytes win over the name', async () => {
    const pdf = await renderPdf(report);
    const doc = await extractDocument(pdf, { filename: 'report.doc', contentType: 'application/msword' });
    expect(doc.kind).toBe('pdf');
    expect(doc.body).toContain('规章\t3');
    // HTML saved as .pdf is not a document.
    const html = Buffer.from('<html><body><p>年度报告</p></body></html>');
    expect(await codeOf(extractDocument(html, { filename: 'x.pdf' }))).toMatchObject({ code: 'unsupported' });
  });

  it('OFD, ZIP and RAR → unsupported', async () => {
    const ofd = new JSZip();
    ofd.file('OFD.xml', '<ofd:OFD/>');
    ofd.file('Doc_0/Document.xml', '<x/>');
    const ofdBytes = await ofd.generateAsync({ type: 'nodebuffer' });
    expect(await codeOf(extractDocument(ofdBytes, { filename: 'r.ofd' }))).toMatchObject({ code: 'unsupported' });
    const zip = new JSZip();
    zip.file('report.pdf', 'x');
    expect(await codeOf(extractDocument(await zip.generateAsync({ type: 'nodebuffer' }), { filename: 'r.zip' }))).toMatchObject({
      code: 'unsupported',
    });
    const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(100)]);
    expect(await codeOf(extractDocument(rar, { filename: 'r.rar' }))).toMatchObject({ code: 'unsupported' });
  });

  it('WPS that is not an OLE Word file → unsupported', async () => {
    const fake = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect(await codeOf(extractDocument(fake, { filename: 'r.wps' }))).toMatchObject({ code: 'unsupported', filename: 'r.wps' });
  });

  it('a PDF that takes too long → timeout, and the worker is stopped', async () => {
    const pdf = await renderPdf({
      ...report,
      paragraphs: Array.from({ length: 400 }, (_, i) => `第${i}段：本年度依法公开政府信息，持续推进政务公开。`.repeat(4)),
    });
    const r = await codeOf(extractDocument(pdf, { filename: 'slow.pdf' }, { timeoutMs: 1 }), 5000);
    expect(r.code).toBe('timeout');
  });

  it('a page cap bounds the work and says so', async () => {
    const pdf = await renderPdf({
      ...report,
      paragraphs: Array.from({ length: 120 }, (_, i) => `第${i}段：本年度依法公开政府信息，持续推进政务公开。`.repeat(4)),
    });
    const doc = await extractDocument(pdf, { filename: 'long.pdf' }, { maxPages: 2 });
    expect(doc.warnings.some((w) => w.startsWith('pages_dropped'))).toBe(true);
    expect(doc.pages).toBeGreaterThan(2);
  });
});
