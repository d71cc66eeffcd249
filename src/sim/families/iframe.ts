// iframe shells (docs/site-families.md §2 F, 常州/淮安 counties): a column page on the portal holds no list, only an
// <iframe> whose list lives on another host of the site (`xxgk.<domain>`, plain `list.html`, `list_2.html` pager,
// links with target=_top back to the portal); an article page holds no body, only an <iframe> of
// `/iframe/content/<id>.html` on the portal, a bare page that is the article.
import type { Rng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import { articleMain, articleMeta } from '../sites/chrome.ts';
import type { ArticleToPublish, Builder, Column, Family, PublishedArticle } from './types.ts';

const bare = (title: string, body: string, meta: Record<string, string> = {}) => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
${Object.entries(meta)
  .map(([k, v]) => `<meta name="${k}" content="${escapeHtml(v)}">`)
  .join('\n')}
<link rel="stylesheet" href="/css/style.css"></head>
<body class="frame">
${body}
</body></html>`;

const frame = (src: string, id: string, height: number) =>
  `<iframe id="${id}" name="${id}" src="${src}" width="100%" height="${height}" frameborder="0" scrolling="no" onload="this.height=this.contentWindow.document.body.scrollHeight"></iframe>`;

export function createIframe(frameHost: string): Family {
  const dir = (col: Column) => `/zfxxgk/${col.slug}/`;
  const frameBase = `http://${frameHost}`;
  const pageName = (k: number) => (k === 1 ? 'list.html' : `list_${k}.html`);

  return {
    id: 'iframe',
    homePath: '/index.html',
    extraHosts: [frameHost],
    columnUrl: (col) => (col.key === 'platform' ? `${col.base}/zfxxgk/index.html` : `${col.base}${dir(col)}index.html`),
    articleUrl: (col, date, id) => `${col.base}${dir(col)}${date.slice(0, 7).replace('-', '')}/${id}.html`,
    attachment(articleUrl: string, date: string, id: number, ext: string, _showname: string, rng: Rng) {
      const origin = new URL(articleUrl).origin;
      const path = `/uploadfile/${date.slice(0, 4)}/${date.slice(5, 7)}${date.slice(8, 10)}/${id}${rng.int(100, 999)}.${ext}`;
      return { href: path, servedUrl: `${origin}${path}`, aliases: [] };
    },
    renderList(b, col, entries, { pageSize, sidebar }) {
      const pages = Math.max(1, Math.ceil(entries.length / pageSize));
      const listDir = `${frameBase}/${col.slug}/`;
      for (let k = 1; k <= pages; k++) {
        const slice = entries.slice((k - 1) * pageSize, k * pageSize);
        const nav = [
          k > 1 ? `<a href="${pageName(1)}">首页</a> <a href="${pageName(k - 1)}">上一页</a>` : '',
          k < pages ? `<a href="${pageName(k + 1)}">下一页</a> <a href="${pageName(pages)}">尾页</a>` : '',
          `共${entries.length}条 ${k}/${pages}页`,
        ].join(' ');
        const body = `<ul class="list">
${slice.map((e) => `<li><a href="${e.href}" target="_top" title="${escapeHtml(e.title)}">${escapeHtml(e.title)}</a><span>${e.date}</span></li>`).join('\n')}
</ul>
<div class="page">${nav}</div>`;
        b.register(`${listDir}${pageName(k)}`, { kind: 'page', html: bare(col.name, body) });
      }
      const main = `${sidebar ?? ''}<div class="list-right"><div class="list-title">${escapeHtml(col.name)}</div>
${frame(`${listDir}list.html`, 'listFrame', 900)}</div>`;
      b.register(`${col.base}${dir(col)}index.html`, {
        kind: 'page',
        html: b.page({ title: col.name, breadcrumb: col.breadcrumb, main, meta: { ColumnName: col.name } }),
      });
    },
    article: { bodyClass: 'TRS_Editor', infoStyle: 'table' },
    publishArticle(b: Builder, a: ArticleToPublish): PublishedArticle {
      const id = /\/(\d+)\.html$/.exec(a.url)![1];
      const inner = `${new URL(a.url).origin}/iframe/content/${id}.html`;
      b.register(inner, { kind: 'page', html: bare(a.o.title, articleMain(a.o), articleMeta(a.o)) });
      // the outer page names the column, not the article: its <title> is the only hint
      const main = `<div class="article-frame">${frame(`/iframe/content/${id}.html`, 'contentFrame', 1600)}</div>`;
      b.register(a.url, {
        kind: 'page',
        html: b.page({ title: a.o.title, breadcrumb: a.breadcrumb, main, meta: { ColumnName: a.o.columnName } }),
      });
      return { url: inner, framedIn: a.url };
    },
  };
}
