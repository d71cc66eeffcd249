import { describe, expect, it } from 'vitest';
import { siteIdFromUrl, sitesFromArgs, UnknownSiteId } from '../../../src/config/index.ts';
import { SiteListSchema } from '../../../src/schema/site-config.ts';

// `nianbao crawl --site URL …`: every site named gets a crawl of its own, with an id no other site has.

const list = SiteListSchema.parse({
  sites: [{ id: 'yongxiu', name: '永修县', regionCode: '360425', home: 'http://www.yongxiu.gov.cn/', allowHosts: ['xxgk.yongxiu.gov.cn'] }],
});

describe('site ids from URLs', () => {
  it('carry port and path, so sites on one host do not collide', () => {
    expect(siteIdFromUrl('http://127.0.0.1:8001/')).toBe('127-0-0-1-8001');
    expect(siteIdFromUrl('http://127.0.0.1:8002/')).toBe('127-0-0-1-8002');
    expect(siteIdFromUrl('http://www.x.gov.cn/zwgk/')).toBe('x-gov-cn-zwgk');
    expect(siteIdFromUrl('http://www.x.gov.cn/bmxxgk/index.html')).toBe('x-gov-cn-bmxxgk');
    expect(siteIdFromUrl('https://www.x.gov.cn/')).toBe('x-gov-cn');
  });
  it('eight sites on one host, different ports: eight sites with eight ids', () => {
    const urls = Array.from({ length: 8 }, (_, i) => `http://127.0.0.1:${8001 + i}/`);
    const sites = sitesFromArgs(list, urls);
    expect(sites.map((s) => s.home)).toEqual(urls);
    expect(new Set(sites.map((s) => s.id)).size).toBe(8);
  });
  it('sub-sites of one host are two sites; the same URL twice is one', () => {
    const sites = sitesFromArgs(list, ['http://www.x.gov.cn/zwgk/', 'http://www.x.gov.cn/bmxxgk/', 'http://www.x.gov.cn/zwgk/']);
    expect(sites.map((s) => s.id)).toEqual(['x-gov-cn-zwgk', 'x-gov-cn-bmxxgk']);
  });
  it('a URL on a listed host keeps its settings; another path on it gets its own id', () => {
    const [home, sub] = sitesFromArgs(list, ['http://www.yongxiu.gov.cn/', 'http://www.yongxiu.gov.cn/bmxxgk/']);
    expect(home).toMatchObject({ id: 'yongxiu', regionCode: '360425', allowHosts: ['xxgk.yongxiu.gov.cn'] });
    expect(sub).toMatchObject({ id: 'yongxiu-bmxxgk', regionCode: '360425', home: 'http://www.yongxiu.gov.cn/bmxxgk/' });
  });
  it('a listed host on another port is not that site', () => {
    const [s] = sitesFromArgs(list, ['http://www.yongxiu.gov.cn:8080/']);
    expect(s.id).toBe('yongxiu-gov-cn-8080');
    expect(s.regionCode).toBe('000000');
  });
  it('ids and the whole list', () => {
    expect(sitesFromArgs(list, ['yongxiu']).map((s) => s.id)).toEqual(['yongxiu']);
    expect(sitesFromArgs(list, undefined)).toBe(list.sites);
    expect(() => sitesFromArgs(list, ['nowhere'])).toThrow(UnknownSiteId);
  });
});
