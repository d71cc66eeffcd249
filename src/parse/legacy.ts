import { readChineseNumber } from './numbers.ts';

// summary.* from prose (docs/report-formats.md §1.2): the sentence that states the whole-year, whole-issuer figure.

const NUM = '([0-9.]+(?:[万千百十][0-9零〇一二两三四五六七八九十百千万]*)?|[零〇一二两三四五六七八九十百千万]+)(余|多)?';
const NOT_NUM = '[^0-9零〇一二两三四五六七八九十百千万，,。；;：:]';

export type SummaryResult = { figures: Record<string, number>; warnings: string[] };

type Reading = { value: number; approx: boolean; quote: string };

/** Clauses (split at 。；; and at "其中", after which counts are parts of a total). */
function clauses(text: string): string[] {
  return text
    .split(/[。；;!！?？\n]/)
    .map((c) => c.replace(/\s+/g, '').split(/其中|包括|分别为/)[0])
    .filter((c) => c.length > 0);
}

function num(raw: string, approxMark?: string): { value: number; approx: boolean } | null {
  const r = readChineseNumber(raw + (approxMark ?? ''));
  return r && Number.isFinite(r.value) ? r : null;
}

function collect(text: string, tests: Array<(c: string) => Reading | null>): Reading[] {
  const out: Reading[] = [];
  for (const c of clauses(text)) {
    for (const t of tests) {
      const r = t(c);
      if (r) {
        out.push(r);
        break;
      }
    }
  }
  return out;
}

const counted =
  (re: RegExp, exclude?: RegExp) =>
  (c: string): Reading | null => {
    const m = c.match(re);
    if (!m || exclude?.test(c.slice(0, m.index! + m[0].length))) return null;
    const n = num(m[1], m[2]);
    return n ? { ...n, quote: m[0] } : null;
  };
const zeroIf =
  (re: RegExp, exclude?: RegExp) =>
  (c: string): Reading | null =>
    re.test(c) && !exclude?.test(c) ? { value: 0, approx: false, quote: c.slice(0, 60) } : null;

// 累计 counts since the start of something, 比上年/增长/% are changes; 咨询 are enquiries, not applications.
const NOT_A_YEAR_TOTAL = /累计|比上年|同比|增长|下降|%|百分/;

function activeItems(text: string): Reading[] {
  const stated = collect(text, [
    counted(
      new RegExp(
        `主动(?:向社会|对外)?(?:公开|发布)了?(?:各类|各种)?(?:政府)?信息${NOT_NUM}{0,4}?(?:共计|合计|总计|共|计|达)?${NUM}(?:条|件|项)`,
      ),
      NOT_A_YEAR_TOTAL,
    ),
  ]);
  if (stated.length) return stated;
  // 全年共公开政府信息2345条 (no 主动): the proactive total only when the sentence says nothing of applications.
  const plain = new RegExp(
    `(?:全年|本年度?|今年|共)[^，,。]{0,8}?公开(?:各类|各种)?(?:政府)?信息${NOT_NUM}{0,4}?(?:共计|合计|共)?${NUM}(?:条|件|项)`,
  );
  return collect(
    text
      .split(/[。；;\n]/)
      .filter((sentence) => !/依申请|申请公开|主动/.test(sentence))
      .join('。'),
    [counted(plain, NOT_A_YEAR_TOTAL)],
  );
}

function applications(text: string): Reading[] {
  const noApplication =
    /(?:未|没有|无)(?:收到|接到|受理|接收|接受|发生)[^，,]{0,20}申请|(?:无|没有)(?:依申请公开|政府信息公开申请)(?:事项|申请|情况|件)?(?:[，,]|$)|申请(?:公开)?(?:的)?(?:数量|数|件数)?(?:为零|为0)(?![.\d])/;
  return collect(text, [
    zeroIf(noApplication, /咨询|复议|诉讼|收费|费用/),
    counted(
      new RegExp(
        `(?:受理|收到|接到|接收|接受|办理)${NOT_NUM}{0,20}?申请${NOT_NUM}{0,8}?${NUM}(?:条|件|例|个|宗|份)(?!工作日|日|天|月|小时)`,
      ),
      /咨询|办结|答复|转办|累计|之日/,
    ),
    counted(new RegExp(`(?:共|共计|全年)(?:受理|收到|接到)?依申请公开${NOT_NUM}{0,6}?${NUM}(?:条|件|例|个|宗|份)`), /咨询/),
    // 依申请公开政府信息12件: the count of applications answered in the year.
    counted(new RegExp(`依申请公开(?:政府)?信息(?:共计|共|合计)?${NUM}(?:条|件|例|宗|份)`), /咨询|累计|其中/),
  ]);
}

type CaseReadings = { review: Reading[]; litigation: Reading[] };

function cases(text: string): CaseReadings {
  const review: Reading[] = [];
  const litigation: Reading[] = [];
  // Comma parts: 被申请行政复议1件，未发生行政诉讼 states the two separately.
  for (const c of clauses(text)
    .flatMap((x) => x.split(/[，,]/))
    .filter(Boolean)) {
    // One count for both: 行政复议和行政诉讼各0件 · 行政复议、行政诉讼数量均为零.
    const both = c.match(new RegExp(`复议[^，,]{0,12}诉讼[^，,]{0,8}?(?:各|均为|都为|均是)${NUM}(?:件|起|宗|例)?`));
    if (both && !/申诉/.test(both[0].replace(/诉讼/g, ''))) {
      const n = num(both[1], both[2]);
      if (n && (/各/.test(both[0]) || n.value === 0)) {
        review.push({ ...n, quote: both[0] });
        litigation.push({ ...n, quote: both[0] });
        continue;
      }
    }
    // 行政申诉 is neither; a joint negation (未接到…行政复议、行政诉讼…) sets both.
    if (/(?:未|没有|无)[^，,]{0,30}(?:行政复议|复议)/.test(c) && /(?:未|没有|无)/.test(c.split(/复议/)[0])) {
      review.push({ value: 0, approx: false, quote: c.slice(0, 60) });
      if (/诉讼/.test(c)) litigation.push({ value: 0, approx: false, quote: c.slice(0, 60) });
      continue;
    }
    if (/(?:未|没有|无)[^，,]{0,30}行政诉讼/.test(c)) {
      litigation.push({ value: 0, approx: false, quote: c.slice(0, 60) });
      continue;
    }
    const r = c.match(new RegExp(`行政复议(?:案件|申请)?${NOT_NUM}{0,4}?${NUM}(?:件|起|宗|例)`));
    if (r && !/申诉/.test(r[0])) {
      const n = num(r[1], r[2]);
      if (n) review.push({ ...n, quote: r[0] });
    }
    const l = c.match(new RegExp(`行政诉讼(?:案件)?${NOT_NUM}{0,4}?${NUM}(?:件|起|宗|例)`));
    if (l) {
      const n = num(l[1], l[2]);
      if (n) litigation.push({ ...n, quote: l[0] });
    }
  }
  return { review, litigation };
}

function fees(text: string): Reading[] {
  // Only money charged to applicants; 支出…费用 is spending.
  return collect(text, [
    zeroIf(
      /(?:未|没有|不|无)(?:收取|收费)|(?:未|没有|无)发生[^，,]{0,12}(?:收取|收费)|收费[^，,]{0,6}(?:为零|为0)(?![.\d])|均免费|免费提供|免收/,
      /支出/,
    ),
    counted(new RegExp(`收取(?:了)?[^，,。]{0,12}?(?:费|费用)${NOT_NUM}{0,4}?(?:共计|合计|共)?${NUM}元`), /支出|经费/),
    counted(new RegExp(`(?:信息公开|申请)?收费(?:金额|总额)?(?:为|共计|合计|共)?${NUM}元`), /支出|经费|标准/),
  ]);
}

function settle(key: string, readings: Reading[], out: SummaryResult): void {
  if (!readings.length) return;
  const values = [...new Set(readings.map((r) => r.value))];
  if (values.length > 1) {
    const quotes = values.map((v) => `${v} ("${readings.find((r) => r.value === v)!.quote}")`).join(' vs ');
    out.warnings.push(`summary_conflict: ${key}: the text states different values: ${quotes}`);
    return;
  }
  out.figures[key] = values[0];
  const approx = readings.find((r) => r.approx);
  if (approx) out.warnings.push(`approximate: ${key} = ${values[0]} read from "${approx.quote}"`);
}

/** summary.* figures from prose; two different values for one key → key absent and a warning quoting both. */
export function readSummary(prose: string): SummaryResult {
  const out: SummaryResult = { figures: {}, warnings: [] };
  // Digit groups (3,208 · 1，234) are one number.
  const text = prose.replace(/(\d)[,，](?=\d{3}(?!\d))/g, '$1');
  settle('summary.active_items', activeItems(text), out);
  settle('summary.applications', applications(text), out);
  const c = cases(text);
  settle('summary.review_cases', c.review, out);
  settle('summary.litigation_cases', c.litigation, out);
  settle('summary.fees_yuan', fees(text), out);
  return out;
}
