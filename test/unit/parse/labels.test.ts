import { describe, expect, it } from 'vitest';
import {
  activeColumnsInText,
  matchActiveRow,
  matchApplicantColumn,
  matchApplicationRows,
  matchReviewColumn,
  matchReviewGroup,
  stripNumbering,
} from '../../../src/parse/tables/labels.ts';

const row = (text: string) => matchApplicationRows(text).rows;

describe('table 三 row labels', () => {
  it.each([
    ['一、本年新收政府信息公开申请数量', 'new'],
    ['二、上年结转政府信息公开申请数量', 'carried_over'],
    ['三、本年度办理结果 (一)予以公开', 'granted'],
    ['(一) 于以公开', 'granted'],
    ['形，不计其他情形）', 'partial'],
    ['(三) 1. 属于国家秘密', 'denied_secret'],
    ['不予 公开\t2. 其他法律行政法规禁止公开', 'denied_law'],
    ['2.其他法律行政止公开', 'denied_law'],
    ['3. 危及“三安全一稳定”', 'denied_safety'],
    ['（四）无 1.本机关不掌握相关政府信息', 'unable_not_held'],
    ['5. 要求行政机关确', 'rejected_confirm'],
    ['认或重新出具已获取信息', 'rejected_confirm'],
    ['1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other_no_correction'],
    ['缴纳费用、行政机关不再处理其政', 'other_unpaid'],
    ['3.其他', 'other_other'],
    ['(七)总计', 'total'],
    ['四、结转下年度继续办理', 'carried_forward'],
  ])('%s → %s', (text, want) => expect(row(text)).toEqual([want]));

  it('a bare （六）其他处理 names the single 2019 row; the group word never hides an item', () => {
    expect(row('(六)其他处理')).toEqual(['other']);
    expect(row('(六) 其他处理 1.申请人无正当理由逾期不补正')).toEqual(['other_no_correction']);
  });

  it('labels glued from two rows are ambiguous, a fragment shared by rows names none', () => {
    expect(row('5.属于三类内部事务信息1.本机关不掌握相关政府信息').sort()).toEqual(['denied_internal', 'unable_not_held']);
    expect(row('行政机关不再处理其政府信息公')).toEqual([]);
    expect(row('(三)不予公开')).toEqual([]);
    expect(matchApplicationRows('(三)不予公开').group).toBe('denied');
  });

  it('小计 rows are subtotals, not 总计', () => {
    expect(matchApplicationRows('小计')).toMatchObject({ subtotal: true, rows: [] });
  });
});

describe('table 三 column headers', () => {
  it.each([
    ['日然人', 'natural'],
    ['商业企业', 'commercial'],
    ['科 研 机构', 'research'],
    ['社 会 公 益 组织', 'ngo'],
    ['法律服 务机构', 'legal'],
    ['其他', 'other_org'],
    ['总计', 'total'],
    ['小计', 'org_subtotal'],
  ])('%s → %s', (text, want) => expect(matchApplicantColumn(text)).toBe(want));
  it('法人或其他组织 is the group, not 其他', () => {
    for (const t of ['法人或其他组织', '法人或者其他组织', '法人及其他组织']) expect(matchApplicantColumn(t)).toBeNull();
  });
});

describe('table 二', () => {
  it('row labels must be the whole cell', () => {
    expect(matchActiveRow('规范性文件')).toBe('normative_docs');
    expect(matchActiveRow('行政规范性文件')).toBe('normative_docs');
    expect(matchActiveRow('1.政府集中采购')).toBe('procurement');
    expect(matchActiveRow('全年制发规章3件')).toBeNull();
  });
  it('column headers in order, with units', () => {
    expect(activeColumnsInText('信息内容 本年新 制作数量 本年新 公开数量 对外公开总数量').map((c) => c.key)).toEqual([
      'made',
      'published',
      'total',
    ]);
    expect(activeColumnsInText('信息内容\t上一年项目数量\t本年增减\t处理决定数量').map((c) => c.key)).toEqual([
      'prev_items',
      'change',
      'decisions',
    ]);
    expect(activeColumnsInText('采购项目数量 采购总金额(万元)')).toEqual([
      { key: 'projects', unit: null },
      { key: 'amount', unit: '万元' },
    ]);
    expect(activeColumnsInText('本年收费金额（单位：万元）')).toEqual([{ key: 'amount_wan', unit: '万元' }]);
  });
});

describe('table 四', () => {
  it.each([
    ['知果维持', 'upheld'],
    ['知果 纠正', 'corrected'],
    ['A. 他 结 果', 'other'],
    ['一 未 审 结', 'pending'],
    ['总计', 'total'],
  ])('%s → %s', (text, want) => expect(matchReviewColumn(text)).toBe(want));
  it('groups: the longer name wins', () => {
    expect(matchReviewGroup('### 行政诉讼（复议后起诉）')).toBe('litigation_after_review');
    expect(matchReviewGroup('行政诉讼（未经复议直接起诉）')).toBe('litigation_direct');
    expect(matchReviewGroup('### 行政复议')).toBe('review');
  });
});

it('stripNumbering removes any numbering prefix', () => {
  expect(stripNumbering('（三） 1. 属于国家秘密')).toBe('属于国家秘密');
  expect(stripNumbering('一、本年新收')).toBe('本年新收');
});
