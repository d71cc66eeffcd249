// The meaning-based label matcher (docs/report-formats.md §5): distinctive tokens, numbering optional,
// OCR confusions tolerated, labels compared with all whitespace and punctuation removed.

/** Characters OCR and broken text layers swap; a token char matches any of its class. */
const CONFUSIONS: Record<string, string> = {
  自: '自日',
  日: '自日',
  结: '结知',
  知: '结知',
  予: '予于子',
  于: '予于子',
  子: '予于子',
  已: '已己巳',
  己: '已己巳',
  未: '未末',
  末: '未末',
  处: '处外',
  外: '处外',
  人: '人入',
  入: '人入',
};

/** A token regex where each character also accepts its OCR look-alikes. */
export function tok(word: string): RegExp {
  const src = [...word].map((c) => (CONFUSIONS[c] ? `[${CONFUSIONS[c]}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(src);
}

/** Label text as compared: no whitespace, ASCII brackets, no quotes or stray punctuation. */
export function squash(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^[#*>]+|\*+/g, '')
    .replace(/[“”"'‘’「」『』]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')');
}

/** Strip leading numbering (`一、`, `(三)`, `1.`, `2、`, `A.`) so a label can be compared with a bare name. */
export function stripNumbering(text: string): string {
  let s = squash(text);
  for (;;) {
    const next = s
      .replace(/^[一二三四五六七八九十]+[、.．,，]/, '')
      .replace(/^\(?[一二三四五六七八九十]+\)/, '')
      .replace(/^\(?\d{1,2}\)/, '')
      .replace(/^\d{1,2}[.、．,，]/, '')
      .replace(/^[:：;；,，、./]+/, '');
    if (next === s) return s;
    s = next;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Table 三 rows

/** Row key → tokens (any one identifies the row). Order matters only for readability. */
const APPLICATION_ROW_TOKENS: Array<[string, string[]]> = [
  ['new', ['新收', '本年新']],
  ['carried_over', ['上年结转', '上年度结转']],
  ['granted', ['予以公开']],
  ['partial', ['部分公开', '区分处理', '只计这一情形', '不计其他情形']],
  ['denied_secret', ['国家秘密']],
  ['denied_law', ['禁止公开', '其他法律', '法律行政法规', '行政止公开']],
  ['denied_safety', ['三安全', '一稳定']],
  ['denied_third_party', ['第三方']],
  ['denied_internal', ['内部事务']],
  ['denied_process', ['过程性']],
  ['denied_enforcement', ['执法案卷']],
  ['denied_query', ['行政查询', '查询事项']],
  ['unable_not_held', ['不掌握']],
  ['unable_create', ['另行制作', '现成信息']],
  ['unable_unclear', ['不明确', '补正后']],
  ['rejected_petition', ['信访', '举报投诉']],
  ['rejected_repeat', ['重复申请']],
  ['rejected_publication', ['出版物']],
  ['rejected_excessive', ['大量反复', '正当理由大量']],
  ['rejected_confirm', ['确认或重新', '重新出具', '获取信息', '要求行政机关确']],
  ['other_no_correction', ['不补正', '逾期不补']],
  ['other_unpaid', ['收费通知', '缴纳费用', '按收费']],
  ['total', ['总计', '合计']],
  ['carried_forward', ['结转下年', '下年度继续', '继续办理']],
].map(([row, words]) => [row as string, words as string[]]);

const ROW_PATTERNS: Array<[string, RegExp[]]> = APPLICATION_ROW_TOKENS.map(([row, words]) => [row, words.map(tok)]);

/** Group headers of 三、本年度办理结果: their text alone names no row (except （六） in 2019 layouts). */
const GROUP_PATTERNS: Array<[string, RegExp]> = [
  ['denied', tok('不予公开')],
  ['unable', tok('无法提供')],
  ['rejected', tok('不予处理')],
  ['other', tok('其他处理')],
];

export function matchGroup(text: string): string | null {
  const s = squash(text);
  const hits = GROUP_PATTERNS.filter(([, re]) => re.test(s)).map(([g]) => g);
  // (三)不予公开 5.属于三类内部事务信息 names one group; a line that names two groups is a glued header.
  return hits.length === 1 ? hits[0] : null;
}

/** `3.其他` alone (the third （六） item): a bare 其他 that is not 其他处理/其他结果/其他法律. */
const BARE_OTHER = /^(?:\(?六\)?)?(?:其他处理)?(?:\d[.、,]?)?其他$/;

/**
 * All table-三 rows a label names. More than one → ambiguous (labels glued from several rows).
 * `group` is the 办理结果 group the text names, if any.
 */
export function matchApplicationRows(text: string): { rows: string[]; group: string | null; subtotal: boolean } {
  const s = squash(text);
  const group = matchGroup(s);
  const rows = new Set<string>();
  for (const [row, res] of ROW_PATTERNS) if (res.some((re) => re.test(s))) rows.add(row);
  const bare = stripNumbering(s.replace(/^\(?六\)?其他处理/, ''));
  if (BARE_OTHER.test(bare) || bare === '其他') rows.add('other_other');
  const subtotal = /小计/.test(s);
  if (subtotal) rows.delete('total');
  // A 2019 single （六）其他处理 row: the group word with no item.
  if (group === 'other' && rows.size === 0 && !subtotal) rows.add('other');
  return { rows: [...rows], group, subtotal };
}

// ---------------------------------------------------------------------------------------------------------
// Table 三 columns

export type ApplicantColumnKey = 'natural' | 'commercial' | 'research' | 'ngo' | 'legal' | 'other_org' | 'total' | 'org_subtotal';

const COLUMN_PATTERNS: Array<[ApplicantColumnKey, RegExp]> = [
  ['natural', tok('自然')],
  ['commercial', /商\s*业/],
  ['research', /科\s*研/],
  ['ngo', /公\s*益/],
  ['legal', /法\s*律/],
  ['org_subtotal', /小\s*计/],
  ['total', /总\s*计|合\s*计/],
];

/** Applicant column named by one header cell; 法人或其他组织 (the group) names none. */
export function matchApplicantColumn(text: string): ApplicantColumnKey | null {
  const s = squash(text);
  if (s === '') return null;
  if (/法人/.test(s) && /组织/.test(s)) return null;
  const hits = COLUMN_PATTERNS.filter(([, re]) => re.test(s)).map(([c]) => c);
  if (hits.length === 1) return hits[0];
  if (hits.length === 0 && /^其他$|^其它$/.test(stripNumbering(s))) return 'other_org';
  return null;
}

/** Applicant columns named in running header text, in order of appearance (glued headers: `总计商业企`). */
export function applicantColumnsInText(text: string): ApplicantColumnKey[] {
  const s = squash(text).replace(/法人(?:或者|或|和|及)?其他组织/g, '');
  const found: Array<[number, ApplicantColumnKey]> = [];
  for (const [c, re] of COLUMN_PATTERNS) {
    const m = new RegExp(re.source, 'g');
    let hit: RegExpExecArray | null;
    while ((hit = m.exec(s))) found.push([hit.index, c]);
  }
  const other = /其他/g;
  let o: RegExpExecArray | null;
  while ((o = other.exec(s))) found.push([o.index, 'other_org']);
  return found.sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

// ---------------------------------------------------------------------------------------------------------
// Table 二

export type ActiveRowKey =
  | 'regulations'
  | 'normative_docs'
  | 'licensing'
  | 'other_services'
  | 'penalty'
  | 'coercion'
  | 'fees'
  | 'procurement';

const ACTIVE_ROWS: Array<[ActiveRowKey, RegExp]> = [
  ['regulations', /^规章$/],
  ['normative_docs', /^(?:行政)?规范性文件$/],
  ['licensing', /^行政许可$/],
  ['other_services', /^(?:其他)?对外管理服务事项$|^其他对外管理服务$/],
  ['penalty', /^行政处罚$/],
  ['coercion', /^行政强制$/],
  ['fees', /^行政事业性收费$/],
  ['procurement', /^(?:政府)?集中采购$/],
];

/** The table-二 row a label cell names; the label must be the whole cell (prose never matches). */
export function matchActiveRow(text: string): ActiveRowKey | null {
  const s = stripNumbering(text).replace(/[:：]$/, '');
  for (const [k, re] of ACTIVE_ROWS) if (re.test(s)) return k;
  return null;
}

export type ActiveColumnKey =
  | 'made'
  | 'published'
  | 'total'
  | 'prev_items'
  | 'change'
  | 'decisions'
  | 'projects'
  | 'amount'
  | 'issued'
  | 'repealed'
  | 'in_force'
  | 'amount_wan';

const ACTIVE_COLUMNS: Array<[ActiveColumnKey, RegExp]> = [
  ['made', /新制作|制作数/],
  ['published', /新公开/],
  ['total', /公开总数|对外公开总/],
  ['prev_items', /上一?年(?:度)?项目/],
  ['change', /增\/?减|增减/],
  ['decisions', /处理决定/],
  ['projects', /采购项目/],
  ['amount', /采购(?:总)?金额/],
  ['issued', /制发/],
  ['repealed', /废止/],
  ['in_force', /现行有效/],
  ['amount_wan', /收费金额/],
];

/** Table-二 column headers named in running header text, in order of appearance, with any unit printed after each. */
export function activeColumnsInText(text: string): Array<{ key: ActiveColumnKey; unit: '元' | '万元' | null }> {
  const s = squash(text);
  const found: Array<{ at: number; end: number; key: ActiveColumnKey }> = [];
  for (const [key, re] of ACTIVE_COLUMNS) {
    const m = new RegExp(re.source, 'g');
    let hit: RegExpExecArray | null;
    while ((hit = m.exec(s))) found.push({ at: hit.index, end: hit.index + hit[0].length, key });
  }
  found.sort((a, b) => a.at - b.at);
  return found.map((f, i) => {
    const tail = s.slice(f.end, found[i + 1]?.at ?? s.length);
    const u = /\((?:单位[:：])?(万元|元)\)|（(?:单位[:：])?(万元|元)）|单位[:：]?(万元|元)/.exec(tail);
    return { key: f.key, unit: u ? ((u[1] ?? u[2] ?? u[3]) as '元' | '万元') : null };
  });
}

/** A block header of table 二 (`第二十条第（一）项`), or its 信息内容 header row. */
export const isActiveBlockHeader = (text: string) => /第二十条/.test(squash(text));

// ---------------------------------------------------------------------------------------------------------
// Table 四

export type ReviewGroupKey = 'review' | 'litigation_direct' | 'litigation_after_review';
export type ReviewSuffix = 'upheld' | 'corrected' | 'other' | 'pending' | 'total';

/** The table-四 group a label or heading names (复议后起诉 before 复议: the longer name wins). */
export function matchReviewGroup(text: string): ReviewGroupKey | null {
  const s = squash(text);
  if (/复议后起诉|复议后/.test(s)) return 'litigation_after_review';
  if (/直接起诉|未经复议/.test(s)) return 'litigation_direct';
  if (/行政复议|^复议$/.test(s) && !/诉讼/.test(s)) return 'review';
  return null;
}

const REVIEW_COLUMNS: Array<[ReviewSuffix, RegExp]> = [
  ['upheld', tok('维持')],
  ['corrected', tok('纠正')],
  ['other', /他结果|其他/],
  ['pending', tok('审结')],
  ['total', /总计|合计/],
];

export function reviewColumnsInText(text: string): ReviewSuffix[] {
  const s = squash(text);
  const found: Array<[number, ReviewSuffix]> = [];
  for (const [c, re] of REVIEW_COLUMNS) {
    const m = new RegExp(re.source, 'g');
    let hit: RegExpExecArray | null;
    while ((hit = m.exec(s))) found.push([hit.index, c]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

/** One table-四 header cell → its column suffix (`知果维持`, `A. 他 结 果`, `一 未 审 结`). */
export function matchReviewColumn(text: string): ReviewSuffix | null {
  const hits = reviewColumnsInText(text);
  return hits.length === 1 ? hits[0] : null;
}
