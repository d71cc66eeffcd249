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

/** Allowed host set: exact host names; `www.` variants of each are allowed too. */
export function makeHostFilter(hosts: string[]): (url: string) => boolean {
  const set = new Set<string>();
  for (const h of hosts) {
    const host = h.toLowerCase().replace(/^https?:\/\//, '').replace(/[/:].*$/, '');
    set.add(host);
    set.add(host.startsWith('www.') ? host.slice(4) : `www.${host}`);
  }
  return (url: string) => {
    try {
      return set.has(hostOf(url));
    } catch {
      return false;
    }
  };
}

export function looksLikeAttachmentUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (ATTACHMENT_EXT.test(u.pathname)) return true;
    if (/downfile\.jsp|download\.(jsp|do|aspx?|php)|\/attach(ment)?s?\//i.test(u.pathname)) return true;
    // Hanweb's downfile.jsp and GUID endpoints carry the real name in the query.
    return ATTACHMENT_EXT.test(decodeURIComponentSafe(u.search.replace(/[&?]/g, ' ').split(/[ =]/).pop() ?? ''))
      || /filename=[^&]*\.(pdf|docx?|wps|xlsx?|ofd)/i.test(u.search);
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
