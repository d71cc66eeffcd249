// Plain static generator of small-vendor sites (docs/site-families.md §2 F): `index.html`, `index_2.html` …
// linked with ordinary <a> pagers; often GBK declared only in <meta>.
import type { Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import type { Column, Family } from './types.ts';

export function createStatic(): Family {
  const dir = (col: Column) => `${col.base}/html/${col.slug}/`;
  const pageName = (k: number) => (k === 1 ? 'index.html' : `index_${k}.html`);
  return {
    id: 'static',
    homePath: '/index.html',
    columnUrl: (col) => `${dir(col)}index.html`,
    articleUrl: (col, date, id) => `${dir(col)}${date.slice(0, 4)}/${date.slice(5, 7)}${date.slice(8, 10)}/${id}.html`,
    attachment(articleUrl: string, date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const path = `/uploadfiles/${date.slice(0, 7).replace('-', '')}/${id}${rng.int(10, 99)}.${ext}`;
      return { href: path, servedUrl: `${origin}${path}`, aliases: [] };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      const pages = Math.max(1, Math.ceil(entries.length / pageSize));
      for (let k = 1; k <= pages; k++) {
        const slice = entries.slice((k - 1) * pageSize, k * pageSize);
        const items = slice.map(
          (e) =>
            `<tr><td class="dot">·</td><td><a href="${new URL(e.href).pathname}" target="_blank">${escapeHtml(e.title)}</a></td><td class="date">[${e.date}]</td></tr>`,
        );
        const nav = [
          k > 1 ? `<a href="${pageName(1)}">首页</a> <a href="${pageName(k - 1)}">上一页</a>` : '首页 上一页',
          k < pages ? `<a href="${pageName(k + 1)}">下一页</a> <a href="${pageName(pages)}">尾页</a>` : '下一页 尾页',
          `共${entries.length}条 第${k}/${pages}页`,
        ].join(' ');
        const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
<table class="list" width="100%">
${items.join('\n')}
</table>
<div class="pages">${nav}</div></div>`;
        b.register(`${dir(col)}${pageName(k)}`, { kind: 'page', html: b.page({ title: col.name, breadcrumb: col.breadcrumb, main }) });
      }
    },
    article: { bodyClass: 'content', infoStyle: 'none' },
  };
}
