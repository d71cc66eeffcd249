import { z } from 'zod';

// The `nianbao parse --json` contract (docs/figures.md). The archive stores exactly this object.

export const ReportFormatSchema = z.enum(['2019', '2021', 'legacy', 'unknown']);
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

export const CheckSchema = z.object({
  rule: z.string(), // e.g. applications.balance.total, review.total
  ok: z.boolean(),
  detail: z.string(), // "10 + 0 ≠ 9 + 0 (diff 1)"
});
export type Check = z.infer<typeof CheckSchema>;

export const RegionSchema = z.object({
  name: z.string().nullable(),
  code: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
});
export type Region = z.infer<typeof RegionSchema>;

export const SectionSchema = z.object({
  key: z.string(), // overview | active | applications | review | problems | other | unknown
  title: z.string(),
  text: z.string(),
});
export type Section = z.infer<typeof SectionSchema>;

export const ParseResultSchema = z.object({
  isReport: z.boolean(),
  title: z.string().nullable(),
  year: z.number().int().nullable(),
  region: RegionSchema,
  issuer: z.string().nullable(),
  publishedAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  format: ReportFormatSchema,
  figures: z.record(z.string(), z.number()),
  checks: z.array(CheckSchema),
  // Free text; a leading code is suggested: "table_damaged: …", "check_failed: …", "converted_traditional".
  warnings: z.array(z.string()),
  // Extras beyond the contract, kept in the archive; consumers of the contract ignore them.
  sections: z.array(SectionSchema).optional(),
  body: z.string().optional(), // cleaned body text
  source: z
    .object({
      kind: z.enum(['html', 'text', 'pdf', 'docx', 'doc', 'xls', 'image', 'unknown']),
      ocr: z.boolean().optional(),
      pages: z.number().int().optional(),
      attachments: z.array(z.object({ url: z.string(), text: z.string() })).optional(),
    })
    .optional(),
});
export type ParseResult = z.infer<typeof ParseResultSchema>;
