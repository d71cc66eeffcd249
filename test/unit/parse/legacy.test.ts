import { describe, expect, it } from 'vitest';
import { readSummary } from '../../../src/parse/legacy.ts';

describe('readSummary', () => {
  it('takes the whole-year total, not the sub-counts after 其中', () => {
    const r = readSummary(
      '所有政府信息公开单位通过不同渠道和方式主动公开政府信息8532条。其中通过政府网站公开工作动态3295条,政务动态1004条。共发微博418条。',
    );
    expect(r.figures['summary.active_items']).toBe(8532);
  });

  it('reads Chinese numerals and marks approximate counts', () => {
    const r = readSummary(
      '全区37个政府信息公开单位全年主动公开政府信息共2万六千余条。本年度县级机关共接到依申请信息公开申请两条,已全部答复。',
    );
    expect(r.figures['summary.active_items']).toBe(26000);
    expect(r.figures['summary.applications']).toBe(2);
    expect(r.warnings.some((w) => w.startsWith('approximate') && w.includes('summary.active_items'))).toBe(true);
  });

  it('does not count enquiries, time limits or cumulative figures as applications or items', () => {
    const r = readSummary(
      '本年度共受理政府信息公开咨询35件。自收到申请之日起15个工作日内答复。网站累计主动公开政府信息9377条。全年共受理依申请公开12例,其中:书面依申请公开信息7例。',
    );
    expect(r.figures['summary.applications']).toBe(12);
    expect(r.figures['summary.active_items']).toBeUndefined();
  });

  it('reads zero from negations, a joint negation setting both review and litigation', () => {
    const r = readSummary(
      '本年度未接到有关政府信息公开方面的行政复议、行政诉讼和行政申诉的案件。全年未收取信息公开申请任何费用。本年度未收到政府信息公开申请。',
    );
    expect(r.figures).toMatchObject({
      'summary.review_cases': 0,
      'summary.litigation_cases': 0,
      'summary.fees_yuan': 0,
      'summary.applications': 0,
    });
  });

  it('reads stated case counts and fees charged, but not spending', () => {
    const r = readSummary('全年发生政府信息公开行政复议3件,行政诉讼1件。收取复印费120元。');
    expect(r.figures).toMatchObject({ 'summary.review_cases': 3, 'summary.litigation_cases': 1, 'summary.fees_yuan': 120 });
    expect(readSummary('本年度我县支出信息公开费用2万元整,主要为文件印刷费。').figures['summary.fees_yuan']).toBeUndefined();
  });

  it('leaves a key absent and quotes both values when the text disagrees with itself', () => {
    const r = readSummary('全年主动公开政府信息8532条。全年主动公开政府信息8600条。');
    expect(r.figures['summary.active_items']).toBeUndefined();
    const w = r.warnings.find((x) => x.startsWith('summary_conflict'));
    expect(w).toContain('8532');
    expect(w).toContain('8600');
  });
});

describe('readSummary: wordings seen in county reports', () => {
  it.each([
    ['全年主动公开政府信息总数为1234条。', 'summary.active_items', 1234],
    ['通过政府网站主动公开信息5678条。', 'summary.active_items', 5678],
    ['全年共主动公开政府信息一万二千余条。', 'summary.active_items', 12000],
    ['本年度共受理依申请公开申请二十三件。', 'summary.applications', 23],
    ['今年共接受政府信息公开申请12件，比上年增长20%。', 'summary.applications', 12],
    ['全年无依申请公开事项。', 'summary.applications', 0],
    ['因政府信息公开申请行政复议0件、行政诉讼0件。', 'summary.review_cases', 0],
    ['共收取检索、复制、邮寄等费用0元。', 'summary.fees_yuan', 0],
    ['全年没有发生政府信息公开收费情况。', 'summary.fees_yuan', 0],
  ])('%s → %s = %i', (text, key, value) => {
    expect(readSummary(text).figures[key]).toBe(value);
  });

  it('does not read a negated review sentence as "no applications"', () => {
    const r = readSummary('2016年度，本机关未发生因政府信息公开申请提起行政复议、行政诉讼的情况。');
    expect(r.figures['summary.applications']).toBeUndefined();
    expect(r.figures['summary.review_cases']).toBe(0);
  });
});
