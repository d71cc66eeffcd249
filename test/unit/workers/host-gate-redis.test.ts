import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHostGate, type HostGate } from '../../../src/crawler/host-gate.ts';
import type { CrawlSiteStats } from '../../../src/crawler/types.ts';
import { CrawlDefaultsSchema, SiteSchema } from '../../../src/schema/site-config.ts';
import { publishCrawlRun } from '../../../src/workers/crawl-context.ts';
import type { CrawlSiteFn } from '../../../src/workers/crawl-worker.ts';
import { RedisHostGate } from '../../../src/workers/host-gate-redis.ts';
import { startPipeline } from '../../../src/workers/pipeline.ts';
import { enqueueCrawl, openQueues } from '../../../src/workers/queues.ts';
import { freePort } from '../../../src/workers/redis.ts';
import { dropPrefix, testRedis, uniquePrefix } from './helpers.ts';

// The per-host gate held in Redis (src/workers/host-gate-redis.ts), against a real redis-server: separate gate
// instances stand for separate processes (each has its own connections and local queue), a child process for
// one that is SIGKILLed while it holds slots.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let redis: Awaited<ReturnType<typeof testRedis>>;
const gates: RedisHostGate[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(gates.map((g) => g.close()));
  await redis?.stop();
});

const gate = (o: Partial<ConstructorParameters<typeof RedisHostGate>[0]> = {}) => {
  const g = new RedisHostGate({ connection: redis.url, namespace: `test-${randomUUID()}`, ...o });
  gates.push(g);
  return g;
};

/** Runs jobs through the gates, round robin, recording every start and the most in flight at once. */
async function hammer(
  list: RedisHostGate[],
  jobs: number,
  key: string,
  limits: (i: number) => { maxConcurrency: number; delayMs: number },
  holdMs = 40,
) {
  let active = 0;
  let peak = 0;
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: jobs }, (_, i) =>
      list[i % list.length]!.run(
        key,
        async () => {
          starts.push(performance.now());
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, holdMs + (i % 3) * 20));
          active--;
        },
        { limits: limits(i) },
      ),
    ),
  );
  starts.sort((a, b) => a - b);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
  return { peak, minGap: Math.min(...gaps), starts };
}

/**
 * Each request "reaches the host" when its fn ends (a request that sat behind a busy event loop before its socket
 * write); returns the gaps between arrivals. With the delay counted from the start only, a late request and the
 * next one arrived a fraction of the delay apart.
 */
async function lateArrivals(g: HostGate, key: string) {
  const limits = { maxConcurrency: 2, delayMs: 200 };
  const arrivals: number[] = [];
  await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      g.run(
        key,
        async () => {
          await new Promise((r) => setTimeout(r, i % 2 === 0 ? 150 : 5));
          arrivals.push(performance.now());
        },
        { limits },
      ),
    ),
  );
  arrivals.sort((a, b) => a - b);
  return arrivals.slice(1).map((t, i) => t - arrivals[i]!);
}

describe('the delay also runs from the answer', () => {
  it('in one process (MemoryHostGate)', async () => {
    const gaps = await lateArrivals(new MemoryHostGate(2, 200), 'http://late.gov.cn.test');
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
  });
  it('across processes (RedisHostGate)', { timeout: 30_000 }, async () => {
    const gaps = await lateArrivals(gate(), 'http://late.gov.cn.test');
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
  });
});

describe('RedisHostGate', () => {
  it('two gates (two processes) sharing a host never exceed its limit and keep the spacing', { timeout: 60_000 }, async () => {
    const ns = `test-${randomUUID()}`;
    const a = gate({ namespace: ns });
    const b = gate({ namespace: ns });
    const limits = { maxConcurrency: 2, delayMs: 80 };
    // Requests that last longer than the spacing, so the concurrency cap is what holds them back.
    const r = await hammer([a, b], 16, 'http://xxgk.city.gov.cn.test', () => limits, 250);
    expect(r.peak).toBe(2);
    // Starts are reserved 80 ms apart on Redis's clock; the timers that wake the callers may be a few ms late.
    expect(r.minGap).toBeGreaterThanOrEqual(70);
    // Another host is not held back by the busy one.
    const t0 = performance.now();
    await a.run('http://www.other.gov.cn.test', async () => {}, { limits });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('applies the strictest limits of the sites using a host, and spacing alone when requests are short', { timeout: 60_000 }, async () => {
    const ns = `test-${randomUUID()}`;
    const a = gate({ namespace: ns });
    const b = gate({ namespace: ns });
    // Site configs differ: one allows 3 in flight and 20 ms, the other 1 in flight and 120 ms. A config's limits
    // count from its first request on the host.
    const key = 'http://xxgk.shared.gov.cn.test';
    await a.run(key, async () => {}, { limits: { maxConcurrency: 1, delayMs: 120 } });
    const r = await hammer([a, b], 8, key, (i) => (i % 2 ? { maxConcurrency: 3, delayMs: 20 } : { maxConcurrency: 1, delayMs: 120 }));
    expect(r.peak).toBe(1);
    expect(r.minGap).toBeGreaterThanOrEqual(105);
  });

  it('keeps a host deferred (Retry-After) and its robots.txt Crawl-delay for every process', { timeout: 60_000 }, async () => {
    const ns = `test-${randomUUID()}`;
    const a = gate({ namespace: ns });
    const b = gate({ namespace: ns });
    const key = 'http://slow.gov.cn.test';
    const limits = { maxConcurrency: 2, delayMs: 0 };
    a.defer(key, 600);
    await new Promise((r) => setTimeout(r, 50)); // the defer is a fire-and-forget script call
    let t0 = performance.now();
    await b.run(key, async () => {}, { limits });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
    a.setDelay(key, 150);
    await new Promise((r) => setTimeout(r, 50));
    t0 = performance.now();
    const r = await hammer([b], 4, key, () => limits, 0);
    expect(r.minGap).toBeGreaterThanOrEqual(135);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 135);
  });

  it('frees the slots of a SIGKILLed holder after the lease timeout, not before', { timeout: 60_000 }, async () => {
    const ns = `test-${randomUUID()}`;
    const key = 'http://xxgk.dead.gov.cn.test';
    const leaseMs = 1500;
    // A process that takes both slots of the host and never gives them back.
    const script = `
      import { RedisHostGate } from './src/workers/host-gate-redis.ts';
      const g = new RedisHostGate({ connection: ${JSON.stringify(redis.url)}, namespace: ${JSON.stringify(ns)}, leaseMs: ${leaseMs} });
      for (let i = 0; i < 2; i++)
        g.run(${JSON.stringify(key)}, () => { if (i === 1) console.log('held'); return new Promise(() => {}); }, { limits: { maxConcurrency: 2, delayMs: 0 } });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const g = gate({ namespace: ns, leaseMs, fullPollMs: 200 });
    let grantedAt = 0;
    const waiting = g.run(
      key,
      async () => {
        grantedAt = performance.now();
      },
      { limits: { maxConcurrency: 2, delayMs: 0 } },
    );
    // While the holder lives it renews its leases: no slot for anyone else, well past the lease timeout.
    await new Promise((r) => setTimeout(r, 2.5 * leaseMs));
    expect(grantedAt).toBe(0);
    const killedAt = performance.now();
    child.kill('SIGKILL');
    await waiting;
    expect(grantedAt).toBeGreaterThan(killedAt);
    // Its leases were last renewed at most leaseMs/3 before the kill: they run out within leaseMs, and the
    // waiter asks again within fullPollMs (+ jitter).
    expect(grantedAt - killedAt).toBeLessThan(leaseMs + 600);
  });

  it('falls back to a per-process gate while Redis cannot be reached', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const g = gate({ connection: `redis://127.0.0.1:${port}` });
    const limits = { maxConcurrency: 1, delayMs: 60 };
    const r = await hammer([g], 4, 'http://www.a.gov.cn.test', () => limits, 10);
    expect(r.peak).toBe(1);
    expect(r.minGap).toBeGreaterThanOrEqual(55);
  });

  it('crawl workers in two processes give their crawls gates that share the host’s limit', { timeout: 60_000 }, async () => {
    const prefix = uniquePrefix();
    const platform = `http://xxgk.n${Date.now()}.gov.cn.test`;
    const sites = ['a', 'b', 'c', 'd'].map((id) =>
      SiteSchema.parse({ id, name: id, regionCode: '110101', home: `http://www.${id}.gov.cn.test/`, allowHosts: [new URL(platform).host] }),
    );
    await publishCrawlRun(redis.url, 1, { defaults: CrawlDefaultsSchema.parse({ maxConcurrencyPerHost: 2, delayMs: 20 }) }, sites, prefix);
    let active = 0;
    let peak = 0;
    const seen = new Set<HostGate>();
    const crawlSite: CrawlSiteFn = async (site, o) => {
      seen.add(o.gate!);
      const limits = { maxConcurrency: o.defaults.maxConcurrencyPerHost, delayMs: o.defaults.delayMs };
      await Promise.all(
        Array.from({ length: 5 }, () =>
          o.gate!.run(
            platform,
            async () => {
              peak = Math.max(peak, ++active);
              await new Promise((r) => setTimeout(r, 80));
              active--;
            },
            { limits },
          ),
        ),
      );
      return { siteId: site.id, requests: 5 } as CrawlSiteStats;
    };
    const processes = [1, 2].map(() =>
      startPipeline({ redisUrl: redis.url, prefix, roles: { crawl: true }, crawlConcurrency: 2, crawlSite }),
    );
    const queues = openQueues({ connection: { url: redis.url }, prefix });
    try {
      // Two crawl slots each and four jobs: both processes crawl once both are listening.
      await Promise.all(processes.map((p) => p.workers.crawl!.waitUntilReady()));
      for (const s of sites) await enqueueCrawl(queues, { siteId: s.id, crawlRunId: 1 });
      await processes[0]!.drain({ intervalMs: 50 });
      const done = await Promise.all(processes.map(async (p) => (await p.counts()).crawl.done));
      expect(done[0]! + done[1]!).toBe(4);
      // Both processes crawled (so the limit held across them), each handing one gate to all its crawls.
      expect(done.every((n) => n > 0)).toBe(true);
      expect(seen.size).toBe(2);
      for (const g of seen) expect(g).toBeInstanceOf(RedisHostGate);
      expect(peak).toBe(2);
    } finally {
      await Promise.all(processes.map((p) => p.close()));
      await queues.close();
      await dropPrefix(redis.url, prefix);
    }
  });
});
