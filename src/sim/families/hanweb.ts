// Hanweb 大汉 jcms (docs/site-families.md §2 A): the column page embeds only the first group of records in a
// <script type="text/xml"> datastore; later records come from /module/web/jpage/dataproxy.jsp as XML.
import type { Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import type { Family, ListEntry } from './types.ts';

export const DATAPROXY_PATH = '/module/web/jpage/dataproxy.jsp';

const recordXml = (e: ListEntry, base: string) => {
  const href = e.href.startsWith(base) ? e.href.slice(base.length) : e.href;
  return `<record><![CDATA[<li><a href="${href}" target="_blank" title="${escapeHtml(e.title)}">${escapeHtml(e.title)}</a><span class="bt-data-time">${e.date}</span></li>]]></record>`;
};

// A browser runs this; it renders the inline group and fetches later pages from dataproxy.jsp.
const JPAGE_JS = `(function () {
  window.HanwebPager = function (o) {
    var box = document.getElementById(o.boxId);
    var xml = box.querySelector('script[type="text/xml"]').textContent;
    function records(text) { var out = []; var re = /<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>/g; var m; while ((m = re.exec(text))) { if (m[1].indexOf('<li') === 0) out.push(m[1]); } return out; }
    var ul = document.createElement('ul'); ul.className = 'list'; box.appendChild(ul);
    var pager = document.createElement('div'); pager.className = 'default_pgContainer'; box.appendChild(pager);
    function show(list, page) {
      ul.innerHTML = list.join('');
      var pages = Math.ceil(o.totalRecord / o.perpage), html = '共' + o.totalRecord + '条 ' + page + '/' + pages + '页 ';
      for (var i = 1; i <= pages; i++) html += i === page ? '<span>' + i + '</span> ' : '<a href="javascript:void(0)" data-page="' + i + '">' + i + '</a> ';
      pager.innerHTML = html;
    }
    pager.addEventListener('click', function (ev) {
      var p = ev.target.getAttribute && ev.target.getAttribute('data-page'); if (!p) return;
      var page = parseInt(p, 10), start = (page - 1) * o.perpage + 1, end = page * o.perpage;
      var body = 'col=1&appid=1&webid=' + o.webid + '&path=%2F&columnid=' + o.columnid + '&sourceContentType=1&unitid=' + o.unitid + '&webname=' + encodeURIComponent(o.webname) + '&permissiontype=0';
      fetch(o.proxyUrl + '?startrecord=' + start + '&endrecord=' + end + '&perpage=' + o.perpage, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body })
        .then(function (r) { return r.text(); }).then(function (t) { show(records(t), page); });
    });
    show(records(xml), 1);
  };
})();`;

function parseForm(body: string): URLSearchParams {
  try {
    return new URLSearchParams(body);
  } catch {
    return new URLSearchParams();
  }
}

export function createHanweb(webid: number, webname: string): Family {
  // columnid → entries, filled by renderList; one dataproxy endpoint per host serves every column
  const columns = new Map<string, { entries: ListEntry[]; perpage: number; unitid: number; base: string }>();
  const unitToColumn = new Map<string, string>();
  const registeredProxy = new Set<string>();

  const dataproxy = (req: SimRequest): Route => {
    const q = req.url.searchParams;
    const form = req.method === 'POST' ? parseForm(req.body) : new URLSearchParams();
    const get = (k: string) => form.get(k) ?? q.get(k);
    const colId = get('columnid') ?? unitToColumn.get(get('unitid') ?? '');
    const col = colId ? columns.get(colId) : undefined;
    if (!col) {
      return {
        kind: 'raw',
        status: 200,
        contentType: 'text/xml; charset=utf-8',
        body: '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord><totalpage>0</totalpage><recordset></recordset></datastore>',
      };
    }
    const perpage = Math.min(300, Math.max(1, Number(get('perpage') ?? col.perpage) || col.perpage));
    let start: number, end: number;
    const page = get('page');
    if (q.get('startrecord') && q.get('endrecord')) {
      start = Math.max(1, Number(q.get('startrecord')) || 1);
      end = Math.max(start, Number(q.get('endrecord')) || start);
    } else {
      const n = Math.max(1, Number(page ?? 1) || 1);
      start = (n - 1) * perpage + 1;
      end = n * perpage;
    }
    const slice = col.entries.slice(start - 1, end);
    const total = col.entries.length;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>${total}</totalrecord>
<totalpage>${Math.ceil(total / perpage)}</totalpage>
<recordset>
${slice.map((e) => recordXml(e, col.base)).join('\n')}
</recordset>
</datastore>`;
    return { kind: 'raw', contentType: 'text/xml; charset=utf-8', body: xml };
  };

  return {
    id: 'hanweb',
    homePath: '/index.html',
    columnUrl: (col) => `${col.base}/col/col${col.colId}/index.html`,
    articleUrl: (col, date, id) => {
      const [y, m, d] = date.split('-').map(Number);
      return `${col.base}/art/${y}/${m}/${d}/art_${col.colId}_${id}.html`;
    },
    attachment(articleUrl: string, _date: string, _id: number, ext: string, showname: string, rng: Rng) {
      const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
      const base = new URL(articleUrl).origin;
      const down = `/module/download/downfile.jsp?classid=0&filename=${hex}.${ext}&showname=${encodeURIComponent(showname)}`;
      // the builder registers each alias as a 302 to servedUrl
      return { href: down, servedUrl: `${base}/attach/0/${hex}.${ext}`, aliases: [`${base}${down}`] };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      const unitid = col.colId * 3 + 7;
      columns.set(String(col.colId), { entries, perpage: pageSize, unitid, base: col.base });
      unitToColumn.set(String(unitid), String(col.colId));
      if (!registeredProxy.has(col.base)) {
        registeredProxy.add(col.base);
        b.register(`${col.base}${DATAPROXY_PATH}`, { kind: 'dynamic', handle: dataproxy });
        b.register(`${col.base}/module/web/jpage/jpage.js`, {
          kind: 'raw',
          contentType: 'application/javascript; charset=utf-8',
          body: JPAGE_JS,
        });
      }
      const first = entries.slice(0, pageSize);
      const nextgroup = `<a href="${DATAPROXY_PATH}?page=2&appid=1&webid=${webid}&path=/&columnid=${col.colId}&unitid=${unitid}&webname=${encodeURIComponent(webname)}&permissiontype=0"></a>`;
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<div id="${unitid}"><script type="text/xml"><datastore><nextgroup><![CDATA[${nextgroup}]]></nextgroup><recordset>
${first.map((e) => recordXml(e, col.base)).join('\n')}
</recordset></datastore></script></div>
<script src="/module/web/jpage/jpage.js"></script>
<script>
var unitid = '${unitid}'; var webid = '${webid}'; var columnid = '${col.colId}'; var totalRecord = ${entries.length}; var perpage = ${pageSize};
var proxyUrl = '${DATAPROXY_PATH}';
HanwebPager({ boxId: '${unitid}', proxyUrl: proxyUrl, columnid: columnid, unitid: unitid, webid: webid, webname: '${webname}', perpage: perpage, totalRecord: totalRecord });
</script></div>`;
      b.register(`${col.base}/col/col${col.colId}/index.html`, {
        kind: 'page',
        html: b.page({ title: col.name, breadcrumb: col.breadcrumb, main, meta: { ColumnName: col.name } }),
      });
      b.register(`${col.base}/col/col${col.colId}/`, { kind: 'redirect', location: `/col/col${col.colId}/index.html`, status: 302 });
    },
    article: { hanwebMarkers: true, bodyClass: 'bt-article', infoStyle: 'table' },
  };
}
