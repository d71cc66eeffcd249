import { describe, expect, it } from 'vitest';
import { classifyTitle, cueText, extractYear, scoreLink, scorePageContext } from '../../../src/crawler/cues.ts';

describe('classifyTitle', () => {
  it.each([
    '永修县2020年政府信息公开工作年度报告',
    '陵川县人民政府2021年度政府信息公开工作年度报告',
    '将乐县 2 0 1 9 年政府信息公开工作年度报告',
    '民和县二〇二〇年政府信息公开年报',
    '東湖區人社局２０２２年政府信息公開工作年度報告',
    '县教育局2018年信息公开年度报告',
  ])('report: %s', (t) => expect(classifyTitle(t)).toBe('report'));

  it.each([
    '关于做好2021年政府信息公开工作年度报告编制工作的通知',
    '关于做好2021年度政府信息公开工作年度报告编制和发布工作的通知',
    '永修县2022年政府工作报告',
    '永修县2021年国民经济和社会发展统计公报',
    '永修县人民政府门户网站2021年工作年度报表',
    '永修县2021年法治政府建设年度报告',
    '永修县人民政府关于2021年度法治政府建设情况的报告',
    '图解：永修县2021年政府信息公开工作年度报告',
    '一图读懂《永修县2021年政府信息公开工作年度报告》',
    '永修县2021年度部门决算公开',
    '永修县2021年政府信息公开工作年度报告（内部审核稿）',
    '永修县各单位2021年政府信息公开工作年度报告汇总',
  ])('decoy: %s', (t) => expect(classifyTitle(t)).toBe('decoy'));

  it.each(['政府信息公开年报', '政府信息公开指南', '县长调研春耕', '', null])('other: %s', (t) => expect(classifyTitle(t)).toBe('other'));
});

describe('scoreLink (cue table §1)', () => {
  it('ranks the 年报 column above its parents and siblings', () => {
    const nb = scoreLink({ text: '政府信息公开年报', url: 'http://x.test/zfxxgk/zfxxgknb/index.shtml' });
    const gk = scoreLink({ text: '政府信息公开', url: 'http://x.test/zfxxgk/' });
    const zn = scoreLink({ text: '政府信息公开指南', url: 'http://x.test/zfxxgk/zn/' });
    const home = scoreLink({ text: '首页', url: 'http://x.test/' });
    expect(nb).toBeGreaterThanOrEqual(17);
    expect(gk).toBe(3);
    expect(zn).toBeLessThan(gk);
    expect(home).toBe(0);
  });

  it('finds the column by slug when the link is an image', () => {
    expect(scoreLink({ text: '', url: 'http://x.test/zwgk/gknb2022/' })).toBeGreaterThanOrEqual(7);
  });

  it('pushes decoy columns below the follow threshold', () => {
    expect(scoreLink({ text: '政府工作报告', url: 'http://x.test/zfgzbg/' })).toBeLessThanOrEqual(-5);
    expect(scoreLink({ text: '财政预决算', url: 'http://x.test/czyjs/' })).toBeLessThanOrEqual(-5);
    expect(scoreLink({ text: '统计公报', url: 'http://x.test/tjgb/' })).toBeLessThanOrEqual(-5);
  });

  it('年报 alone counts more inside a 公开 area', () => {
    expect(scoreLink({ text: '年报', inDisclosureArea: true })).toBeGreaterThan(scoreLink({ text: '年报' }));
  });
});

describe('helpers', () => {
  it('normalises full-width, Traditional and spaces', () => {
    expect(cueText('政府信息公開 ２０２１')).toBe('政府信息公开2021');
  });
  it('reads years', () => {
    expect(extractYear('二〇二〇年报告')).toBe(2020);
    expect(extractYear('２０１９年')).toBe(2019);
    expect(extractYear('无')).toBeNull();
  });
  it('scores page context from breadcrumb and ColumnName', () => {
    expect(scorePageContext(['首页 > 政府信息公开 > 政府信息公开年报'])).toBe(10);
    expect(scorePageContext(['首页 > 政务公开'])).toBe(3);
    expect(scorePageContext([null, '首页 > 新闻'])).toBe(0);
  });
});

describe('converter debris', () => {
  it('reads Traditional titles with pinyin readings', () => {
    expect(classifyTitle('優雲鄉人民政府2022年度政府信息公開(kāi)工作年度報(bào)告')).toBe('report');
    expect(cueText('公開（kāi）')).toBe('公开');
  });
});
