// Two Hanweb variants (docs/site-families.md §2 A) on the jcms URL scheme (/col/col<ID>/, /art/Y/M/D/art_<COL>_<ID>.html,
// downfile.jsp → /attach/):
// - the 信息公开 module: column pages are empty shells; /module/xxgk/search.jsp (POST `area`, `currpage`) answers
//   the whole area's catalogue, every column mixed, 15 rows a page — the page's script keeps rows of its own
//   column (`art_<COLID>_`), and so must a crawler;
// - JPaaS (newer Hanweb): the column holds its first page; later pages only from GET
//   /api-gateway/jpaas-publish-server/front/page/build/unit with the page number inside `paramJson`.
import { escapeHtml } from '../reports/render-html.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import { createHanweb } from './hanweb.ts';
import type { Family, ListEntry } from './types.ts';

export const XXGK_SEARCH_PATH = '/module/xxgk/search.jsp';
export const JPAAS_UNIT_PATH = '/api-gateway/jpaas-publish-server/front/page/build/unit';
const XXGK_PAGE = 15;

const rel = (href: string) => new URL(href).pathname;

function parseForm(body: string): URLSearchParams {
  try {
    return new URLSearchParams(body);
  } catch {
    return new URLSearchParams();
  }
}

// Browser side of the xxgk module: walk the area's pages and keep this column's rows.
const XXGK_JS = `(function () {
  var c = window.XXGK, box = document.getElementById('xxgk_list'), rows = [];
  function page(n) {
    var body = 'infotypeId=' + c.infotypeId + '&area=' + c.area + '&currpage=' + n + '&vc_title=&vc_number=&fbtime=&texttype=0';
    fetch('${XXGK_SEARCH_PATH}', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body })
      .then(function (r) { return r.text(); }).then(function (html) {
        var re = /<tr>[\\s\\S]*?<\\/tr>/g, m, mine = new RegExp('art_' + c.infotypeId + '_');
        while ((m = re.exec(html))) if (mine.test(m[0])) rows.push(m[0]);
        var t = /第(\\d+)\\/(\\d+)页/.exec(html);
        if (t && Number(t[1]) < Number(t[2])) page(n + 1); else box.innerHTML = '<table class="xxgk-list">' + rows.join('') + '</table>';
      });
  }
  page(1);
})();`;

export function createHanwebXxgk(webid: number, webname: string, area: string): Family {
  const base = createHanweb(webid, webname);
  const columns = new Map<number, { entries: ListEntry[] }>();
  const served = new Set<string>();

  const search = (req: SimRequest): Route => {
    const form = req.method === 'POST' ? parseForm(req.body) : req.url.searchParams;
    // the module ignores infotypeId: it answers every column of the area, newest first
    const all =
      form.get('area') === area
        ? [...columns.entries()].flatMap(([, c]) => c.entries).sort((a, z) => z.date.localeCompare(a.date) || a.href.localeCompare(z.href))
        : [];
    const pages = Math.max(1, Math.ceil(all.length / XXGK_PAGE));
    const n = Math.min(pages, Math.max(1, Number(form.get('currpage')) || 1));
    const rows = all.slice((n - 1) * XXGK_PAGE, n * XXGK_PAGE).map(
      (e) => `<tr>
<td class="title"><a href="${rel(e.href)}" target="_blank" title="${escapeHtml(e.title)}">${escapeHtml(e.title)}</a></td>
<td class="date">${e.date}</td></tr>`,
    );
    return {
      kind: 'raw',
      contentType: 'text/html; charset=utf-8',
      body: `<table class="xxgk-result">\n${rows.join('\n')}\n</table>\n<div class="xxgk-page">共${all.length}条记录 第${n}/${pages}页</div>`,
    };
  };

  return {
    ...base,
    id: 'hanweb-xxgk',
    renderList(b, col, entries, { sidebar }) {
      columns.set(col.colId, { entries });
      if (!served.has(col.base)) {
        served.add(col.base);
        b.register(`${col.base}${XXGK_SEARCH_PATH}`, { kind: 'dynamic', handle: search });
        b.register(`${col.base}/module/xxgk/xxgk.js`, { kind: 'raw', contentType: 'application/javascript; charset=utf-8', body: XXGK_JS });
      }
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<div id="xxgk_list"></div></div>`;
      b.register(`${col.base}/col/col${col.colId}/index.html`, {
        kind: 'page',
        html: b.page({
          title: col.name,
          breadcrumb: col.breadcrumb,
          main,
          meta: { ColumnName: col.name },
          bodyEnd: `<script>window.XXGK = { infotypeId: '${col.colId}', area: '${area}', webid: '${webid}' };</script>\n<script src="/module/xxgk/xxgk.js"></script>`,
        }),
      });
      b.register(`${col.base}/col/col${col.colId}/`, { kind: 'redirect', location: `/col/col${col.colId}/index.html`, status: 302 });
    },
  };
}

const JPAAS_JS = `(function () {
  var box = document.querySelector('[queryData]'), q = JSON.parse(box.getAttribute('queryData'));
  box.addEventListener('click', function (ev) {
    var n = ev.target.getAttribute && ev.target.getAttribute('data-page'); if (!n) return;
    var p = { pageNo: parseInt(n, 10), pageSize: q.pageSize };
    var url = '${JPAAS_UNIT_PATH}?parseType=bulidstatic&webId=' + q.webId + '&tplSetId=' + q.tplSetId + '&pageType=column&tagId=' + encodeURIComponent(q.tagId) + '&editType=null&pageId=' + q.pageId + '&paramJson=' + encodeURIComponent(JSON.stringify(p));
    fetch(url).then(function (r) { return r.json(); }).then(function (d) { if (d.success) box.innerHTML = d.data.html; });
  });
})();`;

export function createJpaas(webid: number, webname: string, tplSetId: string): Family {
  const base = createHanweb(webid, webname);
  const columns = new Map<number, { entries: ListEntry[]; pageSize: number }>();
  const served = new Set<string>();

  const unitHtml = (entries: ListEntry[], pageNo: number, pageSize: number) => {
    const slice = entries.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    const pages = Math.max(1, Math.ceil(entries.length / pageSize));
    const links = Array.from({ length: pages }, (_, i) =>
      i + 1 === pageNo ? `<span class="current">${i + 1}</span>` : `<a href="javascript:;" data-page="${i + 1}">${i + 1}</a>`,
    ).join(' ');
    return `<ul class="list">
${slice.map((e) => `<li><a href="${rel(e.href)}" target="_blank" title="${escapeHtml(e.title)}">${escapeHtml(e.title)}</a><span>${e.date}</span></li>`).join('\n')}
</ul>
<div class="pagination" rows="${pageSize}" count="${entries.length}" current="${pageNo}">${links}</div>`;
  };

  const unit = (req: SimRequest): Route => {
    const q = req.url.searchParams;
    const col = q.get('webId') === String(webid) && q.get('tplSetId') === tplSetId ? columns.get(Number(q.get('pageId'))) : undefined;
    if (!col)
      return {
        kind: 'raw',
        contentType: 'application/json;charset=UTF-8',
        body: JSON.stringify({ success: false, code: 500, message: '页面不存在', data: null }),
      };
    let param: { pageNo?: unknown; pageSize?: unknown } = {};
    try {
      param = JSON.parse(q.get('paramJson') ?? '{}') as typeof param;
    } catch {
      /* a bad paramJson shows page 1, as the gateway does */
    }
    const pageSize = Math.min(100, Math.max(1, Number(param.pageSize) || col.pageSize));
    const pageNo = Math.max(1, Number(param.pageNo) || 1);
    return {
      kind: 'raw',
      contentType: 'application/json;charset=UTF-8',
      body: JSON.stringify({ success: true, code: 200, data: { html: unitHtml(col.entries, pageNo, pageSize) } }),
    };
  };

  return {
    ...base,
    id: 'jpaas',
    renderList(b, col, entries, { pageSize, sidebar }) {
      columns.set(col.colId, { entries, pageSize });
      if (!served.has(col.base)) {
        served.add(col.base);
        b.register(`${col.base}${JPAAS_UNIT_PATH}`, { kind: 'dynamic', handle: unit });
        b.register(`${col.base}/static/jpaas/unit.js`, {
          kind: 'raw',
          contentType: 'application/javascript; charset=utf-8',
          body: JPAAS_JS,
        });
      }
      const queryData = JSON.stringify({ webId: String(webid), pageId: String(col.colId), tplSetId, tagId: '当前栏目_list', pageSize });
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<div class="list-unit" id="unit_${col.colId}" queryData='${escapeHtml(queryData)}'>
${unitHtml(entries, 1, pageSize)}
</div></div>`;
      b.register(`${col.base}/col/col${col.colId}/index.html`, {
        kind: 'page',
        html: b.page({
          title: col.name,
          breadcrumb: col.breadcrumb,
          main,
          meta: { ColumnName: col.name },
          bodyEnd: '<script src="/static/jpaas/unit.js"></script>',
        }),
      });
      b.register(`${col.base}/col/col${col.colId}/`, { kind: 'redirect', location: `/col/col${col.colId}/index.html`, status: 302 });
    },
    article: { ...base.article, hanwebMarkers: false, bodyClass: 'wzzw-article' },
  };
}
