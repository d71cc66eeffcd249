// The national simulated web, built lazily: the site list is computed up front (cheap), a site's pages are
// built on the first request to one of its hosts and dropped again when more than `cacheSites` sites are held
// (least recently used first). Building is a pure function of (seed, site), so a dropped site comes back
// byte-identical. Each site also gets a news column of 60–1,800 articles generated per request from the URL.
import { hashString } from '../random.ts';
import { escapeHtml } from '../reports/render-html.ts';
import { buildSite, routeKey, type BuiltSite } from '../sites/build.ts';
import { shortName } from '../sites/catalog.ts';
import { layout, linkList, type NavLinks } from '../sites/chrome.ts';
import type { ManifestDecoy, ManifestReport, Route, SimSiteInfo, SiteContext } from '../sites/types.ts';
import { nationalSites, type NationalSite } from './catalog.ts';

export interface NationalWorldOptions {
  /** sites whose pages stay in memory at once (default 96) */
  cacheSites?: number;
}

const NEWS_PAGE_SIZE = 20;

export class NationalWorld {
  readonly sites: NationalSite[];
  readonly infos: SimSiteInfo[];
  private readonly byId = new Map<string, NationalSite>();
  private readonly byHost = new Map<string, NationalSite[]>();
  private readonly built = new Map<string, BuiltSite>();
  private readonly platforms = new Map<string, BuiltSite>();
  private readonly cacheSites: number;
  /** how many site builds ran (a site dropped and requested again is built again) */
  builds = 0;
  evictions = 0;
  buildMs = 0;

  constructor(
    readonly seed: number,
    n: number,
    opts: NationalWorldOptions = {},
  ) {
    this.cacheSites = Math.max(1, opts.cacheSites ?? 96);
    this.sites = nationalSites(seed, n);
    this.infos = this.sites.map((s) => s.info);
    for (const s of this.sites) {
      this.byId.set(s.info.id, s);
      for (const h of new Set([s.info.host, ...s.info.allowHosts])) {
        const list = this.byHost.get(h);
        if (list) list.push(s);
        else this.byHost.set(h, [s]);
      }
    }
  }

  hosts(): string[] {
    return [...this.byHost.keys()];
  }

  /** hosts serving more than one site (city disclosure platforms) → the site ids on them */
  sharedHosts(): Map<string, string[]> {
    return new Map([...this.byHost].filter(([, l]) => l.length > 1).map(([h, l]) => [h, l.map((s) => s.info.id)]));
  }

  /** The site answering for this host and URL: on a shared platform host, the one whose path prefix matches. */
  resolve(url: URL): BuiltSite | undefined {
    const host = url.hostname.toLowerCase();
    const list = this.byHost.get(host);
    if (!list) return undefined;
    if (list.length === 1) return this.site(list[0]!.info.id);
    const first = url.pathname.split('/')[1] ?? '';
    const owner = list.find((s) => s.info.id === first);
    if (owner) return this.site(owner.info.id);
    // root-relative URLs of a county page on the shared host (attachments under /uploadfiles/): whoever has the route
    for (const s of list) {
      const b = this.site(s.info.id);
      if (b.routes.has(routeKey(url)) || b.routes.has(routeKey(url, false))) return b;
    }
    return this.platformSite(host, list);
  }

  /** Built pages of one site (from the cache, or built now). */
  site(id: string): BuiltSite {
    const hit = this.built.get(id);
    if (hit) {
      this.built.delete(id);
      this.built.set(id, hit);
      return hit;
    }
    const ns = this.byId.get(id);
    if (!ns) throw new Error(`sim: no national site ${id}`);
    const t0 = performance.now();
    const b = this.buildNational(ns);
    this.buildMs += performance.now() - t0;
    this.builds++;
    this.built.set(id, b);
    while (this.built.size > this.cacheSites) {
      this.built.delete(this.built.keys().next().value!);
      this.evictions++;
    }
    return b;
  }

  get cachedSites(): number {
    return this.built.size;
  }

  /** Ground truth of some sites (builds them; drops them again unless they were cached). */
  truth(ids: Iterable<string>): { reports: ManifestReport[]; decoys: ManifestDecoy[] } {
    const reports: ManifestReport[] = [];
    const decoys: ManifestDecoy[] = [];
    for (const id of ids) {
      const b = this.built.get(id) ?? this.buildNational(this.byId.get(id) ?? fail(id));
      reports.push(...b.reports);
      decoys.push(...b.decoys);
    }
    return { reports, decoys };
  }

  private buildNational(ns: NationalSite): BuiltSite {
    const b = buildSite(ns.county, this.seed, {
      soft404: ns.soft404,
      robotsPrivate: false,
      nbLayout: ns.nbLayout,
      mix: ns.mix,
      ...(ns.platformBase ? { platformBase: ns.platformBase } : {}),
    });
    // the configured info (allow-list, code) is the catalog's: the same fields, computed without building
    const info = { ...b.info, allowHosts: ns.info.allowHosts };
    const news = newsColumn(ns, info);
    // the home page links the news column (工作动态 更多), which holds most of the site's pages
    for (const path of ['/', '/index.html', '/index.shtml']) {
      const key = routeKey(new URL(`http://${info.host}${path}`));
      const home = b.routes.get(key);
      if (home?.kind === 'page')
        b.routes.set(key, {
          ...home,
          html: home.html.replace(
            '<div class="news"><h2>政务要闻</h2>',
            '<div class="news"><h2>政务要闻 <a class="more" href="/xwdt/index.html">更多</a></h2>',
          ),
        });
    }
    return { ...b, info, quirks: ns.quirks, fallback: news };
  }

  /** The shared platform's own pages: an index of the counties on it, robots.txt, 404 for the rest. */
  private platformSite(host: string, list: NationalSite[]): BuiltSite {
    let p = this.platforms.get(host);
    if (p) return p;
    const items = list.map((s) => `<li><a href="/${s.info.id}/">${escapeHtml(s.info.name)}</a></li>`).join('');
    const routes = new Map<string, Route>([
      [
        `${host}/`,
        {
          kind: 'page',
          html: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开平台</title></head><body><h1>政府信息公开平台</h1><ul>${items}</ul></body></html>`,
        },
      ],
      [`${host}/robots.txt`, { kind: 'raw', contentType: 'text/plain', body: 'User-agent: *\nDisallow: /search/\n' }],
    ]);
    p = {
      info: list[0]!.info,
      hosts: [host],
      routes,
      reports: [],
      decoys: [],
      notFound: {
        kind: 'raw',
        status: 404,
        contentType: 'text/html',
        body: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>',
      },
    };
    this.platforms.set(host, p);
    return p;
  }
}

function fail(id: string): never {
  throw new Error(`sim: no national site ${id}`);
}

const NEWS_TOPICS = [
  '召开常务会议',
  '开展安全生产大检查',
  '推进乡村振兴工作',
  '召开防汛工作部署会',
  '举行重点项目集中开工仪式',
  '开展政务公开专题培训',
  '召开优化营商环境推进会',
  '部署森林防火工作',
  '召开民生实事推进会',
  '开展文明城市创建督查',
];

/** Dates of the news column, newest first: article i was published i × ~2 days before 2025-01-20. */
function newsDate(i: number): string {
  const d = new Date(Date.UTC(2025, 0, 20) - i * 2 * 86400000 - (i % 3) * 3600000);
  return d.toISOString().slice(0, 10);
}

/** The news column of a national site, generated per request: `/xwdt/index.html`, `index_N.html`, articles. */
function newsColumn(ns: NationalSite, info: SimSiteInfo): (url: URL) => Route | undefined {
  const host = info.host;
  const homeBase = `http://${host}`;
  const ctx: SiteContext = { county: ns.county, info, platformBase: ns.platformBase ?? homeBase, homeBase };
  const nav: NavLinks = {
    home: `${homeBase}/`,
    about: `${homeBase}/zjxx/index.html`,
    zwgk: `${homeBase}/zwgk/index.html`,
    service: `${homeBase}/zwfw/index.html`,
    interact: `${homeBase}/hdjl/index.html`,
    sitemap: `${homeBase}/wzdt/index.html`,
  };
  const total = ns.newsArticles;
  const pages = Math.max(1, Math.ceil(total / NEWS_PAGE_SIZE));
  const idOf = (i: number) => 1_000_000 + i * 17 + (hashString(`${info.id}:${i}`) % 17);
  const urlOf = (i: number) => `/xwdt/${newsDate(i).slice(0, 7).replace('-', '')}/${idOf(i)}.html`;
  const titleOf = (i: number) => `${shortName(ns.county.name)}${NEWS_TOPICS[hashString(`${info.id}:t${i}`) % NEWS_TOPICS.length]}`;
  const crumb: [string, string | null][] = [
    ['首页', nav.home],
    ['工作动态', null],
  ];
  return (url: URL) => {
    if (url.hostname.toLowerCase() !== host) return undefined;
    const list = /^\/xwdt\/index(?:_(\d+))?\.html$/.exec(url.pathname);
    if (list) {
      const k = list[1] ? Number(list[1]) : 1;
      if (k < 1 || k > pages || list[1] === '1') return undefined;
      const name = (n: number) => (n === 1 ? 'index.html' : `index_${n}.html`);
      const items = [];
      for (let i = (k - 1) * NEWS_PAGE_SIZE; i < Math.min(total, k * NEWS_PAGE_SIZE); i++)
        items.push({ href: urlOf(i), text: titleOf(i), date: newsDate(i) });
      const pager = `${k > 1 ? `<a href="${name(k - 1)}">上一页</a> ` : ''}${k < pages ? `<a href="${name(k + 1)}">下一页</a> ` : ''}共${total}条 第${k}/${pages}页`;
      return {
        kind: 'page',
        html: layout(ctx, nav, {
          title: '工作动态',
          breadcrumb: crumb,
          main: `<div class="list-right"><div class="list-title">工作动态</div>${linkList(items)}<div class="pages">${pager}</div></div>`,
        }),
      };
    }
    const art = /^\/xwdt\/(\d{6})\/(\d+)\.html$/.exec(url.pathname);
    if (!art) return undefined;
    const id = Number(art[2]);
    const i = Math.floor((id - 1_000_000) / 17);
    if (i < 0 || i >= total || idOf(i) !== id || urlOf(i) !== url.pathname) return undefined;
    const title = titleOf(i);
    const body = [0, 1, 2, 3]
      .map(
        (p) =>
          `<p>${escapeHtml(`${newsDate(i)}，${ns.county.name}${NEWS_TOPICS[(hashString(`${info.id}:${i}:${p}`) >>> 3) % NEWS_TOPICS.length]}，会议强调要抓好各项工作落实。`)}</p>`,
      )
      .join('');
    return {
      kind: 'page',
      html: layout(ctx, nav, {
        title,
        breadcrumb: [...crumb.slice(0, 1), ['工作动态', '/xwdt/index.html'], [title, null]],
        main: `<div class="article"><h1>${escapeHtml(title)}</h1><div class="info">发布时间：${newsDate(i)} 来源：${escapeHtml(ns.county.name)}人民政府办公室</div><div class="content">${body}</div></div>`,
        meta: { ArticleTitle: title, PubDate: newsDate(i), ColumnName: '工作动态' },
      }),
    };
  };
}
