import http from 'node:http';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_COOKIE, challengeToken, startSimWeb, type SimWeb } from '../../../src/sim/index.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

function get(port: number, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: url, headers: { Host: new URL(url).host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let web: SimWeb;
beforeAll(async () => {
  web = await startSimWeb({
    seed: 3,
    faults: { challengeSites: ['yongxiu'], requireBrowserUa: true, transient503Rate: 0.3, rateLimitPerSecond: 8 },
  });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

const site = (id: string) => web.sites.find((s) => s.id === id)!;

describe('sim faults', () => {
  it('echoes the faults in the manifest', () => {
    expect(web.manifest.faults?.challengeSites).toEqual(['yongxiu']);
  });

  it('refuses library user agents with 403 but serves robots.txt', async () => {
    const home = site('jiangle').home;
    expect((await get(web.port, home)).status).toBe(403);
    expect((await get(web.port, home, { 'User-Agent': 'got (https://github.com/sindresorhus/got)' })).status).toBe(403);
    expect((await get(web.port, `${home}robots.txt`)).status).toBe(200);
  });

  it('answers 503 once for a deterministic share of URLs, then serves them', async () => {
    const urls = web.manifest.reports
      .filter((r) => r.siteId === 'lintao' && r.kind === 'html')
      .slice(0, 30)
      .map((r) => r.url);
    const first: number[] = [];
    for (const u of urls) {
      first.push((await get(web.port, u, { 'User-Agent': UA })).status);
      await new Promise((r) => setTimeout(r, 130)); // stay under the rate limit
    }
    const failed = first.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(urls.length);
    for (const u of urls) {
      expect((await get(web.port, u, { 'User-Agent': UA })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 130));
    }
  }, 60_000);

  it('rate-limits bursts per host with 429', async () => {
    const home = site('maqin').home;
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get(web.port, home, { 'User-Agent': UA }).then((r) => r.status)));
    expect(statuses).toContain(429);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await get(web.port, `${home}`, { 'User-Agent': UA });
    expect([200, 503]).toContain(again.status);
  });

  it('challenges a plain client with 412 until it presents the computed cookie', async () => {
    const s = site('yongxiu');
    const first = await get(web.port, s.home, { 'User-Agent': UA });
    expect(first.status).toBe(412);
    expect(first.body).toContain('<script');
    const token = challengeToken(3, s.host);
    expect(first.body).not.toContain(token);
    let ok = await get(web.port, s.home, { 'User-Agent': UA, Cookie: `${CHALLENGE_COOKIE}=${token}` });
    if (ok.status === 503) ok = await get(web.port, s.home, { 'User-Agent': UA, Cookie: `${CHALLENGE_COOKIE}=${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('永修县人民政府');
  });

  // Chromium is a dependency (scripts/setup.sh installs it): without it this test fails, it is not skipped.
  it('lets a real browser through the challenge via the proxy', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', proxy: { server: web.proxyUrl }, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ userAgent: UA });
      const s = site('yongxiu');
      await page.goto(s.home);
      await page
        .waitForFunction(() => document.title.includes('人民政府'), undefined, { timeout: 20_000 })
        .catch(async () => {
          // a transient 503 on the reload: the crawler would retry, so does the test
          await page.reload();
          await page.waitForFunction(() => document.title.includes('人民政府'), undefined, { timeout: 20_000 });
        });
      expect(await page.title()).toContain('永修县人民政府');
    } finally {
      await browser.close();
    }
  }, 90_000);
});
