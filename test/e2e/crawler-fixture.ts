import http from 'node:http';
import iconv from 'iconv-lite';

// A tiny two-host county web for the crawler e2e test. One loopback server is both the origin (by Host
// header) and an HTTP forward proxy (absolute-URI requests), like the project's simulated web.
// Hosts: www.alpha.gov.cn.test (TRS-style portal), xxgk.alpha.gov.cn.test (Hanweb jpage column, JS shell).

export interface Fixture {
  proxyUrl: string;
  requests: { host: string; path: string; method: string; ua: string; referer: string; cookie: string }[];
  reportUrls: string[]; // every report page or attachment a crawler must find
  decoyUrls: string[]; // pages that must never be emitted
  forbiddenUrls: string[]; // robots-disallowed or foreign: must never be requested
  close(): Promise<void>;
}

const A = 'http://www.alpha.gov.cn.test';
const X = 'http://xxgk.alpha.gov.cn.test';

const nav = `<div class="nav"><a href="${A}/">首页</a><a href="${A}/zjax/">走进阿尔法</a><a href="${A}/zwgk/">政务公开</a><a href="${A}/hdjl/">互动交流</a></div>`;
const page = (title: string, body: string, extraHead = '') =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>${extraHead}</head><body>${nav}${body}<div class="footer">主办单位：阿尔法县人民政府办公室 网站标识码：3604250001</div></body></html>`;

const reportBody = (title: string) => `<h1>${title}</h1><div class="TRS_Editor">
<p>本报告依据《中华人民共和国政府信息公开条例》第五十条编制。统计期限自2021年1月1日至2021年12月31日。</p>
<p>一、总体情况</p><p>2021年，我县认真贯彻落实。</p><p>二、主动公开政府信息情况</p><table><tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr></table>
<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p></div>`;

const trsReports: { path: string; title: string }[] = [];
for (let i = 0; i < 9; i++) {
  const y = 2013 + i;
  trsReports.push({ path: `/zfxxgk/zfxxgknb/${y + 1}03/t${y + 1}0301_${1000 + i}.shtml`, title: `阿尔法县${y}年政府信息公开工作年度报告` });
}

function trsList(n: number): string {
  const per = 3;
  const items = trsReports
    .slice(n * per, n * per + per)
    .map((r) => `<li><a href="${r.path.replace('/zfxxgk/zfxxgknb/', './')}" title="${r.title}">${r.title}</a><span>2022-03-01</span></li>`)
    .join('');
  const decoy =
    n === 0
      ? `<li><a href="./202201/t20220110_999.shtml">关于做好2021年度政府信息公开工作年度报告编制发布工作的通知</a></li>
       <li><a href="./202203/t20220302_998.shtml">图解：阿尔法县2021年政府信息公开工作年度报告</a></li>
       <li><a href="${A}/private/t1.shtml">阿尔法县2012年政府信息公开工作年度报告</a></li>
       <li><a href="http://www.evil.com.test/nb.html">阿尔法县2011年政府信息公开工作年度报告</a></li>
       <li><a href="./P020200301555.pdf">阿尔法县2010年政府信息公开工作年度报告</a></li>`
      : '';
  return page(
    '政府信息公开年报',
    `<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<ul class="list">${items}${decoy}</ul><div class="pager"><script>createPageHTML(3, ${n}, "index", "shtml");</script></div>`,
    '<meta name="ColumnName" content="政府信息公开年报">',
  );
}

export async function startFixture(): Promise<Fixture> {
  const requests: Fixture['requests'] = [];
  let flaky = 0;
  const routes = (
    host: string,
    path: string,
    method: string,
    body: string,
    cookie: string,
  ): { status: number; headers?: Record<string, string>; body: Buffer | string } => {
    const html = (s: string) => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: s });
    if (host === 'www.alpha.gov.cn.test') {
      if (path === '/robots.txt')
        return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nDisallow: /private/\n' };
      if (path === '/' || path === '/index.html') {
        return html(
          page(
            '阿尔法县人民政府',
            `<div class="news"><a href="${A}/xwzx/1.html">县长调研春耕</a><a href="${A}/xwzx/2.html">全县召开会议</a></div>`,
          ),
        );
      }
      if (path === '/zwgk/') {
        return html(
          page(
            '政务公开',
            `<ul><li><a href="${A}/zfxxgk/">政府信息公开</a></li><li><a href="${A}/zfgzbg/">政府工作报告</a></li><li><a href="${A}/czyjs/">财政预决算</a></li></ul>`,
          ),
        );
      }
      if (path === '/zfxxgk/') {
        return html(
          page(
            '政府信息公开',
            `<ul><li><a href="${A}/zfxxgk/zn/">政府信息公开指南</a></li><li><a href="${A}/zfxxgk/zd/">政府信息公开制度</a></li>
<li><a href="${A}/zfxxgk/fdzdgknr/">法定主动公开内容</a></li><li><a href="${A}/zfxxgk/zfxxgknb/index.shtml"><img src="/img/nb.png" alt="政府信息公开年报"></a></li>
<li><a href="${X}/col/col123/index.html">部门信息公开年报</a></li><li><a href="${X}/waf/nb.html">街道信息公开年报</a></li><li><a href="http://down.alpha.gov.cn.test/nb.html">乡镇信息公开年报</a></li><li><a href="${X}/shell/nb.html">乡镇年报</a></li></ul>`,
          ),
        );
      }
      if (path === '/zfgzbg/') return html(page('政府工作报告', `<a href="${A}/zfgzbg/2022.html">2022年阿尔法县政府工作报告</a>`));
      if (path === '/zfxxgk/zfxxgknb/index.shtml') return html(trsList(0));
      const m = /^\/zfxxgk\/zfxxgknb\/index_(\d)\.shtml$/.exec(path);
      if (m && Number(m[1]) < 3) {
        if (m[1] === '2') {
          // The last page is GBK, declared only in <meta>.
          const s = trsList(2).replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
          return { status: 200, headers: { 'content-type': 'text/html' }, body: iconv.encode(s, 'gbk') };
        }
        return html(trsList(Number(m[1])));
      }
      const r = trsReports.find((t) => t.path === path);
      if (r) {
        if (r.path.endsWith('_1004.shtml') && flaky++ < 2) return { status: 503, body: 'busy' };
        const att = r.path.endsWith('_1008.shtml')
          ? `<p class="insertfileTag"><a appendix="true" href="./P020220301123456.pdf" OLDSRC="/protect/P0.pdf">附件：统计表.pdf</a></p>`
          : '';
        return html(page(r.title, reportBody(r.title) + att, `<meta name="ArticleTitle" content="${r.title}">`));
      }
      if (path === '/zfxxgk/zfxxgknb/202203/P020220301123456.pdf')
        return { status: 200, headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.4 attachment of 2021' };
      if (path === '/zfxxgk/zfxxgknb/P020200301555.pdf')
        return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: '%PDF-1.4 report 2010' };
      if (path === '/zfxxgk/zfxxgknb/202201/t20220110_999.shtml') {
        return html(page('通知', `<h1>关于做好2021年度政府信息公开工作年度报告编制发布工作的通知</h1><p>请于1月31日前报送。</p>`));
      }
      if (path === '/zfxxgk/zfxxgknb/202203/t20220302_998.shtml') {
        return html(
          page(
            '图解',
            `<h1>图解：阿尔法县2021年政府信息公开工作年度报告</h1><img src="/a.png"><a href="${trsReports[8].path}">阿尔法县2021年政府信息公开工作年度报告</a>`,
          ),
        );
      }
      return { status: 404, body: '页面不存在' };
    }
    if (host === 'xxgk.alpha.gov.cn.test') {
      if (path === '/robots.txt') return { status: 404, body: 'nf' };
      if (path === '/col/col123/index.html') {
        const rec = (i: number) =>
          `<record><![CDATA[<li><a href="/art/2022/3/${i}/art_123_${5000 + i}.html" title="阿尔法县教育局2021年政府信息公开工作年度报告（${i}）">阿尔法县教育局…</a><span>2022-03-0${i}</span></li>]]></record>`;
        return html(`<html><head><meta charset="utf-8"><title>部门年报</title><meta name="ColumnName" content="部门信息公开年报"></head><body>
<div id="div123"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=123&unitid=456&webname=%E9%98%BF&permissiontype=0"></a>]]></nextgroup>
<recordset>${rec(1)}${rec(2)}${rec(3)}</recordset></datastore></script></div>
<script>$('#div123').jpage({ dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 1, groupSize: 3, totalRecord: 7, ajaxParam: { col: 1, appid: 1, webid: 1, path: '/', columnid: 123, sourceContentType: 1, unitid: 456, webname: '阿', permissiontype: 0 } });</script></body></html>`);
      }
      if (path.startsWith('/module/web/jpage/dataproxy.jsp')) {
        const q = new URL(path, X).searchParams;
        const form = new URLSearchParams(body);
        if (method !== 'POST' || form.get('columnid') !== '123') return { status: 404, body: '' };
        const s = Number(q.get('startrecord'));
        const e = Math.min(Number(q.get('endrecord')), 7);
        let recs = '';
        for (let i = s; i <= e; i++)
          recs += `<record><![CDATA[<li><a href="/art/2022/3/${i}/art_123_${5000 + i}.html" title="阿尔法县教育局2021年政府信息公开工作年度报告（${i}）">x</a></li>]]></record>`;
        return {
          status: 200,
          headers: { 'content-type': 'text/xml;charset=utf-8' },
          body: `<?xml version="1.0" encoding="utf-8"?><datastore><totalrecord>7</totalrecord><totalpage>7</totalpage><recordset>${recs}</recordset></datastore>`,
        };
      }
      const art = /^\/art\/2022\/3\/(\d)\/art_123_(\d+)\.html$/.exec(path);
      if (art) {
        const t = `阿尔法县教育局2021年政府信息公开工作年度报告（${art[1]}）`;
        return html(page(t, reportBody(t), `<meta name="ArticleTitle" content="${t}">`));
      }
      if (path.startsWith('/waf/')) {
        // 加速乐-style challenge: 521 and a script that sets the clearance cookie and reloads.
        if (!/__jsl_clearance_s=ok/.test(cookie)) {
          return {
            status: 521,
            headers: { 'content-type': 'text/html' },
            body: '<html><script>document.cookie="__jsl_clearance_s=ok; path=/";location.href=location.href;</script></html>',
          };
        }
        if (path === '/waf/nb.html')
          return html(
            page(
              '街道年报',
              `<div class="position">当前位置：政府信息公开年报</div><ul><li><a href="/waf/doc/1.html">丙街道2021年政府信息公开工作年度报告</a></li></ul>`,
            ),
          );
        if (path === '/waf/doc/1.html') {
          const t = '丙街道2021年政府信息公开工作年度报告';
          return html(page(t, reportBody(t), `<meta name="ArticleTitle" content="${t}">`));
        }
      }
      if (path === '/shell/nb.html') {
        return html(`<html><head><meta charset="utf-8"><title>乡镇年报</title></head><body><div class="position">当前位置：政府信息公开年报 &gt; 乡镇</div><ul id="list"></ul>
<script>fetch('/shell/api/list.json').then(r => r.json()).then(d => { document.getElementById('list').innerHTML = d.items.map(i => '<li><a href="' + i.url + '">' + i.title + '</a></li>').join(''); });</script></body></html>`);
      }
      if (path === '/shell/api/list.json') {
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            items: [
              { url: '/shell/doc/1.html', title: '甲镇2021年政府信息公开工作年度报告' },
              { url: '/shell/doc/2.html', title: '乙镇2021年政府信息公开工作年度报告' },
              { url: '/shell/doc/9.html', title: '甲镇2021年度法治政府建设年度报告' },
            ],
          }),
        };
      }
      const sd = /^\/shell\/doc\/(\d)\.html$/.exec(path);
      if (sd) {
        const t =
          sd[1] === '1'
            ? '甲镇2021年政府信息公开工作年度报告'
            : sd[1] === '2'
              ? '乙镇2021年政府信息公开工作年度报告'
              : '甲镇2021年度法治政府建设年度报告';
        return html(page(t, reportBody(t), `<meta name="ArticleTitle" content="${t}">`));
      }
      return { status: 404, body: 'not found' };
    }
    if (host === 'down.alpha.gov.cn.test') {
      // robots.txt keeps failing with 5xx: the host must be treated as closed for this crawl.
      if (path === '/robots.txt') return { status: 503, body: 'busy' };
      return html(page('乡镇年报', '<a href="/r.html">丁乡2021年政府信息公开工作年度报告</a>'));
    }
    return { status: 502, body: 'unknown host' };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let host = (req.headers.host ?? '').replace(/:\d+$/, '');
      let path = req.url ?? '/';
      if (/^https?:\/\//.test(path)) {
        const u = new URL(path);
        host = u.hostname;
        path = u.pathname + u.search;
      }
      requests.push({
        host,
        path,
        method: req.method ?? 'GET',
        ua: String(req.headers['user-agent'] ?? ''),
        referer: String(req.headers.referer ?? ''),
        cookie: String(req.headers.cookie ?? ''),
      });
      const out = routes(host, path, req.method ?? 'GET', Buffer.concat(chunks).toString('utf8'), String(req.headers.cookie ?? ''));
      res.writeHead(out.status, out.headers ?? { 'content-type': 'text/html; charset=utf-8' });
      res.end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const reportUrls = [
    ...trsReports.map((r) => A + r.path),
    `${A}/zfxxgk/zfxxgknb/202203/P020220301123456.pdf`,
    `${A}/zfxxgk/zfxxgknb/P020200301555.pdf`,
    ...[1, 2, 3, 4, 5, 6, 7].map((i) => `${X}/art/2022/3/${i}/art_123_${5000 + i}.html`),
    `${X}/shell/doc/1.html`,
    `${X}/shell/doc/2.html`,
    `${X}/waf/doc/1.html`,
  ];
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    requests,
    reportUrls,
    decoyUrls: [
      `${A}/zfxxgk/zfxxgknb/202201/t20220110_999.shtml`,
      `${A}/zfxxgk/zfxxgknb/202203/t20220302_998.shtml`,
      `${X}/shell/doc/9.html`,
      `${A}/zfgzbg/2022.html`,
    ],
    forbiddenUrls: [`${A}/private/t1.shtml`, 'http://www.evil.com.test/nb.html', 'http://down.alpha.gov.cn.test/nb.html'],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
