import { describe, expect, it } from 'vitest';
import { urlKey } from '../../../src/store/index.ts';
import { compatible } from '../../../src/store/report-identity.ts';

describe('urlKey', () => {
  it('drops scheme, www., default ports and fragments; keeps path and query', () => {
    expect(urlKey('http://www.Yongxiu.gov.cn/art/2021/2/20/art_1_100.html#top')).toBe('yongxiu.gov.cn/art/2021/2/20/art_1_100.html');
    expect(urlKey('https://yongxiu.gov.cn:443/a?infoGuid=ABC&x=1')).toBe('yongxiu.gov.cn/a?infoGuid=ABC&x=1');
    expect(urlKey('http://xxgk.lczf.gov.cn:8080/')).toBe('xxgk.lczf.gov.cn:8080/');
  });

  it('keeps sub-hosts apart (xxgk. is another host, not an alias)', () => {
    expect(urlKey('http://xxgk.lczf.gov.cn/a')).not.toBe(urlKey('http://www.lczf.gov.cn/a'));
  });

  it('returns what it cannot parse unchanged', () => {
    expect(urlKey(' not a url ')).toBe('not a url');
    expect(urlKey('file:///tmp/a.pdf')).toBe('file:///tmp/a.pdf');
  });
});

describe('compatible (same report?)', () => {
  const r = { year: 2020, region_code: '360425', issuer: '永修县人民政府' };
  it('unknowns never contradict; known differences do', () => {
    expect(compatible(r, { year: null, regionCode: null, issuer: null })).toBe(true);
    expect(compatible(r, { year: 2021, regionCode: null, issuer: null })).toBe(false);
    expect(compatible(r, { year: 2020, regionCode: '360426', issuer: null })).toBe(false);
  });
  it('an issuer may extend the other (compiler office vs government) but not name another body', () => {
    expect(compatible(r, { year: 2020, regionCode: '360425', issuer: '永修县人民政府办公室' })).toBe(true);
    expect(compatible(r, { year: 2020, regionCode: '360425', issuer: '永修县 人民政府' })).toBe(true);
    expect(compatible(r, { year: 2020, regionCode: '360425', issuer: '永修县财政局' })).toBe(false);
  });
});
