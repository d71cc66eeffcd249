import type { ReportFormat, Section } from '../schema/parse-result.ts';

export type FormatSignals = {
  title: string | null;
  headLines: string[]; // the first non-empty lines, where a page's own heading sits when no title was found
  pageTitle?: string;
  body: string;
  sections: Section[];
  tablesFormat: '2019' | '2021' | null;
  tableFigureCount: number;
  year: number | null;
};

// Neighbours of the report on a disclosure site (docs/site-families.md §4): the page's own heading decides.
const DECOY_HEADING =
  /(?:通知|函$|格式|模板|样本|政府工作报告|统计公报|统计年报|统计年鉴|法治政府建设|网站(?:工作)?年度报表|工作报表|预算|决算|三公经费|工作要点|工作总结|企业年报|年报公示|社会组织年报)/;
const COMPANION = /图解|一图读懂|图读|解读|问答/;
const REPORT_NAME = /(?:信息公开|政务公开).{0,8}(?:年度报告|年报)/;

/** The page's own heading: the report title if one was found, else the page title, else the first heading-like line. */
function headingOf(s: FormatSignals): string | null {
  if (s.title) return s.title;
  if (s.pageTitle) return s.pageTitle.replace(/\s+/g, '');
  for (const l of s.headLines) {
    const c = l.replace(/\s+/g, '');
    if (c.length >= 8 && c.length <= 80 && !c.includes('\t') && !/[。，,;；]/.test(c)) return c;
  }
  return null;
}

function decoyHeading(s: FormatSignals): string | null {
  const h = headingOf(s);
  if (!h) return null;
  if (COMPANION.test(h)) return h; // 图解/解读 pages link to the real report
  // A notice that carries its report (关于公布…年度报告的通知 with the tables) is still the report.
  if (/通知|函$/.test(h) && s.tableFigureCount >= 7) return null;
  if (DECOY_HEADING.test(h) && (!REPORT_NAME.test(h) || /通知|函$|格式|模板/.test(h))) return h;
  return null;
}

/** Whether the page is an annual disclosure report (not a notice, template, work report, budget …). */
export function detectIsReport(s: FormatSignals): { isReport: boolean; reason: string } {
  const decoy = decoyHeading(s);
  if (decoy) return { isReport: false, reason: `heading reads as a neighbour of the report: ${decoy}` };
  let score = 0;
  if (/政府信息公开条例/.test(s.body)) score += 2;
  if (/统计(?:期限|时限|周期)/.test(s.body)) score += 1;
  const keys = new Set(s.sections.map((x) => x.key));
  score += ['active', 'applications', 'review'].filter((k) => keys.has(k)).length;
  if (s.tableFigureCount >= 7) score += 3;
  else if (s.tablesFormat) score += 1;
  // A page listing many reports (links) and saying little else is not one report.
  const titleLines = s.body
    .split('\n')
    .filter((l) => REPORT_NAME.test(l) && l.replace(/\s+/g, '').length <= 60 && /(?:报告|年报)$/.test(l.trim()));
  if (titleLines.length >= 4 && score < 3) return { isReport: false, reason: `a list of ${titleLines.length} reports` };
  if (s.title) score += 4; // a report heading alone is enough: scanned (图片版) reports have little else
  return score >= 4 ? { isReport: true, reason: `score ${score}` } : { isReport: false, reason: `weak evidence (score ${score})` };
}

// Content signals of each template (docs/report-formats.md §1) for when the tables could not be read.
const SIG_2021 = /本年制发件数|本年废止件数|现行有效件数|本年收费金额|逾期不补正|缴纳费用/;
const SIG_2019 = /本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购/;

/** Format from what is printed: the tables' own verdict, then template labels, then legacy prose by year. */
export function detectFormat(s: FormatSignals): { format: ReportFormat; warnings: string[] } {
  const warnings: string[] = [];
  let format: ReportFormat;
  if (s.tablesFormat) format = s.tablesFormat;
  else if (SIG_2021.test(s.body.replace(/\s+/g, ''))) format = '2021';
  else if (SIG_2019.test(s.body.replace(/\s+/g, ''))) format = '2019';
  else if (s.year !== null && s.year <= 2018) format = 'legacy';
  else {
    format = 'unknown';
    if (s.year !== null) warnings.push('tables_missing: no template tables found in the text (prose only, or tables as images)');
  }
  if (s.year !== null && (format === '2019' || format === '2021')) {
    const expected = s.year <= 2018 ? 'legacy' : s.year <= 2020 ? '2019' : '2021';
    if (expected !== format) warnings.push(`format_year_mismatch: ${format}-format tables in a report on ${s.year}`);
  }
  return { format, warnings };
}
