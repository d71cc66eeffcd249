// A minimal client of the sim proxy (absolute-form request line, no tunnelling): for tests and benchmarks
// that need a page's bytes without the crawler.
import http from 'node:http';

export interface SimReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function viaSimProxy(
  proxyUrl: string,
  url: string,
  o: { method?: string; body?: string; headers?: Record<string, string>; agent?: http.Agent } = {},
): Promise<SimReply> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: proxy.hostname,
        port: proxy.port,
        method: o.method ?? 'GET',
        path: url,
        headers: { host: new URL(url).host, ...o.headers },
        agent: o.agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
