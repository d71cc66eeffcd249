// Site chrome shared by all families: header, nav, breadcrumb, footer, article template.
import { escapeHtml } from '../reports/render-html.ts';
import { COUNTIES, shortName, simHost } from './catalog.ts';
import type { SiteContext } from './types.ts';

export interface NavLinks {
  home: string;
  about: string;
  zwgk: string;
  service: string;
  interact: string;
  sitemap: string;
}

export interface PageOptions {
  title: string;
  breadcrumb: [string, string | null][];
  main: string;
  meta?: Record<string, string>;
  head?: string;
  bodyEnd?: string;
}

export function siteName(ctx: SiteContext) {
  return `${ctx.county.name}人民政府`;
}

function charsetTag(ctx: SiteContext): string {
  // GBK sites declare the charset only in <meta>, as many legacy county sites do (docs/site-families.md §3)
  return ctx.info.charset === 'gbk' ? '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' : '<meta charset="utf-8">';
}

export function layout(ctx: SiteContext, nav: NavLinks, o: PageOptions): string {
  const c = ctx.county;
  const name = siteName(ctx);
  const metas = Object.entries({
    SiteName: name,
    SiteDomain: c.realHost,
    SiteIDCode: ctx.info.siteIdCode,
    ...o.meta,
  }).map(([k, v]) => `<meta name="${k}" content="${escapeHtml(v)}">`);
  const neighbour = COUNTIES[(COUNTIES.indexOf(c) + 1) % COUNTIES.length]!;
  const crumbs = o.breadcrumb
    .map(([t, href]) => (href ? `<a href="${href}">${escapeHtml(t)}</a>` : `<span>${escapeHtml(t)}</span>`))
    .join(' &gt; ');
  const police = `${c.regionCode}02000${(Number(c.regionCode) % 900) + 100}`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
${charsetTag(ctx)}
<title>${escapeHtml(o.title)}_${escapeHtml(name)}</title>
${metas.join('\n')}
<link rel="stylesheet" href="/css/style.css">
${o.head ?? ''}
</head>
<body>
<div class="top"><div class="wrap"><span>欢迎访问${escapeHtml(name)}门户网站</span> <a href="${nav.sitemap}">网站地图</a> <a href="javascript:void(0)">无障碍浏览</a></div></div>
<div class="header"><div class="wrap"><a class="logo" href="${nav.home}"><img src="/images/logo.png" alt="${escapeHtml(name)}"></a>
<form class="search" action="/search/search.html"><input name="q" placeholder="请输入关键字"><button>搜索</button></form></div></div>
<div class="nav"><ul class="wrap">
<li><a href="${nav.home}">首页</a></li>
<li><a href="${nav.about}">走进${escapeHtml(shortName(c.name))}</a></li>
<li><a href="${nav.zwgk}">政务公开</a></li>
<li><a href="${nav.service}">政务服务</a></li>
<li><a href="${nav.interact}">互动交流</a></li>
</ul></div>
<div class="location wrap">当前位置：${crumbs}</div>
<div class="main wrap">
${o.main}
</div>
<div class="footer"><div class="wrap">
<div class="links">友情链接：<a href="http://www.gov.cn/" target="_blank">中国政府网</a> <a href="http://${c.provinceHost}/" target="_blank">${escapeHtml(c.province)}人民政府</a> <a href="http://${simHost(neighbour)}/" target="_blank">${escapeHtml(neighbour.name)}人民政府</a></div>
<p>主办单位：${escapeHtml(c.name)}人民政府办公室　承办：${escapeHtml(c.name)}融媒体中心</p>
<p>网站标识码：${ctx.info.siteIdCode}　<a href="https://beian.miit.gov.cn/" target="_blank">${c.icp}ICP备${String(Number(c.regionCode) * 7).slice(0, 8)}号-1</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=${police}" target="_blank"><img src="/images/ga.png" alt="">${c.icp}公网安备 ${police}号</a></p>
<p><a href="${nav.sitemap}">网站地图</a> | <a href="${nav.home}lxwm/index.html">联系我们</a></p>
</div></div>
${o.bodyEnd ?? ''}
</body>
</html>`;
}

export interface ArticleOptions {
  title: string;
  date: string; // YYYY-MM-DD
  time?: string; // HH:MM
  publisher: string;
  columnName: string;
  indexNo: string;
  bodyHtml: string;
  attachments?: { href: string; text: string; oldsrc?: string }[];
  /** Hanweb pages wrap the body in <$[信息内容]> markers */
  hanwebMarkers?: boolean;
  /** Jiangxi-style block (seed 000) instead of the 索引号 table */
  infoStyle?: 'table' | 'jiangxi' | 'none';
  bodyClass?: string;
}

export function articleMain(o: ArticleOptions): string {
  const info =
    o.infoStyle === 'none'
      ? ''
      : o.infoStyle === 'jiangxi'
        ? `<div class="xxgk-info">信息类别: ${escapeHtml(o.columnName)} 公开方式: 主动公开 生成日期:${o.date} 公开时限: 常年公开 公开范围: 面向全社会 信息索取号:${o.indexNo}</div>
<div class="xgjd">相关解读:</div><div class="xgwj">相关文件:</div>`
        : `<table class="xxgk-table" border="1" cellspacing="0">
<tr><th>索引号：</th><td>${o.indexNo}</td><th>主题分类：</th><td>综合政务</td></tr>
<tr><th>发布机构：</th><td>${escapeHtml(o.publisher)}</td><th>生成日期：</th><td>${o.date}</td></tr>
<tr><th>文号：</th><td></td><th>有效性：</th><td>有效</td></tr>
<tr><th>公开方式：</th><td>主动公开</td><th>公开范围：</th><td>面向全社会</td></tr>
</table>`;
  const attach = o.attachments?.length
    ? `<div class="attachments"><p>附件：</p>${o.attachments
        .map(
          (a) =>
            `<p class="insertfileTag"><a appendix="true" href="${a.href}"${a.oldsrc ? ` OLDSRC="${a.oldsrc}"` : ''}>${escapeHtml(a.text)}</a></p>`,
        )
        .join('')}</div>`
    : '';
  const body = o.hanwebMarkers ? `<!--<$[信息内容]>begin-->\n${o.bodyHtml}\n<!--<$[信息内容]>end-->` : o.bodyHtml;
  return `<div class="article">
${info}
<h1 class="article-title">${escapeHtml(o.title)}</h1>
<div class="article-info">发布时间：${o.date}${o.time ? ` ${o.time}` : ''}　来源：${escapeHtml(o.publisher)}　字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a></div>
<div id="zoom" class="${o.bodyClass ?? 'TRS_Editor'}">
${body}
</div>
${attach}
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>`;
}

export function articleMeta(o: ArticleOptions): Record<string, string> {
  return {
    ColumnName: o.columnName,
    ColumnType: '政府信息公开',
    ArticleTitle: o.title,
    PubDate: `${o.date} ${o.time ?? '09:00'}`,
    ContentSource: o.publisher,
  };
}

/** A plain list of links, for sidebars and column overviews. */
export function linkList(items: { href: string; text: string; date?: string }[], cls = 'list'): string {
  return `<ul class="${cls}">${items
    .map(
      (i) =>
        `<li><a href="${i.href}" title="${escapeHtml(i.text)}" target="_blank">${escapeHtml(i.text)}</a>${i.date ? `<span>${i.date}</span>` : ''}</li>`,
    )
    .join('\n')}</ul>`;
}
