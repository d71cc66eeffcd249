// TRS WCM static publishing (docs/site-families.md §2 B): lists are static files whose pager is written by
// createPageHTML(count, current, "index", "shtml") — no <a> to page 2 exists in the HTML.
import type { Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import type { Column, Family, ListEntry } from './types.ts';

const CREATE_PAGE_HTML = `<script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  var name = function (i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  if (nCurrIndex == 0) document.write("<span class=\\"disabled\\">首页</span> <span class=\\"disabled\\">上一页</span> ");
  else document.write("<a href=\\"" + name(0) + "\\">首页</a> <a href=\\"" + name(nCurrIndex - 1) + "\\">上一页</a> ");
  for (var i = 0; i < _nPageCount; i++) {
    if (i == nCurrIndex) document.write("<span class=\\"current\\">" + (i + 1) + "</span> ");
    else document.write("<a href=\\"" + name(i) + "\\">" + (i + 1) + "</a> ");
  }
  if (nCurrIndex == _nPageCount - 1) document.write("<span class=\\"disabled\\">下一页</span> <span class=\\"disabled\\">尾页</span>");
  else document.write("<a href=\\"" + name(nCurrIndex + 1) + "\\">下一页</a> <a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>");
}
</script>`;

const compact = (d: string) => d.replace(/-/g, '');

export function createTrs(prefix = '/zwgk'): Family {
  const dir = (col: Column) => `${col.base}${prefix}/${col.slug}/`;
  return {
    id: 'trs',
    homePath: '/index.shtml',
    columnUrl: (col) => `${dir(col)}index.shtml`,
    articleUrl: (col, date, id) => `${dir(col)}${compact(date).slice(0, 6)}/t${compact(date)}_${id}.shtml`,
    attachment(articleUrl: string, date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const file = `P0${compact(date)}${String(id).slice(-4)}${rng.int(100000, 999999)}.${ext}`;
      const base = articleUrl.slice(0, articleUrl.lastIndexOf('/') + 1);
      // OLDSRC points at a /protect/ path that 404s (Guizhou); only href resolves
      return { href: `./${file}`, servedUrl: `${base}${file}`, aliases: [], oldsrc: `/protect/P0${compact(date)}/${file}` };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      const pages = Math.max(1, Math.ceil(entries.length / pageSize));
      const colDir = dir(col);
      const rel = (e: ListEntry) => (e.href.startsWith(colDir) ? `./${e.href.slice(colDir.length)}` : e.href);
      for (let k = 0; k < pages; k++) {
        const slice = entries.slice(k * pageSize, (k + 1) * pageSize);
        const items = slice.map(
          (e) =>
            `<li><a href="${rel(e)}" target="_blank" title="${escapeHtml(e.title)}">${escapeHtml(e.title)}</a><span class="date">${e.date}</span></li>`,
        );
        const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<ul class="list">
${items.join('\n')}
</ul>
<div class="page">${CREATE_PAGE_HTML}<script>createPageHTML(${pages}, ${k}, "index", "shtml");</script></div></div>`;
        const url = k === 0 ? `${colDir}index.shtml` : `${colDir}index_${k}.shtml`;
        b.register(url, {
          kind: 'page',
          html: b.page({ title: col.name, breadcrumb: col.breadcrumb, main, meta: { ColumnName: col.name, ColumnType: '列表' } }),
        });
      }
      b.register(colDir, { kind: 'redirect', location: `${colDir}index.shtml`, status: 302 });
    },
    article: { bodyClass: 'TRS_Editor', infoStyle: 'table' },
  };
}
