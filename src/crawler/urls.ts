// URL helpers. The dedup key ignores scheme and a leading `www.` because county portals serve the same
// document over http and https and with and without `www` (docs/site-families.md §3, duplicates).

const ATTACHMENT_EXT = /\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z)$/i;

/** Fragments that route a single-page app (`#/list`, `#!/x`, gkmlpt `#123`) are part of the page's identity. */
export function isRouteFragment(hash: string): boolean {
  return /^#(\/|!|\d+$)/.test(hash);
}

/** Resolves an href against a base; null for javascript:, mailto:, tel:, data: and malformed links. */
export function resolveHref(href: string | undefined | null, base: string): string | null {
  if (!href) return null;
  const h = href.trim().replace(/[\r\n\t]/g, '');
  if (!h || /^(javascript|mailto|tel|data|about|vbscript):/i.test(h) || h === '#') return null;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return normaliseUrl(u.href);
  } catch {
    return null;
  }
}

/** Canonical fetchable form: no plain fragment, lower-case host, default port dropped. */
export function normaliseUrl(url: string): string {
  const u = new URL(url);
  if (!isRouteFragment(u.hash)) u.hash = '';
  u.hostname = u.hostname.toLowerCase();
  return u.href;
}

/** Dedup key: scheme- and www-insensitive. */
export function urlKey(url: string): string {
  const u = new URL(normaliseUrl(url));
  const host = u.host.replace(/^www\./, '');
  return `${host}${u.pathname}${u.search}${u.hash}`;
}

export function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

/**
 * The allow list: scheme, host and port. An entry is a host (`xxgk.a.gov.cn`), a host with a port
 * (`127.0.0.1:8001`) or a URL (`http://127.0.0.1:8001/zwgk/`). Only http(s) is fetched; a host named without
 * a port allows its default ports only (80 for http, 443 for https), so a link or redirect to
 * `http://<allowed host>:6379/` (Redis, an admin console) is refused; a named port allows that port only.
 * `www.` variants of each host are allowed too.
 */
export function makeHostFilter(entries: string[]): (url: string) => boolean {
  const ports = new Map<string, Set<string>>(); // host → allowed ports ('' = the scheme's default)
  for (const e of entries) {
    const { host, port } = parseHostEntry(e);
    for (const h of [host, host.startsWith('www.') ? host.slice(4) : `www.${host}`]) {
      let set = ports.get(h);
      if (!set) ports.set(h, (set = new Set()));
      set.add(port);
    }
  }
  return (url: string) => {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
      return ports.get(u.hostname.toLowerCase())?.has(u.port) ?? false;
    } catch {
      return false;
    }
  };
}

/** `host`, `host:port`, `[v6]:port` or a URL → host and port ('' when none is named or it is the default). */
export function parseHostEntry(entry: string): { host: string; port: string } {
  const e = entry.trim();
  const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : `http://${e}`);
  return { host: u.hostname.toLowerCase(), port: u.port };
}

export function looksLikeAttachmentUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (ATTACHMENT_EXT.test(u.pathname)) return true;
    if (/downfile\.jsp|download\.(jsp|do|aspx?|php)|\/attach(ment)?s?\//i.test(u.pathname)) return true;
    // Hanweb's downfile.jsp and GUID endpoints carry the real name in the query.
    return (
      ATTACHMENT_EXT.test(decodeURIComponentSafe(u.search.replace(/[&?]/g, ' ').split(/[ =]/).pop() ?? '')) ||
      /filename=[^&]*\.(pdf|docx?|wps|xlsx?|ofd)/i.test(u.search)
    );
  } catch {
    return false;
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
