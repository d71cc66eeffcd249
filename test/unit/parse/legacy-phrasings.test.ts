// Pre-2019 prose: the ways county reports state their year totals (sentences written for this test in the
// style of 2008–2018 reports), Chinese numerals included, and the sentences that must NOT fill a key.
import { describe, expect, it } from 'vitest';
import { readSummary } from '../../../src/parse/legacy.ts';

describe('summary.* phrasings of 2008–2018 reports', () => {
  it.each([
    ['2015年全县共公开政府信息2345条。', 'summary.active_items', 2345],
    ['全年主动向社会公开政府信息1,234条。', 'summary.active_items', 1234],
    ['本年度主动公开各类政府信息 856 条。', 'summary.active_items', 856],
    ['我局主动公开信息数量为三百二十条。', 'summary.active_items', 320],
    ['全年累计主动公开政府信息一千零五十条。', 'summary.active_items', undefined],
    ['本年度共受理申请人提出的政府信息公开申请15件。', 'summary.applications', 15],
    ['本年度依申请公开政府信息12件，均按时答复。', 'summary.applications', 12],
    ['全年共办理依申请公开事项八件。', 'summary.applications', 8],
    ['全年未发生依申请公开事项。', 'summary.applications', 0],
    ['本年度依申请公开数量为零。', 'summary.applications', 0],
    ['全年共收到公开申请 27 份。', 'summary.applications', 27],
    ['本年度受理政府信息公开咨询120人次。', 'summary.applications', undefined],
    ['全年因政府信息公开被申请行政复议1件。', 'summary.review_cases', 1],
    ['因政府信息公开被申请行政复议和提起行政诉讼各0件。', 'summary.review_cases', 0],
    ['因政府信息公开被申请行政复议和提起行政诉讼各0件。', 'summary.litigation_cases', 0],
    ['涉及政府信息公开的行政复议、行政诉讼数量均为零。', 'summary.litigation_cases', 0],
    ['全年提起政府信息公开行政诉讼两起。', 'summary.litigation_cases', 2],
    ['本年度发生政府信息公开申诉1件。', 'summary.review_cases', undefined],
    ['本年度收到行政申诉两件，均已办结。', 'summary.review_cases', undefined],
    ['全年信息公开收费0元。', 'summary.fees_yuan', 0],
    ['依申请公开信息均免费提供。', 'summary.fees_yuan', 0],
    ['共收取检索费、复制费一百二十元。', 'summary.fees_yuan', 120],
    ['信息公开收费金额为0元，无减免情况。', 'summary.fees_yuan', 0],
    ['全年政府信息公开工作支出经费3.5万元。', 'summary.fees_yuan', undefined],
  ])('%s → %s = %s', (text, key, value) => {
    expect(readSummary(text).figures[key]).toBe(value);
  });

  it('reads a whole pre-2019 report whose prose states all five totals', () => {
    const text = [
      '一、概述',
      '2016年，我县认真贯彻落实《中华人民共和国政府信息公开条例》，全年全县共主动公开政府信息3,208条，其中通过县政府门户网站公开2,950条。',
      '二、依申请公开政府信息情况',
      '全年共受理政府信息公开申请十七件，其中当面申请9件，网上申请8件，已全部按期答复。另受理咨询230人次。',
      '三、政府信息公开的收费及减免情况',
      '本年度依申请提供政府信息，未收取任何费用。',
      '四、因政府信息公开申请提起行政复议、行政诉讼的情况',
      '全年因政府信息公开被申请行政复议1件，未发生行政诉讼案件；收到行政申诉2件。',
    ].join('\n');
    expect(readSummary(text).figures).toEqual({
      'summary.active_items': 3208,
      'summary.applications': 17,
      'summary.fees_yuan': 0,
      'summary.review_cases': 1,
      'summary.litigation_cases': 0,
    });
  });
});
