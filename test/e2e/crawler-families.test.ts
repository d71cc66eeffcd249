import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite, type CandidateDocument, type CrawlSiteStats, type FetchedSnapshot } from '../../src/crawler/index.ts';
import { urlKey } from '../../src/crawler/urls.ts';
import { simSiteList, startSimWeb, type SimWeb } from '../../src/sim/index.ts';

// The later CMS families of the simulated web (docs/site-families.md): Guangdong gkmlpt (hash-routed SPA,
// JSON API, shell articles), Epoint showinfo shells behind an https that answers 403, Lonsun organ tree and
// per-organ catalogues, Hanweb xxgk search and JPaaS paramJson pagers, ASP.NET postbacks with a TLS 1.0-only
// https, iframe shells, an incomplete certificate chain. Each family: recall ≥ 99 %, no decoy, every plain
// request snapshotted, nothing sent to a host outside its site.

let sim: SimWeb;
let recorder: http.Server;
const requested: string[] = [];
const docs = new Map<string, CandidateDocument[]>();
const snaps = new Map<string, FetchedSnapshot[]>();
const stats = new Map<string, CrawlSiteStats>();
const tunnels = new Set<net.Socket>();

beforeAll(async () => {
  sim = await startSimWeb({ seed: 1, port: 0, include: 'families' });
  const upstream = new URL(sim.proxyUrl);
  recorder = http.createServer((req, res) => {
    requested.push(req.url ?? '');
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
  // https goes through CONNECT tunnels: recorded by host, passed on to the sim's proxy.
  recorder.on('connect', (req, socket, head) => {
    requested.push(`CONNECT ${req.url}`);
    tunnels.add(socket as net.Socket);
    const up = net.connect(Number(upstream.port), upstream.hostname, () => {
      up.write(`CONNECT ${req.url} HTTP/1.1\r\nHost: ${req.url}\r\n\r\n`);
      if (head.length) up.write(head);
      socket.pipe(up);
      up.pipe(socket);
    });
    tunnels.add(up);
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
  const proxyUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;

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
          proxyUrl,
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
  await Promise.all([run(), run(), run()]);
}, 1_200_000);

afterAll(async () => {
  // Keep-alive tunnels of the crawler's https client would hold the recorder open.
  for (const t of tunnels) t.destroy();
  recorder?.closeAllConnections();
  await new Promise<void>((r) => (recorder ? recorder.close(() => r()) : r()));
  await sim?.close();
});

describe('crawler on the CMS families of the simulated web', () => {
  it('finds ≥ 99 % of each family’s reports', () => {
    const rows: string[] = [];
    const low: string[] = [];
    for (const site of sim.sites) {
      const found = new Set((docs.get(site.id) ?? []).map((d) => urlKey(d.url)));
      const expected = sim.manifest.reports.filter((r) => r.siteId === site.id);
      const missing = expected.filter((r) => ![r.url, ...(r.aliases ?? [])].some((u) => found.has(urlKey(u))));
      const recall = 1 - missing.length / expected.length;
      rows.push(
        `${site.family.padEnd(12)} ${site.id.padEnd(10)} ${expected.length - missing.length}/${expected.length} ${JSON.stringify({ ...stats.get(site.id), siteId: undefined })}`,
      );
      if (recall < 0.99)
        low.push(
          `${site.family} ${site.id} ${(recall * 100).toFixed(1)}%: ${missing
            .slice(0, 3)
            .map((m) => m.url)
            .join(' ')}`,
        );
    }
    console.log(rows.join('\n'));
    expect(sim.sites.length).toBeGreaterThanOrEqual(8);
    expect(low).toEqual([]);
  });

  it('emits no decoy', () => {
    const decoys = new Set(sim.manifest.decoys.map((d) => urlKey(d.url)));
    const emitted = [...docs.values()].flat().filter((d) => decoys.has(urlKey(d.url)));
    expect(emitted.map((d) => d.url)).toEqual([]);
  });

  it('archives a script-filled report as its rendered DOM, with the API response kept', () => {
    const shells = sim.manifest.reports.filter((r) => r.bodyVia && r.kind === 'html');
    expect(shells.length).toBeGreaterThan(0);
    const all = [...docs.values()].flat();
    const allSnaps = [...snaps.values()].flat();
    for (const r of shells) {
      const doc = all.find((d) => urlKey(d.url) === urlKey(r.url) || (r.aliases ?? []).some((a) => urlKey(a) === urlKey(d.url)));
      expect(doc, r.url).toBeDefined();
      // the report's own words, which only the API carried, are in what was archived
      expect(doc!.body.toString('utf8'), r.url).toMatch(/政府信息公开/);
      expect(
        allSnaps.some((s) => s.kind === 'api' && s.requestedUrl.startsWith(r.bodyVia!.url.split('?')[0])),
        r.bodyVia!.url,
      ).toBe(true);
      expect(
        allSnaps.some((s) => s.kind === 'report' && s.sha256 === doc!.sha256),
        r.url,
      ).toBe(true);
    }
  });

  it('keeps a report split over pages as one report with its later pages', () => {
    const split = sim.manifest.reports.filter((r) => r.parts && r.parts.length > 1);
    expect(split.length).toBeGreaterThan(0);
    const all = [...docs.values()].flat();
    for (const r of split) {
      const doc = all.find((d) => urlKey(d.url) === urlKey(r.parts![0]));
      expect(
        doc?.continuation?.map((c) => urlKey(c.url)),
        r.url,
      ).toEqual(r.parts!.slice(1).map(urlKey));
      for (const later of r.parts!.slice(1))
        expect(
          all.some((d) => urlKey(d.url) === urlKey(later)),
          later,
        ).toBe(false);
    }
  });

  it('snapshots every plain-HTTP request it sent', () => {
    const snapped = new Set([...snaps.values()].flat().map((s) => s.requestedUrl));
    const missing = requested.filter((r) => !r.startsWith('CONNECT') && !snapped.has(r));
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it('requests only the hosts of each site', () => {
    const allowed = new Set(sim.sites.flatMap((s) => [new URL(s.home).hostname, ...s.allowHosts]));
    const host = (r: string) => (r.startsWith('CONNECT ') ? r.slice(8).replace(/:\d+$/, '') : new URL(r).hostname);
    expect(requested.filter((r) => !allowed.has(host(r))).slice(0, 10)).toEqual([]);
  });
});
