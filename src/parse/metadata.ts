import { readChineseNumber } from './numbers.ts';
import { metaFromLines, type PageMeta } from './page-meta.ts';
import { fuzzyRegionInText, placeByCode, regionInText, townshipRegionInText, zoneRegionInText, type RegionMatch } from './region.ts';

export type Metadata = {
  title: string | null;
  year: number | null;
  publishedAt: string | null;
  issuer: string | null;
  region: { name: string | null; code: string | null };
  warnings: string[];
};

const YEAR_DIGITS = '(?:19|20)\\d{2}';
const YEAR_CN = '[〇○零一二三四五六七八九]{4}';
const YEAR = `(${YEAR_DIGITS}|${YEAR_CN})`;

function toYear(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  const r = readChineseNumber(s);
  return r && r.value >= 1990 && r.value <= 2100 ? r.value : null;
}

const compact = (s: string) => s.replace(/\s+/g, '');
/** Markdown heading marks and list bullets from converted documents. */
const unmark = (s: string) =>
  s
    .replace(/^\s*(?:#{1,6}|[*>-])\s*/, '')
    .replace(/\*\*/g, '')
    .trim();

// A line that names the report: ends in 年度报告/年报/工作报告 (optionally "(全文)"), mentions 公开.
const TITLE_END = /(?:年度报告|年报|工作报告)(?:\((?:全文|摘要)\))?$/;
const ORGAN_LINE = /^[\p{Script=Han}()]{2,30}(?:人民政府|政府|办公厅|办公室|局|委员会|委|厅|院|署|中心|县|区|市|旗|镇|乡|街道)$/u;

function isTitleText(t: string): boolean {
  return TITLE_END.test(t) && /公开/.test(t) && t.length <= 70 && !/[。，,;；:：!?]/.test(t) && !/^(根据|依据|本|现将|按照)/.test(t);
}

/**
 * The report's own heading (docs/report-formats.md §7): a short standalone line ending in 年度报告/年报; a heading
 * wrapped over two lines is joined, and a place or organ line right before a heading that names no place
 * (海东市民和县 / 2020年度…年度报告) is joined to it. Never built from prose.
 */
export function findTitle(lines: string[]): string | null {
  const ls = lines.map((l) => unmark(l));
  const limit = Math.min(ls.length, 80);
  for (let i = 0; i < limit; i++) {
    const line = compact(ls[i]);
    if (!line || line.includes('\t') || /^[一二三四五六七八九十]+、/.test(line)) continue;
    let title: string | null = null;
    const first = i;
    if (isTitleText(line)) title = line;
    else if (/公开/.test(line) && line.length <= 50 && !/[。，,;；:：]/.test(line)) {
      // Wrapped heading: "2024年上海市科委政府信息公开工作" + "年度报告".
      const next = compact(ls[i + 1] ?? '');
      if (next && next.length <= 20 && isTitleText(line + next)) title = line + next;
    }
    if (!title) continue;
    if (!new RegExp(YEAR).test(title) && !/年度|年报/.test(title)) continue;
    // A place/organ line above a heading that names no place.
    let j = first - 1;
    while (j >= 0 && !compact(ls[j])) j--;
    if (j >= 0 && !regionInText(title)) {
      const prev = compact(ls[j]);
      if (prev.length <= 30 && ORGAN_LINE.test(prev) && (regionInText(prev) || fuzzyRegionInText(prev))) title = prev + title;
    }
    return title.replace(/^["《]|["》]$/g, '');
  }
  return null;
}

type YearPick = { year: number | null; warnings: string[] };

/** 统计期限自2020年1月1日至2020年12月31日 / 从2019年1月1日到12月31日止 → [start, end]. */
function periodYears(text: string): [number, number] | null {
  const m = compact(text).match(
    new RegExp(
      `统计(?:期限|时限|周期|时间|区间)[^。]{0,12}?${YEAR}年\\d{1,2}月\\d{1,2}日?(?:起)?(?:至|到|-|—|~)(?:${YEAR}年)?\\d{1,2}月\\d{1,2}日`,
    ),
  );
  if (!m) return null;
  const a = toYear(m[1]);
  const b = m[2] ? toYear(m[2]) : a;
  return a && b ? [a, b] : null;
}

function yearInTitle(title: string | null): number | null {
  const m = title?.match(new RegExp(`${YEAR}年`));
  return m ? toYear(m[1]) : null;
}

/** The first YYYY年(度) followed closely by the report's name (seed 004: 2018年度…年度报告全文包括). */
function yearNamingReport(text: string): number | null {
  const m = compact(text).match(
    new RegExp(`${YEAR}年度?[^。，,；;]{0,30}?(?:信息公开|政务公开)[^。，,；;]{0,12}?(?:年度报告|年报|工作报告)`),
  );
  return m ? toYear(m[1]) : null;
}

export function findYear(title: string | null, body: string, publishedAt: string | null): YearPick {
  const warnings: string[] = [];
  const fromTitle = yearInTitle(title);
  const period = periodYears(body);
  if (period && period[0] !== period[1]) {
    warnings.push(`year_conflict: the statistics period spans ${period[0]}–${period[1]}`);
  }
  const periodYear = period ? Math.max(...period) : null;
  if (fromTitle) {
    if (periodYear && periodYear !== fromTitle)
      warnings.push(`year_conflict: title says ${fromTitle}, statistics period says ${periodYear}; kept ${fromTitle}`);
    return { year: fromTitle, warnings };
  }
  if (periodYear) return { year: periodYear, warnings };
  const named = yearNamingReport(body.slice(0, 4000));
  if (named) return { year: named, warnings };
  if (publishedAt) {
    const y = Number(publishedAt.slice(0, 4)) - 1;
    warnings.push(`year_guessed: no covered year stated; assumed ${y} from the publication date ${publishedAt}`);
    return { year: y, warnings };
  }
  return { year: null, warnings };
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A line that is only a date, as under a title or in a closing signature: 2024年1月17日, (2026年1月23日), 二〇二一年二月二十日. */
export function standaloneDate(line: string): string | null {
  const t = compact(line).replace(/^[(（]|[)）]$/g, '');
  let m = t.match(/^(\d{4})年(\d{1,2})月(\d{1,2})日$/) ?? t.match(/^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = t.match(new RegExp(`^(${YEAR_CN})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$`));
  if (m) {
    const y = toYear(m[1]);
    const mo = readChineseNumber(m[2])?.value;
    const d = readChineseNumber(m[3])?.value;
    if (y && mo && d) return isoDate(y, mo, d);
  }
  return null;
}

/** Page metadata first (发布日期 …), then the dated signature line (the last standalone date). */
export function findPublishedAt(lines: string[], pageMeta: PageMeta): string | null {
  if (pageMeta.publishedAt) return pageMeta.publishedAt;
  const meta: PageMeta = {};
  metaFromLines(lines.slice(0, 60), meta);
  if (meta.publishedAt) return meta.publishedAt;
  for (let i = lines.length - 1; i >= 0; i--) {
    const d = standaloneDate(lines[i]);
    if (d) return d;
  }
  return null;
}

/** The closing signature: a short organ line right before the last standalone date, else the title's organ prefix. */
export function findIssuer(lines: string[], title: string | null, pageMeta: PageMeta): string | null {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 15); i--) {
    if (!standaloneDate(lines[i])) continue;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const prev = compact(unmark(lines[j]));
      if (!prev) continue;
      if (ORGAN_LINE.test(prev) && prev.length <= 30) return prev;
      break;
    }
  }
  // Just under the title (07: 沐阳县人民政府 / (2026年1月23日)).
  if (title) {
    const m = title.match(new RegExp(`^(.+?)(?:关于)?${YEAR}年`));
    // A bare place name (永修县2020年…) titles the place's government report.
    if (m && /(?:县|区|市|旗)$/.test(m[1]) && regionInText(m[1])?.code) return `${m[1]}人民政府`;
    if (m && ORGAN_LINE.test(m[1])) return m[1];
    const after = title.match(new RegExp(`^${YEAR}年度?(.+?)(?:政府信息公开|政务公开|信息公开)`));
    if (after && ORGAN_LINE.test(after[2])) return after[2];
  }
  if (pageMeta.publisher && /\p{Script=Han}/u.test(pageMeta.publisher)) return compact(pageMeta.publisher);
  return null;
}

/** Region of the report, from the most specific evidence first: title, signature, opening text, page. */
export function findRegion(title: string | null, issuer: string | null, body: string, pageMeta: PageMeta): RegionMatch {
  const head = body.slice(0, 1500);
  const opts = { context: head, siteIdCode: pageMeta.siteIdCode };
  const sources = [title, pageMeta.title, issuer, head, pageMeta.publisher].filter((s): s is string => !!s);
  // Names that identify the report's own issuer; a zone mentioned in opening prose is not the subject.
  const naming = new Set([title, pageMeta.title, issuer, pageMeta.publisher].filter((s): s is string => !!s));
  for (const s of sources) {
    const r = regionInText(s, opts);
    if (naming.has(s) && r?.level !== 'county') {
      const z = zoneRegionInText(s, opts);
      if (z) return z;
    }
    if (r && (r.code || r.warnings.length)) return r;
  }
  for (const s of sources) {
    const r = fuzzyRegionInText(s, opts);
    if (r) return r;
  }
  for (const s of [title, pageMeta.title, issuer, body.split('\n').slice(0, 3).join('\n')]) {
    const r = s ? townshipRegionInText(s, opts) : null;
    if (r) return r;
  }
  // 网站标识码 = registering area's code + serial: weak (a county bureau may sit on a city platform), so last.
  const site = pageMeta.siteIdCode?.match(/^(\d{6})\d{4}$/)?.[1];
  const place = site ? placeByCode(site) : undefined;
  if (place)
    return {
      name: place.name,
      code: place.code,
      warnings: [`region_from_site_code: region taken from the site identifier ${pageMeta.siteIdCode}`],
    };
  return { name: null, code: null, warnings: [] };
}

/** Title, covered year, publication date, issuer and region (docs/report-formats.md §7, docs/site-families.md §4). */
export function readMetadata(body: string, pageMeta: PageMeta = {}): Metadata {
  const lines = body.split('\n');
  const warnings: string[] = [];
  // The page's declared article title (ArticleTitle meta, the h1 over the content) beats the first title-like
  // body line, which on pages with a "related reports" list can be another year's report.
  // A header block at the top of the text (`标题: … 发布时间: … 发布机构: …`, as text archives keep reports) says
  // what page metadata would.
  const header: PageMeta = {};
  metaFromLines(lines.slice(0, 40), header);
  pageMeta = { ...header, ...pageMeta, title: pageMeta.title ?? header.title };
  const declaredTitle = (t: string | undefined) => {
    const c = t ? compact(t) : '';
    return isTitleText(c) && new RegExp(YEAR).test(c) ? c : null;
  };
  const declared = declaredTitle(pageMeta.title) ?? declaredTitle(header.title);
  const title = declared ?? findTitle(lines);
  const publishedAt = findPublishedAt(lines, pageMeta);
  const { year, warnings: yw } = findYear(title, body, publishedAt);
  warnings.push(...yw);
  if (year && publishedAt) {
    const py = Number(publishedAt.slice(0, 4));
    if (py <= year) warnings.push(`date_implausible: published ${publishedAt}, not after the covered year ${year}`);
    else if (py >= year + 2) warnings.push(`date_late: published ${publishedAt}, more than a year after the covered year ${year}`);
  }
  const issuer = findIssuer(lines, title, pageMeta);
  const region = findRegion(title, issuer, body, pageMeta);
  warnings.push(...region.warnings);
  return { title, year, publishedAt, issuer, region: { name: region.name, code: region.code }, warnings };
}
