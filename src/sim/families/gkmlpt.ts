// Guangdong gkmlpt 政府信息公开目录平台 on an NFCMS portal (docs/site-families.md §2 D): the catalogue is a
// hash-routed SPA (/gkmlpt/index#<catId>, 年报 at /gkmlpt/annualreport#<catId>) whose HTML holds nothing but a
// `SID`; categories and lists come from a JSON API that needs that SID. Articles live at
// /gkmlpt/content/<a>/<b>/post_<id>.html with a mobile twin mpost_<id>.html; about half of them are shells
// whose body the page loads from /gkmlpt/api/content/<id>.
import type { Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import { articleMain, articleMeta } from '../sites/chrome.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import type { ArticleToPublish, Builder, Column, Family, ListEntry, PublishedArticle } from './types.ts';

export const GKMLPT_API = '/gkmlpt/api';

interface Category {
  id: number;
  name: string;
  parent: number;
  entries: ListEntry[];
  pageSize: number;
}

interface Content {
  id: number;
  title: string;
  content: string;
  publisher: string;
  date: string;
  identifier: string;
  attachments: { name: string; url: string }[];
}

const unix = (date: string, time = '09:00') => Math.floor(Date.parse(`${date}T${time}:00+08:00`) / 1000);
const json = (body: unknown, status = 200): Route => ({
  kind: 'raw',
  status,
  contentType: 'application/json;charset=UTF-8',
  body: JSON.stringify(body),
});

// The SPA a browser runs: category tree from the API, list of the category in the hash, pager in the hash.
const APP_JS = `(function () {
  var C = window.GKMLPT;
  function route() {
    var h = location.hash.replace(/^#/, '').split('/');
    return { cat: h[0] || C.DEFAULT_CAT, page: parseInt(h[1] || '1', 10) };
  }
  function el(id) { return document.getElementById(id); }
  fetch(C.ROOT + '/api/categories?sid=' + C.SID).then(function (r) { return r.json(); }).then(function (d) {
    el('gkml-tree').innerHTML = d.categories.map(function (c) {
      return '<li data-parent="' + c.parent_id + '"><a href="#' + c.id + '">' + c.name + '</a> (' + c.count + ')</li>';
    }).join('');
  });
  function load() {
    var r = route();
    fetch(C.ROOT + '/api/all/' + r.cat + '?page=' + r.page + '&sid=' + C.SID).then(function (x) { return x.json(); }).then(function (d) {
      el('gkml-list').innerHTML = d.articles.map(function (a) {
        var t = new Date(a.create_time * 1000).toISOString().slice(0, 10);
        return '<tr><td class="first"><a href="' + a.url + '" target="_blank">' + a.title + '</a></td><td>' + a.publisher + '</td><td>' + t + '</td></tr>';
      }).join('');
      var pages = Math.ceil(d.total / Math.max(1, d.articles.length || 1)), html = '共' + d.total + '条 ';
      if (r.page > 1) html += '<a href="#' + r.cat + '/' + (r.page - 1) + '">上一页</a> ';
      if (d.articles.length && r.page * d.articles.length < d.total) html += '<a href="#' + r.cat + '/' + (r.page + 1) + '">下一页</a>';
      el('gkml-pager').innerHTML = html;
    });
  }
  window.addEventListener('hashchange', load);
  load();
})();`;

export function createGkmlpt(sid: string): Family {
  const categories = new Map<number, Category>();
  const contents = new Map<number, Content>();
  let fdzdId = 0;
  let nbId = 0;
  const served = new Set<string>();

  const sidOk = (req: SimRequest) => req.url.searchParams.get('sid') === sid;

  const listApi =
    (catId: number) =>
    (req: SimRequest): Route => {
      if (!sidOk(req)) return json({ code: 400, msg: 'sid参数错误' }, 400);
      // 0 = every category; a parent (法定主动公开内容) lists its children
      const all =
        catId === 0 || !categories.has(catId)
          ? [...categories.values()]
              .filter((c) => catId === 0 || c.parent === catId)
              .flatMap((c) => c.entries)
              .sort((a, z) => z.date.localeCompare(a.date) || a.href.localeCompare(z.href))
          : categories.get(catId)!.entries;
      const size = categories.get(catId)?.pageSize ?? 20;
      const page = Math.max(1, Number(req.url.searchParams.get('page')) || 1);
      const slice = all.slice((page - 1) * size, page * size);
      return json({
        total: all.length,
        page,
        articles: slice.map((e) => {
          const id = Number(/post_(\d+)\.html$/.exec(e.href)?.[1] ?? 0);
          const c = contents.get(id);
          return {
            id,
            title: e.title,
            url: e.href,
            create_time: unix(e.date),
            publisher: c?.publisher ?? '',
            identifier: c?.identifier ?? '',
          };
        }),
      });
    };

  const categoriesApi = (req: SimRequest): Route => {
    if (!sidOk(req)) return json({ code: 400, msg: 'sid参数错误' }, 400);
    const cats = [...categories.values()];
    const fdzdCount = cats.filter((c) => c.parent === fdzdId).reduce((n, c) => n + c.entries.length, 0);
    return json({
      sid,
      categories: [
        ...(fdzdId ? [{ id: fdzdId, name: '法定主动公开内容', parent_id: 0, count: fdzdCount }] : []),
        ...cats.map((c) => ({ id: c.id, name: c.name, parent_id: c.parent, count: c.entries.length })),
      ],
    });
  };

  const contentApi =
    (id: number) =>
    (req: SimRequest): Route => {
      if (!sidOk(req)) return json({ code: 400, msg: 'sid参数错误' }, 400);
      const c = contents.get(id);
      if (!c) return json({ code: 404, msg: '文章不存在' }, 404);
      return json({
        id: c.id,
        title: c.title,
        content: c.content,
        publisher: c.publisher,
        create_time: unix(c.date),
        identifier: c.identifier,
        attachments: c.attachments,
      });
    };

  const spaShell = (b: Builder, title: string, defaultCat: number) => {
    const main = `<div class="gkml-wrap"><div class="gkml-left"><h3>政府信息公开目录</h3><ul id="gkml-tree"></ul></div>
<div class="gkml-right"><table class="gkml-table"><thead><tr><th>标题</th><th>发布机构</th><th>日期</th></tr></thead><tbody id="gkml-list"></tbody></table>
<div id="gkml-pager" class="pagination"></div></div></div>`;
    return b.page({
      title,
      breadcrumb: [
        ['首页', `${b.ctx.homeBase}/`],
        [title, null],
      ],
      main,
      bodyEnd: `<script>window.GKMLPT = { SID: '${sid}', ROOT: '/gkmlpt', DEFAULT_CAT: '${defaultCat}' };</script>\n<script src="/gkmlpt/static/js/app.js"></script>`,
    });
  };

  const serveBase = (b: Builder, base: string) => {
    if (served.has(base)) return;
    served.add(base);
    b.register(`${base}${GKMLPT_API}/categories`, { kind: 'dynamic', handle: categoriesApi });
    b.register(`${base}${GKMLPT_API}/all/0`, { kind: 'dynamic', handle: listApi(0) });
    if (fdzdId) b.register(`${base}${GKMLPT_API}/all/${fdzdId}`, { kind: 'dynamic', handle: listApi(fdzdId) });
    b.register(`${base}/gkmlpt/static/js/app.js`, { kind: 'raw', contentType: 'application/javascript; charset=utf-8', body: APP_JS });
  };

  const bodyOf = (o: ArticleToPublish['o']) => {
    const attach = o.attachments?.length
      ? `<div class="attachments"><p>附件：</p>${o.attachments.map((x) => `<p><a href="${x.href}">${escapeHtml(x.text)}</a></p>`).join('')}</div>`
      : '';
    return o.bodyHtml + attach;
  };

  const mobilePage = (title: string, date: string, publisher: string, inner: string, script = '') => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><meta name="ArticleTitle" content="${escapeHtml(title)}"><meta name="PubDate" content="${date}"><meta name="ContentSource" content="${escapeHtml(publisher)}">
</head><body class="mobile"><div class="m-header">政府信息公开</div>
<h1 class="m-title">${escapeHtml(title)}</h1><div class="m-info">${date}　${escapeHtml(publisher)}</div>
<div id="zoom" class="news_cont_d_wrap">${inner}</div>${script}
</body></html>`;

  return {
    id: 'gkmlpt',
    homePath: '/index.html',
    columnUrl: (col: Column) => {
      if (col.key === 'platform') return `${col.base}/zwgk/zfxxgk/index.html`;
      if (col.key === 'fdzd') fdzdId = col.colId;
      if (col.key === 'nb') nbId = col.colId;
      return col.key.startsWith('nb') ? `${col.base}/gkmlpt/annualreport#${col.colId}` : `${col.base}/gkmlpt/index#${col.colId}`;
    },
    articleUrl: (col, _date, id) => `${col.base}/gkmlpt/content/${Math.floor(id / 1e6)}/${Math.floor(id / 1e3)}/post_${id}.html`,
    attachment(articleUrl: string, _date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const path = `/attachment/0/${rng.int(100, 599)}/${rng.int(100000, 999999)}/${id}.${ext}`;
      return { href: path, servedUrl: `${origin}${path}`, aliases: [] };
    },
    renderList(b, col, entries, { pageSize }) {
      serveBase(b, col.base);
      const parent = ['work_report', 'statistics', 'budget', 'website_report', 'rule_of_law'].includes(col.key) ? fdzdId : 0;
      categories.set(col.colId, { id: col.colId, name: col.name, parent, entries, pageSize });
      b.register(`${col.base}${GKMLPT_API}/all/${col.colId}`, { kind: 'dynamic', handle: listApi(col.colId) });
      // every column is the same two SPA pages; the hash picks the category
      b.register(`${col.base}/gkmlpt/index`, { kind: 'page', html: spaShell(b, '政府信息公开目录', 0) });
      b.register(`${col.base}/gkmlpt/annualreport`, { kind: 'page', html: spaShell(b, '政府信息公开年报', nbId) });
    },
    article: { bodyClass: 'news_cont_d_wrap', infoStyle: 'table' },
    publishArticle(b: Builder, a: ArticleToPublish): PublishedArticle {
      const id = Number(/post_(\d+)\.html$/.exec(a.url)![1]);
      const base = new URL(a.url).origin;
      const mpost = a.url.replace(/post_(\d+)\.html$/, 'mpost_$1.html');
      const apiUrl = `${base}${GKMLPT_API}/content/${id}?sid=${sid}`;
      const content = bodyOf(a.o);
      contents.set(id, {
        id,
        title: a.o.title,
        content,
        publisher: a.o.publisher,
        date: a.o.date,
        identifier: a.o.indexNo,
        attachments: (a.o.attachments ?? []).map((x) => ({ name: x.text, url: new URL(x.href, a.url).href })),
      });
      b.register(`${base}${GKMLPT_API}/content/${id}`, { kind: 'dynamic', handle: contentApi(id) });
      const shell = a.role !== 'other' && a.rng.chance(0.5);
      const head = `<link rel="alternate" media="only screen and (max-width: 640px)" href="${new URL(mpost).pathname}">`;
      const meta = { ...articleMeta(a.o), ArticleId: String(id) };
      // a shell: the page has title and metadata, the body arrives from the content API
      const fill = `<script>fetch('${GKMLPT_API}/content/${id}?sid=${sid}').then(function (r) { return r.json(); }).then(function (d) { document.getElementById('zoom').innerHTML = d.content; });</script>`;
      const shown = shell ? { ...a.o, bodyHtml: '', attachments: [] } : a.o;
      const main = articleMain(shown).replace(
        '<div class="article-tools">',
        `<div class="article-tools"><a href="${new URL(mpost).pathname}">手机版</a> `,
      );
      b.register(a.url, {
        kind: 'page',
        html: b.page({ title: a.o.title, breadcrumb: a.breadcrumb, main, meta, head, bodyEnd: shell ? fill : undefined }),
      });
      b.register(mpost, { kind: 'page', html: mobilePage(a.o.title, a.o.date, a.o.publisher, shell ? '' : content, shell ? fill : '') });
      return shell ? { aliases: [mpost, apiUrl], bodyVia: { url: apiUrl, method: 'GET' } } : { aliases: [mpost] };
    },
  };
}
