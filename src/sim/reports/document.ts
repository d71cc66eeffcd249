// The document-neutral shape of a report, for src/documents/render/* (PDF, DOCX, scans).
import type { ReportModel } from './model.ts';
import { reportTableSpecs, tableGrid, type TableSpec } from './tables.ts';

export type DocumentBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** index into `tables` / `tableSpecs` */
  | { kind: 'table'; index: number };

export interface ReportDocument {
  title: string;
  /** headings and paragraphs in order, without tables */
  paragraphs: string[];
  /** the three tables as full grids (a spanned cell's text in its top-left slot, '' elsewhere) */
  tables: string[][][];
  /** the same tables with their spans, for renderers that draw merged cells */
  tableSpecs: TableSpec[];
  /** headings, paragraphs and tables in reading order */
  blocks: DocumentBlock[];
  issuer: string;
  publishedAt: string;
}

export function reportDocument(m: ReportModel): ReportDocument {
  const specs = reportTableSpecs(m);
  const index = new Map(specs.map((s, i) => [s.id, i]));
  const blocks: DocumentBlock[] = m.blocks.map((b) => (b.kind === 'table' ? { kind: 'table', index: index.get(b.table)! } : b));
  return {
    title: m.title,
    paragraphs: m.blocks.flatMap((b) => (b.kind === 'table' ? [] : [b.text])),
    tables: specs.map((s) => tableGrid(s)),
    tableSpecs: specs,
    blocks,
    issuer: m.issuer,
    publishedAt: m.publishedAt,
  };
}
