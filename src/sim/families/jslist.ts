// Epoint-style JS lists (docs/site-families.md §2 C): the column page is an empty shell; an inline script reads
// siteInfo from /js/webBuilderCommon.js and POSTs JSON to the list API. Only a browser (or a crawler that
// knows the API) sees any item.
import { createRng, type Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import type { Column, Family, ListEntry } from './types.ts';

export const LIST_API_PATH = '/EWB-FRONT/rest/lightfrontaction/getgovinfolist';

export const guidOf = (rng: Rng) => {
  const h = () => '0123456789abcdef'[rng.int(0, 15)];
  const part = (n: number) => Array.from({ length: n }, h).join('');
  return `${part(8)}-${part(4)}-${part(4)}-${part(4)}-${part(12)}`;
};

/** Epoint's hierarchical category number of a column (003 → 003NNN). */
export const categoryNum = (col: Column) => `003${String(col.colId % 1000).padStart(3, '0')}`;

export function createJsList(siteGuid: string): Family {
  return createEpointList(siteGuid, 'jslist');
}

export function createEpointList(siteGuid: string, id: 'jslist' | 'epoint'): Family {
  const categories = new Map<string, ListEntry[]>();
  const registered = new Set<string>();
  const catnum = categoryNum;

  const api = (req: SimRequest): Route => {
    let params: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(req.body || '{}') as Record<string, unknown>;
      params = (parsed.params as Record<string, unknown>) ?? parsed;
    } catch {
      return {
        kind: 'raw',
        status: 400,
        contentType: 'application/json; charset=utf-8',
        body: '{"status":{"code":400,"text":"bad json"}}',
      };
    }
    const entries = categories.get(String(params.categorynum ?? '')) ?? [];
    const size = Math.min(100, Math.max(1, Number(params.pageSize) || 10));
    const pages = Math.max(1, Math.ceil(entries.length / size));
    // past the end the real API repeats the last page (docs/site-families.md §2 C)
    const index = Math.min(Math.max(0, Number(params.pageIndex) || 0), pages - 1);
    const data = entries.slice(index * size, (index + 1) * size).map((e) => ({
      // path (and query, for showinfo.html?infoGuid= shells) relative to the site
      infourl: new URL(e.href).pathname + new URL(e.href).search,
      title: e.title,
      realtitle: e.title,
      infodate: e.date,
    }));
    return {
      kind: 'raw',
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ custom: { data, total: entries.length }, status: { code: 200, text: '' } }),
    };
  };

  return {
    id,
    homePath: '/index.html',
    columnUrl: (col) => `${col.base}/xxgk/${col.slug}/index.html`,
    articleUrl: (col, date, id) => `${col.base}/xxgk/${col.slug}/${date.replace(/-/g, '')}/${guidOf(createRng(id))}.html`,
    attachment(articleUrl: string, _date: string, _id: number, _ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const url = `${origin}/EpointWebBuilder/WebbuilderMIS/attach/downloadZtZip.jspx?attachGuid=${guidOf(rng)}&appUrlFlag=ztbAttach`;
      return { href: url.slice(origin.length), servedUrl: url, aliases: [], opaque: true };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      categories.set(catnum(col), entries);
      if (!registered.has(col.base)) {
        registered.add(col.base);
        b.register(`${col.base}${LIST_API_PATH}`, { kind: 'dynamic', handle: api });
        b.register(`${col.base}/js/webBuilderCommon.js`, {
          kind: 'raw',
          contentType: 'application/javascript; charset=utf-8',
          body: `var siteInfo = { projectName: '/EWB-FRONT', siteGuid: '${siteGuid}', siteName: '${escapeHtml(b.ctx.county.name)}人民政府' };\n`,
        });
      }
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<ul id="infolist" class="list"></ul>
<div id="pager" class="pager"></div></div>
<script src="/js/webBuilderCommon.js"></script>
<script>
(function () {
  var categorynum = '${catnum(col)}';
  var m = /[?&]pageIndex=(\\d+)/.exec(location.search);
  var pageIndex = m ? parseInt(m[1], 10) : 1;
  var pageSize = ${pageSize};
  fetch(siteInfo.projectName + '/rest/lightfrontaction/getgovinfolist', {
    method: 'POST', headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ siteGuid: siteInfo.siteGuid, categorynum: categorynum, deptcode: '', pageIndex: pageIndex - 1, pageSize: pageSize })
  }).then(function (r) { return r.json(); }).then(function (res) {
    var d = res.custom, ul = document.getElementById('infolist');
    d.data.forEach(function (it) {
      var li = document.createElement('li');
      li.innerHTML = '<a href="' + it.infourl + '" target="_blank" title="' + it.title + '">' + it.title + '</a><span>' + it.infodate + '</span>';
      ul.appendChild(li);
    });
    var pages = Math.ceil(d.total / pageSize), html = '';
    for (var i = 1; i <= pages; i++) html += i === pageIndex ? '<span class="current">' + i + '</span> ' : '<a href="?pageIndex=' + i + '">' + i + '</a> ';
    document.getElementById('pager').innerHTML = html;
  });
})();
</script>`;
      b.register(`${col.base}/xxgk/${col.slug}/index.html`, {
        kind: 'page',
        html: b.page({ title: col.name, breadcrumb: col.breadcrumb, main, meta: { ColumnName: col.name } }),
      });
    },
    article: { bodyClass: 'ewb-article-info', infoStyle: 'table' },
  };
}
