import type { ReportFormat, Section } from '../schema/parse-result.ts';

export type FormatSignals = {
  title: string | null;
  headLines: string[]; // the first non-empty lines, where a page's own heading sits
  pageTitle?: string;
  body: string;
  sections: Section[];
  tablesFormat: '2019' | '2021' | null;
  tableFigureCount: number;
  year: number | null;
};

// Neighbours of the report on a disclosure site (site-patterns.md §4): the heading decides.
const DECOY_HEADING =
  /(?:通知|函|格式|模板|样本|政府工作报告|统计公报|统计年报|统计年鉴|法治政府建设|网站(?:工作)?年度报表|工作报表|预算|决算|三公经费|工作要点|工作总结|企业年报|年报公示|社会组织年报|图解|一图读懂|解读)/;

function decoyHeading(s: FormatSignals): string | null {
  const candidates = [s.title, s.pageTitle, ...s.headLines].filter((x): x is string => !!x).map((x) => x.replace(/\s+/g, ''));
  for (const c of candidates) {
    if (c.length > 80) continue;
    const isReportName = /信息公开.{0,8}(?:年度报告|年报)|政务公开.{0,8}年度报告/.test(c);
    if (DECOY_HEADING.test(c) && (!isReportName || /通知|函$|格式|模板|图解|一图读懂|解读/.test(c))) return c;
    if (isReportName) return null;
  }
  return null;
}

/** Whether the page is an annual disclosure report (not a notice, template, work report, budget …). */
export function detectIsReport(s: FormatSignals): { isReport: boolean; reason: string } {
  const decoy = decoyHeading(s);
  if (decoy) return { isReport: false, reason: `heading reads as a neighbour of the report: ${decoy}` };
  let score = 0;
  if (s.title) score += 3;
  if (/政府信息公开条例/.test(s.body)) score += 2;
  if (/统计(?:期限|时限|周期)/.test(s.body)) score += 1;
  const keys = new Set(s.sections.map((x) => x.key));
  score += ['active', 'applications', 'review'].filter((k) => keys.has(k)).length;
  if (s.tableFigureCount >= 7) score += 3;
  else if (s.tablesFormat) score += 1;
  return score >= 4 ? { isReport: true, reason: `score ${score}` } : { isReport: false, reason: `weak evidence (score ${score})` };
}

// Content signals of each template (report-formats.md §1) for when the tables could not be read.
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
