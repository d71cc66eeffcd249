import http from 'node:http';

// A client of the simulated web's proxy: the request goes to the sim's port with the simulated host in Host,
// the way a crawler behind the proxy reaches a county site.

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function fetchVia(
  port: number,
  url: string,
  o: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: url, headers: { Host: new URL(url).host, ...o.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (o.body) req.write(o.body);
    req.end();
  });
}
