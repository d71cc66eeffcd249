import { describe, expect, it } from 'vitest';
import {
  announcedPageCount,
  createPageUrls,
  fingerprintFamily,
  isSameListPager,
  parseCreatePageHTML,
  parseDatastore,
  parseHanwebParams,
} from '../../../src/crawler/families.ts';

describe('TRS createPageHTML', () => {
  it('0-based: page k+1 is index_k', () => {
    const call = parseCreatePageHTML('<script>createPageHTML(4, 0, "index", "shtml");</script>')!;
    expect(call).toEqual({ count: 4, current: 0, stem: 'index', ext: 'shtml' });
    expect(createPageUrls(call, 'http://a.test/zwgk/nb/index.shtml')).toEqual([
      'http://a.test/zwgk/nb/index_1.shtml',
      'http://a.test/zwgk/nb/index_2.shtml',
      'http://a.test/zwgk/nb/index_3.shtml',
    ]);
  });
  it('on a later page the same rule holds', () => {
    const call = parseCreatePageHTML('createPageHTML(3, 2, "index", "html")')!;
    expect(createPageUrls(call, 'http://a.test/c/index_2.html')).toEqual(['http://a.test/c/index_1.html', 'http://a.test/c/index_2.html']);
  });
  it('1-based templates also get index_count', () => {
    const call = parseCreatePageHTML("createPageHTML('page_div', 3, 1, 'index', 'shtml', 45)")!;
    expect(call.count).toBe(3);
    expect(call.current).toBe(1);
    expect(createPageUrls(call, 'http://a.test/c/index.shtml').map((u) => u.split('/').pop())).toEqual([
      'index_1.shtml',
      'index_2.shtml',
      'index_3.shtml',
    ]);
  });
  it('resolves variables', () => {
    expect(parseCreatePageHTML('var countPage = 7; createPageHTML(countPage, 0, "index", "htm");')?.count).toBe(7);
  });
  it('single page: nothing to generate', () => {
    expect(createPageUrls(parseCreatePageHTML('createPageHTML(1, 0, "index", "shtml")')!, 'http://a.test/index.shtml')).toEqual([]);
  });
});

describe('Hanweb datastore', () => {
  const xml = `<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=12"></a>]]></nextgroup>
<totalrecord>37</totalrecord><totalpage>3</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2021/2/20/art_1234_567890.html">A</a><span>2021-02-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/2/21/art_1234_567891.html">B</a></li>]]></record></recordset></datastore>`;
  it('reads totals, records and nextgroup', () => {
    const ds = parseDatastore(xml)!;
    expect(ds.totalRecord).toBe(37);
    expect(ds.totalPage).toBe(3);
    expect(ds.records).toHaveLength(2);
    expect(ds.records[0]).toContain('art_1234_567890');
    expect(ds.nextGroup).toContain('dataproxy.jsp');
  });
  it('is null for other XML', () => {
    expect(parseDatastore('<rss></rss>')).toBeNull();
  });
  it('reads jpage settings from page scripts and the column URL', () => {
    const html = `var unitid = '43'; var webid = '3'; var totalRecord = 52; var perpage = 15; var proxyUrl = '/module/web/jpage/dataproxy.jsp';`;
    const p = parseHanwebParams(html, 'http://h.test/col/col12/index.html');
    expect(p.proxyUrl).toBe('/module/web/jpage/dataproxy.jsp');
    expect(p.perPage).toBe(15);
    expect(p.totalRecord).toBe(52);
    expect(p.form.columnid).toBe('12');
    expect(p.form.unitid).toBe('43');
    expect(p.form.webid).toBe('3');
  });
});

describe('fingerprints and pagers', () => {
  it('tells families apart', () => {
    expect(fingerprintFamily('<script type="text/xml"><datastore></datastore></script>', 'http://h/col/col1/index.html')).toBe('hanweb');
    expect(fingerprintFamily('<script>createPageHTML(2,0,"index","shtml")</script>', 'http://h/zwgk/index.shtml')).toBe('trs');
    expect(fingerprintFamily('<script src="/js/webBuilderCommon.js"></script>', 'http://h/xxgk/a/index.html')).toBe('epoint');
    expect(fingerprintFamily('<div>x</div>', 'http://h/gkmlpt/index')).toBe('gkmlpt');
    expect(fingerprintFamily('<a href="/public/column/6607?type=4">x</a>', 'http://h/')).toBe('lonsun');
    expect(fingerprintFamily('<a href="/a.html">x</a>', 'http://h/')).toBe('static');
  });
  it('recognises page-N URLs of the same list only', () => {
    expect(isSameListPager('http://h/html/nb/index_2.html', 'http://h/html/nb/index.html')).toBe(true);
    expect(isSameListPager('http://h/x/list.jsp?page=3', 'http://h/x/list.jsp')).toBe(true);
    expect(isSameListPager('http://h/other/index_2.html', 'http://h/html/nb/index.html')).toBe(false);
  });
  it('reads an announced page count', () => {
    expect(announcedPageCount('共37条 第1/3页 共 3 页')).toBe(3);
    expect(announcedPageCount('var totalPage = 5;')).toBe(5);
    expect(announcedPageCount('nothing')).toBeNull();
  });
});

describe('createPageHTML next to its definition', () => {
  it('skips the function definition and reads the call', () => {
    const html = `<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) { if (_nPageCount <= 1) return; }</script>
<script>createPageHTML(6, 0, "index", "shtml");</script>`;
    expect(parseCreatePageHTML(html)).toEqual({ count: 6, current: 0, stem: 'index', ext: 'shtml' });
  });
});
