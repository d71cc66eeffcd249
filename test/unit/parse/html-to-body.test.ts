import { describe, expect, it } from 'vitest';
import { htmlToBody } from '../../../src/parse/html-to-body.ts';

const page = (body: string, head = '') => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('htmlToBody: tables', () => {
  it('renders each row as one tab line; colspan slots are omitted, rowspan slots are empty fields', () => {
    const html = `<table>
      <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr>
      <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>
    </table>`;
    expect(htmlToBody(html).body.split('\n')).toEqual(['三、本年度办理结果\t（一）予以公开\t5', '\t（三）不予公开\t1.属于国家秘密\t0']);
  });

  it('keeps blank cells as empty fields so positions survive, including trailing ones', () => {
    const html =
      '<table><tr><td>一、本年新收政府信息公开申请数量</td><td>26</td><td>&nbsp;</td><td> </td><td>26</td><td><o:p></o:p></td></tr></table>';
    expect(htmlToBody(html).body).toBe('一、本年新收政府信息公开申请数量\t26\t\t\t26\t');
  });

  it('joins <br> and Word-pasted spans inside a cell into one field', () => {
    const html = `<table><tr>
      <td><p>本年新<br/>制作数量</p></td>
      <td><span><font>三、本</font></span><span>年度</span><span><font>办理结果</font></span></td>
      <td><p>8208.93</p><p>万元</p></td>
    </tr></table>`;
    expect(htmlToBody(html).body).toBe('本年新制作数量\t三、本年度办理结果\t8208.93万元');
  });

  it('carries a two-row header with spans as the grid positions a header reader needs', () => {
    const html = `<table>
      <tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
      <tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td>
          <td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
      <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
    </table>`;
    const rows = htmlToBody(html)
      .body.split('\n')
      .map((r) => r.split('\t'));
    expect(rows[0]).toEqual(['行政复议', '行政诉讼']);
    expect(rows[1]).toHaveLength(7);
    expect(rows[2]).toHaveLength(15);
    expect(rows[2].slice(0, 5)).toEqual(['', '', '', '', '']);
    expect(rows[2][5]).toBe('结果维持');
  });
});

describe('htmlToBody: chrome, metadata, attachments', () => {
  const html = page(
    `<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li></ul></div>
     <div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div>
     <table class="xxgk"><tr><td>发布机构</td><td>永修县人民政府办公室</td><td>生成日期</td><td>2021-02-19</td></tr></table>
     <h1>永修县2020年政府信息公开工作年度报告</h1>
     <div id="zoom">
       <p>本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制而成。报告所列数据统计期限自2020年1月1日至2020年12月31日。本报告包括总体情况等六个部分，详细说明全年的政府信息公开工作情况和存在问题。</p>
       <p>一、总体情况</p>
       <p>2020年，我县认真贯彻落实《条例》，围绕县委、县政府中心工作，聚焦社会公众需求，不断提高政府工作透明度，切实提升人民群众获得感和满意度，主动公开、依申请公开、政府信息管理、平台建设和监督保障各项工作稳步推进。</p>
       <p>附件：<a href="./P020210220.pdf">年报全文.pdf</a></p>
     </div>
     <div class="footer">主办单位：永修县人民政府 网站标识码：3604250013 赣ICP备12005130号</div>`,
    '<meta name="ArticleTitle" content="永修县2020年政府信息公开工作年度报告"><meta name="PubDate" content="2021-02-20 16:49"><meta name="SiteIDCode" content="3604250013"><meta name="ColumnName" content="政府信息公开年报"><meta name="ContentSource" content="永修县人民政府办公室">',
  );
  const r = htmlToBody(html, 'http://www.yongxiu.gov.cn/zwgk/nb/202102/t20210220_1.html');

  it('keeps the heading and the article, drops navigation and footer lines', () => {
    const lines = r.body.split('\n');
    expect(lines[0]).toBe('永修县2020年政府信息公开工作年度报告');
    expect(lines).toContain('一、总体情况');
    expect(r.body).not.toMatch(/网站标识码|ICP备|当前位置|首页/);
  });

  it('reads page metadata, preferring the PubDate meta over an info-table 生成日期', () => {
    expect(r.pageMeta).toMatchObject({
      title: '永修县2020年政府信息公开工作年度报告',
      publishedAt: '2021-02-20',
      siteIdCode: '3604250013',
      columnName: '政府信息公开年报',
      publisher: '永修县人民政府办公室',
    });
  });

  it('collects attachment links resolved against the page URL', () => {
    expect(r.attachments).toEqual([{ url: 'http://www.yongxiu.gov.cn/zwgk/nb/202102/P020210220.pdf', text: '年报全文.pdf' }]);
  });

  it('without a known content container, still drops chrome lines from the whole page', () => {
    const f = htmlToBody(
      page('<div>网站标识码：3604250013</div><p>永修县2020年政府信息公开工作年度报告</p><p>一、总体情况</p><div>赣ICP备12005130号</div>'),
    );
    expect(f.body).toBe('永修县2020年政府信息公开工作年度报告\n一、总体情况');
  });

  it('reads a fragment without <head>, taking the date from a 发布日期 line', () => {
    const f = htmlToBody(
      "<p style='text-align:center'>2019年上海市人民政府办公厅政府信息公开工作年度报告</p><p>发布日期：2020-01-31</p><p>一、总体情况</p>",
    );
    expect(f.body.split('\n')[0]).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(f.pageMeta.publishedAt).toBe('2020-01-31');
  });

  it('ignores undated decoys: page-generation times and header clocks', () => {
    const f = htmlToBody(
      page(
        '<div class="header-t"><span>2025年12月30日 星期二</span></div><p>页面生成时间 2024-05-28</p><div class="content"><p>一、总体情况</p></div>',
      ),
    );
    expect(f.pageMeta.publishedAt).toBeUndefined();
  });
});

describe('htmlToBody: layout tables', () => {
  it('walks a page-layout table as blocks and still renders the data table nested in it', () => {
    const prose = '本报告依据《中华人民共和国政府信息公开条例》编制。'.repeat(12);
    const html = `<table><tr><td>
      <p>某县2010年政府信息公开工作年度报告</p><p>${prose}</p>
      <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>
    </td></tr></table>`;
    const lines = htmlToBody(html).body.split('\n');
    expect(lines[0]).toBe('某县2010年政府信息公开工作年度报告');
    expect(lines).toContain('信息内容\t本年制发件数');
    expect(lines).toContain('规章\t3');
  });
});

describe('htmlToBody: report sentences that mention chrome words', () => {
  it('keeps a sentence inviting readers to contact the office', () => {
    const f = htmlToBody('<p>某县2020年政府信息公开工作年度报告</p><p>如对本报告有任何疑问，请联系我们。</p><p>网站地图</p>');
    expect(f.body).toBe('某县2020年政府信息公开工作年度报告\n如对本报告有任何疑问，请联系我们。');
  });
});
