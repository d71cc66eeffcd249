// Epoint WebBuilder with showinfo shells (docs/site-families.md §2 C): lists as in the jslist family (an empty
// column shell + the JSON list API), but every article is `/xxgk/showinfo.html?infoGuid=<GUID>&categorynum=…`,
// one static shell whose title, date and body a script fetches by POSTing {infoGuid} to the detail API.
import { createRng } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import type { Route, SimRequest } from '../sites/types.ts';
import { categoryNum, createEpointList, guidOf } from './jslist.ts';
import type { ArticleToPublish, Builder, Family, PublishedArticle } from './types.ts';

export const DETAIL_API_PATH = '/EWB-FRONT/rest/lightfrontaction/getinfodetail';

interface Detail {
  title: string;
  infodate: string;
  source: string;
  indexNo: string;
  content: string;
  attachments: { attachname: string; attachurl: string }[];
}

const json = (body: unknown, status = 200): Route => ({
  kind: 'raw',
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

// One shell for every article: nothing in it depends on the article.
const SHELL_SCRIPT = `<script src="/js/webBuilderCommon.js"></script>
<script>
(function () {
  var m = /[?&]infoGuid=([0-9a-f-]+)/.exec(location.search);
  if (!m) return;
  fetch(siteInfo.projectName + '/rest/lightfrontaction/getinfodetail', {
    method: 'POST', headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ siteGuid: siteInfo.siteGuid, infoGuid: m[1] })
  }).then(function (r) { return r.json(); }).then(function (res) {
    var d = res.custom;
    document.title = d.title;
    document.getElementById('info-title').textContent = d.title;
    document.getElementById('info-date').textContent = '发布时间：' + d.infodate + '　来源：' + d.source;
    document.getElementById('info-index').textContent = d.indexNo;
    document.getElementById('info-content').innerHTML = d.content;
    document.getElementById('info-attach').innerHTML = d.attachments.map(function (a) { return '<p><a href="' + a.attachurl + '">' + a.attachname + '</a></p>'; }).join('');
  });
})();
</script>`;

export function createEpoint(siteGuid: string): Family {
  const list = createEpointList(siteGuid, 'epoint');
  const details = new Map<string, Detail>();
  const served = new Set<string>();

  const detailApi = (req: SimRequest): Route => {
    let params: Record<string, unknown>;
    try {
      const parsed = JSON.parse(req.body || '{}') as Record<string, unknown>;
      params = (parsed.params as Record<string, unknown>) ?? parsed;
    } catch {
      return json({ status: { code: 400, text: 'bad json' } }, 400);
    }
    if (req.method !== 'POST') return json({ status: { code: 405, text: 'POST only' } }, 405);
    const d = details.get(String(params.infoGuid ?? ''));
    if (!d) return json({ custom: null, status: { code: 404, text: '信息不存在' } });
    return json({ custom: d, status: { code: 200, text: '' } });
  };

  const shellPage = (b: Builder, breadcrumb: ArticleToPublish['breadcrumb']) =>
    b.page({
      title: '信息公开',
      breadcrumb: [...breadcrumb.slice(0, -1), ['正文', null]],
      main: `<div class="ewb-article">
<table class="xxgk-table" border="1" cellspacing="0"><tr><th>索引号：</th><td id="info-index"></td></tr></table>
<h1 id="info-title" class="article-title"></h1>
<div id="info-date" class="article-info"></div>
<div id="info-content" class="ewb-article-info"></div>
<div id="info-attach" class="attachments"></div>
</div>`,
      bodyEnd: SHELL_SCRIPT,
    });

  return {
    ...list,
    id: 'epoint',
    articleUrl: (col, _date, id) => `${col.base}/xxgk/showinfo.html?infoGuid=${guidOf(createRng(id))}&categorynum=${categoryNum(col)}`,
    publishArticle(b: Builder, a: ArticleToPublish): PublishedArticle {
      const url = new URL(a.url);
      const guid = url.searchParams.get('infoGuid')!;
      if (!served.has(url.origin)) {
        served.add(url.origin);
        b.register(`${url.origin}${DETAIL_API_PATH}`, { kind: 'dynamic', handle: detailApi });
      }
      details.set(guid, {
        title: a.o.title,
        infodate: a.o.date,
        source: a.o.publisher,
        indexNo: a.o.indexNo,
        content: a.o.bodyHtml,
        attachments: (a.o.attachments ?? []).map((x) => ({ attachname: escapeHtml(x.text), attachurl: x.href })),
      });
      // nothing in the shell names the article: only the API tells articles apart
      b.register(a.url, { kind: 'page', html: shellPage(b, a.breadcrumb) });
      return {
        bodyVia: {
          url: `${url.origin}${DETAIL_API_PATH}`,
          method: 'POST',
          contentType: 'application/json;charset=UTF-8',
          body: JSON.stringify({ siteGuid, infoGuid: guid }),
        },
      };
    },
  };
}
