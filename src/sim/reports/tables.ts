// The three template tables as cells with spans (docs/report-formats.md §2). One source for the HTML, text and
// document renderers, so every shape of a report prints the same numbers.
import { APPLICANT_COLUMNS, REVIEW_GROUPS, REVIEW_SUFFIXES } from '../../schema/figure-keys.ts';
import type { ReportModel } from './model.ts';

export interface TableCell {
  text: string;
  rowspan?: number;
  colspan?: number;
  /** the figure key of a value cell */
  key?: string;
  header?: boolean;
}
export type TableId = 'active' | 'applications' | 'review';
export interface TableSpec {
  id: TableId;
  /** grid columns */
  width: number;
  rows: TableCell[][];
}

export function formatValue(m: ReportModel, key: string): string {
  if (m.blankKeys.includes(key)) return '';
  const v = m.values[key];
  if (v === undefined) return '';
  if (key === 'active.procurement.amount_yuan' && m.style.procurementUnit === '万元') return (v / 10000).toFixed(2);
  if (key.endsWith('.change') && v > 0 && m.style.plusSign) return `+${v}`;
  if (!Number.isInteger(v)) return v.toFixed(2);
  return String(v);
}

const h = (text: string, colspan?: number, rowspan?: number): TableCell => ({ text, colspan, rowspan, header: true });
const val = (m: ReportModel, key: string, colspan?: number): TableCell => ({ text: formatValue(m, key), key, colspan });

function activeTable(m: ReportModel): TableSpec {
  const rows: TableCell[][] = [];
  const block = (article: string, headers: string[], data: [string, string[]][]) => {
    rows.push([h(article, 4)]);
    // two-value blocks stretch the last value over the spare column; one-value blocks span all three
    const span = (i: number, n: number) => (i === n - 1 ? 4 - n : undefined);
    rows.push([h('信息内容'), ...headers.map((t, i) => h(t, span(i, headers.length)))]);
    for (const [label, keys] of data) rows.push([h(label), ...keys.map((k, i) => val(m, k, span(i, keys.length)))]);
  };
  if (m.format === '2019') {
    block(
      '第二十条第（一）项',
      ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
      [
        ['规章', ['made', 'published', 'total'].map((s) => `active.regulations.${s}`)],
        [m.style.normativeLabel, ['made', 'published', 'total'].map((s) => `active.normative_docs.${s}`)],
      ],
    );
    const three = ['prev_items', 'change', 'decisions'];
    block(
      '第二十条第（五）项',
      ['上一年项目数量', '本年增/减', '处理决定数量'],
      [
        ['行政许可', three.map((s) => `active.licensing.${s}`)],
        ['其他对外管理服务事项', three.map((s) => `active.other_services.${s}`)],
      ],
    );
    block(
      '第二十条第（六）项',
      ['上一年项目数量', '本年增/减', '处理决定数量'],
      [
        ['行政处罚', three.map((s) => `active.penalty.${s}`)],
        ['行政强制', three.map((s) => `active.coercion.${s}`)],
      ],
    );
    block('第二十条第（八）项', ['上一年项目数量', '本年增/减'], [['行政事业性收费', ['active.fees.prev_items', 'active.fees.change']]]);
    const unit = m.style.procurementUnit === '万元' ? '采购总金额（万元）' : '采购总金额（元）';
    block(
      '第二十条第（九）项',
      ['采购项目数量', unit],
      [['政府集中采购', ['active.procurement.projects', 'active.procurement.amount_yuan']]],
    );
  } else {
    block(
      '第二十条第（一）项',
      ['本年制发件数', '本年废止件数', '现行有效件数'],
      [
        ['规章', ['issued', 'repealed', 'in_force'].map((s) => `active.regulations.${s}`)],
        [m.style.normativeLabel, ['issued', 'repealed', 'in_force'].map((s) => `active.normative_docs.${s}`)],
      ],
    );
    block('第二十条第（五）项', ['本年处理决定数量'], [['行政许可', ['active.licensing.decisions']]]);
    block(
      '第二十条第（六）项',
      ['本年处理决定数量'],
      [
        ['行政处罚', ['active.penalty.decisions']],
        ['行政强制', ['active.coercion.decisions']],
      ],
    );
    block('第二十条第（八）项', ['本年收费金额（单位：万元）'], [['行政事业性收费', ['active.fees.amount_wan']]]);
  }
  return { id: 'active', width: 4, rows };
}

function applicationsTable(m: ReportModel): TableSpec {
  const org = m.style.orgSubtotalColumn;
  const sum = (row: string, cols: readonly string[]) => cols.reduce((a, c) => a + (m.values[`applications.${row}.${c}`] ?? 0), 0);
  const ORG = ['commercial', 'research', 'ngo', 'legal', 'other_org'] as const;
  // A printed 小计 (column or row) has no figure key: docs/report-formats.md §4/§5, used only by subtotal checks.
  const values = (row: string) => {
    const cells = APPLICANT_COLUMNS.map((c) => val(m, `applications.${row}.${c}`));
    if (org) cells.splice(6, 0, { text: String(sum(row, ORG)) });
    return cells;
  };
  const width = org ? 11 : 10;
  const rows: TableCell[][] = [
    [h('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3), h('申请人情况', org ? 8 : 7)],
    [h('自然人', undefined, 2), h('法人或其他组织', org ? 6 : 5), h('总计', undefined, 2)],
    [h('商业企业'), h('科研机构'), h('社会公益组织'), h('法律服务机构'), h('其他'), ...(org ? [h('小计')] : [])],
    [h('一、本年新收政府信息公开申请数量', 3), ...values('new')],
    [h('二、上年结转政府信息公开申请数量', 3), ...values('carried_over')],
  ];
  const groups: [string, [string, string][]][] = [
    [
      '（三）不予公开',
      [
        ['1.属于国家秘密', 'denied_secret'],
        ['2.其他法律行政法规禁止公开', 'denied_law'],
        ['3.危及“三安全一稳定”', 'denied_safety'],
        ['4.保护第三方合法权益', 'denied_third_party'],
        ['5.属于三类内部事务信息', 'denied_internal'],
        ['6.属于四类过程性信息', 'denied_process'],
        ['7.属于行政执法案卷', 'denied_enforcement'],
        ['8.属于行政查询事项', 'denied_query'],
      ],
    ],
    [
      '（四）无法提供',
      [
        ['1.本机关不掌握相关政府信息', 'unable_not_held'],
        ['2.没有现成信息需要另行制作', 'unable_create'],
        ['3.补正后申请内容仍不明确', 'unable_unclear'],
      ],
    ],
    [
      '（五）不予处理',
      [
        ['1.信访举报投诉类申请', 'rejected_petition'],
        ['2.重复申请', 'rejected_repeat'],
        ['3.要求提供公开出版物', 'rejected_publication'],
        ['4.无正当理由大量反复申请', 'rejected_excessive'],
        ['5.要求行政机关确认或重新出具已获取信息', 'rejected_confirm'],
      ],
    ],
  ];
  if (m.format === '2021') {
    groups.push([
      '（六）其他处理',
      [
        ['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other_no_correction'],
        ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'other_unpaid'],
        ['3.其他', 'other_other'],
      ],
    ]);
  }
  const resultRows: TableCell[][] = [
    [h('（一）予以公开', 2), ...values('granted')],
    [h('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 2), ...values('partial')],
  ];
  const subtotalValues = (keys: string[]) => {
    const cells = APPLICANT_COLUMNS.map((c) => ({ text: String(keys.reduce((a, r) => a + (m.values[`applications.${r}.${c}`] ?? 0), 0)) }));
    if (org) cells.splice(6, 0, { text: String(keys.reduce((a, r) => a + sum(r, ORG), 0)) });
    return cells;
  };
  for (const [label, items] of groups) {
    const span = items.length + (m.style.subtotalRows ? 1 : 0);
    items.forEach(([itemLabel, row], i) => {
      resultRows.push([...(i === 0 ? [h(label, undefined, span)] : []), h(itemLabel), ...values(row)]);
    });
    if (m.style.subtotalRows) resultRows.push([h('小计'), ...subtotalValues(items.map(([, r]) => r))]);
  }
  if (m.format === '2019') resultRows.push([h('（六）其他处理', 2), ...values('other')]);
  resultRows.push([h('（七）总计', 2), ...values('total')]);
  resultRows[0]!.unshift(h('三、本年度办理结果', undefined, resultRows.length));
  rows.push(...resultRows);
  rows.push([h('四、结转下年度继续办理', 3), ...values('carried_forward')]);
  return { id: 'applications', width, rows };
}

function reviewTable(m: ReportModel): TableSpec {
  const labels = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return {
    id: 'review',
    width: 15,
    rows: [
      [h('行政复议', 5), h('行政诉讼', 10)],
      [...labels.map((l) => h(l, undefined, 2)), h('未经复议直接起诉', 5), h('复议后起诉', 5)],
      [...labels.map((l) => h(l)), ...labels.map((l) => h(l))],
      REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => val(m, `${g}.${s}`))),
    ],
  };
}

export function reportTableSpecs(m: ReportModel): TableSpec[] {
  if (m.format === 'legacy') return [];
  return [activeTable(m), applicationsTable(m), reviewTable(m)];
}

/**
 * Expand spans into a full grid. `fill: 'first'` keeps a spanned cell's text only in its top-left slot
 * (the body-text contract of html-to-body); `fill: 'all'` repeats it (useful for renderers drawing merges).
 */
export function tableGrid(spec: TableSpec, fill: 'first' | 'all' = 'first'): string[][] {
  const grid: (string | undefined)[][] = [];
  spec.rows.forEach((row, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (grid[r]![c] !== undefined) c++;
      const rs = cell.rowspan ?? 1;
      const cs = cell.colspan ?? 1;
      for (let dr = 0; dr < rs; dr++) {
        grid[r + dr] ??= [];
        for (let dc = 0; dc < cs; dc++) {
          grid[r + dr]![c + dc] = dr === 0 && dc === 0 ? cell.text : fill === 'all' ? cell.text : '';
        }
      }
      c += cs;
    }
  });
  return grid.map((row) => Array.from({ length: spec.width }, (_, i) => row[i] ?? ''));
}

/** Rows of cells for the three tables (spans expanded, text in the first slot). */
export function reportTables(m: ReportModel): string[][][] {
  return reportTableSpecs(m).map((s) => tableGrid(s));
}
