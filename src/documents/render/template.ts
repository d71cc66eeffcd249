// The national template tables (docs/report-formats.md §2) filled from a figures record, with the template's
// merged cells. Used by scripts/make-documents.ts, tests and the bench to build documents at run time.
import {
  ACTIVE_2019,
  ACTIVE_2021,
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  REVIEW_SUFFIXES,
} from '../../schema/figure-keys.ts';
import type { RenderCell, RenderTableSpec, RenderableReport } from './model.ts';

const ACTIVE_LABELS: Record<string, [string, string]> = {
  'active.regulations': ['第二十条第（一）项', '规章'],
  'active.normative_docs': ['第二十条第（一）项', '规范性文件'],
  'active.licensing': ['第二十条第（五）项', '行政许可'],
  'active.other_services': ['第二十条第（五）项', '其他对外管理服务事项'],
  'active.penalty': ['第二十条第（六）项', '行政处罚'],
  'active.coercion': ['第二十条第（六）项', '行政强制'],
  'active.fees': ['第二十条第（八）项', '行政事业性收费'],
  'active.procurement': ['第二十条第（九）项', '政府集中采购'],
};
const ACTIVE_HEADERS_2019: Record<string, string[]> = {
  '第二十条第（一）项': ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
  '第二十条第（五）项': ['上一年项目数量', '本年增/减', '处理决定数量'],
  '第二十条第（六）项': ['上一年项目数量', '本年增/减', '处理决定数量'],
  '第二十条第（八）项': ['上一年项目数量', '本年增/减'],
  '第二十条第（九）项': ['采购项目数量', '采购总金额（元）'],
};
const ACTIVE_HEADERS_2021: Record<string, string[]> = {
  '第二十条第（一）项': ['本年制发件数', '本年废止件数', '现行有效件数'],
  '第二十条第（五）项': ['本年处理决定数量'],
  '第二十条第（六）项': ['本年处理决定数量'],
  '第二十条第（八）项': ['本年收费金额（单位：万元）'],
};

export const APPLICATION_LABELS: Record<string, string> = {
  new: '一、本年新收政府信息公开申请数量',
  carried_over: '二、上年结转政府信息公开申请数量',
  granted: '（一）予以公开',
  partial: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  denied_secret: '1.属于国家秘密',
  denied_law: '2.其他法律行政法规禁止公开',
  denied_safety: '3.危及“三安全一稳定”',
  denied_third_party: '4.保护第三方合法权益',
  denied_internal: '5.属于三类内部事务信息',
  denied_process: '6.属于四类过程性信息',
  denied_enforcement: '7.属于行政执法案卷',
  denied_query: '8.属于行政查询事项',
  unable_not_held: '1.本机关不掌握相关政府信息',
  unable_create: '2.没有现成信息需要另行制作',
  unable_unclear: '3.补正后申请内容仍不明确',
  rejected_petition: '1.信访举报投诉类申请',
  rejected_repeat: '2.重复申请',
  rejected_publication: '3.要求提供公开出版物',
  rejected_excessive: '4.无正当理由大量反复申请',
  rejected_confirm: '5.要求行政机关确认或重新出具已获取信息',
  other: '（六）其他处理',
  other_no_correction: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  other_unpaid: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  other_other: '3.其他',
  total: '（七）总计',
  carried_forward: '四、结转下年度继续办理',
};
const GROUPS: Record<string, string> = {
  denied: '（三）不予公开',
  unable: '（四）无法提供',
  rejected: '（五）不予处理',
  other: '（六）其他处理',
};

const h = (text: string, colspan?: number, rowspan?: number): RenderCell => ({ text, colspan, rowspan });
const fmt = (v: number | undefined) => (v === undefined ? '' : String(v));

export function activeTable(figures: Record<string, number>, format: '2019' | '2021'): RenderTableSpec {
  const rows: RenderCell[][] = [];
  const spec = format === '2019' ? ACTIVE_2019 : ACTIVE_2021;
  const headers = format === '2019' ? ACTIVE_HEADERS_2019 : ACTIVE_HEADERS_2021;
  let article = '';
  for (const [prefix, cols] of spec) {
    const [art, label0] = ACTIVE_LABELS[prefix];
    const label = format === '2021' && prefix === 'active.normative_docs' ? '行政规范性文件' : label0;
    if (art !== article) {
      article = art;
      rows.push([h(art, 4)]);
      const hs = headers[art];
      rows.push([h('信息内容'), ...hs.map((t, i) => h(t, i === hs.length - 1 ? 4 - hs.length : undefined))]);
    }
    rows.push([h(label), ...cols.map((c, i) => h(fmt(figures[`${prefix}.${c}`]), i === cols.length - 1 ? 4 - cols.length : undefined))]);
  }
  return { width: 4, rows };
}

export function applicationsTable(figures: Record<string, number>, format: '2019' | '2021'): RenderTableSpec {
  const values = (row: string) => APPLICANT_COLUMNS.map((c) => h(fmt(figures[`applications.${row}.${c}`])));
  const rows: RenderCell[][] = [
    [h('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3), h('申请人情况', 7)],
    [h('自然人', undefined, 2), h('法人或其他组织', 5), h('总计', undefined, 2)],
    [h('商业企业'), h('科研机构'), h('社会公益组织'), h('法律服务机构'), h('其他')],
    [h(APPLICATION_LABELS.new, 3), ...values('new')],
    [h(APPLICATION_LABELS.carried_over, 3), ...values('carried_over')],
  ];
  const list = (format === '2019' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021) as readonly string[];
  const resultRows = list.filter((r) => !['new', 'carried_over', 'carried_forward'].includes(r));
  resultRows.forEach((row, i) => {
    const group = /^(denied|unable|rejected)_/.exec(row)?.[1] ?? (format === '2021' && row.startsWith('other_') ? 'other' : null);
    const cells: RenderCell[] = [];
    if (i === 0) cells.push(h('三、本年度办理结果', undefined, resultRows.length));
    if (group) {
      const members = resultRows.filter((r) => r.startsWith(`${group}_`));
      if (members[0] === row) cells.push(h(GROUPS[group], undefined, members.length));
      cells.push(h(APPLICATION_LABELS[row]));
    } else cells.push(h(APPLICATION_LABELS[row], 2));
    rows.push([...cells, ...values(row)]);
  });
  rows.push([h(APPLICATION_LABELS.carried_forward, 3), ...values('carried_forward')]);
  return { width: 10, rows };
}

export function reviewTable(figures: Record<string, number>): RenderTableSpec {
  const labels = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return {
    width: 15,
    rows: [
      [h('行政复议', 5), h('行政诉讼', 10)],
      [...labels.map((l) => h(l, undefined, 2)), h('未经复议直接起诉', 5), h('复议后起诉', 5)],
      [...labels.map((l) => h(l)), ...labels.map((l) => h(l))],
      REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => h(fmt(figures[`${g}.${s}`])))),
    ],
  };
}

/** Plain grid of a spec: a merged cell's text in its top-left slot, '' in the other slots. */
export function specToGrid(spec: RenderTableSpec): string[][] {
  const grid: string[][] = [];
  const taken: boolean[][] = [];
  spec.rows.forEach((row, r) => {
    grid[r] ??= [];
    taken[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (taken[r][c]) c++;
      for (let dr = 0; dr < (cell.rowspan ?? 1); dr++) {
        const rr = r + dr;
        grid[rr] ??= [];
        taken[rr] ??= [];
        for (let dc = 0; dc < (cell.colspan ?? 1); dc++) {
          taken[rr][c + dc] = true;
          grid[rr][c + dc] = dr === 0 && dc === 0 ? cell.text : '';
        }
      }
      c += cell.colspan ?? 1;
    }
  });
  return grid.map((row) => Array.from(row, (v) => v ?? ''));
}

/** A complete report of the given format: title, prose sections and the three tables. */
export function templateReport(opts: {
  title: string;
  figures: Record<string, number>;
  format: '2019' | '2021';
  prose?: string[];
}): RenderableReport {
  const specs = [activeTable(opts.figures, opts.format), applicationsTable(opts.figures, opts.format), reviewTable(opts.figures)];
  const intro = opts.prose ?? [
    '本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。报告所列数据的统计期限自1月1日起至12月31日止。如对本报告有疑问，请与本机关政务公开办公室联系。',
  ];
  const blocks: RenderableReport['blocks'] = [
    ...intro.map((text) => ({ kind: 'paragraph' as const, text })),
    { kind: 'heading', text: '一、总体情况' },
    {
      kind: 'paragraph',
      text: '本年度，我单位认真贯彻落实《条例》各项规定，持续推进政府信息公开工作，依法保障人民群众知情权、参与权、表达权和监督权。',
    },
    { kind: 'heading', text: '二、主动公开政府信息情况' },
    { kind: 'table', index: 0 },
    { kind: 'heading', text: '三、收到和处理政府信息公开申请情况' },
    { kind: 'table', index: 1 },
    { kind: 'heading', text: '四、政府信息公开行政复议、行政诉讼情况' },
    { kind: 'table', index: 2 },
    { kind: 'heading', text: '五、存在的主要问题及改进情况' },
    { kind: 'paragraph', text: '政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题，下一步将进一步加强培训，提升公开质量。' },
    { kind: 'heading', text: '六、其他需要报告的事项' },
    { kind: 'paragraph', text: '本年度未收取信息处理费。' },
  ];
  return {
    title: opts.title,
    paragraphs: blocks.flatMap((b) => (b.kind === 'table' ? [] : [b.text])),
    tables: specs.map(specToGrid),
    tableSpecs: specs,
    blocks,
  };
}
