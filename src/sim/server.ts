// One loopback HTTP server that is every simulated host (by Host header) and a forward proxy (absolute-form
// request lines, as sent by Crawlee's proxyConfiguration and Playwright's proxy). Hosts that are not simulated
// get 502: the sim never forwards anywhere.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import iconv from 'iconv-lite';
import { AttachmentCache, CONTENT_TYPES } from './attachments.ts';
import { hashString } from './random.ts';
import { routeKey, type BuiltSite } from './sites/build.ts';
import { secureContexts } from './tls.ts';
import { trapFor, trapLinks, trapRedirect, trapScript, type TrapTargets } from './traps.ts';
import net from 'node:net';
import type { Manifest, Route, SimRequest, TlsMode } from './sites/types.ts';

/** Opt-in hostile behaviour (docs/site-families.md §3). Off by default so the plain world stays easy to score. */
export interface SimFaults {
  /** share of URLs whose first request answers 503 (deterministic per URL); retries succeed */
  transient503Rate?: number;
  /** added to every response */
  latencyMs?: number;
  /**
   * site ids whose pages answer 412 with a JS cookie challenge (瑞数 style) until the request carries the
   * cookie the script computes: a browser passes after one reload, a plain HTTP client never does
   */
  challengeSites?: string[];
  /** 403 for requests whose User-Agent is missing or a library's (no `Mozilla/`) */
  requireBrowserUa?: boolean;
  /** per host: more requests than this within one second answer 429 */
  rateLimitPerSecond?: number;
  /**
   * URL paths (exact, e.g. the Epoint list API) whose requests are never answered while this server runs:
   * a host starved of CPU as the crawler sees it (a render's data request that times out)
   */
  stallPaths?: string[];
}

export const CHALLENGE_COOKIE = 'nbsim_clearance';

/** The clearance a challenged host expects; the challenge script derives it without stating it. */
export function challengeToken(seed: number, host: string): string {
  return hashString(`${seed}:challenge:${host}`).toString(36);
}

function challengePage(token: string): string {
  // the token is XOR-ed with a per-page key so a regex on the page does not find it
  const key = 23;
  const codes = [...token].map((c) => c.charCodeAt(0) ^ key);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta content="${Buffer.from(token.repeat(9)).toString('base64')}">
<script r="m">(function(){var k=${key},a=[${codes.join(',')}],v='';for(var i=0;i<a.length;i++)v+=String.fromCharCode(a[i]^k);
document.cookie='${CHALLENGE_COOKIE}='+v+'; path=/';location.reload();})();</script></head><body></body></html>`;
}

function hasCookie(header: string | undefined, name: string, value: string): boolean {
  return (header ?? '').split(';').some((p) => p.trim() === `${name}=${value}`);
}

export interface ServerOptions {
  port: number;
  sites: BuiltSite[];
  manifest: Manifest;
  faults?: SimFaults;
  seed: number;
  /**
   * national world: the site for a URL, built on demand (then `sites` is empty and `manifestJson` answers
   * /__manifest.json, whose reports would need every site built)
   */
  resolve?: (url: URL) => BuiltSite | undefined;
  manifestJson?: (url: URL) => string;
  /** more fields for /__stats.json (the world's build counters) */
  extraStats?: () => Record<string, unknown>;
  /** attachments kept rendered at once (default: all) */
  attachmentCache?: number;
  /**
   * Trap listeners (src/sim/traps.ts): home pages link to them, `/__trap/redirect.html` redirects to one,
   * script-built pages fetch them and aim WebRTC at the UDP one, and the proxy forwards requests for their
   * addresses and ports to them (as a real network would), so a request off the allow list is counted.
   */
  traps?: TrapTargets;
}

/** Per simulated host: what a politeness check needs. */
export interface HostStats {
  requests: number;
  /** the most requests ever in flight at once on this host */
  maxInFlight: number;
  /** the shortest time between the arrivals of two requests on this host (ms; null after one request) */
  minSpacingMs: number | null;
}

export interface SimStats {
  requests: number;
  hosts: Record<string, HostStats>;
  /** the sim process's own cost (meaningful when the sim runs in a process of its own: serve.ts) */
  process: { rssBytes: number; cpuUserMs: number; cpuSystemMs: number; uptimeMs: number };
  [extra: string]: unknown;
}

const MAX_BODY = 1 << 20;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function startServer(
  o: ServerOptions,
): Promise<{ server: http.Server; port: number; stats(): SimStats; close(): Promise<void> }> {
  const byHost = new Map<string, BuiltSite>();
  for (const s of o.sites) for (const h of s.hosts) byHost.set(h, s);
  const attachments = new AttachmentCache(o.attachmentCache);
  // politeness counters per host (loopback /__stats.json)
  const hostStats = new Map<string, HostStats & { inFlight: number; lastAt: number }>();
  let totalRequests = 0;
  // `arrivedAt` is taken when the request is read, before the lazy world builds the site it asks for: a build
  // (hundreds of ms on a busy machine) would otherwise shorten the spacing counted to the next request.
  // NIANBAO_SIM_SPACING_LOG=<ms>: every request that follows the previous one on its host by less than <ms> is
  // printed with both paths (which requests came close, when the counters say some did).
  const logBelowMs = Number(process.env.NIANBAO_SIM_SPACING_LOG) || 0;
  const lastPath = new Map<string, string>();
  const track = (hostname: string, res: http.ServerResponse, arrivedAt: number, path = '') => {
    const now = arrivedAt;
    totalRequests++;
    let h = hostStats.get(hostname);
    if (!h) hostStats.set(hostname, (h = { requests: 0, maxInFlight: 0, minSpacingMs: null, inFlight: 0, lastAt: Number.NaN }));
    h.requests++;
    if (!Number.isNaN(h.lastAt)) h.minSpacingMs = Math.min(h.minSpacingMs ?? Infinity, now - h.lastAt);
    if (logBelowMs && !Number.isNaN(h.lastAt) && now - h.lastAt < logBelowMs)
      console.log(`spacing ${hostname} ${(now - h.lastAt).toFixed(0)} ms in flight ${h.inFlight}: ${lastPath.get(hostname)} → ${path}`);
    if (logBelowMs) lastPath.set(hostname, path);
    h.lastAt = now;
    h.inFlight++;
    h.maxInFlight = Math.max(h.maxInFlight, h.inFlight);
    let done = false;
    const end = () => {
      if (!done) h.inFlight--;
      done = true;
    };
    res.on('finish', end);
    res.on('close', end);
  };
  const started = performance.now();
  const stats = (): SimStats => {
    const cpu = process.cpuUsage();
    return {
      requests: totalRequests,
      hosts: Object.fromEntries(
        [...hostStats].map(([k, v]) => [
          k,
          {
            requests: v.requests,
            maxInFlight: v.maxInFlight,
            minSpacingMs: v.minSpacingMs === null ? null : Math.round(v.minSpacingMs * 10) / 10,
          },
        ]),
      ),
      process: {
        rssBytes: process.memoryUsage.rss(),
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        uptimeMs: performance.now() - started,
      },
      ...(o.extraStats?.() ?? {}),
    };
  };
  const attempts = new Map<string, number>();
  const windows = new Map<string, { start: number; count: number }>();
  const sockets = new Set<Socket>();
  // https: hosts with a TLS behaviour (family sites only); sockets we terminated TLS on, by CONNECT host
  const tlsHosts = new Map<string, TlsMode>();
  for (const s of o.sites) for (const [h, m] of Object.entries(s.info.tls ?? {})) tlsHosts.set(h, m);
  const contexts = tlsHosts.size ? secureContexts() : null;
  const secureSockets = new WeakMap<object, string>();

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string>, body: string | Uint8Array, head: boolean) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    // Validators as county servers send them: a re-crawl's conditional GET of unchanged bytes gets a 304.
    const etag = status === 200 ? `"${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}"` : null;
    if (etag && res.req?.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag, Server: 'nianbao-sim' }).end();
    res.writeHead(status, { ...headers, ...(etag ? { ETag: etag } : {}), 'Content-Length': String(bytes.length), Server: 'nianbao-sim' });
    res.end(head ? undefined : bytes);
  };

  const respond = async (
    res: http.ServerResponse,
    site: BuiltSite,
    route: Route,
    req: SimRequest,
    key: string,
    head: boolean,
  ): Promise<void> => {
    switch (route.kind) {
      case 'page': {
        const gbk = site.info.charset === 'gbk';
        const html = o.traps ? withTraps(o.traps, route.html, req.url, site) : route.html;
        // GBK sites send no charset in the header: only the <meta> says gb2312
        const body = gbk ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
        return send(res, route.status ?? 200, { 'Content-Type': gbk ? 'text/html' : 'text/html; charset=utf-8' }, body, head);
      }
      case 'raw':
        return send(res, route.status ?? 200, { 'Content-Type': route.contentType, ...route.headers }, route.body, head);
      case 'redirect':
        return send(res, route.status ?? 302, { Location: route.location, 'Content-Type': 'text/html' }, '', head);
      case 'document': {
        const bytes = await attachments.get(key, route.docKind, route.model);
        const headers: Record<string, string> = { 'Content-Type': route.contentType ?? CONTENT_TYPES[route.docKind] };
        if (route.disposition) headers['Content-Disposition'] = contentDisposition(route.filename);
        return send(res, 200, headers, bytes, head);
      }
      case 'dynamic':
        return respond(res, site, await route.handle(req), req, key, head);
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const arrivedAt = performance.now();
    const raw = req.url ?? '/';
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
    let target: URL;
    try {
      const tunnelHost = secureSockets.get(req.socket);
      target = absolute
        ? new URL(raw)
        : new URL(tunnelHost ? `https://${tunnelHost}${raw}` : `http://${req.headers.host ?? '127.0.0.1'}${raw}`);
    } catch {
      return send(res, 400, { 'Content-Type': 'text/plain' }, 'bad request target', false);
    }
    const hostname = target.hostname.toLowerCase();
    const head = req.method === 'HEAD';
    const trap = o.traps && absolute ? trapFor(o.traps, target) : null;
    if (trap) return forwardToTrap(req, res, trap);
    if (!absolute && (hostname === '127.0.0.1' || hostname === 'localhost')) {
      if (target.pathname === '/__manifest.json') {
        return send(
          res,
          200,
          { 'Content-Type': 'application/json; charset=utf-8' },
          o.manifestJson ? o.manifestJson(target) : JSON.stringify(o.manifest, null, 1),
          head,
        );
      }
      if (target.pathname === '/__stats.json') {
        if (target.searchParams.has('reset')) {
          hostStats.clear();
          totalRequests = 0;
        }
        return send(res, 200, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(stats()), head);
      }
      const list = o.manifest.sites
        .map((s) => `<li><a href="${s.home}">${s.name}</a> ${s.family} ${s.charset} — ${s.home}</li>`)
        .join('\n');
      return send(
        res,
        200,
        { 'Content-Type': 'text/html; charset=utf-8' },
        `<!DOCTYPE html><meta charset="utf-8"><title>nianbao sim</title><p>Use this server as an HTTP proxy. Seed ${o.seed}. <a href="/__manifest.json">manifest</a></p><ul>${list}</ul>`,
        head,
      );
    }
    const site = byHost.get(hostname) ?? o.resolve?.(target);
    const secure = target.protocol === 'https:' && secureSockets.has(req.socket);
    if (!site || !(target.protocol === 'http:' || secure)) {
      return send(
        res,
        502,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        `nianbao sim: ${hostname} is not a simulated host; nothing is forwarded\n`,
        head,
      );
    }
    // an https front that refuses everything while http works (Xuzhou 生态环境局, docs/site-families.md §2 C)
    if (secure && tlsHosts.get(hostname) === 'forbidden') {
      return send(
        res,
        403,
        { 'Content-Type': 'text/html' },
        '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>',
        head,
      );
    }
    if (o.traps && target.pathname === '/__trap/redirect.html') {
      return send(res, 302, { Location: trapRedirect(o.traps), 'Content-Type': 'text/html' }, '', head);
    }
    track(hostname, res, arrivedAt, target.pathname + target.search);
    if (o.faults?.stallPaths?.includes(target.pathname)) return; // the socket stays open until close()
    const q = site.quirks;
    // a dead host: the connection closes without an answer
    if (q?.down) return void req.socket.destroy();
    const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : '';
    const f = o.faults ?? {};
    const latency = (f.latencyMs ?? 0) + (q?.latencyMs ?? 0);
    if (latency) await new Promise((r) => setTimeout(r, latency));
    const key = routeKey(target);
    const isRobots = target.pathname === '/robots.txt';
    if (f.rateLimitPerSecond) {
      const now = Date.now();
      const w = windows.get(hostname);
      if (!w || now - w.start >= 1000) windows.set(hostname, { start: now, count: 1 });
      else if (++w.count > f.rateLimitPerSecond) {
        return send(res, 429, { 'Content-Type': 'text/html', 'Retry-After': '1' }, '<h1>429 Too Many Requests</h1>', head);
      }
    }
    if (f.requireBrowserUa && !isRobots && !/Mozilla\//.test(String(req.headers['user-agent'] ?? ''))) {
      return send(res, 403, { 'Content-Type': 'text/html' }, '<html><body><h1>403 Forbidden</h1></body></html>', head);
    }
    if (f.challengeSites?.includes(site.info.id) && !isRobots) {
      const token = challengeToken(o.seed, hostname);
      if (!hasCookie(req.headers.cookie, CHALLENGE_COOKIE, token)) {
        return send(
          res,
          412,
          { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': `nbsimS=${token.slice(0, 4)}; Path=/; HttpOnly` },
          challengePage(token),
          head,
        );
      }
    }
    if (q?.challenge && !isRobots) {
      const token = challengeToken(o.seed, hostname);
      if (!hasCookie(req.headers.cookie, CHALLENGE_COOKIE, token)) {
        return send(
          res,
          q.challenge,
          { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': `nbsimS=${token.slice(0, 4)}; Path=/; HttpOnly` },
          challengePage(token),
          head,
        );
      }
    }
    if (q?.flakyRate) {
      // a struggling host: a deterministic share of URLs fails twice before it answers
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (n <= 2 && hashString(`${o.seed}:flaky:${key}`) / 2 ** 32 < q.flakyRate) {
        return send(res, 503, { 'Content-Type': 'text/html' }, '<h1>503 Service Temporarily Unavailable</h1>', head);
      }
    }
    const rate = o.faults?.transient503Rate ?? 0;
    if (rate > 0) {
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (n === 1 && hashString(`${o.seed}:503:${key}`) / 2 ** 32 < rate) {
        return send(res, 503, { 'Content-Type': 'text/html', 'Retry-After': '1' }, '<h1>503 Service Temporarily Unavailable</h1>', head);
      }
    }
    const route = site.routes.get(key) ?? site.routes.get(routeKey(target, false)) ?? site.fallback?.(target) ?? site.notFound;
    const simReq: SimRequest = { method: req.method ?? 'GET', url: target, headers: req.headers, body };
    await respond(res, site, route, simReq, key, head);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, `nianbao sim error: ${String(err)}\n`, false);
      else res.destroy();
    });
  });
  // HTTPS through the proxy is a CONNECT tunnel. Hosts with a TLS behaviour get a tunnel that ends here, in TLS
  // with the sim's test certificates, and then the same routes as over http; every other tunnel is refused.
  server.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    // The tunnel socket is ours: a client that resets it must not raise an unhandled ECONNRESET.
    socket.on('error', () => {});
    const m = /^([^:/]+):(\d+)$/.exec(req.url ?? '');
    const host = m?.[1]?.toLowerCase() ?? '';
    const trap = o.traps && m ? trapFor(o.traps, new URL(`https://${host}:${m[2]}/`)) : null;
    if (trap) {
      const [th, tp] = trap.split(':');
      const up = net.connect(Number(tp), th!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) up.write(head);
        socket.pipe(up).pipe(socket);
      });
      up.on('error', () => socket.destroy());
      return;
    }
    const mode = m?.[2] === '443' ? tlsHosts.get(host) : undefined;
    if (!mode || !contexts) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const secureSocket = new tls.TLSSocket(socket, { isServer: true, secureContext: contexts[mode] });
    secureSocket.on('error', () => socket.destroy());
    secureSockets.set(secureSocket, host);
    server.emit('connection', secureSocket);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Trap links on home pages, the trap script on pages that build themselves with scripts. */
function withTraps(traps: TrapTargets, html: string, url: URL, site: BuiltSite): string {
  const home = new URL(site.info.home);
  const isHome = url.hostname === home.hostname && (url.pathname === home.pathname || /^\/(index\.s?html?)?$/.test(url.pathname));
  const builds = /fetch\(|XMLHttpRequest|\$\.(ajax|post|get|getJSON)\(/.test(html);
  let extra = '';
  if (isHome) extra += trapLinks(traps, url.host);
  if (builds) extra += trapScript(traps, url.host);
  if (!extra) return html;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + extra : html.slice(0, at) + extra + html.slice(at);
}

/** A request for a trap's address or port, passed on as a proxy on a real network would. */
function forwardToTrap(req: http.IncomingMessage, res: http.ServerResponse, trap: string): void {
  const [host, port] = trap.split(':');
  const target = new URL(req.url ?? '/');
  const up = http.request(
    { host, port: Number(port), method: req.method, path: target.pathname + target.search, headers: req.headers },
    (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  req.pipe(up);
}
