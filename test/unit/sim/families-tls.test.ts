import http from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_TLS, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';

// https through the sim proxy, the way a crawler's HTTP client or browser reaches it: CONNECT host:443, then TLS
// with the sim's test certificates. One host per behaviour: ok, https-403/http-200, incomplete chain, TLS 1.0 only.

let web: SimWeb;
beforeAll(async () => {
  web = await startSimWeb({ seed: 12, include: 'all' });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

function tunnel(host: string): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: web.port, method: 'CONNECT', path: `${host}:443` });
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('error', reject);
    req.end();
  });
}

/** GET https://host/path through the proxy; resolves with the status or rejects with the TLS error. */
async function httpsGet(host: string, path: string, ca: string[]): Promise<{ status: number; body: string }> {
  const t = await tunnel(host);
  if (t.status !== 200) {
    t.socket.destroy();
    return { status: -t.status, body: '' };
  }
  return new Promise((resolve, reject) => {
    const s = tls.connect({ socket: t.socket, servername: host, ca });
    s.on('error', reject);
    s.on('secureConnect', () => {
      s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Mozilla/5.0 test\r\nConnection: close\r\n\r\n`);
    });
    let raw = '';
    s.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    s.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
      s.destroy();
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: web.port, path: url, headers: { Host: new URL(url).host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const site = (id: string) => web.sites.find((s) => s.id === id)!;

describe('https and TLS faults of the family sites', () => {
  it("declares each host's https behaviour in the manifest", () => {
    expect(site('deqing').tls).toEqual({ 'www.gddq.gov.cn.test': 'ok' });
    expect(site('peixian').tls).toEqual({ 'www.px.gov.cn.test': 'forbidden' });
    expect(site('peixian').home).toBe('https://www.px.gov.cn.test/');
    expect(site('fengxian').tls).toEqual({ 'www.chinafx.gov.cn.test': 'incomplete-chain' });
    expect(site('fengxian').home).toBe('https://www.chinafx.gov.cn.test/');
    expect(site('zaduo').tls).toEqual({ 'www.zaduo.gov.cn.test': 'handshake-failure' });
    // every report URL is plain http: that is what answers 200
    expect(
      web.manifest.reports.filter((r) => r.siteId === 'peixian' || r.siteId === 'fengxian').every((r) => r.url.startsWith('http://')),
    ).toBe(true);
  });

  it('serves an ok host over https with the same bytes as http, to a client trusting the sim root', async () => {
    const https = await httpsGet('www.gddq.gov.cn.test', '/gkmlpt/index', [SIM_TLS.caPem]);
    const plain = await httpGet('http://www.gddq.gov.cn.test/gkmlpt/index');
    expect(https.status).toBe(200);
    expect(https.body).toBe(plain.body);
    // the system trust store does not know the sim's root
    await expect(httpsGet('www.gddq.gov.cn.test', '/', tls.rootCertificates.slice())).rejects.toMatchObject({
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    });
  });

  it('answers 403 to every https request of the Epoint host while http works', async () => {
    const home = site('peixian').home;
    expect((await httpsGet('www.px.gov.cn.test', new URL(home).pathname, [SIM_TLS.caPem])).status).toBe(403);
    const report = web.manifest.reports.find((r) => r.siteId === 'peixian' && r.kind === 'html')!;
    const u = new URL(report.url);
    expect((await httpsGet(u.host, u.pathname + u.search, [SIM_TLS.caPem])).status).toBe(403);
    expect((await httpGet(report.url)).status).toBe(200);
    expect((await httpGet(home.replace('https:', 'http:'))).status).toBe(200);
  });

  it('withholds the intermediate on the incomplete-chain host: Node fails unless the intermediate is supplied', async () => {
    await expect(httpsGet('www.chinafx.gov.cn.test', '/', [SIM_TLS.caPem])).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const ok = await httpsGet('www.chinafx.gov.cn.test', '/', [SIM_TLS.caPem, SIM_TLS.intermediatePem]);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('丰县人民政府');
    expect((await httpGet('http://www.chinafx.gov.cn.test/')).status).toBe(200);
  });

  it('fails the handshake on the TLS-1.0-only host; http works', async () => {
    const err = await httpsGet('www.zaduo.gov.cn.test', '/', [SIM_TLS.caPem]).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err).not.toBeNull();
    expect(String(err!.code)).toMatch(/ERR_SSL|EPROTO|ECONNRESET/);
    expect((await httpGet('http://www.zaduo.gov.cn.test/')).status).toBe(200);
  });

  it('refuses tunnels to hosts without https and to the classic sites', async () => {
    for (const host of ['www.menyuan.gov.cn.test', 'www.yongxiu.gov.cn.test', 'www.gov.cn']) {
      const t = await tunnel(host);
      t.socket.destroy();
      expect(t.status, host).toBe(502);
    }
  });
});
