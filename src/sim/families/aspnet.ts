// ASP.NET WebForms sites of small vendors (docs/site-families.md §2 F, 民和/杂多 style): lists at
// /xxgk/List_zlm.aspx?lmid=<n>; a GET shows page 1 only; the pager is `javascript:__doPostBack(…$AspNetPager1, 'N')`,
// so page N is a POST of the page's form: its hidden __VIEWSTATE and __EVENTVALIDATION replayed, with
// __EVENTTARGET = the pager's control name and __EVENTARGUMENT = N. A tampered or missing state answers 500.
// One report (the first 2019/2021-format report body) is split over two pages: `<id>.html` and `<id>_2.html`,
// linked 下一页.
import { hashString, type Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import { articleMain, articleMeta } from '../sites/chrome.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import type { ArticleToPublish, Builder, Family, ListEntry, PublishedArticle } from './types.ts';

export const PAGER_TARGET = 'ctl00$ContentPlaceHolder1$AspNetPager1';

function parseForm(body: string): URLSearchParams {
  try {
    return new URLSearchParams(body);
  } catch {
    return new URLSearchParams();
  }
}

const STATE_ERROR = `<html><head><title>状态信息对此页无效，可能已损坏。</title></head><body>
<h1>“/”应用程序中的服务器错误。</h1><h2><i>状态信息对此页无效，可能已损坏。</i></h2>
<b>异常详细信息: </b>System.Web.HttpException: 验证视图状态 MAC 失败。</body></html>`;

/** Splits a report body before its 三、 section (the application table), for a two-page article. */
export function splitBody(html: string): [string, string] | null {
  const at = html.search(/三、(收到和处理|依申请公开)/);
  const second = html.indexOf('<table', html.indexOf('<table') + 1);
  const mark = at > 0 ? at : second;
  if (mark <= 0) return null;
  const cut = html.lastIndexOf('\n', mark);
  return cut > 0 ? [html.slice(0, cut), html.slice(cut + 1)] : null;
}

export function createAspnet(secret: string): Family {
  const lists = new Map<
    number,
    { entries: ListEntry[]; pageSize: number; name: string; breadcrumb: [string, string | null][]; sidebar: string }
  >();
  let splitDone = false;

  const mac = (lmid: number, page: number) => hashString(`${secret}:${lmid}:${page}`).toString(16);
  const viewState = (lmid: number, page: number) => `/wEPDwUKLTc${Buffer.from(`${lmid}|${page}|${mac(lmid, page)}`).toString('base64')}`;
  const eventValidation = (lmid: number) => `/wEdAA${Buffer.from(`${lmid}|${mac(lmid, 0)}`).toString('base64')}`;
  const readState = (lmid: number, vs: string | null): number | null => {
    if (!vs?.startsWith('/wEPDwUKLTc')) return null;
    const [l, p, m] = Buffer.from(vs.slice(11), 'base64').toString('utf8').split('|');
    return Number(l) === lmid && m === mac(lmid, Number(p)) ? Number(p) : null;
  };

  const listPage = (b: Builder, lmid: number, page: number): string => {
    const l = lists.get(lmid)!;
    const pages = Math.max(1, Math.ceil(l.entries.length / l.pageSize));
    const slice = l.entries.slice((page - 1) * l.pageSize, page * l.pageSize);
    const post = (n: number, text: string) => `<a href="javascript:__doPostBack('${PAGER_TARGET}','${n}')">${text}</a>`;
    const nav = [
      page > 1 ? `${post(1, '首页')} ${post(page - 1, '上一页')}` : '<a disabled="disabled">首页</a> <a disabled="disabled">上一页</a>',
      Array.from({ length: pages }, (_, i) => (i + 1 === page ? `<span class="cpb">${i + 1}</span>` : post(i + 1, String(i + 1)))).join(
        ' ',
      ),
      page < pages
        ? `${post(page + 1, '下一页')} ${post(pages, '尾页')}`
        : '<a disabled="disabled">下一页</a> <a disabled="disabled">尾页</a>',
    ].join(' ');
    const rows = slice.map(
      (e) =>
        `<tr><td class="dot">·</td><td><a href="${new URL(e.href).pathname}" target="_blank">${escapeHtml(e.title)}</a></td><td class="date">${e.date}</td></tr>`,
    );
    const main = `${l.sidebar}<form name="aspnetForm" method="post" action="./List_zlm.aspx?lmid=${lmid}" id="aspnetForm">
<div><input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="${viewState(lmid, page)}" /></div>
<script type="text/javascript">
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {
  if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
    theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit();
  }
}
</script>
<div><input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="8E0F7A0B" />
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="${eventValidation(lmid)}" /></div>
<div class="list-right"><div class="list-title">${escapeHtml(l.name)}</div>
<table class="list" width="100%">
${rows.join('\n')}
</table>
<div id="ctl00_ContentPlaceHolder1_AspNetPager1" class="pages">共${l.entries.length}条 第${page}/${pages}页 ${nav}</div></div>
</form>`;
    return b.page({ title: l.name, breadcrumb: l.breadcrumb, main });
  };

  const handler =
    (b: Builder, lmid: number) =>
    (req: SimRequest): Route => {
      if (req.method !== 'POST') return { kind: 'page', html: listPage(b, lmid, 1) };
      const form = parseForm(req.body);
      const current = readState(lmid, form.get('__VIEWSTATE'));
      if (current === null || form.get('__EVENTVALIDATION') !== eventValidation(lmid)) {
        return { kind: 'raw', status: 500, contentType: 'text/html; charset=utf-8', body: STATE_ERROR };
      }
      const l = lists.get(lmid)!;
      const pages = Math.max(1, Math.ceil(l.entries.length / l.pageSize));
      // a postback from another control re-renders the page the state was on
      const wanted = form.get('__EVENTTARGET') === PAGER_TARGET ? Number(form.get('__EVENTARGUMENT')) : current;
      return { kind: 'page', html: listPage(b, lmid, Math.min(pages, Math.max(1, Number.isFinite(wanted) ? wanted : 1))) };
    };

  const splitPages = (b: Builder, a: ArticleToPublish): PublishedArticle | null => {
    if (splitDone || a.role !== 'report' || a.model?.format === 'legacy' || a.o.attachments?.length) return null;
    const parts = splitBody(a.o.bodyHtml);
    if (!parts) return null;
    splitDone = true;
    const url2 = a.url.replace(/\.html$/, '_2.html');
    const name = (u: string) => u.slice(u.lastIndexOf('/') + 1);
    const nav1 = `<div class="page_nav">共2页 <span>1</span> <a href="${name(url2)}">2</a> <a href="${name(url2)}">下一页</a></div>`;
    const nav2 = `<div class="page_nav">共2页 <a href="${name(a.url)}">上一页</a> <a href="${name(a.url)}">1</a> <span>2</span></div>`;
    b.register(a.url, {
      kind: 'page',
      html: b.page({
        title: a.o.title,
        breadcrumb: a.breadcrumb,
        main: articleMain({ ...a.o, bodyHtml: `${parts[0]}\n${nav1}` }),
        meta: articleMeta(a.o),
      }),
    });
    b.register(url2, {
      kind: 'page',
      html: b.page({
        title: a.o.title,
        breadcrumb: a.breadcrumb,
        main: articleMain({ ...a.o, bodyHtml: `${parts[1]}\n${nav2}` }),
        meta: articleMeta(a.o),
      }),
    });
    return { parts: [a.url, url2] };
  };

  return {
    id: 'aspnet',
    homePath: '/index.aspx',
    columnUrl: (col) => (col.key === 'platform' ? `${col.base}/xxgk/Index.aspx` : `${col.base}/xxgk/List_zlm.aspx?lmid=${col.colId}`),
    articleUrl: (col, _date, id) => `${col.base}/html/${col.colId}/${id}.html`,
    attachment(articleUrl: string, date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const path = `/UploadFiles/${date.slice(0, 7).replace('-', '')}/${id}${rng.int(1000, 9999)}.${ext}`;
      return { href: path, servedUrl: `${origin}${path}`, aliases: [] };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      lists.set(col.colId, { entries, pageSize, name: col.name, breadcrumb: col.breadcrumb, sidebar: sidebar ?? '' });
      b.register(`${col.base}/xxgk/List_zlm.aspx?lmid=${col.colId}`, { kind: 'dynamic', handle: handler(b, col.colId) });
    },
    article: { bodyClass: 'content', infoStyle: 'none' },
    publishArticle(b: Builder, a: ArticleToPublish): PublishedArticle {
      const split = splitPages(b, a);
      if (split) return split;
      b.register(a.url, {
        kind: 'page',
        html: b.page({ title: a.o.title, breadcrumb: a.breadcrumb, main: articleMain(a.o), meta: articleMeta(a.o) }),
      });
      return {};
    },
  };
}
