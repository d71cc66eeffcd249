import { describe, expect, it } from 'vitest';
import { ParseResultSchema } from '../../../src/schema/parse-result.ts';
import { parseReport } from '../../../src/parse/parse-report.ts';

const LEGACY = `某某县人民政府

某某县人民政府2017年度政府信息公开年度报告

发布时间: 2018-02-11

本年报根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。

一、概述
2017年,我县认真贯彻《条例》精神。

二、主动公开政府信息情况
2017年,所有政府信息公开单位主动公开政府信息8532条。其中通过政府网站公开3295条。

三、依申请公开政府信息情况
本年度县级机关共接到依申请信息公开申请两条,已全部答复。

四、行政复议和行政诉讼情况
本年度未接到有关政府信息公开方面的行政复议、行政诉讼的案件。

五、存在的主要问题和改进措施
公开内容需进一步深化。`.replace(/某某县/g, '陵川县');

const TABLES_2021 = [
  '沭阳县发展和改革局2023年政府信息公开年度报告',
  '根据《中华人民共和国政府信息公开条例》要求编制。本年度报告所列数据的统计时限为2023年1月1日至2023年12月31日。',
  '一、总体情况',
  '2023年,全年共审核发布各类公开政府信息249条。',
  '二、主动公开政府信息情况',
  '第二十条第（一）项',
  '信息内容\t本年制发件数\t本年废止件数\t现行有效件数',
  '规章\t0\t0\t0',
  '规范性文件\t8\t0\t18',
  '第二十条第（八）项',
  '信息内容\t本年收费金额（单位：万元）',
  '行政事业性收费\t0',
  '三、收到和处理政府信息公开申请情况',
  '五、存在的主要问题及改进情况',
  '无。',
].join('\n');

describe('parseReport', () => {
  it('returns a contract-valid result for a legacy report, with prose figures only', () => {
    const r = parseReport({ body: LEGACY, kind: 'text' });
    expect(() => ParseResultSchema.parse(r)).not.toThrow();
    expect(r).toMatchObject({ isReport: true, format: 'legacy', year: 2017, publishedAt: '2018-02-11', region: { code: '140524' } });
    expect(r.figures).toEqual({
      'summary.active_items': 8532,
      'summary.applications': 2,
      'summary.review_cases': 0,
      'summary.litigation_cases': 0,
    });
    expect(r.sections?.map((s) => s.key)).toEqual(['overview', 'active', 'applications', 'review', 'problems']);
  });

  it('does not emit prose figures for a tabular report, and warns when tables are missing', () => {
    const r = parseReport({ body: TABLES_2021, kind: 'text' });
    expect(() => ParseResultSchema.parse(r)).not.toThrow();
    expect(r.format).toBe('2021');
    expect(Object.keys(r.figures).some((k) => k.startsWith('summary.'))).toBe(false);
    expect(r.figures['active.normative_docs.in_force']).toBe(18);
    expect(r.warnings.some((w) => /missing|truncat/.test(w))).toBe(true);
  });

  it('rejects a notice about compiling the reports, even though it names them', () => {
    const r = parseReport({
      body: '关于做好2020年度政府信息公开工作年度报告编制和发布工作的通知\n各乡镇人民政府，县直各单位：\n请于2021年1月31日前报送。',
    });
    expect(r.isReport).toBe(false);
    expect(r.figures).toEqual({});
  });

  it('rejects a government work report and a budget page', () => {
    expect(parseReport({ body: '2021年永修县政府工作报告\n——在永修县第十七届人民代表大会第五次会议上\n各位代表：' }).isReport).toBe(false);
    expect(parseReport({ body: '永修县2021年财政预算执行情况和2022年预算草案的报告\n一、2021年预算执行情况' }).isReport).toBe(false);
  });

  it('keeps a report whose page chrome lists neighbours (政府工作报告, 预决算) before its heading', () => {
    const r = parseReport({ body: `首页\n政府工作报告\n预决算公开\n统计公报\n${LEGACY}` });
    expect(r.isReport).toBe(true);
  });

  it('treats a scanned report (heading only, tables as images) as a report, and a list of reports as none', () => {
    expect(parseReport({ body: '永修县2020年政府信息公开工作年度报告\n发布日期:2021-02-20' }).isReport).toBe(true);
    const list = [
      '县政府办2020年政府信息公开工作年度报告',
      '县教育局2020年政府信息公开工作年度报告',
      '县财政局2020年政府信息公开工作年度报告',
      '县民政局2020年政府信息公开工作年度报告',
    ];
    expect(parseReport({ body: list.join('\n') }).isReport).toBe(false);
  });

  it('takes the declared article title over a related-reports list above it, and stays a report', () => {
    const related = [
      '陵川县2016年度政府信息公开年度报告',
      '陵川县2015年度政府信息公开年度报告',
      '陵川县2014年度政府信息公开年度报告',
      '陵川县2013年度政府信息公开年度报告',
    ];
    const r = parseReport({ body: `${related.join('\n')}\n${LEGACY}`, pageMeta: { title: '陵川县人民政府2017年度政府信息公开年度报告' } });
    expect(r).toMatchObject({ isReport: true, year: 2017, title: '陵川县人民政府2017年度政府信息公开年度报告' });
  });

  it('rejects companion pages (图解, 解读) that point at the report', () => {
    expect(parseReport({ body: '一图读懂永修县2020年政府信息公开工作年度报告\n' + LEGACY.split('\n').slice(4).join('\n') }).isReport).toBe(
      false,
    );
  });

  it('converts Traditional text and warns', () => {
    const body = LEGACY.replace('政府信息公开年度报告', '政府信息公開年度報告').replace('主动公开政府信息8532条', '主動公開政府信息8532條');
    const r = parseReport({ body });
    expect(r.warnings.some((w) => w.startsWith('converted_traditional'))).toBe(true);
    expect(r.figures['summary.active_items']).toBe(8532);
  });

  it('names OCR input in the warnings', () => {
    expect(parseReport({ body: LEGACY, ocr: true, kind: 'image' }).warnings.some((w) => w.startsWith('ocr'))).toBe(true);
  });
});

describe('parseReport: pages that wrap an attachment', () => {
  const attachments = [{ url: 'http://www.x.gov.cn/P020210220.pdf', text: '永修县2020年政府信息公开工作年度报告.pdf' }];

  it('is not itself the report when its text only points to the attached document', () => {
    const r = parseReport({
      body: '永修县2020年政府信息公开工作年度报告\n发布日期:2021-02-20\n永修县2020年政府信息公开工作年度报告全文详见附件。',
      attachments,
    });
    expect(r.isReport).toBe(false);
    expect(r.warnings.some((w) => w.includes('P020210220.pdf'))).toBe(true);
  });

  it('stays a report when the page carries the report text as well', () => {
    expect(
      parseReport({ body: LEGACY + '\n' + '2017年,我县进一步深化公开内容,加强解读回应,规范依申请公开办理流程。'.repeat(6), attachments })
        .isReport,
    ).toBe(true);
  });
});
