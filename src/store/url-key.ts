/**
 * The identity of a document URL across the copies sites serve it under: no scheme (http/https both
 * appear, docs/site-families.md §3 TLS), no leading `www.`, no default port, no fragment. Path and query are
 * kept as they are: on these CMSs the query often *is* the document id (`?infoGuid=…`, `lmid=`).
 */
export function urlKey(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return url.trim();
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return url.trim();
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const port = u.port ? `:${u.port}` : ''; // URL already drops default ports
  return `${host}${port}${u.pathname}${u.search}`;
}
