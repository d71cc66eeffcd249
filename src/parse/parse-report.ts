import { isFigureKey } from '../schema/figure-keys.ts';
import type { ParseResult } from '../schema/parse-result.ts';
import { detectFormat, detectIsReport } from './detect-format.ts';
import { readSummary } from './legacy.ts';
import { readMetadata } from './metadata.ts';
import { relineCollapsed } from './reline.ts';
import { normaliseText } from './normalise.ts';
import type { PageMeta } from './page-meta.ts';
import { splitSections } from './sections.ts';
import { readTables, type TablesResult } from './tables/index.ts';

type SourceKind = NonNullable<ParseResult['source']>['kind'];

export type ParseInput = {
  body: string;
  pageMeta?: PageMeta;
  kind?: string;
  ocr?: boolean;
  pages?: number;
  attachments?: { url: string; text: string }[];
  warnings?: string[]; // from extraction (PDF, DOCX …)
};

const SOURCE_KINDS = new Set(['html', 'text', 'pdf', 'docx', 'doc', 'xls', 'image', 'unknown']);

const EMPTY_TABLES: TablesResult = {
  format: null,
  found: { active: false, applications: false, review: false },
  figures: {},
  blanks: [],
  subtotals: { rows: {}, orgColumn: {}, groupOnly: {} },
  singleOtherRowIn2021: false,
  checks: [],
  warnings: [],
};

// A reader bug on one odd document must not lose its metadata: the result says the tables were not read.
function readTablesSafely(body: string, warnings: string[], collapsed: boolean): TablesResult {
  try {
    return readTables(body, { collapsed });
  } catch (e) {
    warnings.push(`tables_not_read: the table reader failed: ${(e as Error).message}`);
    return EMPTY_TABLES;
  }
}

const TABLE_NAMES = { active: '二 (主动公开)', applications: '三 (收到和处理申请)', review: '四 (复议诉讼)' } as const;

/** Warnings a careful reader would add that the table reader may not: blanks, missing tables, old （六） row. */
function tableWarnings(t: TablesResult, format: string, figures: Record<string, number>, warnings: string[]): string[] {
  const out: string[] = [];
  const said = (re: RegExp) => warnings.some((w) => re.test(w)) || t.warnings.some((w) => re.test(w));
  if (t.blanks.length && !said(/blank/i)) {
    out.push(
      `blank_cells: ${t.blanks.length} blank cell(s) left absent: ${t.blanks.slice(0, 12).join(', ')}${t.blanks.length > 12 ? ' …' : ''}`,
    );
  }
  if (format === '2019' || format === '2021') {
    const missing = (Object.keys(TABLE_NAMES) as (keyof typeof TABLE_NAMES)[]).filter((k) => !t.found[k]);
    if (missing.length && !said(/tables?_missing|truncat/i)) {
      out.push(
        `tables_missing: table ${missing.map((k) => TABLE_NAMES[k]).join(', ')} not found; the input may be truncated or the tables are images`,
      );
    }
  }
  if (
    format === '2021' &&
    Object.keys(figures).some((k) => k.startsWith('applications.other.')) &&
    !said(/（六）|\(六\)|single|other_row/i)
  ) {
    out.push('old_other_row: 2021-format tables with a single 2019-style (六)其他处理 row; read as applications.other, not split');
  }
  return out;
}

const DOCUMENT_LINK = /\.(pdf|docx?|wps|xlsx?|et|ofd)(?:[?#]|$)|downfile|download/i;

/**
 * A page whose text only introduces its attachment (…全文详见附件) is a wrapper: the attachment is the report
 * and is parsed on its own, so the page must not become a second, empty copy. Scanned (图片版) pages have no
 * such link and stay reports.
 */
function pointsToAttachment(
  body: string,
  title: string | null,
  attachments: ParseInput['attachments'],
  tableFigureCount: number,
): { isReport: boolean; reason: string } | null {
  // Forms and guides (申请表, 指南) hang off many report pages; they are not the report.
  const docs = (attachments ?? []).filter(
    (a) => (DOCUMENT_LINK.test(a.url) || DOCUMENT_LINK.test(a.text)) && !/申请表|登记表|表格|指南|目录|解读/.test(a.text),
  );
  if (!docs.length || tableFigureCount > 0) return null;
  const text = body
    .split('\n')
    .filter(
      (l) => l.replace(/\s+/g, '') !== (title ?? '') && !/(?:发布|生成|公开|成文)(?:日期|时间)|索引号|发布机构|来源|附件[:：]?$/.test(l),
    )
    .join('');
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  if (han >= 300) return null;
  return {
    isReport: false,
    reason: `the page only links its report: ${docs
      .map((a) => a.url)
      .slice(0, 3)
      .join(', ')}`,
  };
}

/** Body text → ParseResult: normalise, sections, tables, prose figures, metadata, format, checks. Pure and sync. */
export function parseReport(input: ParseInput): ParseResult {
  const warnings: string[] = [...(input.warnings ?? [])];
  // Page metadata went through the same converters as the body (繁體 copies, pinyin debris).
  const pageMeta: PageMeta = { ...input.pageMeta };
  for (const k of ['title', 'publisher', 'columnName', 'breadcrumb'] as const) {
    if (pageMeta[k]) pageMeta[k] = normaliseText(pageMeta[k]!).text;
  }
  const norm = normaliseText(input.body);
  warnings.push(...norm.warnings);
  const relined = relineCollapsed(norm.text);
  if (relined.relined)
    warnings.push(
      'text_relined: the text came without its line breaks (a text archive); lines restored from headings, numbering and table labels',
    );
  const body = relined.text;
  const lines = body.split('\n');

  const sections = splitSections(body);
  const tables = readTablesSafely(body, warnings, relined.relined);
  const meta = readMetadata(body, pageMeta);
  const tableFigures = Object.fromEntries(Object.entries(tables.figures).filter(([k, v]) => isFigureKey(k) && Number.isFinite(v)));

  const signals = {
    title: meta.title,
    headLines: lines.filter((l) => l.trim()).slice(0, 6),
    pageTitle: pageMeta.title,
    body,
    sections,
    tablesFormat: tables.format,
    tableFigureCount: Object.keys(tableFigures).length,
    year: meta.year,
  };
  const { format, warnings: formatWarnings } = detectFormat(signals);
  const report = pointsToAttachment(body, meta.title, input.attachments, signals.tableFigureCount) ?? detectIsReport(signals);

  let figures: Record<string, number> = {};
  let checks = tables.checks;
  if (report.isReport) {
    figures = { ...tableFigures };
    // A legacy report has no template tables by definition; "tables missing" would be noise there.
    if (format !== 'legacy' || Object.keys(tableFigures).length) warnings.push(...tables.warnings);
    // Prose figures are the whole content of legacy and prose-only reports; tabular reports state them in tables.
    if (format === 'legacy' || format === 'unknown') {
      const summary = readSummary(body);
      Object.assign(figures, summary.figures);
      warnings.push(...summary.warnings);
    }
    warnings.push(...tableWarnings(tables, format, figures, warnings));
    warnings.push(...meta.warnings, ...formatWarnings);
  } else {
    checks = [];
    warnings.push(`not_a_report: ${report.reason}`);
  }
  if (input.ocr) warnings.push('ocr: the text was recognised from images; characters may be misread');

  const kind = (SOURCE_KINDS.has(input.kind ?? '') ? input.kind : 'unknown') as SourceKind;
  return {
    isReport: report.isReport,
    title: meta.title,
    year: meta.year,
    region: meta.region,
    issuer: meta.issuer,
    publishedAt: meta.publishedAt,
    format: report.isReport ? format : 'unknown',
    figures,
    checks,
    warnings: [...new Set(warnings)],
    sections,
    body,
    source: {
      kind,
      ...(input.ocr !== undefined ? { ocr: input.ocr } : {}),
      ...(input.pages !== undefined ? { pages: input.pages } : {}),
      ...(input.attachments?.length ? { attachments: input.attachments } : {}),
    },
  };
}
