// Attachment bytes, rendered on first request by src/documents/render/* and kept in memory: rendering every
// PDF/DOCX/scan of every site up front would cost minutes for files a crawl may never fetch.
import type { ReportModel } from './reports/model.ts';
import { reportDocument } from './reports/document.ts';
import type { DocKind } from './sites/types.ts';

export const CONTENT_TYPES: Record<DocKind, string> = {
  pdf: 'application/pdf',
  scan: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export class AttachmentCache {
  private cache = new Map<string, Promise<Uint8Array>>();

  /** @param max files kept at once, least recently used dropped first (the national world renders thousands) */
  constructor(private readonly max = Infinity) {}

  get(key: string, kind: DocKind, model: ReportModel): Promise<Uint8Array> {
    let p = this.cache.get(key);
    if (p) {
      this.cache.delete(key);
      this.cache.set(key, p);
      return p;
    }
    p = renderAttachment(kind, model);
    // a failed render is retried on the next request rather than cached
    p.catch(() => this.cache.delete(key));
    this.cache.set(key, p);
    while (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }
}

export async function renderAttachment(kind: DocKind, model: ReportModel): Promise<Uint8Array> {
  const doc = reportDocument(model);
  if (kind === 'pdf') return (await import('../documents/render/pdf.ts')).renderPdf(doc);
  if (kind === 'docx') return (await import('../documents/render/docx.ts')).renderDocx(doc);
  return (await import('../documents/render/scan.ts')).renderScan(doc);
}
