import type { Site, SiteList } from '../schema/site-config.ts';

// Sites named by URL on the command line (`nianbao crawl --site http://127.0.0.1:8001/ --site …`). A site's
// id keys its crawl job, its archive rows and its stats, so ids made from URLs carry everything that tells
// two sites apart: host, a non-default port and the path (several sites on one host, on different ports or
// under different paths such as /zwgk/ and /bmxxgk/).

/** `http://127.0.0.1:8001/zwgk/` → `127-0-0-1-8001-zwgk`; `https://www.x.gov.cn/` → `x-gov-cn`. */
export function siteIdFromUrl(url: string): string {
  const u = new URL(url);
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const id = slug([host, u.port, pathOf(u)].join('-'));
  return /^[a-z0-9]/.test(id) ? id : `site-${id || 'x'}`;
}

/** The path a home stands for, decoded; an index document names its directory. */
function pathOf(u: URL): string {
  let path = u.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep the escapes */
  }
  return path.replace(/\/(index|default)\.\w+$/i, '/');
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Origin and path of a home URL, the identity of a site on its host. */
function homeKey(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host.replace(/^www\./, '')}${u.pathname.replace(/\/(index|default)\.\w+$/i, '/')}`;
}

/**
 * The sites `--site` values stand for: an id from the list, or a home URL. A URL whose host and port
 * belong to a listed site reuses its settings (name, region, allowed hosts) with the URL as its home;
 * if it points at another path than the listed home, it gets an id of its own. Anything else becomes an
 * ad-hoc site. Ids never collide: a repeated id gets a numeric suffix. Unknown ids throw `UnknownSiteId`.
 */
export function sitesFromArgs(list: SiteList, wanted: string[] | undefined): Site[] {
  if (!wanted?.length) return list.sites;
  const used = new Set<string>();
  const unique = (id: string) => {
    let out = id;
    for (let n = 2; used.has(out); n++) out = `${id}-${n}`;
    used.add(out);
    return out;
  };
  const out: Site[] = [];
  const seenHomes = new Set<string>();
  for (const w of wanted) {
    const byId = list.sites.find((s) => s.id === w);
    if (byId) {
      if (!used.has(byId.id)) out.push({ ...byId, id: unique(byId.id) });
      continue;
    }
    if (!/^https?:\/\//i.test(w))
      throw new UnknownSiteId(
        w,
        list.sites.map((s) => s.id),
      );
    const u = new URL(w);
    if (seenHomes.has(homeKey(u.href))) continue; // the same site named twice
    seenHomes.add(homeKey(u.href));
    const hostPort = u.host.replace(/^www\./, '');
    const byHost = list.sites.find((s) => new URL(s.home).host.replace(/^www\./, '') === hostPort);
    if (byHost) {
      const same = homeKey(byHost.home) === homeKey(u.href);
      out.push({ ...byHost, id: unique(same ? byHost.id : `${byHost.id}-${slug(pathOf(u)) || 'home'}`), home: u.href });
      continue;
    }
    out.push({ id: unique(siteIdFromUrl(u.href)), name: u.host, regionCode: '000000', home: u.href, allowHosts: [], maxPages: 400 });
  }
  return out;
}

export class UnknownSiteId extends Error {
  constructor(
    readonly id: string,
    readonly known: string[],
  ) {
    super(`--site ${id}: no site with that id in the config (ids: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})`);
    this.name = 'UnknownSiteId';
  }
}
