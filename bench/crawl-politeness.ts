// `node --import tsx bench/crawl-politeness.ts`: the crawl's wall time against its politeness lower bound.
// Every simulated county is crawled through a counting proxy in front of the simulated web (loopback only),
// four sites at a time, with a real per-host delay. For each site the lower bound is
//   requests to its busiest host × delay ÷ per-host concurrency
// (the brief's formula), printed next to the stricter floor of the crawler's gate, which spaces the *starts*
// of requests on a host by the delay whatever the concurrency: requests × delay. Figures, not pass/fail.
// Env: NIANBAO_BENCH_DELAY_MS (default 300), NIANBAO_BENCH_CONCURRENCY (per host, default 2),
// NIANBAO_BENCH_SITES (comma-separated ids; default all), NIANBAO_SIM_SEED (default 1).
import http from 'node:http';
import { crawlSite, type CandidateDocument } from '../src/crawler/index.ts';
import { urlKey } from '../src/crawler/urls.ts';
import { simSiteList, startSimWeb } from '../src/sim/index.ts';

const DELAY = Number(process.env.NIANBAO_BENCH_DELAY_MS ?? 300);
const CONC = Number(process.env.NIANBAO_BENCH_CONCURRENCY ?? 2);
const SEED = Number(process.env.NIANBAO_SIM_SEED ?? 1);
const WANT = process.env.NIANBAO_BENCH_SITES?.split(',').filter(Boolean);

const sim = await startSimWeb({ seed: SEED, port: 0 });
const upstream = new URL(sim.proxyUrl);
const perHost = new Map<string, number>();
const recorder = http.createServer((req, res) => {
  try {
    const h = new URL(req.url ?? '').host;
    perHost.set(h, (perHost.get(h) ?? 0) + 1);
  } catch {
    /* not an absolute-form request: counted nowhere */
  }
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
await new Promise<void>((r) => recorder.listen(0, '127.0.0.1', r));
const proxyUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;

const list = simSiteList(sim.sites);
const defaults = { ...list.defaults, delayMs: DELAY, maxConcurrencyPerHost: CONC };
const sites = list.sites.filter((s) => !WANT || WANT.includes(s.id));
const family = new Map(sim.sites.map((s) => [s.id, s.family]));
const rows: {
  id: string;
  family: string;
  wallMs: number;
  busiest: string;
  requests: number;
  boundMs: number;
  gateFloorMs: number;
  found: number;
  expected: number;
}[] = [];
const queue = [...sites];
const started = Date.now();
const worker = async () => {
  for (let site = queue.shift(); site; site = queue.shift()) {
    const docs: CandidateDocument[] = [];
    const hosts = [new URL(site.home).host, ...site.allowHosts];
    const before = new Map(hosts.map((h) => [h, perHost.get(h) ?? 0]));
    const t0 = Date.now();
    await crawlSite(site, {
      defaults,
      proxyUrl,
      crawlRunId: null,
      onSnapshot: async () => {},
      onDocument: async (d) => {
        docs.push(d);
      },
    });
    const wallMs = Date.now() - t0;
    let busiest = hosts[0];
    let requests = 0;
    for (const h of hosts) {
      const n = (perHost.get(h) ?? 0) - (before.get(h) ?? 0);
      if (n > requests) [busiest, requests] = [h, n];
    }
    const found = new Set(docs.map((d) => urlKey(d.url)));
    const expected = sim.manifest.reports.filter((r) => r.siteId === site.id);
    const hit = expected.filter((r) => [r.url, ...(r.aliases ?? [])].some((u) => found.has(urlKey(u)))).length;
    rows.push({
      id: site.id,
      family: family.get(site.id) ?? '?',
      wallMs,
      busiest,
      requests,
      boundMs: (requests * DELAY) / CONC,
      gateFloorMs: requests * DELAY,
      found: hit,
      expected: expected.length,
    });
  }
};
await Promise.all([worker(), worker(), worker(), worker()]);
const totalMs = Date.now() - started;
recorder.close();
await sim.close();

console.log(`delay ${DELAY} ms, ${CONC} per host, 4 sites at a time, seed ${SEED}`);
console.log('site        family      wall s  busiest-host reqs  bound s  wall/bound  gate-floor s  wall/floor  recall');
for (const r of rows.sort((a, b) => a.id.localeCompare(b.id))) {
  console.log(
    `${r.id.padEnd(11)} ${r.family.padEnd(10)} ${(r.wallMs / 1000).toFixed(1).padStart(7)}  ${String(r.requests).padStart(17)}  ${(r.boundMs / 1000).toFixed(1).padStart(7)}  ${(r.wallMs / r.boundMs).toFixed(2).padStart(10)}  ${(r.gateFloorMs / 1000).toFixed(1).padStart(12)}  ${(r.wallMs / r.gateFloorMs).toFixed(2).padStart(10)}  ${r.found}/${r.expected}`,
  );
}
const slowest = rows.reduce((a, b) => (b.boundMs > a.boundMs ? b : a));
console.log(
  `slowest host: ${slowest.busiest} (${slowest.id}): ${slowest.requests} requests, wall ${(slowest.wallMs / 1000).toFixed(1)} s vs bound ${(slowest.boundMs / 1000).toFixed(1)} s = ${(slowest.wallMs / slowest.boundMs).toFixed(2)}×`,
);
console.log(
  `all sites: ${(totalMs / 1000).toFixed(1)} s; recall ${rows.reduce((a, r) => a + r.found, 0)}/${rows.reduce((a, r) => a + r.expected, 0)}`,
);
process.exit(0);
