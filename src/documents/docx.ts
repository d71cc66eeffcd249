import mammoth from 'mammoth';
import { DocumentError } from './errors.ts';
import { htmlDocumentToBody } from './html-tables.ts';
import type { ExtractedDocument } from './index.ts';

export async function extractDocx(bytes: Uint8Array, filename: string | null): Promise<ExtractedDocument> {
  let html: string;
  const warnings: string[] = [];
  try {
    // Images are dropped: a report's figures are in its text and tables, and inline images bloat the HTML.
    const res = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = res.value;
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    if (e instanceof RangeError && /call stack/i.test(msg))
      throw new DocumentError('too_deep', filename, 'DOCX XML is nested deeper than the reader can walk', { cause: e });
    if (/end of central directory|corrupt|invalid|Can't find end/i.test(msg))
      throw new DocumentError('truncated', filename, `DOCX package is damaged: ${msg}`, { cause: e });
    throw new DocumentError('unsupported', filename, `DOCX could not be read: ${msg}`, { cause: e });
  }
  let body: string;
  try {
    body = htmlDocumentToBody(html);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message))
      throw new DocumentError('too_deep', filename, 'DOCX content is nested deeper than the reader can walk', { cause: e });
    throw e;
  }
  if (!body.trim() && /<img/i.test(html)) warnings.push('images_only: the document holds only images; figures not read');
  return { kind: 'docx', body, html, ocr: false, warnings };
}
