import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../../src/parse/normalise.ts';

describe('normaliseText', () => {
  it('turns full-width digits and punctuation into ASCII', () => {
    expect(normaliseText('２０２０年（一）予以公开：１，２３４').text).toBe('2020年(一)予以公开:1,234');
  });

  it('strips pinyin debris right after a CJK character, repeated or toned', () => {
    expect(normaliseText('政(zheng)(zheng)府').text).toBe('政府');
    expect(normaliseText('索引號(hào):').text).toBe('索引号:');
    expect(normaliseText('發(fā)布機(jī)構(gòu)').text).toBe('发布机构');
  });

  it('keeps parenthesised Latin that is not pinyin, and pinyin not after a CJK character', () => {
    expect(normaliseText('门户网站(www.shanghai.gov.cn)').text).toBe('门户网站(www.shanghai.gov.cn)');
    expect(normaliseText('格式(PDF)').text).toBe('格式(PDF)');
    expect(normaliseText('软件(app)').text).toBe('软件(app)');
    expect(normaliseText('code (hao)').text).toBe('code (hao)');
  });

  it('converts Traditional text and says so', () => {
    const r = normaliseText('全區37個政府信息公開單位全年主動公開政府信息共2萬六千余條。');
    expect(r.text).toBe('全区37个政府信息公开单位全年主动公开政府信息共2万六千余条。');
    expect(r.warnings.some((w) => w.startsWith('converted_traditional'))).toBe(true);
  });

  it('does not warn about Simplified text that happens to contain characters OpenCC would touch', () => {
    const r = normaliseText('本报告由县政府办公室编制，成效显著，著作权归属明确。全年主动公开政府信息8532条。');
    expect(r.warnings).toEqual([]);
    expect(r.text).toContain('显著');
  });

  it('unifies curly quotes', () => {
    expect(normaliseText('3.危及“三安全一稳定”').text).toBe('3.危及"三安全一稳定"');
  });

  it('keeps tabs, empty fields and line structure of table rows', () => {
    const row = '一、本年新收政府信息公开申请数量\t26\t\t\t\t\t\t26';
    expect(normaliseText(row).text).toBe(row);
    const cells = '本年新\n制作数量\n\n本年新\n公开数量\n\n规章\n\n3\n\n3';
    expect(normaliseText(cells).text).toBe(cells);
  });

  it('joins prose broken inside a word by a page break, but not headings or short cells', () => {
    const broken =
      '按照国家和省、市关于全面推进政务公开工作的决策部署，以人民群众的关注关切为核心，以进\n\n一步提高政务服务水平、提升政务公开质量为目标，创新政务公开工作形式';
    expect(normaliseText(broken).text).toBe(
      '按照国家和省、市关于全面推进政务公开工作的决策部署,以人民群众的关注关切为核心,以进一步提高政务服务水平、提升政务公开质量为目标,创新政务公开工作形式',
    );
    const heading =
      '在深化政民互动上下功夫，在健全公开机制上做文章，力争以更高的透明度赢得人民群众的满意度\n\n二、主动公开政府信息情况，按照国家和省市要求开展工作的总体安排';
    expect(normaliseText(heading).text.split('\n').length).toBe(3);
  });

  it('rejoins a decimal amount split by the extractor', () => {
    expect(normaliseText('政府集中采购\t94\t8208. 93 万元').text).toBe('政府集中采购\t94\t8208.93 万元');
    expect(normaliseText('1. 属于国家秘密').text).toBe('1. 属于国家秘密');
  });
});

describe('normaliseText: what prose repair leaves alone', () => {
  it('does not glue a long sub-heading to the paragraph after it', () => {
    const t =
      '(一)切实加强政务信息透明化公开化建设推进政务公开标准化规范化工作\n\n2020年度,我县坚持以主动公开、利企便民、优化服务为宗旨,进一步拓宽重点领域公开范围';
    expect(normaliseText(t).text.split('\n')).toHaveLength(3);
  });
});
