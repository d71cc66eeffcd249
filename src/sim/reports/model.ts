import {
  ACTIVE_2019,
  ACTIVE_2021,
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  templateKeys,
} from '../../schema/figure-keys.ts';
import type { Rng } from '../random.ts';
import { buildBlocks } from './prose.ts';

export type ReportFormat = '2019' | '2021' | 'legacy';
export type IssuerKind = 'county' | 'department' | 'township';

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; table: 'active' | 'applications' | 'review' };

/** Printing choices that change the text (so they live in the model, not in a renderer's rng). */
export interface ReportStyle {
  /** 2019 table 二 (九): the unit printed in the 采购总金额 header */
  procurementUnit: '元' | '万元';
  /** positive 本年增/减 printed as `+300` (seed 000) or `300` (seed 002) */
  plusSign: boolean;
  /** 2019 table 二 row label: 规范性文件; 2021 may print the older label too (seed corpus 02) */
  normativeLabel: '规范性文件' | '行政规范性文件';
  /** title spacing like seed 002: `将乐县 2020 年…` */
  spacedTitle: boolean;
  /** table 三 prints a 小计 row after each group （三）…（六） (docs/report-formats.md §5, extra rows) */
  subtotalRows: boolean;
  /** table 三 prints a 法人或其他组织 小计 column (8 value columns) */
  orgSubtotalColumn: boolean;
}

export interface ReportModel {
  format: ReportFormat;
  year: number;
  regionName: string;
  regionCode: string;
  issuer: string;
  issuerKind: IssuerKind;
  title: string;
  /** YYYY-MM-DD, normally January–March of year + 1 */
  publishedAt: string;
  /** Ground truth: every key the report states, with its value (blank cells are absent). */
  figures: Record<string, number>;
  /** Every generated value, including cells printed blank. */
  values: Record<string, number>;
  /** Keys whose cell is printed empty (value 0 in `values`). */
  blankKeys: string[];
  style: ReportStyle;
  blocks: ReportBlock[];
}

export interface GenerateReportOptions {
  rng: Rng;
  format: ReportFormat;
  year: number;
  regionName: string;
  regionCode: string;
  /** 永修县人民政府, 永修县教育体育局, 虬津镇人民政府 … */
  issuer: string;
  issuerKind?: IssuerKind;
  /** probability that a zero cell of table 三 (not a total) is printed blank; default 0 */
  blankRate?: number;
  /** probabilities of non-template table 三 layouts (docs/report-formats.md §5); default 0 each */
  variants?: { subtotalRows?: number; orgSubtotalColumn?: number };
}

const SIX = APPLICANT_COLUMNS.filter((c) => c !== 'total');

/** Mostly small, occasionally large: real counties report a handful of applications, a few hundreds. */
const skewed = (rng: Rng, max: number, power = 2) => Math.floor(max * rng.next() ** power);

function outcomeWeights(format: '2019' | '2021'): Record<string, number> {
  const w: Record<string, number> = {
    granted: 40,
    partial: 8,
    denied_secret: 0.5,
    denied_law: 1,
    denied_safety: 0.5,
    denied_third_party: 1,
    denied_internal: 2,
    denied_process: 2,
    denied_enforcement: 0.5,
    denied_query: 1,
    unable_not_held: 20,
    unable_create: 3,
    unable_unclear: 2,
    rejected_petition: 3,
    rejected_repeat: 3,
    rejected_publication: 1,
    rejected_excessive: 1,
    rejected_confirm: 1,
  };
  if (format === '2019') w.other = 5;
  else Object.assign(w, { other_no_correction: 3, other_unpaid: 0.5, other_other: 3 });
  return w;
}

function generateApplications(rng: Rng, format: '2019' | '2021', kind: IssuerKind, values: Record<string, number>) {
  const rows = format === '2019' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021;
  const maxNatural = kind === 'county' ? 90 : kind === 'department' ? 14 : 6;
  const weights = outcomeWeights(format);
  const outcomeRows = Object.keys(weights);
  const set = (row: string, col: string, v: number) => (values[`applications.${row}.${col}`] = v);
  for (const row of rows) for (const col of APPLICANT_COLUMNS) set(row, col, 0);

  for (const col of SIX) {
    let fresh: number;
    if (col === 'natural') fresh = skewed(rng, maxNatural);
    else {
      const p = col === 'commercial' ? 0.3 : col === 'legal' || col === 'other_org' ? 0.12 : 0.05;
      fresh = rng.chance(p) ? 1 + skewed(rng, Math.max(1, Math.ceil(maxNatural / 8))) : 0;
    }
    const carried = fresh >= 3 && rng.chance(0.3) ? rng.int(0, Math.ceil(fresh / 8)) : 0;
    const available = fresh + carried;
    const forward = available > 0 && rng.chance(0.25) ? rng.int(0, Math.ceil(available / 10)) : 0;
    const handled = available - forward;
    set('new', col, fresh);
    set('carried_over', col, carried);
    set('carried_forward', col, forward);
    set('total', col, handled);
    const w = outcomeRows.map((r) => weights[r]!);
    for (let i = 0; i < handled; i++) {
      const row = outcomeRows[rng.weighted(w)]!;
      values[`applications.${row}.${col}`]! += 1;
    }
  }
  for (const row of rows) {
    values[`applications.${row}.total`] = SIX.reduce((s, c) => s + values[`applications.${row}.${c}`]!, 0);
  }
}

function generateReview(rng: Rng, kind: IssuerKind, values: Record<string, number>) {
  const p = kind === 'county' ? 0.35 : 0.12;
  for (const g of REVIEW_GROUPS) {
    const active = rng.chance(g === 'review' ? p : p / 2);
    const parts = {
      upheld: active ? skewed(rng, 6) : 0,
      corrected: active && rng.chance(0.4) ? rng.int(1, 2) : 0,
      other: active && rng.chance(0.3) ? rng.int(0, 2) : 0,
      pending: active && rng.chance(0.3) ? rng.int(0, 2) : 0,
    };
    let total = 0;
    for (const [s, v] of Object.entries(parts)) {
      values[`${g}.${s}`] = v;
      total += v;
    }
    values[`${g}.total`] = total;
  }
}

function generateActive(rng: Rng, format: '2019' | '2021', kind: IssuerKind, values: Record<string, number>) {
  const k = kind === 'county' ? 1 : kind === 'department' ? 0.2 : 0.1;
  // Counties have no rule-making power: 规章 rows are almost always 0.
  const regs = rng.chance(0.05) ? rng.int(1, 2) : 0;
  if (format === '2019') {
    const made = skewed(rng, 25 * k + 2);
    const published = rng.chance(0.8) ? made : Math.max(0, made - rng.int(0, 2));
    values['active.regulations.made'] = regs;
    values['active.regulations.published'] = regs;
    values['active.regulations.total'] = regs + (regs ? rng.int(0, 5) : 0);
    values['active.normative_docs.made'] = made;
    values['active.normative_docs.published'] = published;
    values['active.normative_docs.total'] = published + skewed(rng, 400 * k + 5, 1);
    for (const [p, cap] of [
      ['licensing', 5000],
      ['other_services', 2000],
      ['penalty', 3000],
      ['coercion', 300],
    ] as const) {
      const prev = skewed(rng, cap * k + 3, 1.5);
      values[`active.${p}.prev_items`] = prev;
      values[`active.${p}.change`] = rng.chance(0.4) ? 0 : rng.int(-Math.floor(prev / 5), Math.floor(prev / 4) + 3);
      values[`active.${p}.decisions`] = skewed(rng, cap * 10 * k + 5, 2);
    }
    const fees = skewed(rng, 80 * k + 2, 1.5);
    values['active.fees.prev_items'] = fees;
    values['active.fees.change'] = rng.chance(0.6) ? 0 : rng.int(-Math.min(fees, 5), 3);
    const projects = skewed(rng, 500 * k + 2, 1.5);
    values['active.procurement.projects'] = projects;
    // whole hundreds of yuan, so the 万元 print with two decimals is exact
    values['active.procurement.amount_yuan'] = projects === 0 ? 0 : rng.int(projects * 50, projects * 3000) * 100;
  } else {
    const issued = skewed(rng, 25 * k + 2);
    values['active.regulations.issued'] = regs;
    values['active.regulations.repealed'] = 0;
    values['active.regulations.in_force'] = regs + (regs ? rng.int(0, 5) : 0);
    values['active.normative_docs.issued'] = issued;
    values['active.normative_docs.repealed'] = rng.chance(0.5) ? 0 : skewed(rng, 12 * k + 1);
    values['active.normative_docs.in_force'] = issued + skewed(rng, 300 * k + 5, 1);
    values['active.licensing.decisions'] = skewed(rng, 60000 * k + 10, 2);
    values['active.penalty.decisions'] = skewed(rng, 20000 * k + 5, 2);
    values['active.coercion.decisions'] = skewed(rng, 2000 * k + 2, 2.5);
    values['active.fees.amount_wan'] = rng.chance(0.4) ? 0 : rng.int(0, Math.round(500000 * k)) / 100;
  }
}

function generateSummary(rng: Rng, kind: IssuerKind, values: Record<string, number>) {
  const k = kind === 'county' ? 1 : kind === 'department' ? 0.15 : 0.08;
  values['summary.active_items'] = 50 + skewed(rng, 12000 * k, 1.3);
  values['summary.applications'] = rng.chance(0.4) ? 0 : skewed(rng, 30 * k + 3, 2);
  const cases = rng.chance(0.8) ? 0 : rng.int(1, 3);
  values['summary.review_cases'] = cases;
  values['summary.litigation_cases'] = cases === 0 ? 0 : rng.int(0, 2);
  values['summary.fees_yuan'] = rng.chance(0.8) ? 0 : rng.int(1, 60) * 10;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function reportTitle(
  o: { format: ReportFormat; year: number; regionName: string; issuer: string; issuerKind: IssuerKind },
  rng: Rng,
): string {
  const who = o.issuerKind === 'county' ? rng.pick([o.regionName, o.issuer]) : o.issuer;
  if (o.format === 'legacy') {
    return rng.pick([
      `${who}${o.year}年度政府信息公开年度报告`,
      `${who}${o.year}年政府信息公开工作年度报告`,
      `${who}${o.year}年政府信息公开年报`,
    ]);
  }
  return rng.pick([
    `${who}${o.year}年政府信息公开工作年度报告`,
    `${who}${o.year}年度政府信息公开工作年度报告`,
    `${who}${o.year}年政府信息公开年度报告`,
  ]);
}

/** A report with random but internally consistent figures (every identity of docs/report-formats.md §4). */
export function generateReport(opts: GenerateReportOptions): ReportModel {
  const { rng, format, year, regionName, regionCode, issuer } = opts;
  const issuerKind =
    opts.issuerKind ?? (/(县|区|市)人民政府$/.test(issuer) ? 'county' : /(镇|乡|街道)/.test(issuer) ? 'township' : 'department');
  const values: Record<string, number> = {};
  if (format === 'legacy') generateSummary(rng.fork('summary'), issuerKind, values);
  else {
    generateActive(rng.fork('active'), format, issuerKind, values);
    generateApplications(rng.fork('applications'), format, issuerKind, values);
    generateReview(rng.fork('review'), issuerKind, values);
  }

  const blankKeys: string[] = [];
  const blankRate = opts.blankRate ?? 0;
  if (blankRate > 0) {
    const br = rng.fork('blanks');
    for (const key of Object.keys(values)) {
      // only zero summands: identities still hold with blank-as-0 and no stated total goes missing
      if (!key.startsWith('applications.') || key.endsWith('.total') || key.includes('.total.')) continue;
      if (values[key] === 0 && br.chance(blankRate)) blankKeys.push(key);
    }
  }
  const blankSet = new Set(blankKeys);
  const figures: Record<string, number> = {};
  const keys = format === 'legacy' ? Object.keys(values) : templateKeys(format);
  for (const key of keys) if (!blankSet.has(key)) figures[key] = values[key]!;

  const sr = rng.fork('style');
  const style: ReportStyle = {
    procurementUnit: sr.chance(0.5) ? '元' : '万元',
    plusSign: sr.chance(0.4),
    normativeLabel: format === '2021' && sr.chance(0.8) ? '行政规范性文件' : '规范性文件',
    spacedTitle: sr.chance(0.15),
    subtotalRows: false,
    orgSubtotalColumn: false,
  };
  if (opts.variants && format !== 'legacy') {
    // a separate stream, so turning variants on leaves every other choice of the report unchanged
    const vr = rng.fork('variants');
    style.subtotalRows = vr.chance(opts.variants.subtotalRows ?? 0);
    style.orgSubtotalColumn = vr.chance(opts.variants.orgSubtotalColumn ?? 0);
  }
  const month = sr.int(1, 3);
  const publishedAt = `${year + 1}-${pad(month)}-${pad(sr.int(1, month === 2 ? 28 : 31))}`;
  const title = reportTitle({ format, year, regionName, issuer, issuerKind }, sr);
  const model: ReportModel = {
    format,
    year,
    regionName,
    regionCode,
    issuer,
    issuerKind,
    title,
    publishedAt,
    figures,
    values,
    blankKeys,
    style,
    blocks: [],
  };
  model.blocks = buildBlocks(model, rng.fork('prose'));
  return model;
}

/** Keys of table 二 in printed order, for renderers. */
export const activeLayout = (format: '2019' | '2021') => (format === '2019' ? ACTIVE_2019 : ACTIVE_2021);
