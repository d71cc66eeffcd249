import http from 'node:http';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/store/archive.ts';
import { dropPrefix, runCli, testRedis, tmpDir, uniquePrefix } from '../unit/workers/helpers.ts';

// `nianbao crawl --site http://127.0.0.1:P1/ --site http://127.0.0.1:P2/ …`: several county sites on one
// host (loopback, one port each) are crawled side by side, each under an id of its own, and none of them
// wanders onto another's port (the allow list holds scheme, host and port).

const SITES = 3;
const servers: http.Server[] = [];
const ports: number[] = [];
const hits: string[] = []; // `port path` of every request
let redis: Awaited<ReturnType<typeof testRedis>>;
let tmp: ReturnType<typeof tmpDir>;
const prefix = uniquePrefix();

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const reportBody = `<p>本报告依据《中华人民共和国政府信息公开条例》编制。统计期限自2021年1月1日至2021年12月31日。</p>
<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p>`;

function county(i: number, port: number, otherPort: number): http.RequestListener {
  const name = `第${i + 1}县`;
  return (req, res) => {
    hits.push(`${port} ${req.url}`);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': status === 200 ? 'text/html; charset=utf-8' : 'text/plain' });
      res.end(body);
    };
    if (req.url === '/robots.txt') return send(404, 'none');
    if (req.url === '/') {
      // A link onto the next site's port: same host, not this site's.
      return send(
        200,
        page(
          `${name}人民政府`,
          `<a href="/xxgk/">政府信息公开</a><a href="http://127.0.0.1:${otherPort}/xxgk/nb/">信息公开年报（邻县）</a>`,
        ),
      );
    }
    if (req.url === '/xxgk/') return send(200, page('政府信息公开', '<a href="/xxgk/nb/">政府信息公开年报</a>'));
    if (req.url === '/xxgk/nb/')
      return send(
        200,
        page('政府信息公开年报', `<ul><li><a href="/xxgk/nb/2021.html">${name}2021年政府信息公开工作年度报告</a></li></ul>`),
      );
    if (req.url === '/xxgk/nb/2021.html') return send(200, page(`${name}2021年政府信息公开工作年度报告`, reportBody));
    return send(404, 'not found');
  };
}

beforeAll(async () => {
  redis = await testRedis();
  tmp = tmpDir('nianbao-multisite-');
  for (let i = 0; i < SITES; i++) {
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    ports.push((s.address() as { port: number }).port);
  }
  servers.forEach((s, i) => s.on('request', county(i, ports[i], ports[(i + 1) % SITES])));
});

afterAll(async () => {
  await dropPrefix(redis.url, prefix);
  for (const s of servers) s.close();
  await redis?.stop();
  tmp?.cleanup();
});

describe('several sites on one host', () => {
  it('crawls every --site URL under its own id and keeps each crawl on its own port', { timeout: 150_000 }, async () => {
    const config = path.join(tmp.dir, 'sites.yaml');
    writeFileSync(
      config,
      'defaults:\n  delayMs: 0\nsites:\n  - id: other\n    name: 别处\n    regionCode: "110101"\n    home: http://www.other.gov.cn.test/\n',
    );
    const file = path.join(tmp.dir, 'multi.sqlite');
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = redis.url;
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(
        'crawl',
        '--config',
        config,
        '--archive',
        file,
        '--prefix',
        prefix,
        '--no-browser',
        ...ports.flatMap((p) => ['--site', `http://127.0.0.1:${p}/`]),
      );
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`sites\\s+${SITES} crawled`));

    const archive = Archive.open(file);
    try {
      const sites = archive.db.prepare('SELECT id, home FROM sites ORDER BY home').all() as { id: string; home: string }[];
      expect(sites.map((s) => s.id).sort()).toEqual(ports.map((p) => `127-0-0-1-${p}`).sort());
      const fetched = archive.db.prepare('SELECT site_id, requested_url FROM fetches').all() as {
        site_id: string;
        requested_url: string;
      }[];
      for (const f of fetched) expect(f.site_id, f.requested_url).toBe(`127-0-0-1-${new URL(f.requested_url).port}`);
      for (const p of ports) expect(fetched.some((f) => f.requested_url === `http://127.0.0.1:${p}/xxgk/nb/2021.html`)).toBe(true);
    } finally {
      archive.close();
    }
    // Each port saw its own crawl once: one robots.txt, one home page, one report page.
    for (const p of ports) {
      expect(hits.filter((h) => h === `${p} /robots.txt`)).toHaveLength(1);
      expect(hits.filter((h) => h === `${p} /xxgk/nb/2021.html`)).toHaveLength(1);
    }
  });
});
