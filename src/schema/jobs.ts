import { z } from 'zod';

// BullMQ job payloads. Queue names and job ids live in src/workers/queues.ts.

export const CrawlJobSchema = z.object({
  siteId: z.string(),
  crawlRunId: z.number().int(),
});
export type CrawlJob = z.infer<typeof CrawlJobSchema>;

/**
 * A binary document's stored extraction (src/parse/parse-file.ts `Extraction`): its body text (gzip+base64) and
 * what the extractor said about it, stamped with the extractor version that produced it.
 */
export const ExtractedTextSchema = z.object({
  extractorVersion: z.string(),
  kind: z.enum(['pdf', 'docx', 'doc', 'xls', 'image']),
  pages: z.number().int().optional(),
  ocr: z.boolean(),
  warnings: z.array(z.string()),
  bodyGzipBase64: z.string(),
});
export type ExtractedText = z.infer<typeof ExtractedTextSchema>;

/**
 * One fetched document to parse. The bytes travel with the job so workers on other machines need no archive;
 * `reparse` sends a binary document's stored extraction instead, which the worker parses without pdf.js/OCR.
 * Exactly one of `bodyGzipBase64` and `extraction` is set.
 */
export const ParseJobSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string(),
  siteId: z.string().nullable(),
  contentType: z.string().nullable(),
  role: z.enum(['report-page', 'attachment']),
  parentUrl: z.string().nullable(), // for attachments: the report page that links them
  linkText: z.string().nullable(),
  bodyGzipBase64: z.string().optional(),
  extraction: ExtractedTextSchema.optional(),
  crawlRunId: z.number().int().nullable(),
  // The site config's forced charset (a site whose pages lie about theirs); absent in jobs of older versions.
  charset: z.string().nullable().optional(),
  // The further pages of a report split over several pages (…_2.html, ?page=2), in order: parsed with this
  // one as one document. Absent for a one-page document.
  parts: z
    .array(
      z.object({
        url: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        contentType: z.string().nullable(),
        bodyGzipBase64: z.string(),
      }),
    )
    .optional(),
});
export type ParseJob = z.infer<typeof ParseJobSchema>;
