import { describe, expect, it } from 'vitest';
import { findTitle, findYear, readMetadata, standaloneDate } from '../../../src/parse/metadata.ts';

describe('findTitle', () => {
  it('takes the standalone heading, spaces dropped', () => {
    expect(findTitle(['', '将乐县 2020 年政府信息公开工作年度报告', '', '根据《条例》编制。'])).toBe(
      '将乐县2020年政府信息公开工作年度报告',
    );
  });

  it('joins a place-name line above a heading that names no place', () => {
    expect(findTitle(['海东市民和县', '', '2020 年度政府信息公开工作年度报告', '2020年，民和县…'])).toBe(
      '海东市民和县2020年度政府信息公开工作年度报告',
    );
  });

  it('does not join a site-name line above a heading that already names its place', () => {
    expect(findTitle(['陵川县人民政府', '', '陵川县人民政府2017年度政府信息公开年度报告'])).toBe(
      '陵川县人民政府2017年度政府信息公开年度报告',
    );
  });

  it('joins a heading wrapped over two lines', () => {
    expect(
      findTitle(['正文', '2024 年上海市科委政府信息公开工作', '年度报告', '根据《中华人民共和国政府信息公开条例》和《上海市政府']),
    ).toBe('2024年上海市科委政府信息公开工作年度报告');
  });

  it('strips Markdown heading marks', () => {
    expect(findTitle(['# 沐阳县人民政府 2025 年 政府信息公开工作年度报告'])).toBe('沐阳县人民政府2025年政府信息公开工作年度报告');
  });

  it('returns null when there is no heading, never building one from prose or info lines', () => {
    expect(
      findTitle([
        '信息类别: 县政府信息工作年度报告 公开方式: 主动公开',
        '2018年度南昌市东湖区政府信息公开年度报告全文包括:概述、主动公开政府信息的情况。',
      ]),
    ).toBeNull();
  });
});

describe('findYear', () => {
  it("prefers the title's year and flags a different statistics period", () => {
    const r = findYear('某县2020年政府信息公开工作年度报告', '统计期限自2019年1月1日至2019年12月31日', null);
    expect(r.year).toBe(2020);
    expect(r.warnings[0]).toMatch(/year_conflict/);
  });

  it('uses the statistics period when the title has no year, in any of its wordings', () => {
    expect(findYear(null, '本年度报告中所列数据统计期限从2019年1月1日到12月31日止。', null).year).toBe(2019);
    expect(findYear(null, '数据的统计周期\n为 2024 年 1 月 1 日至 12 月 31 日', null).year).toBe(2024);
  });

  it('reads Chinese-numeral years', () => {
    expect(findYear('某县二〇二〇年政府信息公开工作年度报告', '', null).year).toBe(2020);
  });

  it('falls back to the year naming the report, then to publication year − 1 with a warning', () => {
    expect(findYear(null, '2018年度南昌市东湖区政府信息公开年度报告全文包括:概述', null).year).toBe(2018);
    const guess = findYear(null, '一、总体情况', '2021-02-20');
    expect(guess.year).toBe(2020);
    expect(guess.warnings[0]).toMatch(/year_guessed/);
    expect(findYear(null, '一、总体情况', null).year).toBeNull();
  });
});

describe('dates and the whole metadata', () => {
  it('reads a standalone date line in digits or Chinese numerals', () => {
    expect(standaloneDate('(2026年1月23日)')).toBe('2026-01-23');
    expect(standaloneDate('二〇二一年二月二十日')).toBe('2021-02-20');
    expect(standaloneDate('2021年2月20日召开会议')).toBeNull();
  });

  it('takes the signature date and issuer, and warns about an implausible publication year', () => {
    const body = ['某某', '永修县2020年政府信息公开工作年度报告', '一、总体情况', '……', '永修县人民政府', '2020年3月1日'].join('\n');
    const m = readMetadata(body);
    expect(m).toMatchObject({ year: 2020, publishedAt: '2020-03-01', issuer: '永修县人民政府', region: { code: '360425' } });
    expect(m.warnings.some((w) => /date_implausible/.test(w))).toBe(true);
  });

  it('prefers page metadata for the date and leaves a fragment without evidence empty', () => {
    expect(
      readMetadata('永修县2020年政府信息公开工作年度报告\n永修县人民政府\n2021年3月1日', { publishedAt: '2021-02-20' }).publishedAt,
    ).toBe('2021-02-20');
    const frag = readMetadata('- 4 -\n行政处罚\t3985758\n三、收到和处理政府信息公开申请情况');
    expect(frag).toMatchObject({ title: null, year: null, publishedAt: null, region: { name: null, code: null } });
  });
});

describe('issuer', () => {
  it("names a place's government when the title starts with the bare place name", () => {
    expect(readMetadata('永修县2020年政府信息公开工作年度报告\n一、总体情况').issuer).toBe('永修县人民政府');
    expect(readMetadata('沭阳县发展和改革局2023年政府信息公开年度报告\n一、总体情况').issuer).toBe('沭阳县发展和改革局');
  });
});
