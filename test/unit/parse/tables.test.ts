import { describe, expect, it } from 'vitest';
import { readTables } from '../../../src/parse/tables/index.ts';
import { APPLICANT_COLUMNS, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021 } from '../../../src/schema/figure-keys.ts';

const LABELS: Record<string, string> = {
  new: '一、本年新收政府信息公开申请数量',
  carried_over: '二、上年结转政府信息公开申请数量',
  granted: '(一)予以公开',
  partial: '(二)部分公开(区分处理的,只计这一情形,不计其他情形)',
  denied_secret: '(三)不予公开\t1.属于国家秘密',
  denied_law: '\t2.其他法律行政法规禁止公开',
  denied_safety: '\t3.危及"三安全一稳定"',
  denied_third_party: '\t4.保护第三方合法权益',
  denied_internal: '\t5.属于三类内部事务信息',
  denied_process: '\t6.属于四类过程性信息',
  denied_enforcement: '\t7.属于行政执法案卷',
  denied_query: '\t8.属于行政查询事项',
  unable_not_held: '(四)无法提供\t1.本机关不掌握相关政府信息',
  unable_create: '\t2.没有现成信息需要另行制作',
  unable_unclear: '\t3.补正后申请内容仍不明确',
  rejected_petition: '(五)不予处理\t1.信访举报投诉类申请',
  rejected_repeat: '\t2.重复申请',
  rejected_publication: '\t3.要求提供公开出版物',
  rejected_excessive: '\t4.无正当理由大量反复申请',
  rejected_confirm: '\t5.要求行政机关确认或重新出具已获取信息',
  other: '(六)其他处理',
  other_no_correction: '(六)其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  other_unpaid: '\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  other_other: '\t3.其他',
  total: '(七)总计',
  carried_forward: '四、结转下年度继续办理',
};
const HEAD3 = [
  '三、收到和处理政府信息公开申请情况',
  '(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\t申请人情况',
  '\t自然人\t法人或其他组织\t\t\t\t\t总计',
  '\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t',
];
const HEAD4 = [
  '四、政府信息公开行政复议、行政诉讼情况',
  '行政复议\t\t\t\t\t行政诉讼',
  '结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉',
  '\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
];

/** A consistent table 三: one application per row in the natural column of `granted`, everything else 0. */
function table3(
  rows: readonly string[],
  cells: (row: string) => string[] = (r) => {
    const one = ['new', 'granted', 'total'].includes(r);
    return [one ? '1' : '0', '0', '0', '0', '0', '0', one ? '1' : '0'];
  },
): string[] {
  return [...HEAD3, ...rows.map((r) => `${LABELS[r]}\t${cells(r).join('\t')}`)];
}
const table4 = (values = Array(15).fill('0')) => [...HEAD4, values.join('\t'), '五、存在的主要问题及改进情况'];
const body = (...parts: string[][]) => parts.flat().join('\n');

describe('readTables: table 三', () => {
  it('reads every cell of a clean 2019 tab table and every check passes', () => {
    const r = readTables(body(table3(APPLICATION_ROWS_2019), table4()));
    expect(Object.keys(r.figures).filter((k) => k.startsWith('applications.'))).toHaveLength(161);
    expect(r.figures['applications.granted.natural']).toBe(1);
    expect(r.figures['applications.granted.commercial']).toBe(0);
    expect(r.found).toEqual({ active: false, applications: true, review: true });
    expect(r.checks).toHaveLength(40);
    expect(r.checks.every((c) => c.ok)).toBe(true);
  });

  it('blank cells are absent (never 0) and named in a warning; checks count them as 0', () => {
    const r = readTables(
      body(
        table3(APPLICATION_ROWS_2019, (row) =>
          row === 'denied_law' ? ['', '—', '/', '-', '无', '', ''] : ['0', '0', '0', '0', '0', '0', '0'],
        ),
        table4(),
      ),
    );
    for (const c of APPLICANT_COLUMNS) expect(r.figures).not.toHaveProperty(`applications.denied_law.${c}`);
    expect(r.blanks).toContain('applications.denied_law.research');
    expect(r.warnings.some((w) => w.startsWith('blank_cells') && w.includes('applications.denied_law.natural'))).toBe(true);
    expect(r.checks.find((c) => c.rule === 'applications.total_rows.natural')?.detail).toContain('blank as 0: denied_law');
  });

  it('a row missing a cell is lost whole, with table_damaged; nothing is inferred from totals', () => {
    const r = readTables(
      body(
        table3(APPLICATION_ROWS_2019, (row) => (row === 'partial' ? ['0', '0', '0', '0', '0', '0'] : ['0', '0', '0', '0', '0', '0', '0'])),
        table4(),
      ),
    );
    for (const c of APPLICANT_COLUMNS) expect(r.figures).not.toHaveProperty(`applications.partial.${c}`);
    expect(r.warnings.some((w) => w.startsWith('table_damaged: applications.partial'))).toBe(true);
    expect(r.figures['applications.granted.total']).toBe(0);
  });

  it('several numbers in one cell plus missing cells: row absent', () => {
    const r = readTables(
      body(
        table3(APPLICATION_ROWS_2019, (row) => (row === 'carried_over' ? ['1 1 0 0', '0', '0'] : ['0', '0', '0', '0', '0', '0', '0'])),
        table4(),
      ),
    );
    expect(Object.keys(r.figures).some((k) => k.startsWith('applications.carried_over.'))).toBe(false);
    expect(r.warnings.some((w) => /carried_over.*several numbers/.test(w))).toBe(true);
  });

  it('a row that only lost cells is aligned by the header grid when its cell count matches', () => {
    // Seed-003 layout: three label columns, values under header positions 3..9, three headless trailing cells.
    const head = [
      '(本列数据的勾稽关系为:第一项加第二项之和,\t\t\t\t申请人情况\t\t\t\t\t\t\t\t',
      '\t三项加第\t\t日然人\t商业企业\t科 研 机构\t社 会 公 益 组织\t法律服 务机构\t其他\t总计\t\t\t',
    ];
    const full = (label: string, v: string[]) => `\t${label}\t\t${v.join('\t')}\t\t\t`;
    const rows = APPLICATION_ROWS_2019.map((r) => full(LABELS[r].replace('\t', ' '), ['0', '0', '0', '0', '0', '0', '0']));
    rows[2] = '\t(一)予以公开\t\t\t\t0\t0\t0\t79\t79\t\t\t';
    rows[3] = '\t(二)部分公开\t\t\t0\t0\t0\t0\t0\t0\t\t\t';
    const r = readTables(body(head, rows, table4()));
    expect(r.figures['applications.granted.other_org']).toBe(79);
    expect(r.figures['applications.granted.research']).toBe(0);
    expect(r.figures).not.toHaveProperty('applications.granted.commercial');
    expect(r.figures).not.toHaveProperty('applications.partial.natural');
    expect(r.figures['applications.partial.commercial']).toBe(0);
    expect(r.warnings.some((w) => w.includes('applications.granted: aligned by the header grid'))).toBe(true);
    // The same row with label debris as well is lost whole.
    rows[2] = '\t(一)予以公开\t\t\t\t0\t:年结\t0\t79\t79\t\t\t';
    const damaged = readTables(body(head, rows, table4()));
    expect(Object.keys(damaged.figures).some((k) => k.startsWith('applications.granted.'))).toBe(false);
  });

  it('a row with a missing label fills the one gap in the template sequence, with a warning', () => {
    const text = body(
      table3(APPLICATION_ROWS_2019, (r) =>
        r === 'denied_safety' ? ['0', '2', '0', '0', '0', '0', '2'] : ['0', '0', '0', '0', '0', '0', '0'],
      ),
      table4(),
    ).replace('\t3.危及"三安全一稳定"\t', '\t\t');
    const r = readTables(text);
    expect(r.figures['applications.denied_safety.commercial']).toBe(2);
    expect(r.warnings.some((w) => w.startsWith('row_placed_by_position: applications.denied_safety'))).toBe(true);
  });

  it('two unlabeled rows in a gap of one cannot be placed: dropped with a warning', () => {
    const rows = table3(APPLICATION_ROWS_2019);
    const i = rows.findIndex((l) => l.includes('3.危及'));
    rows.splice(i, 1, '\t\t5\t0\t0\t0\t0\t0\t5', '\t\t6\t0\t0\t0\t0\t0\t6');
    const r = readTables(body(rows, table4()));
    expect(r.figures).not.toHaveProperty('applications.denied_safety.natural');
    expect(Object.values(r.figures)).not.toContain(5);
    expect(r.warnings.some((w) => /unlabeled row\(s\).*dropped/.test(w))).toBe(true);
  });

  it('2021 （六） rows: three items; a single （六）其他处理 row under 2021 table 二 fills other.* and warns', () => {
    const t2 = ['二、主动公开政府信息情况', '第二十条第(一)项', '信息内容\t本年制发件数\t本年废止件数\t现行有效件数', '规章\t1\t0\t5'];
    const r21 = readTables(body(t2, table3(APPLICATION_ROWS_2021), table4()));
    expect(r21.format).toBe('2021');
    expect(r21.figures['applications.other_other.total']).toBe(0);
    expect(r21.singleOtherRowIn2021).toBe(false);
    const single = readTables(body(t2, table3(APPLICATION_ROWS_2019), table4()));
    expect(single.format).toBe('2021');
    expect(single.singleOtherRowIn2021).toBe(true);
    expect(single.figures['applications.other.natural']).toBe(0);
    expect(single.figures).not.toHaveProperty('applications.other_other.natural');
    expect(single.warnings.some((w) => w.startsWith('single_other_row'))).toBe(true);
  });

  it('subtotal rows stay out of the figures and feed only the subtotal checks', () => {
    const rows = table3(APPLICATION_ROWS_2019);
    const i = rows.findIndex((l) => l.includes('8.属于行政查询事项'));
    rows.splice(i + 1, 0, '\t小计\t0\t0\t0\t0\t0\t0\t3');
    const r = readTables(body(rows, table4()));
    expect(r.figures['applications.unable_not_held.total']).toBe(0);
    expect(r.subtotals.rows.denied?.total).toBe(3);
    expect(r.checks.find((c) => c.rule === 'applications.denied_subtotal.total')).toMatchObject({ ok: false });
  });

  it('one cell per line (empty lines between cells) reads the same as tab rows', () => {
    const text = body(table3(APPLICATION_ROWS_2019), table4())
      .split('\n')
      .flatMap((l) => l.split('\t').filter(Boolean))
      .join('\n\n');
    const r = readTables(text);
    expect(Object.keys(r.figures)).toHaveLength(161 + 15);
    expect(r.figures['applications.new.total']).toBe(1);
  });

  it('Markdown pipe rows and space-laid-out rows with wrapped labels', () => {
    const md = body(
      table3(APPLICATION_ROWS_2021).map((l) => (l.includes('\t') ? `| ${l.split('\t').join(' | ')} |` : l)),
      table4(),
    );
    expect(Object.keys(readTables(md).figures)).toHaveLength(175 + 15);
    const spaced = body(
      table3(APPLICATION_ROWS_2021).map((l) => l.replace(/\t+/g, '   ')),
      table4().map((l) => l.replace(/\t/g, '   ')),
    ).replace('(二)部分公开(区分处理的,只计这一情形,不计其他情形)', '(二)部分公开(区分处理的,只计这一情\n形,不计其他情形)');
    const r = readTables(spaced);
    expect(Object.keys(r.figures)).toHaveLength(175 + 15);
  });
});

describe('readTables: extra columns and transposed layouts', () => {
  it('a 法人或其他组织 小计 column is aligned by the header grid and kept out of the figures', () => {
    const head = [
      '三、收到和处理政府信息公开申请情况',
      '\t\t申请人情况',
      '\t\t自然人\t法人或其他组织\t\t\t\t\t\t总计',
      '\t\t\t小计\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t',
    ];
    const rows = APPLICATION_ROWS_2019.map((r) => {
      const [a, b] = LABELS[r].includes('\t') ? LABELS[r].split('\t') : [LABELS[r], ''];
      const v =
        r === 'new' || r === 'granted' || r === 'total'
          ? ['2', '3', '1', '1', '0', '0', '1', '5']
          : ['0', '0', '0', '0', '0', '0', '0', '0'];
      return [a, b, ...v].join('\t');
    });
    const r = readTables(body(head, rows, table4()));
    expect(r.figures['applications.new.natural']).toBe(2);
    expect(r.figures['applications.new.commercial']).toBe(1);
    expect(r.figures['applications.new.other_org']).toBe(1);
    expect(r.figures['applications.new.total']).toBe(5);
    expect(Object.values(r.figures)).not.toContain(3);
    expect(r.subtotals.orgColumn.new).toBe(3);
    expect(r.checks.find((c) => c.rule === 'applications.org_subtotal.new')).toEqual({
      rule: 'applications.org_subtotal.new',
      ok: true,
      detail: '1 + 1 + 0 + 0 + 1 = 3',
    });
  });

  it('table 三 transposed: applicant types as rows, outcomes as columns', () => {
    const rows = APPLICATION_ROWS_2019;
    const header = ['三、收到和处理政府信息公开申请情况', `申请人情况\t${rows.map((r) => LABELS[r].split('\t').pop()).join('\t')}`];
    const types = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
    const value = (r: string, c: number) => (['new', 'granted', 'total'].includes(r) ? (c === 0 ? 4 : c === 6 ? 4 : 0) : 0);
    const lines = types.map((t, c) => `${t}\t${rows.map((r) => value(r, c)).join('\t')}`);
    const r = readTables(body(header, lines, table4()));
    expect(r.figures['applications.new.natural']).toBe(4);
    expect(r.figures['applications.granted.total']).toBe(4);
    expect(r.figures['applications.other.commercial']).toBe(0);
    expect(Object.keys(r.figures).filter((k) => k.startsWith('applications.'))).toHaveLength(161);
    expect(r.checks.filter((c) => c.rule.startsWith('applications.')).every((c) => c.ok)).toBe(true);
  });

  it('table 四 transposed: three labeled rows of five', () => {
    const r = readTables(
      body(table3(APPLICATION_ROWS_2019), [
        '四、政府信息公开行政复议、行政诉讼情况',
        '\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
        '行政复议\t1\t0\t0\t1\t2',
        '未经复议直接起诉\t0\t0\t0\t1\t1',
        '复议后起诉\t0\t0\t0\t0\t0',
      ]),
    );
    expect(r.figures).toMatchObject({
      'review.pending': 1,
      'review.total': 2,
      'litigation_direct.pending': 1,
      'litigation_after_review.total': 0,
    });
  });
});

describe('readTables: table 二', () => {
  it('2019: k-th value to k-th header of its block, signs, units converted to yuan', () => {
    const r = readTables(
      body(
        [
          '第二十条第(一)项',
          '信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量',
          '规章\t0\t0\t0',
          '规范性文件\t3\t3\t3',
          '第二十条第(五)项',
          '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
          '行政许可\t167\t+300\t51425',
          '其他对外管理服务事项\t1808\t-905\t2221',
          '第二十条第(六)项',
          '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
          '行政处罚\t2346\t减 40\t0',
          '行政强制\t124\t－8\t0',
          '第二十条第(八)项',
          '信息内容\t上一年项目数量\t本年增/减\t',
          '行政事业性收费\t22\t减少4\t',
          '第二十条第(九)项',
          '信息内容\t采购项目数量\t采购总金额\t',
          '政府集中采购\t94\t8208. 93 万元\t',
        ],
        table3(APPLICATION_ROWS_2019),
      ),
    );
    expect(r.format).toBe('2019');
    expect(r.figures).toMatchObject({
      'active.normative_docs.total': 3,
      'active.licensing.change': 300,
      'active.other_services.change': -905,
      'active.penalty.change': -40,
      'active.coercion.change': -8,
      'active.fees.change': -4,
      'active.fees.prev_items': 22,
      'active.procurement.projects': 94,
      'active.procurement.amount_yuan': 82089300,
    });
  });

  it('procurement without a unit: a fraction is 万元 (unit_guessed); a whole number is left absent', () => {
    const t = (v: string) =>
      readTables(body(['第二十条第(九)项', '信息内容\t采购项目数量\t采购总金额', `政府集中采购\t9\t${v}`], table3(APPLICATION_ROWS_2019)));
    const guessed = t('10563.76');
    expect(guessed.figures['active.procurement.amount_yuan']).toBe(105637600);
    expect(guessed.warnings.some((w) => w.startsWith('unit_guessed'))).toBe(true);
    const whole = t('251000');
    expect(whole.figures).not.toHaveProperty('active.procurement.amount_yuan');
    expect(whole.warnings.some((w) => w.includes('amount_yuan'))).toBe(true);
    expect(t('251000元').figures['active.procurement.amount_yuan']).toBe(251000);
  });

  it('2021 fees printed in 元 are converted to 万元 with a warning', () => {
    const r = readTables(body(['第二十条第(八)项', '信息内容\t本年收费金额(元)', '行政事业性收费\t38000'], table3(APPLICATION_ROWS_2021)));
    expect(r.figures['active.fees.amount_wan']).toBe(3.8);
    expect(r.warnings.some((w) => w.startsWith('unit_converted'))).toBe(true);
  });

  it('a row with fewer values than headers and no positions is absent with a warning', () => {
    const r = readTables(
      body(
        ['第二十条第(一)项', '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |', '|---|---|---|---|', '| 规章 | 22 | 235 |'],
        table3(APPLICATION_ROWS_2021),
      ),
    );
    expect(Object.keys(r.figures).some((k) => k.startsWith('active.regulations'))).toBe(false);
    expect(r.warnings.some((w) => w.startsWith('table_damaged: active.regulations'))).toBe(true);
  });
});

describe('readTables: table 四', () => {
  it('a 16th value under a column with no header is dropped (warned only when non-zero)', () => {
    const v = ['5', '3', '0', '0', '8', '15', '0', '6', '7', '28', '1', '0', '0', '0', '1'];
    const quiet = readTables(body(table3(APPLICATION_ROWS_2019), [...HEAD4.map((l) => `${l}\t`), [...v, '0'].join('\t')]));
    expect(quiet.figures['litigation_after_review.total']).toBe(1);
    expect(quiet.figures['review.total']).toBe(8);
    expect(quiet.warnings.some((w) => w.includes('no header'))).toBe(false);
    const loud = readTables(body(table3(APPLICATION_ROWS_2019), [...HEAD4.map((l) => `${l}\t`), [...v, '4'].join('\t')]));
    expect(loud.figures['litigation_after_review.total']).toBe(1);
    expect(loud.warnings.some((w) => w.includes('no header'))).toBe(true);
  });

  it('three separate 5-column tables named by their headings', () => {
    const r = readTables(
      body(table3(APPLICATION_ROWS_2021), [
        '四、政府信息公开行政复议、行政诉讼情况',
        '### 行政复议',
        '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |',
        '| 27 | 10 | 9 | 15 | 61 |',
        '### 行政诉讼（复议后起诉）',
        '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |',
        '| 8 | 0 | 1 | 1 | 10 |',
        '### 行政诉讼（未经复议直接起诉）',
        '| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |',
        '| 3 | 0 | 0 | 0 | 3 |',
      ]),
    );
    expect(r.figures).toMatchObject({ 'review.total': 61, 'litigation_direct.upheld': 3, 'litigation_after_review.total': 10 });
  });

  it('a failing 总计 is reported, not repaired', () => {
    const r = readTables(body(table3(APPLICATION_ROWS_2021), table4(['10', '1', '0', '0', '0', ...Array(10).fill('0')])));
    expect(r.figures['review.total']).toBe(0);
    expect(r.warnings).toContain('check_failed: review.total: 10 + 1 + 0 + 0 ≠ 0 (diff 11)');
  });
});

it('no tables: tables_missing', () => {
  const r = readTables('一、总体情况\n全年主动公开政府信息8532条。');
  expect(r.format).toBeNull();
  expect(r.figures).toEqual({});
  expect(r.warnings.some((w) => w.startsWith('tables_missing'))).toBe(true);
});

it('never throws on scrambled input and emits only canonical keys', async () => {
  const { isFigureKey } = await import('../../../src/schema/figure-keys.ts');
  const { mulberry32 } = await import('./generate-report.ts');
  const rng = mulberry32(99);
  const bits = [
    ...Object.values(LABELS),
    ...HEAD3,
    ...HEAD4,
    '第二十条第(一)项',
    '信息内容\t本年制发件数',
    '规章',
    '小计',
    '—',
    '',
    '|',
    '| 0 |',
    '1 1 0',
    '减 4',
    '8208. 93 万元',
    '总计',
    '其他',
    '行政复议',
    '- 3 -',
    '\t\t\t',
  ];
  for (let n = 0; n < 300; n++) {
    const lines = Array.from({ length: 1 + Math.floor(rng() * 60) }, () =>
      Array.from({ length: 1 + Math.floor(rng() * 9) }, () =>
        rng() < 0.5 ? String(Math.floor(rng() * 50)) : bits[Math.floor(rng() * bits.length)],
      ).join(rng() < 0.7 ? '\t' : '  '),
    );
    const r = readTables(lines.join('\n'));
    for (const k of Object.keys(r.figures)) expect(isFigureKey(k)).toBe(true);
    for (const v of Object.values(r.figures)) expect(Number.isFinite(v)).toBe(true);
  }
});

describe('unread cells (a value whose column could not be told)', () => {
  it('leaves the cell out, keeps its neighbours, and names the key in cells_unplaced', () => {
    const body = [
      '三、收到和处理政府信息公开申请情况',
      '(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\t申请人情况',
      '自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计',
      '一、本年新收政府信息公开申请数量\t12\t\uFFFD\t\uFFFD\t0\t0\t0\t13',
      '二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0',
    ].join('\n');
    const r = readTables(body);
    expect(r.figures['applications.new.natural']).toBe(12);
    expect(r.figures['applications.new.total']).toBe(13);
    expect(r.figures['applications.new.commercial']).toBeUndefined();
    expect(r.figures['applications.new.research']).toBeUndefined();
    expect(r.blanks).not.toContain('applications.new.commercial');
    const w = r.warnings.find((x) => x.startsWith('cells_unplaced'));
    expect(w).toContain('applications.new.commercial');
    expect(w).toContain('applications.new.research');
  });
});
