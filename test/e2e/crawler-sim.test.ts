import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, type CandidateDocument, type CrawlSiteStats, type FetchedSnapshot } from '../../src/crawler/index.ts';
import { startSimWeb, simSiteList, type SimWeb } from '../../src/sim/index.ts';
import { urlKey } from '../../src/crawler/urls.ts';

// Crawl every simulated county through a recording proxy in front of the sim: recall against the
// manifest, no decoy emitted, every request snapshotted, nothing sent to a host outside the site's list.

const SEED = Number(process.env.NIANBAO_SIM_SEED ?? 1);
let sim: SimWeb;
let recorder: http.Server;
let recorderUrl: string;
const requested: { site: string | null; url: string }[] = [];
const docs = new Map<string, CandidateDocument[]>();
const snaps = new Map<string, FetchedSnapshot[]>();
const stats = new Map<string, CrawlSiteStats>();

beforeAll(async () => {
  sim = await startSimWeb({ seed: SEED, port: 0, faults: { transient503Rate: 0.03 } });
  const upstream = new URL(sim.proxyUrl);
  recorder = http.createServer((req, res) => {
    requested.push({ site: null, url: req.url ?? '' });
    const up = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  recorder.on('connect', (req, socket) => {
    requested.push({ site: null, url: `CONNECT ${req.url}` });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;

  const list = simSiteList(sim.sites);
  const defaults = { ...list.defaults, delayMs: 0, maxRetries: 2 };
  const queue = [...list.sites];
  const run = async () => {
    for (let site = queue.shift(); site; site = queue.shift()) {
      const id = site.id;
      docs.set(id, []);
      snaps.set(id, []);
      stats.set(
        id,
        await crawlSite(site, {
          defaults,
          proxyUrl: recorderUrl,
          crawlRunId: null,
          onSnapshot: async (s) => {
            snaps.get(id)!.push(s);
          },
          onDocument: async (d) => {
            docs.get(id)!.push(d);
          },
        }),
      );
    }
  };
  await Promise.all([run(), run(), run(), run()]);
}, 600_000);

afterAll(async () => {
  await new Promise<void>((r) => (recorder ? recorder.close(() => r()) : r()));
  await sim?.close();
});

describe('crawler on the simulated web', () => {
  it('finds ≥95% of manifest reports as candidates', () => {
    const found = new Set([...docs.values()].flat().map((d) => urlKey(d.url)));
    const missing: string[] = [];
    for (const r of sim.manifest.reports) {
      const keys = [r.url, ...(r.aliases ?? [])].map(urlKey);
      if (!keys.some((k) => found.has(k))) missing.push(`${r.siteId} ${r.kind} ${r.url} ${r.title}`);
    }
    const recall = 1 - missing.length / sim.manifest.reports.length;
    console.log(`recall ${(recall * 100).toFixed(1)}% (${sim.manifest.reports.length - missing.length}/${sim.manifest.reports.length})`);
    if (missing.length) console.log(missing.slice(0, 30).join('\n'));
    for (const [id, s] of stats) console.log(id, JSON.stringify({ ...s, siteId: undefined }));
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('emits no decoy', () => {
    const decoys = new Set(sim.manifest.decoys.map((d) => urlKey(d.url)));
    const emitted = [...docs.values()].flat().filter((d) => decoys.has(urlKey(d.url)));
    expect(emitted.map((d) => d.url)).toEqual([]);
    const reportKeys = new Set(
      sim.manifest.reports.flatMap((r) => [r.url, ...(r.aliases ?? []), ...(r.pageUrl ? [r.pageUrl] : [])].map(urlKey)),
    );
    const unknown = [...docs.values()].flat().filter((d) => !reportKeys.has(urlKey(d.url)));
    console.log(
      `candidates not in the manifest: ${unknown.length}`,
      unknown.slice(0, 10).map((d) => `${d.role} ${d.url} ${d.title}`),
    );
  });

  it('snapshots every request it sent', () => {
    const snapped = new Set([...snaps.values()].flat().map((s) => s.requestedUrl));
    const missing = requested.filter((r) => !r.url.startsWith('CONNECT') && !snapped.has(r.url));
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it('requests only the hosts of each site', () => {
    const allowed = new Set(sim.sites.flatMap((s) => [new URL(s.home).hostname, ...s.allowHosts]));
    const foreign = requested.filter((r) => r.url.startsWith('CONNECT') || !allowed.has(new URL(r.url).hostname));
    expect(foreign.slice(0, 10)).toEqual([]);
  });
});
