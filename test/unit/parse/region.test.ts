import { describe, expect, it } from 'vitest';
import { fuzzyRegionInText, regionInText, townshipRegionInText } from '../../../src/parse/region.ts';

const code = (t: string, opts = {}) => regionInText(t, opts)?.code ?? null;

describe('regionInText', () => {
  it('maps a county named in a title to its GB/T 2260 code', () => {
    expect(code('永修县2020年政府信息公开工作年度报告')).toBe('360425');
  });

  it('maps a short name to the full autonomous-county name', () => {
    const r = regionInText('海东市民和县2020年度政府信息公开工作年度报告');
    expect(r).toMatchObject({ name: '民和回族土族自治县', code: '630222' });
  });

  it("gives a department's report its county", () => {
    expect(code('沭阳县发展和改革局2023年政府信息公开年度报告')).toBe('321322');
    expect(code('由南昌市东湖区政府信息公开工作领导小组办公室编制')).toBe('360102');
  });

  it('gives a city-level or province-level report that level', () => {
    expect(regionInText('淮安市人民政府2024年政府信息公开工作年度报告')).toMatchObject({ code: '320800', level: 'city' });
    expect(regionInText('2024年上海市科委政府信息公开工作年度报告')).toMatchObject({ code: '310000', level: 'province' });
    expect(code('淮安市洪泽区人民政府2024年政府信息公开工作年度报告')).toBe('320813');
  });

  it('refuses to guess between homonyms without context, and resolves them with a parent or the site code', () => {
    const bare = regionInText('城关区2020年政府信息公开工作年度报告');
    expect(bare?.code).toBeNull();
    expect(bare?.warnings[0]).toMatch(/region_ambiguous/);
    expect(code('城关区2020年政府信息公开工作年度报告', { context: '拉萨市城关区人民政府办公室' })).toBe('540102');
    expect(code('城关区2020年政府信息公开工作年度报告', { siteIdCode: '6201020001' })).toBe('620102');
  });

  it('does not read everyday words (城区, 郊区) as places', () => {
    expect(regionInText('城区和郊区的政务公开栏目建设')).toBeNull();
  });
});

describe('fuzzyRegionInText', () => {
  it('reads an OCR-misspelled county (沐阳县) as the real one, with a warning', () => {
    expect(regionInText('沐阳县人民政府2025年政府信息公开工作年度报告')).toBeNull();
    const r = fuzzyRegionInText('沐阳县人民政府2025年政府信息公开工作年度报告');
    expect(r).toMatchObject({ name: '沭阳县', code: '321322' });
    expect(r?.warnings[0]).toMatch(/region_ocr_suspect/);
  });

  it('does not invent a region from an unknown name without a confusable neighbour', () => {
    expect(fuzzyRegionInText('某某县人民政府2025年政府信息公开工作年度报告')).toBeNull();
  });
});

describe('regionInText: bare province stems', () => {
  it('does not read the start of a township name (河南寨镇) as a province', () => {
    expect(regionInText('河南寨镇人民政府2021年政府信息公开年度报告')).toBeNull();
    expect(code('河南寨镇人民政府', { context: '北京市密云区' })).toBeNull();
    expect(code('北京市密云区河南寨镇人民政府')).toBe('110118');
  });
});

describe('townshipRegionInText', () => {
  it("maps a township's own report to its county when the name is unique", () => {
    const r = townshipRegionInText('万全乡人民政府2021年度政府信息公开工作年度报告');
    expect(r).toMatchObject({ code: '350428' });
    expect(r?.warnings[0]).toMatch(/region_from_township/);
  });

  it('leaves a homonymous township alone unless a parent is named', () => {
    expect(townshipRegionInText('城关镇人民政府2021年政府信息公开工作年度报告')).toBeNull();
  });
});

describe('special zones and new areas', () => {
  it('a zone that governs one county gets that county, with a note', async () => {
    const { zoneRegionInText } = await import('../../../src/parse/region.ts');
    expect(zoneRegionInText('平潭综合实验区2022年政府信息公开工作年度报告')).toMatchObject({ code: '350128', name: '平潭县' });
    expect(zoneRegionInText('福建省平潭综合实验区管理委员会')?.code).toBe('350128');
  });

  it('a zone named after the county it lies in gets that county; one spanning several, the parent with a warning', async () => {
    const { zoneRegionInText } = await import('../../../src/parse/region.ts');
    expect(zoneRegionInText('昆山经济技术开发区2020年政府信息公开年度报告')).toMatchObject({ code: '320583' });
    const xiong = zoneRegionInText('雄安新区2022年政府信息公开工作年度报告');
    expect(xiong?.code).toBe('130600');
    expect(xiong?.warnings[0]).toMatch(/^region_zone_parent/);
    const unknown = zoneRegionInText('江苏省某某高新区管委会');
    expect(unknown).toMatchObject({ code: '320000' });
    expect(unknown?.warnings[0]).toMatch(/^region_zone_parent/);
    expect(zoneRegionInText('某某新区2020年报告')).toBeNull();
  });

  it("readMetadata gives a zone's, a zone department's and a township's report the county code", async () => {
    const { readMetadata } = await import('../../../src/parse/metadata.ts');
    expect(readMetadata('平潭综合实验区财政金融局2021年政府信息公开工作年度报告\n正文').region.code).toBe('350128');
    expect(readMetadata('正文', { title: '平潭综合实验区2020年政府信息公开工作年度报告' }).region.code).toBe('350128');
    expect(readMetadata('永修县立新乡人民政府2020年政府信息公开工作年度报告\n正文').region.code).toBe('360425');
    // A zone mentioned in the opening prose is not the report's subject.
    expect(readMetadata('永修县2020年政府信息公开工作年度报告\n全县加快平潭综合实验区对口合作。').region.code).toBe('360425');
  });
});

describe('a place name inside a longer unknown name', () => {
  it('is not read as that place (涩南县 is not 南县), but a name after a title word still is', () => {
    expect(regionInText('涩南县2020年政府信息公开工作年度报告')).toBeNull();
    expect(regionInText('2020年南县政府信息公开工作年度报告')?.code).toBe('430921');
    expect(regionInText('关于南县人民政府2020年政府信息公开工作年度报告')?.code).toBe('430921');
    expect(regionInText('湖南省南县人民政府2020年政府信息公开工作年度报告')?.code).toBe('430921');
    expect(regionInText('平南县2020年政府信息公开工作年度报告')?.code).toBe('450821');
  });
});

describe('a longer place name in prose', () => {
  it('is read whatever character precedes it', () => {
    expect(regionInText('通过沭阳县人民政府门户网站主动公开政府信息732条')?.code).toBe('321322');
  });
});
