// Split reports: continuation pages of one article are found from its own HTML and URL only, and the pages are
// parsed as one document (pages and markup written for this test in the way CMS article pages split).
import { describe, expect, it } from 'vitest';
import { continuationLinks } from '../../../src/parse/continuation.ts';
import { parseDocumentPages } from '../../../src/parse/parse-file.ts';

describe('continuationLinks', () => {
  it('finds _2, _3 pages of the same article from a pager, in page order, absolute', () => {
    const html = `<div class="page"><a href="t20230118_9001.html">1</a> <a href="t20230118_9001_3.html">3</a>
      <a href="./t20230118_9001_2.html">2</a> <a href="t20230118_9001_2.html">下一页</a> <a href="t20230118_9002.html">下一篇</a>
      <a href="../index_2.html">下一页</a></div>`;
    expect(continuationLinks(html, 'http://www.example.gov.cn/xxgk/nb/t20230118_9001.html')).toEqual([
      'http://www.example.gov.cn/xxgk/nb/t20230118_9001_2.html',
      'http://www.example.gov.cn/xxgk/nb/t20230118_9001_3.html',
    ]);
  });

  it('from page 2, only the pages after it', () => {
    const html = '<a href="art_77.html">上一页</a><a href="art_77_3.html">下一页</a>';
    expect(continuationLinks(html, 'http://a.gov.cn/art/art_77_2.html')).toEqual(['http://a.gov.cn/art/art_77_3.html']);
  });

  it('finds ?page=N of the same article, not of another one', () => {
    const html =
      '<a href="/content.jsp?id=88&page=2">下一页</a><a href="/content.jsp?id=89&page=2">2</a><a href="/list.jsp?page=2">更多</a>';
    expect(continuationLinks(html, 'http://b.gov.cn/content.jsp?id=88')).toEqual(['http://b.gov.cn/content.jsp?id=88&page=2']);
  });

  it('reads the TRS pager script (createPageHTML) of an article', () => {
    const html = '<script>createPageHTML(3, 0, "t20220301_555", "html");</script>';
    expect(continuationLinks(html, 'http://c.gov.cn/zwgk/t20220301_555.html')).toEqual([
      'http://c.gov.cn/zwgk/t20220301_555_1.html',
      'http://c.gov.cn/zwgk/t20220301_555_2.html',
    ]);
  });

  it('finds nothing on an article that is not split, and ignores other hosts', () => {
    expect(continuationLinks('<a href="http://other.cn/t1_2.html">x</a><a href="/">首页</a>', 'http://d.gov.cn/t1.html')).toEqual([]);
    expect(continuationLinks('', 'not a url')).toEqual([]);
  });
});

const page = (
  body: string,
  _n: number,
) => `<html><head><meta name="ArticleTitle" content="某某县2021年政府信息公开工作年度报告"></head><body>
<div class="header">某某县人民政府</div><div id="zoom"><h2>某某县2021年政府信息公开工作年度报告</h2><p>发布日期:2022-01-25</p>${body}
<div class="pages">上一页 1 2 下一页</div></div></body></html>`;
const rows = (rs: Array<[string, number[]]>) =>
  rs.map(([l, v]) => `<tr><td>${l}</td>${v.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
const z = [0, 0, 0, 0, 0, 0, 0];

describe('parseDocumentPages', () => {
  it('joins the pages of a report whose table 三 continues on page 2 into one result', async () => {
    const p1 = page(
      `<p>一、总体情况</p><p>依据《中华人民共和国政府信息公开条例》编制本报告。</p><p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td colspan="3">(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)</td><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>
      ${rows([
        ['一、本年新收政府信息公开申请数量', [20, 1, 0, 0, 0, 0, 21]],
        ['二、上年结转政府信息公开申请数量', [2, 0, 0, 0, 0, 0, 2]],
        ['(一)予以公开', [15, 1, 0, 0, 0, 0, 16]],
        ['(二)部分公开', [2, 0, 0, 0, 0, 0, 2]],
      ])}</table>`,
      1,
    );
    const p2 = page(
      `<table>${rows([
        ['1.属于国家秘密', z],
        ['2.其他法律行政法规禁止公开', z],
        ['3.危及“三安全一稳定”', z],
        ['4.保护第三方合法权益', z],
        ['5.属于三类内部事务信息', z],
        ['6.属于四类过程性信息', z],
        ['7.属于行政执法案卷', z],
        ['8.属于行政查询事项', z],
        ['1.本机关不掌握相关政府信息', [3, 0, 0, 0, 0, 0, 3]],
        ['2.没有现成信息需要另行制作', z],
        ['3.补正后申请内容仍不明确', z],
        ['1.信访举报投诉类申请', z],
        ['2.重复申请', z],
        ['3.要求提供公开出版物', z],
        ['4.无正当理由大量反复申请', z],
        ['5.要求行政机关确认或重新出具已获取信息', z],
        ['1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', z],
        ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', z],
        ['3.其他', z],
        ['(七)总计', [20, 1, 0, 0, 0, 0, 21]],
        ['四、结转下年度继续办理', [2, 0, 0, 0, 0, 0, 2]],
      ])}</table><p>五、存在的主要问题及改进情况</p><p>无。</p>`,
      2,
    );
    const enc = (s: string) => new TextEncoder().encode(s);
    const r = await parseDocumentPages([
      { bytes: enc(p1), url: 'http://e.gov.cn/a/t1.html', contentType: 'text/html; charset=utf-8' },
      { bytes: enc(p2), url: 'http://e.gov.cn/a/t1_2.html', contentType: 'text/html; charset=utf-8' },
    ]);
    expect(r.isReport).toBe(true);
    expect(r.title).toBe('某某县2021年政府信息公开工作年度报告');
    expect(r.publishedAt).toBe('2022-01-25');
    expect(r.figures['applications.new.natural']).toBe(20);
    expect(r.figures['applications.unable_not_held.total']).toBe(3);
    expect(r.figures['applications.total.total']).toBe(21);
    expect(r.figures['applications.carried_forward.natural']).toBe(2);
    expect(Object.keys(r.figures).filter((k) => k.startsWith('applications.'))).toHaveLength(175);
    expect(r.checks.find((c) => c.rule === 'applications.balance.total')?.ok).toBe(true);
    // The second page's repeated heading and date, and both pagers, are not report text.
    expect(r.body?.match(/某某县2021年政府信息公开工作年度报告/g)).toHaveLength(1);
    expect(r.body).not.toMatch(/上一页/);
    expect(r.warnings.some((w) => w.startsWith('pages_joined') && w.includes('t1_2.html'))).toBe(true);
  });

  it('refuses an empty page list with a clear error', async () => {
    await expect(parseDocumentPages([])).rejects.toThrow(/no pages/);
  });
});
