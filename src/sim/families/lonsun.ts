// Lonsun 龙讯 public catalogue (docs/site-families.md §2 E): every unit (the county government, each bureau,
// each township) is an organ with its own catalogue; the 年报 of a bureau sits under that bureau's organ.
// Columns are `/public/column/<organId>?type=4&catId=<catId>&action=list` JS shells; organs, catalogues, lists
// and some article bodies come from JSON endpoints under /public/api/.
import { hashString, type Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import { DEPARTMENTS } from '../sites/catalog.ts';
import { articleMain, articleMeta } from '../sites/chrome.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import type { ArticleToPublish, Builder, Column, Family, ListEntry, PublishedArticle } from './types.ts';

export const LONSUN_API = '/public/api';

interface Organ {
  organId: number;
  organName: string;
  /** gov: the county government; dept: a bureau; town: a township */
  type: 'gov' | 'dept' | 'town';
}

interface CatalogNode {
  catId: number;
  name: string;
  parentId: number;
}

const json = (body: unknown, status = 200): Route => ({
  kind: 'raw',
  status,
  contentType: 'application/json;charset=UTF-8',
  body: JSON.stringify(body),
});

// the catalogue every bureau and township is given; only 政府信息公开年报 holds anything here
const UNIT_CATALOG = ['机构信息', '政府信息公开指南', '法定主动公开内容', '政府信息公开年报'] as const;

const TREE_JS = `(function () {
  var box = document.getElementById('organ_catalog_tree'), cats = document.getElementById('organ_catalog');
  function get(u) { return fetch(u).then(function (r) { return r.json(); }); }
  get('${LONSUN_API}/organTree?siteId=' + window.LONSUN.siteId).then(function (organs) {
    box.innerHTML = organs.map(function (o) { return '<li><a href="javascript:void(0)" data-organ="' + o.organId + '">' + o.organName + '</a></li>'; }).join('');
  });
  box.addEventListener('click', function (ev) {
    var id = ev.target.getAttribute && ev.target.getAttribute('data-organ'); if (!id) return;
    get('${LONSUN_API}/catalog?organId=' + id).then(function (nodes) {
      cats.innerHTML = nodes.map(function (n) { return '<li><a href="' + n.url + '">' + n.name + '</a></li>'; }).join('');
    });
  });
})();`;

const LIST_JS = `(function () {
  var c = window.LONSUN, ul = document.getElementById('public_list'), pager = document.getElementById('public_pager');
  function load(i) {
    fetch('${LONSUN_API}/infoList?organId=' + c.organId + '&catId=' + c.catId + '&pageIndex=' + i + '&pageSize=' + c.pageSize)
      .then(function (r) { return r.json(); }).then(function (d) {
        ul.innerHTML = d.data.map(function (x) { return '<li><a href="' + x.link + '" target="_blank">' + x.title + '</a><span>' + x.publishDate + '</span></li>'; }).join('');
        var html = '共' + d.total + '条 ';
        for (var p = 1; p <= d.pageCount; p++) html += p === i ? '<span>' + p + '</span> ' : '<a href="javascript:void(0)" data-page="' + p + '">' + p + '</a> ';
        pager.innerHTML = html;
      });
  }
  pager.addEventListener('click', function (ev) { var p = ev.target.getAttribute && ev.target.getAttribute('data-page'); if (p) load(parseInt(p, 10)); });
  load(1);
})();`;

export function createLonsun(rootOrgan: number, siteId: number): Family {
  const organs = new Map<number, Organ>();
  const catalogs = new Map<number, CatalogNode[]>();
  const lists = new Map<string, { entries: ListEntry[]; pageSize: number }>();
  const contents = new Map<number, { title: string; content: string; publishDate: string; organName: string }>();
  const served = new Set<string>();
  let platformBase = '';

  const organOf = (col: Column) => (col.key.startsWith('nb-') && col.key !== 'nb-bj' ? 6600000 + (hashString(col.key) % 90000) : rootOrgan);
  const listUrl = (base: string, organId: number, catId: number) => `${base}/public/column/${organId}?type=4&catId=${catId}&action=list`;

  const infoList = (req: SimRequest): Route => {
    const q = req.url.searchParams;
    const list = lists.get(`${q.get('organId')}:${q.get('catId')}`);
    const entries = list?.entries ?? [];
    const size = Math.min(50, Math.max(1, Number(q.get('pageSize')) || list?.pageSize || 15));
    const index = Math.max(1, Number(q.get('pageIndex')) || 1);
    return json({
      total: entries.length,
      pageCount: Math.ceil(entries.length / size),
      pageIndex: index,
      data: entries.slice((index - 1) * size, index * size).map((e) => ({
        id: Number(/\/(\d+)\.html$/.exec(e.href)?.[1]),
        title: e.title,
        link: new URL(e.href).pathname,
        publishDate: e.date,
      })),
    });
  };
  const organTree = (req: SimRequest): Route => {
    if (req.url.searchParams.get('siteId') !== String(siteId)) return json([]);
    const order = { gov: 0, dept: 1, town: 2 };
    return json([...organs.values()].sort((a, z) => order[a.type] - order[z.type]));
  };
  const catalog = (req: SimRequest): Route => {
    const organId = Number(req.url.searchParams.get('organId'));
    const nodes = catalogs.get(organId);
    if (!nodes) return json({ status: 0, desc: '单位不存在' }, 404);
    return json(
      nodes.map((n) => ({
        ...n,
        organId,
        url: new URL(listUrl(platformBase, organId, n.catId)).pathname + new URL(listUrl(platformBase, organId, n.catId)).search,
      })),
    );
  };
  const content = (req: SimRequest): Route => {
    const c = contents.get(Number(req.url.searchParams.get('infoId')));
    return c ? json({ infoId: Number(req.url.searchParams.get('infoId')), ...c }) : json({ status: 0, desc: '信息不存在' }, 404);
  };

  const serveBase = (b: Builder, base: string) => {
    if (served.has(base)) return;
    served.add(base);
    platformBase = base;
    b.register(`${base}${LONSUN_API}/infoList`, { kind: 'dynamic', handle: infoList });
    b.register(`${base}${LONSUN_API}/organTree`, { kind: 'dynamic', handle: organTree });
    b.register(`${base}${LONSUN_API}/catalog`, { kind: 'dynamic', handle: catalog });
    b.register(`${base}${LONSUN_API}/content`, { kind: 'dynamic', handle: content });
    b.register(`${base}/public/js/organ_tree.js`, { kind: 'raw', contentType: 'application/javascript; charset=utf-8', body: TREE_JS });
    b.register(`${base}/public/js/public_list.js`, { kind: 'raw', contentType: 'application/javascript; charset=utf-8', body: LIST_JS });
  };

  const addNode = (organId: number, node: CatalogNode) => {
    const nodes = catalogs.get(organId) ?? [];
    if (!nodes.some((n) => n.catId === node.catId)) nodes.push(node);
    catalogs.set(organId, nodes);
  };

  return {
    id: 'lonsun',
    homePath: '/index.html',
    columnUrl: (col) =>
      col.key === 'platform' ? `${col.base}/public/column/${rootOrgan}?type=4&action=index` : listUrl(col.base, organOf(col), col.colId),
    articleUrl: (col, _date, id) => `${col.base}/public/${organOf(col)}/${id}.html`,
    attachment(articleUrl: string, date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const organ = /\/public\/(\d+)\//.exec(articleUrl)![1];
      const path = `/public/resources/upload/${organ}/${date.replace(/-/g, '')}/${id}${rng.int(100, 999)}.${ext}`;
      return { href: path, servedUrl: `${origin}${path}`, aliases: [] };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      serveBase(b, col.base);
      const organId = organOf(col);
      lists.set(`${organId}:${col.colId}`, { entries, pageSize });
      if (organId === rootOrgan) {
        const fdzd = ['work_report', 'statistics', 'budget', 'website_report', 'rule_of_law'].includes(col.key);
        if (fdzd) addNode(rootOrgan, { catId: rootOrgan + 1, name: '法定主动公开内容', parentId: 0 });
        addNode(rootOrgan, {
          catId: col.colId,
          name: col.key === 'nb-bj' ? '政府信息公开年报' : col.name,
          parentId: fdzd ? rootOrgan + 1 : 0,
        });
      }
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<ul id="public_list" class="list"></ul><div id="public_pager" class="pagination"></div></div>`;
      b.register(listUrl(col.base, organId, col.colId), {
        kind: 'page',
        html: b.page({
          title: col.name,
          breadcrumb: col.breadcrumb,
          main,
          meta: { ColumnName: col.name },
          bodyEnd: `<script>window.LONSUN = { siteId: ${siteId}, organId: ${organId}, catId: ${col.colId}, pageSize: ${pageSize} };</script>\n<script src="/public/js/public_list.js"></script>`,
        }),
      });
    },
    renderHub(b, hub, subs, { sidebar }) {
      serveBase(b, hub.base);
      organs.set(rootOrgan, { organId: rootOrgan, organName: `${b.ctx.county.name}人民政府`, type: 'gov' });
      for (const { col, group } of subs) {
        const organId = organOf(col);
        if (organId === rootOrgan) continue;
        organs.set(organId, { organId, organName: col.name, type: group === '县直部门' ? 'dept' : 'town' });
        UNIT_CATALOG.forEach((name, i) =>
          addNode(organId, { catId: name === '政府信息公开年报' ? col.colId : organId * 10 + i, name, parentId: 0 }),
        );
      }
      // bureaus that publish nothing here still have an organ and an (empty) catalogue, as on the real platforms
      const named = new Set([...organs.values()].map((o) => o.organName));
      for (const dept of DEPARTMENTS.filter((d) => !named.has(d)).slice(0, 6)) {
        const organId = 6600000 + (hashString(`organ:${dept}`) % 90000);
        if (organs.has(organId)) continue;
        organs.set(organId, { organId, organName: dept, type: 'dept' });
        UNIT_CATALOG.forEach((name, i) => addNode(organId, { catId: organId * 10 + i, name, parentId: 0 }));
      }
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(hub.name)}</div>
<div class="organ-panel"><h4>公开单位</h4><ul id="organ_catalog_tree"></ul></div>
<div class="catalog-panel"><h4>公开目录</h4><ul id="organ_catalog"></ul></div></div>`;
      b.register(listUrl(hub.base, rootOrgan, hub.colId), {
        kind: 'page',
        html: b.page({
          title: hub.name,
          breadcrumb: hub.breadcrumb,
          main,
          meta: { ColumnName: hub.name },
          bodyEnd: `<script>window.LONSUN = { siteId: ${siteId} };</script>\n<script src="/public/js/organ_tree.js"></script>`,
        }),
      });
    },
    article: { bodyClass: 'j-fontContent', infoStyle: 'table' },
    publishArticle(b: Builder, a: ArticleToPublish): PublishedArticle {
      const id = Number(/\/(\d+)\.html$/.exec(a.url)![1]);
      const base = new URL(a.url).origin;
      const attach = a.o.attachments?.length
        ? `<div class="attachments"><p>附件：</p>${a.o.attachments.map((x) => `<p><a href="${x.href}">${escapeHtml(x.text)}</a></p>`).join('')}</div>`
        : '';
      contents.set(id, { title: a.o.title, content: a.o.bodyHtml + attach, publishDate: a.o.date, organName: a.o.publisher });
      const shell = a.role !== 'other' && a.rng.chance(0.4);
      const shown = shell ? { ...a.o, bodyHtml: '', attachments: [] } : a.o;
      const fill = `<script>fetch('${LONSUN_API}/content?infoId=${id}').then(function (r) { return r.json(); }).then(function (d) { document.getElementById('zoom').innerHTML = d.content; });</script>`;
      b.register(a.url, {
        kind: 'page',
        html: b.page({
          title: a.o.title,
          breadcrumb: a.breadcrumb,
          main: articleMain(shown),
          meta: articleMeta(a.o),
          bodyEnd: shell ? fill : undefined,
        }),
      });
      const apiUrl = `${base}${LONSUN_API}/content?infoId=${id}`;
      return shell ? { aliases: [apiUrl], bodyVia: { url: apiUrl, method: 'GET' } } : {};
    },
  };
}
