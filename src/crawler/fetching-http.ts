import { createHash } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { gotScraping } from 'crawlee';
import { gateKey, type HostGate, type HostLimits } from './host-gate.ts';

// Fetching, the wire: one HTTP exchange at a time through the per-host politeness gate (concurrency cap and
// spacing of request starts, per host across sites and processes: host-gate.ts; Crawlee has no per-host
// limits, crawlee-python#1263), cookies from the crawl's
// session, no redirect following (fetching.ts checks every hop against the allowed hosts). This is the one
// place a request leaves the crawler, so conditional headers and the like belong here.

export interface RawResponse {
  requestedUrl: string;
  finalUrl: string;
  status: number; // 0 = no response (network error, timeout)
  headers: Record<string, string>;
  body: Buffer | null;
  fetchedAt: string;
  error?: string;
  /** The server said 304: `body` is the archived snapshot with this sha256 (recorded as a 304 fetch). */
  notModified?: string;
  /** Nothing was requested: `body` is the archived snapshot with this sha256 (recent enough to reuse). */
  reused?: string;
}

// Kept here for the stages that sleep between retries and renders.
export { sleep } from './host-gate.ts';

export const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface RequestSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  form?: Record<string, string>;
  body?: string;
}

export interface FetcherOptions {
  proxyUrl?: string;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  gate: HostGate;
  /** This site's per-host limits (the gate applies the strictest of every site using the host). */
  limits?: HostLimits;
  signal?: AbortSignal;
  cookies: CookieJar;
}

/** The crawl's cookies (a Crawlee Session's jar): read before each request, fed every Set-Cookie. */
export interface CookieJar {
  header(url: string): Promise<string>;
  remember(url: string, setCookie: string[]): Promise<void>;
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** One HTTP exchange through the gate; never throws for HTTP or network failures. */
export async function fetchOnce(spec: RequestSpec, opts: FetcherOptions): Promise<RawResponse> {
  return opts.gate.run(
    gateKey(spec.url),
    async () => {
      const fetchedAt = new Date().toISOString();
      const headers: Record<string, string> = {
        'user-agent': opts.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'zh-CN,zh;q=0.9',
        ...spec.headers,
      };
      const cookie = await opts.cookies.header(spec.url);
      if (cookie && !headers.cookie) headers.cookie = cookie;
      try {
        if (spec.url.startsWith('http:')) {
          const r = await plainHttp(spec, headers, opts);
          await rememberCookies(opts.cookies, spec.url, r.setCookie);
          return {
            requestedUrl: spec.url,
            finalUrl: spec.url,
            status: r.status,
            headers: r.headers,
            body: r.body,
            fetchedAt,
            ...(r.truncated ? { error: TRUNCATED } : {}),
          };
        }
        const res = (await gotScraping({
          url: spec.url,
          method: spec.method ?? 'GET',
          headers,
          form: spec.form,
          body: spec.body,
          proxyUrl: opts.proxyUrl,
          useHeaderGenerator: false,
          followRedirect: false,
          throwHttpErrors: false,
          responseType: 'buffer',
          retry: { limit: 0 },
          timeout: { request: opts.timeoutMs },
          signal: opts.signal,
          http2: false,
        } as never)) as unknown as { statusCode: number; headers: Record<string, string | string[]>; body: Buffer; url: string };
        const truncated = res.body.length > opts.maxBytes;
        const body = truncated ? res.body.subarray(0, opts.maxBytes) : res.body;
        await rememberCookies(opts.cookies, spec.url, res.headers['set-cookie']);
        return {
          requestedUrl: spec.url,
          finalUrl: spec.url,
          status: res.statusCode,
          headers: flatHeaders(res.headers),
          body,
          fetchedAt,
          ...(truncated ? { error: TRUNCATED } : {}),
        };
      } catch (e) {
        const err = e as Error & { code?: string };
        return {
          requestedUrl: spec.url,
          finalUrl: spec.url,
          status: 0,
          headers: {},
          body: null,
          fetchedAt,
          error: err.code ?? err.message,
        };
      }
    },
    { limits: opts.limits, signal: opts.signal },
  );
}

/**
 * Plain-HTTP exchange with Node's http module: absolute-form request line to the forward proxy (or a
 * direct connection). got-scraping costs several times more CPU per request, which matters when a crawl
 * makes thousands of them; it stays in use for HTTPS (CONNECT tunnels, TLS options).
 */
function plainHttp(
  spec: RequestSpec,
  headers: Record<string, string>,
  opts: FetcherOptions,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer; setCookie: string[] | undefined; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const target = new URL(spec.url);
    const proxy = opts.proxyUrl ? new URL(opts.proxyUrl) : null;
    let payload: Buffer | null = null;
    const h: Record<string, string> = { ...headers, host: target.host, 'accept-encoding': 'gzip, deflate, br', connection: 'keep-alive' };
    if (spec.form) {
      payload = Buffer.from(new URLSearchParams(spec.form).toString());
      h['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (spec.body !== undefined) {
      payload = Buffer.from(spec.body);
    }
    if (payload) h['content-length'] = String(payload.length);
    if (proxy?.username)
      h['proxy-authorization'] =
        `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
    const req = http.request(
      {
        host: proxy ? proxy.hostname : target.hostname,
        port: proxy ? Number(proxy.port || 80) : Number(target.port || 80),
        path: proxy ? target.href.replace(/#.*$/, '') : target.pathname + target.search,
        method: spec.method ?? 'GET',
        headers: h,
        agent: keepAlive,
        signal: opts.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const enc = String(res.headers['content-encoding'] ?? '').toLowerCase();
        const stream =
          enc === 'gzip' || enc === 'x-gzip'
            ? res.pipe(zlib.createGunzip())
            : enc === 'deflate'
              ? res.pipe(zlib.createInflate())
              : enc === 'br'
                ? res.pipe(zlib.createBrotliDecompress())
                : res;
        stream.on('data', (c: Buffer) => {
          size += c.length;
          // Past the size cap the rest is dropped: the document is recorded truncated rather than not at all.
          if (size <= opts.maxBytes) chunks.push(c);
          else res.destroy();
        });
        const done = () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            headers: out,
            body: Buffer.concat(chunks),
            setCookie: res.headers['set-cookie'],
            truncated: size > opts.maxBytes,
          });
        };
        stream.on('end', done);
        stream.on('close', () => (size > opts.maxBytes ? done() : undefined));
        stream.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

// Sockets per origin. Through a forward proxy every host is one origin, the proxy: with 16, requests of 30 sites
// queued here after the gate had let them start, and two starts a delay apart reached a host together when the
// sockets freed. The gate bounds requests in flight (hosts × per-host limit), so the agent must not.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 64 });

async function rememberCookies(jar: CookieJar, url: string, setCookie: string | string[] | undefined): Promise<void> {
  if (!setCookie) return;
  await jar.remember(url, Array.isArray(setCookie) ? setCookie : [setCookie]);
}

/** Marks a body cut at maxDocumentBytes (the snapshot keeps the first bytes). */
export const TRUNCATED = 'too_large: body truncated at maxDocumentBytes';

export function isRetryable(r: RawResponse): boolean {
  if (r.status === 0) return !/aborted/i.test(r.error ?? '');
  return r.status === 429 || (r.status >= 500 && r.status !== 501 && r.status !== 505 && r.status !== 521);
}

/** Backoff before attempt n+1 (n ≥ 0), honouring a short Retry-After. */
export function backoffMs(attempt: number, baseMs: number, retryAfter?: string): number {
  const ra = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(ra) && ra >= 0 && ra <= 120) return ra * 1000;
  return Math.min(60_000, Math.max(baseMs, 100) * 3 ** attempt);
}
