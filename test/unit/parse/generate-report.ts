// Random but consistent table figures (every §4 identity holds) for both formats, rendered as body text in the
// shapes of docs/report-formats.md §6, with damage whose effect on the truth is known: a blanked cell leaves the key
// absent; a lost or glued cell makes its row unreadable. The parser may recover or flag, never misread.
import { Converter } from 'opencc-js/cn2t';
import {
  ACTIVE_2019,
  ACTIVE_2021,
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  REVIEW_SUFFIXES,
} from '../../../src/schema/figure-keys.ts';

export type Rng = () => number;
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
/** Mostly zeros with the odd count, as real tables are. */
const sparse = (rng: Rng, max: number) => (rng() < 0.6 ? 0 : int(rng, 1, max));

export type Shape = 'tab' | 'cell-per-line' | 'markdown' | 'spaces';
export type Damage =
  | 'blank'
  | 'lost-cell'
  | 'glued-cells'
  | 'drop-label'
  | 'traditional'
  | 'pinyin'
  | 'split-number'
  | 'ocr'
  | 'page-break'
  | 'wrapped-label'
  | 'subtotals'
  | 'review-transposed';
export const DAMAGES: readonly Damage[] = [
  'blank',
  'lost-cell',
  'glued-cells',
  'drop-label',
  'traditional',
  'pinyin',
  'split-number',
  'ocr',
  'page-break',
  'wrapped-label',
  'subtotals',
  'review-transposed',
];

export type GeneratedReport = {
  format: '2019' | '2021';
  shape: Shape;
  damage: Damage[];
  body: string;
  /** Keys the rendered text states, with their values (blanked cells removed). */
  truth: Record<string, number>;
  /** Keys whose row was made unreadable on purpose: they must be absent (with a warning) or exact. */
  damagedRows: string[];
};

const ROW_LABEL: Record<string, [string | null, string]> = {
  new: [null, '一、本年新收政府信息公开申请数量'],
  carried_over: [null, '二、上年结转政府信息公开申请数量'],
  granted: [null, '(一)予以公开'],
  partial: [null, '(二)部分公开(区分处理的,只计这一情形,不计其他情形)'],
  denied_secret: ['(三)不予公开', '1.属于国家秘密'],
  denied_law: ['(三)不予公开', '2.其他法律行政法规禁止公开'],
  denied_safety: ['(三)不予公开', '3.危及"三安全一稳定"'],
  denied_third_party: ['(三)不予公开', '4.保护第三方合法权益'],
  denied_internal: ['(三)不予公开', '5.属于三类内部事务信息'],
  denied_process: ['(三)不予公开', '6.属于四类过程性信息'],
  denied_enforcement: ['(三)不予公开', '7.属于行政执法案卷'],
  denied_query: ['(三)不予公开', '8.属于行政查询事项'],
  unable_not_held: ['(四)无法提供', '1.本机关不掌握相关政府信息'],
  unable_create: ['(四)无法提供', '2.没有现成信息需要另行制作'],
  unable_unclear: ['(四)无法提供', '3.补正后申请内容仍不明确'],
  rejected_petition: ['(五)不予处理', '1.信访举报投诉类申请'],
  rejected_repeat: ['(五)不予处理', '2.重复申请'],
  rejected_publication: ['(五)不予处理', '3.要求提供公开出版物'],
  rejected_excessive: ['(五)不予处理', '4.无正当理由大量反复申请'],
  rejected_confirm: ['(五)不予处理', '5.要求行政机关确认或重新出具已获取信息'],
  other: [null, '(六)其他处理'],
  other_no_correction: ['(六)其他处理', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  other_unpaid: ['(六)其他处理', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  other_other: ['(六)其他处理', '3.其他'],
  total: [null, '(七)总计'],
  carried_forward: [null, '四、结转下年度继续办理'],
};
const ACTIVE_LABEL: Record<string, string> = {
  regulations: '规章',
  normative_docs: '规范性文件',
  licensing: '行政许可',
  other_services: '其他对外管理服务事项',
  penalty: '行政处罚',
  coercion: '行政强制',
  fees: '行政事业性收费',
  procurement: '政府集中采购',
};
const ACTIVE_HEADER: Record<string, string> = {
  made: '本年新制作数量',
  published: '本年新公开数量',
  total: '对外公开总数量',
  prev_items: '上一年项目数量',
  change: '本年增/减',
  decisions: '处理决定数量',
  projects: '采购项目数量',
  amount_yuan: '采购总金额',
  issued: '本年制发件数',
  repealed: '本年废止件数',
  in_force: '现行有效件数',
  amount_wan: '本年收费金额(单位:万元)',
};
const BLOCKS_2019: Array<[string, string[]]> = [
  ['第二十条第(一)项', ['regulations', 'normative_docs']],
  ['第二十条第(五)项', ['licensing', 'other_services']],
  ['第二十条第(六)项', ['penalty', 'coercion']],
  ['第二十条第(八)项', ['fees']],
  ['第二十条第(九)项', ['procurement']],
];
const BLOCKS_2021: Array<[string, string[]]> = [
  ['第二十条第(一)项', ['regulations', 'normative_docs']],
  ['第二十条第(五)项', ['licensing']],
  ['第二十条第(六)项', ['penalty', 'coercion']],
  ['第二十条第(八)项', ['fees']],
];
const COL_HEADERS = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
const REVIEW_HEADER = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

/** Figures satisfying every identity of docs/report-formats.md §4. */
export function generateFigures(rng: Rng, format: '2019' | '2021'): Record<string, number> {
  const f: Record<string, number> = {};
  const cols = APPLICANT_COLUMNS.filter((c) => c !== 'total');
  const rows = format === '2019' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021;
  const results = rows.filter((r) => !['new', 'carried_over', 'total', 'carried_forward'].includes(r));
  const scale = pick(rng, [5, 30, 400, 5000]);
  for (const c of cols) {
    const big = c === 'natural' ? scale : Math.max(2, Math.floor(scale / 20));
    let sum = 0;
    for (const r of results) {
      const v = r === 'granted' ? int(rng, 0, big) : sparse(rng, Math.max(1, Math.floor(big / 4)));
      f[`applications.${r}.${c}`] = v;
      sum += v;
    }
    f[`applications.total.${c}`] = sum;
    const forward = sparse(rng, Math.max(1, Math.floor(big / 5)));
    const carried = int(rng, 0, sum + forward);
    f[`applications.carried_forward.${c}`] = forward;
    f[`applications.carried_over.${c}`] = carried;
    f[`applications.new.${c}`] = sum + forward - carried;
  }
  for (const r of rows) f[`applications.${r}.total`] = cols.reduce((a, c) => a + f[`applications.${r}.${c}`], 0);
  for (const g of REVIEW_GROUPS) {
    let s = 0;
    for (const x of REVIEW_SUFFIXES.slice(0, 4)) s += f[`${g}.${x}`] = sparse(rng, 12);
    f[`${g}.total`] = s;
  }
  for (const [prefix, sufs] of format === '2019' ? ACTIVE_2019 : ACTIVE_2021) {
    for (const s of sufs) {
      const k = `${prefix}.${s}`;
      if (s === 'change') f[k] = int(rng, -900, 900);
      else if (s === 'amount_yuan')
        f[k] = int(rng, 1, 99999999) * 100; // whole 元 and exact in 万元 with 2 decimals
      else if (s === 'amount_wan') f[k] = int(rng, 0, 999999) / 100;
      else f[k] = sparse(rng, 3000);
    }
  }
  return f;
}

export type Row = { label: string[]; values: string[]; keys: string[] };
export type Table = { header: string[][]; rows: Row[] };

export function tablesOf(
  f: Record<string, number>,
  format: '2019' | '2021',
  rng: Rng,
): { t2: Table[]; t3: Table; t4: Table; t2Unit: string } {
  const t2: Table[] = [];
  const amountWan = rng() < 0.5;
  const t2Unit = amountWan ? '(万元)' : '(元)';
  for (const [block, rows] of format === '2019' ? BLOCKS_2019 : BLOCKS_2021) {
    const sufs = (format === '2019' ? ACTIVE_2019 : ACTIVE_2021).find(([p]) => p === `active.${rows[0]}`)![1];
    const header = [[block], ['信息内容', ...sufs.map((s) => ACTIVE_HEADER[s] + (s === 'amount_yuan' ? t2Unit : ''))]];
    t2.push({
      header,
      rows: rows.map((r) => ({
        label: [ACTIVE_LABEL[r]],
        keys: sufs.map((s) => `active.${r}.${s}`),
        values: sufs.map((s) => {
          const v = f[`active.${r}.${s}`];
          if (s === 'amount_yuan') return amountWan ? (v / 10000).toFixed(2) : String(v);
          if (s === 'change' && v > 0 && rng() < 0.3) return `+${v}`;
          return String(v);
        }),
      })),
    });
  }
  const rows = format === '2019' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021;
  let lastGroup: string | null = null;
  const t3: Table = {
    header: [
      ['(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)', '申请人情况'],
      ['自然人', '法人或其他组织', '总计'],
      COL_HEADERS.slice(1, 6),
    ],
    rows: rows.map((r) => {
      const [group, item] = ROW_LABEL[r];
      const label = group && group !== lastGroup ? [group, item] : group ? ['', item] : [item];
      lastGroup = group;
      return {
        label,
        keys: APPLICANT_COLUMNS.map((c) => `applications.${r}.${c}`),
        values: APPLICANT_COLUMNS.map((c) => String(f[`applications.${r}.${c}`])),
      };
    }),
  };
  const keys4 = REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => `${g}.${s}`));
  const t4: Table = {
    header: [
      ['行政复议', '行政诉讼'],
      [...REVIEW_HEADER, '未经复议直接起诉', '复议后起诉'],
      [...REVIEW_HEADER, ...REVIEW_HEADER],
    ],
    rows: [{ label: [], keys: keys4, values: keys4.map((k) => String(f[k])) }],
  };
  return { t2, t3, t4, t2Unit };
}

function render(tables: Table[][], shape: Shape): string {
  const out: string[] = [];
  const headings = ['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况'];
  tables.forEach((group, gi) => {
    out.push(headings[gi], '');
    for (const t of group) {
      for (const h of t.header) {
        if (shape === 'cell-per-line') out.push(...h.flatMap((c) => [c, '']));
        else if (shape === 'markdown') out.push(`| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`);
        else if (shape === 'spaces') out.push(h.join('    '));
        else out.push(h.join('\t'));
      }
      for (const r of t.rows) {
        const label = r.label.filter((x, k) => x !== '' || shape === 'tab' || shape === 'markdown' || k > 0);
        if (shape === 'cell-per-line')
          out.push(...[...label.filter(Boolean), ...r.values.map((v) => (v === '' ? '—' : v))].flatMap((c) => [c, '']));
        else if (shape === 'markdown') out.push(`| ${[...label, ...r.values].join(' | ')} |`);
        else if (shape === 'spaces') out.push([...label.filter(Boolean), ...r.values.map((v) => (v === '' ? '—' : v))].join('    '));
        else out.push([...label, ...r.values].join('\t'));
      }
      out.push('');
    }
  });
  out.push('五、存在的主要问题及改进情况', '无。');
  return out.join('\n');
}

const toTraditional = Converter({ from: 'cn', to: 'tw' });

export function generateReport(seed: number, opts: { shape?: Shape; damage?: Damage[]; format?: '2019' | '2021' } = {}): GeneratedReport {
  const rng = mulberry32(seed);
  const format = opts.format ?? (rng() < 0.5 ? '2019' : '2021');
  const shape = opts.shape ?? pick(rng, ['tab', 'cell-per-line', 'markdown', 'spaces'] as const);
  const damage: Damage[] = opts.damage ?? DAMAGES.filter(() => rng() < 0.25);
  const f = generateFigures(rng, format);
  const { t2, t3, t4 } = tablesOf(f, format, rng);
  const truth = { ...f };
  const damagedRows: string[] = [];
  const t3rows = t3.rows;

  if (damage.includes('blank')) {
    // Blank cells only where a blank survives as a cell ('—' in shapes without cell positions).
    for (let n = int(rng, 1, 4); n > 0; n--) {
      const r = pick(rng, [...t3rows, ...t2.flatMap((t) => t.rows)]);
      const k = int(rng, 0, r.values.length - 1);
      r.values[k] = shape === 'tab' || shape === 'markdown' ? pick(rng, ['', '—', '-', '/']) : '—';
      delete truth[r.keys[k]];
    }
  }
  if (damage.includes('lost-cell') || damage.includes('glued-cells')) {
    const r = pick(rng, t3rows.slice(2));
    const k = int(rng, 0, r.values.length - 2);
    if (damage.includes('glued-cells') && shape !== 'spaces' && shape !== 'cell-per-line')
      r.values.splice(k, 2, `${r.values[k]} ${r.values[k + 1]}`);
    else r.values.splice(k, 1);
    damagedRows.push(...r.keys);
  }
  if (damage.includes('drop-label') && shape !== 'cell-per-line') {
    // A label lost from a row inside the table: the row can only be placed by the gap it sits in.
    const r = pick(rng, t3rows.slice(3, -2));
    r.label = r.label.map(() => '');
    if (rng() < 0.5) {
      const a = pick(
        rng,
        t2.flatMap((t) => t.rows),
      );
      a.label = [''];
    }
  }
  if (damage.includes('split-number') && shape === 'tab') {
    const r = t2.flatMap((t) => t.rows).find((x) => x.keys.some((k) => k.endsWith('amount_yuan')));
    if (r) r.values = r.values.map((v) => v.replace(/^(\d+)\.(\d+)$/, '$1. $2'));
  }
  if (damage.includes('subtotals')) {
    // Stated 小计 rows after each group: no figure key, only subtotal checks.
    for (const g of ['denied_', 'unable_', 'rejected_']) {
      const inGroup = (r: Row) => (r.keys[0] ?? '').startsWith(`applications.${g}`);
      let last = -1;
      t3rows.forEach((r, k) => {
        if (inGroup(r)) last = k;
      });
      const keys = APPLICANT_COLUMNS.map((c) =>
        t3rows.filter(inGroup).reduce((a, r) => a + f[`applications.${r.keys[0].split('.')[1]}.${c}`], 0),
      );
      t3rows.splice(last + 1, 0, { label: ['', '小计'], keys: [], values: keys.map(String) });
    }
  }
  if (damage.includes('review-transposed')) {
    t4.header = [['', ...REVIEW_HEADER]];
    t4.rows = REVIEW_GROUPS.map((g, k) => ({
      label: [['行政复议', '行政诉讼(未经复议直接起诉)', '行政诉讼(复议后起诉)'][k]],
      keys: REVIEW_SUFFIXES.map((x) => `${g}.${x}`),
      values: REVIEW_SUFFIXES.map((x) => String(f[`${g}.${x}`])),
    }));
  }
  let body = render([t2, [t3], [t4]], shape);
  if (damage.includes('wrapped-label') && (shape === 'tab' || shape === 'spaces')) {
    // A long label wraps: its tail continues on the next line with no values (seed 002, corpus 06).
    const sep = shape === 'tab' ? '\t' : '   ';
    body = body.replace(/(\(二\)部分公开\(区分处理的,只计这一情)(形,不计其他情形\))(.*)\n/, (_m, a, b, rest) =>
      shape === 'tab' ? `${a}${rest}\n${sep}${b}${sep.repeat(7)}\n` : `${a}${rest}\n${b}\n`,
    );
  }
  if (damage.includes('page-break')) {
    // A page number and the repeated table-三 header in the middle of the rows.
    const lines = body.split('\n');
    const at = lines.findIndex((l) => l.includes('7.属于行政执法案卷'));
    if (at > 0) lines.splice(at + 1, 0, '', '- 3 -', '', ...(shape === 'cell-per-line' ? ['自然人', '', '商业企业', ''] : []));
    body = lines.join('\n');
  }
  if (damage.includes('ocr')) {
    body = body
      .replace(/予以公开/g, '于以公开')
      .replace(/自然人/g, '日然人')
      .replace(/结果维持/g, '知果维持')
      .replace(/尚未审结/g, '尚末审结');
  }
  if (damage.includes('traditional')) body = toTraditional(body);
  if (damage.includes('pinyin')) body = body.replace(/政府/g, '政(zhèng)府').replace(/公开/g, '公(gōng)开');
  return { format, shape, damage, body, truth, damagedRows };
}
