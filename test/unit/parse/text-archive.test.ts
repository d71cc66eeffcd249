// Reports as text archives keep them (written for this test): the whole text on one line, whitespace runs collapsed
// to one space, table cells glued with no separator, a header block first. Lines, metadata and every cell whose cut
// the format's identities make certain come back; the rest are absent with a warning naming their keys.
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../../src/parse/parse-report.ts';
import { relineCollapsed } from '../../../src/parse/reline.ts';
import { splitDigits } from '../../../src/parse/tables/joined-cells.ts';

const HEADER_2022 =
  '标题: 平潭综合实验区2022年政府信息公开工作年度报告 发布时间: 2023-01-18 09:30:00 发布机构: 平潭综合实验区党政办公室 文号: 岚综管办〔2023〕3号 原文链接: http://www.example.gov.cn/xxgk/2023/t20230118_1.html';

// Table 三 rows (natural, commercial, research, ngo, legal, other_org, total), glued as an archive prints them.
const ROWS_2021: Array<[string, string]> = [
  ['一、本年新收政府信息公开申请数量 ', '582001061'], // 58 2 0 0 1 0 61
  ['二、上年结转政府信息公开申请数量 ', '3000003'],
  ['三、本年度办理结果 (一)予以公开', '301000031'], // 30 1 0 0 0 0 31
  ['(二)部分公开(区分处理的,只计这一情形,不计其他情形)', '5000005'],
  ['(三)不予公开 1.属于国家秘密', '0000000'],
  ['2.其他法律行政法规禁止公开', '1000001'],
  ['3.危及“三安全一稳定”', '0000000'],
  ['4.保护第三方合法权益', '2000002'],
  ['5.属于三类内部事务信息', '0000000'],
  ['6.属于四类过程性信息', '0000000'],
  ['7.属于行政执法案卷', '0000000'],
  ['8.属于行政查询事项', '0000000'],
  ['(四)无法提供 1.本机关不掌握相关政府信息', '121001014'], // 12 1 0 0 1 0 14
  ['2.没有现成信息需要另行制作', '0000000'],
  ['3.补正后申请内容仍不明确', '3000003'],
  ['(五)不予处理 1.信访举报投诉类申请', '2000002'],
  ['2.重复申请', '1000001'],
  ['3.要求提供公开出版物', '0000000'],
  ['4.无正当理由大量反复申请', '0000000'],
  ['5.要求行政机关确认或重新出具已获取信息', '0000000'],
  ['(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '0000000'],
  ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '0000000'],
  ['3.其他', '1000001'],
  ['(七)总计 ', '572001060'], // 57 2 0 0 1 0 60
  ['四、结转下年度继续办理 ', '4000004'],
];

const REPORT_2022 = [
  HEADER_2022,
  '平潭综合实验区2022年政府信息公开工作年度报告',
  '本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自2022年1月1日起至2022年12月31日止。',
  '一、总体情况 2022年,实验区持续深化政务公开。(一)主动公开 全年主动公开政府信息1234条。(二)依申请公开 全年新收申请61件。',
  '二、主动公开政府信息情况 第二十条第(一)项 信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件4137',
  '第二十条第(五)项 信息内容本年处理决定数量行政许可1520 第二十条第(六)项 信息内容本年处理决定数量行政处罚86行政强制0',
  '第二十条第(八)项 信息内容本年收费金额(单位:万元)行政事业性收费12.5',
  '三、收到和处理政府信息公开申请情况 (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他',
  ROWS_2021.map(([label, digits]) => label + digits).join(''),
  '四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 12000120001100000',
  '五、存在的主要问题及改进情况 公开内容的规范性有待提高。 六、其他需要报告的事项 本年度未收取信息处理费。 平潭综合实验区党政办公室 2023年1月18日',
]
  .join(' ')
  .replace(/\s+/g, ' ');

describe('text archive: one line, cells glued', () => {
  const r = parseReport({ body: REPORT_2022, kind: 'text' });

  it('is a report, with title, year, date and region (a zone that governs a county) read', () => {
    expect(r.isReport).toBe(true);
    expect(r.title).toBe('平潭综合实验区2022年政府信息公开工作年度报告');
    expect(r.year).toBe(2022);
    expect(r.publishedAt).toBe('2023-01-18');
    expect(r.format).toBe('2021');
    expect(r.region).toEqual({ name: '平潭县', code: '350128' });
    expect(r.warnings.some((w) => w.startsWith('text_relined'))).toBe(true);
  });

  it('restores sections and table rows as lines', () => {
    expect(r.sections?.map((s) => s.key)).toEqual(
      expect.arrayContaining(['overview', 'active', 'applications', 'review', 'problems', 'other']),
    );
  });

  it('cuts every table-三 row the identities allow one way, exactly', () => {
    const f = r.figures;
    expect([
      f['applications.new.natural'],
      f['applications.new.commercial'],
      f['applications.new.legal'],
      f['applications.new.total'],
    ]).toEqual([58, 2, 1, 61]);
    expect(f['applications.granted.natural']).toBe(30);
    expect(f['applications.unable_not_held.natural']).toBe(12);
    expect(f['applications.unable_not_held.total']).toBe(14);
    expect(f['applications.total.natural']).toBe(57);
    expect(f['applications.total.total']).toBe(60);
    expect(f['applications.carried_forward.natural']).toBe(4);
    expect(f['applications.other_other.total']).toBe(1);
    expect(Object.keys(f).filter((k) => k.startsWith('applications.'))).toHaveLength(175);
    expect(r.checks.filter((c) => c.rule.startsWith('applications.')).every((c) => c.ok)).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('cells_joined:') && w.includes('applications.new.*'))).toBe(true);
  });

  it('reads table 四 through its three group totals', () => {
    expect(r.figures).toMatchObject({
      'review.upheld': 12,
      'review.total': 12,
      'litigation_direct.pending': 1,
      'litigation_direct.total': 1,
      'litigation_after_review.total': 0,
    });
  });

  it('table 二: single cells and unique cuts are read; a row that cuts several ways is absent, its keys named', () => {
    expect(r.figures).toMatchObject({
      'active.regulations.issued': 0,
      'active.regulations.in_force': 0,
      'active.licensing.decisions': 1520,
      'active.penalty.decisions': 86,
      'active.coercion.decisions': 0,
      'active.fees.amount_wan': 12.5,
    });
    // 4137 is 4|1|37, 4|13|7 or 41|3|7.
    expect(r.figures['active.normative_docs.issued']).toBeUndefined();
    const w = r.warnings.find((x) => x.startsWith('cells_joined_ambiguous') && x.includes('"4137"'));
    expect(w).toContain('active.normative_docs.issued');
    expect(w).toContain('active.normative_docs.in_force');
  });
});

describe('text archive, 2019 format', () => {
  const body = [
    '标题: 某某县2019年政府信息公开工作年度报告 发布时间: 2020-03-02 发布机构: 某某县人民政府办公室',
    '一、总体情况 2019年,我县以新修订的《中华人民共和国政府信息公开条例》为遵循,推进决策、执行、管理、服务、结果公开。',
    '二、主动公开政府信息情况 第二十条第(五)项 信息内容上一年项目数量本年增/减处理决定数量 行政许可215381906 其他对外管理服务事项000',
    '三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 91000010 ',
  ].join(' ');
  const r = parseReport({ body, kind: 'text' });

  it('leaves a three-column row with no identity absent, naming each key', () => {
    expect(r.figures['active.licensing.prev_items']).toBeUndefined();
    const w = r.warnings.find((x) => x.includes('"215381906"'));
    expect(w).toMatch(/active\.licensing\.prev_items, active\.licensing\.change, active\.licensing\.decisions/);
    expect(r.figures['active.other_services.decisions']).toBe(0);
    expect(r.figures['applications.new.natural']).toBe(9);
    expect(r.figures['applications.new.total']).toBe(10);
  });
});

describe('text archive, a pre-2019 prose report', () => {
  const body = [
    '标题: 某某县2016年政府信息公开工作年度报告 发布时间: 2017-03-28 16:05 发布机构: 某某县人民政府办公室 原文链接: http://www.example.gov.cn/art/2017/3/28/art_1.html',
    '根据《中华人民共和国政府信息公开条例》规定,现公布2016年度政府信息公开工作年度报告。',
    '一、概述 2016年,全县共主动公开政府信息3,208条。 二、依申请公开情况 全年共受理政府信息公开申请十七件,均已按时答复。',
    '三、收费及减免情况 本年度未收取任何费用。 四、行政复议和行政诉讼情况 全年未发生因政府信息公开引起的行政复议、行政诉讼案件。',
    '五、存在的主要问题和改进措施 部分单位更新不及时。',
  ].join(' ');
  const r = parseReport({ body, kind: 'text' });

  it('is a legacy report with every summary figure its prose states', () => {
    expect(r.isReport).toBe(true);
    expect(r.title).toBe('某某县2016年政府信息公开工作年度报告');
    expect(r.year).toBe(2016);
    expect(r.format).toBe('legacy');
    expect(r.publishedAt).toBe('2017-03-28');
    expect(r.figures).toEqual({
      'summary.active_items': 3208,
      'summary.applications': 17,
      'summary.fees_yuan': 0,
      'summary.review_cases': 0,
      'summary.litigation_cases': 0,
    });
  });
});

describe('relineCollapsed', () => {
  it('leaves ordinary multi-line text and long prose paragraphs alone', () => {
    const text = `一、总体情况\n${'全县各部门认真落实条例要求,做到统一、规范、及时公开。'.repeat(12)}\n二、主动公开政府信息情况\n规章\t0\t0\t3`;
    expect(relineCollapsed(text)).toEqual({ text, relined: false });
  });

  it("breaks item numbers glued to the previous row's digits before the single item digit", () => {
    const line = `${'一、总体情况 全年工作稳步推进。'.repeat(10)} 三、收到和处理政府信息公开申请情况 (三)不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开1000001 四、结转下年度继续办理0000000`;
    const out = relineCollapsed(line).text.split('\n');
    expect(out).toContain('1.属于国家秘密0000000');
    expect(out).toContain('2.其他法律行政法规禁止公开1000001');
    expect(out).toContain('(三)不予公开');
  });
});

describe('splitDigits', () => {
  const seven = Array(7).fill('count');
  const total = (v: number[]) => v.slice(0, 6).reduce((a, b) => a + b, 0) === v[6];
  it('finds the one cut a row total allows', () => {
    expect(splitDigits(['713000074'], seven, total)).toEqual([[71, 3, 0, 0, 0, 0, 74]]);
  });
  it('returns every cut when several fit, and none with leading zeros', () => {
    expect(splitDigits(['4137'], ['count', 'count', 'count'])).toEqual([
      [4, 1, 37],
      [4, 13, 7],
      [41, 3, 7],
    ]);
    expect(splitDigits(['0012'], ['count', 'count', 'count'])).toEqual([[0, 0, 12]]);
  });
  it('never cuts across a space, reads signs only where a column may be negative, decimals only in money', () => {
    expect(splitDigits(['12', '3'], ['count', 'count'])).toEqual([[12, 3]]);
    expect(splitDigits(['5-40'], ['count', 'signed'])).toEqual([[5, -40]]);
    expect(splitDigits(['5-40'], ['count', 'count'])).toEqual([]);
    expect(splitDigits(['312.5'], ['count', 'money'])).toEqual([
      [3, 12.5],
      [31, 2.5],
    ]);
  });
});
