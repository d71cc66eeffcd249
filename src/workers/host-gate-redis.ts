import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { MemoryHostGate, sleep, type HostGate, type HostLimits } from '../crawler/host-gate.ts';
import { createLogger } from '../log.ts';

const log = createLogger('host-gate');

// The per-host politeness gate held in Redis, so the limit belongs to the host across every site, crawl run,
// process and machine sharing that Redis (docs/architecture.md, "Politeness"). Per host, three keys in one
// hash slot:
//   leases  ZSET  lease id → expiry (ms, Redis clock): one per request in flight (or waiting for its start).
//                 Its holder renews it every leaseMs/3, so a SIGKILLed process's slots free themselves after
//                 at most leaseMs.
//   state   HASH  next = the earliest time the next request may start (ms, Redis clock).
//   limits  ZSET  "max|delay" → expiry: the limits each asking config states, kept while it keeps asking
//                 (limitsTtlMs), robots.txt Crawl-delay as "0|delay" for a day. The strictest live entry holds.
// A request takes a lease (concurrency), sleeps until `next`, then claims the start in a second script call,
// which sets `next` from the moment it ran (a holder that woke late pushes the next start back instead of
// leaving it closer, as the in-process gate does), and once its request is sent a third call pushes `next` to a
// delay after the send. A request costs four short script calls (lease, start, sent, release), not a poll loop. A full host is asked again when a lease is released (pub/sub on one channel, and locally), or
// after a bounded, jittered wait for the leases of dead holders. Redis's TIME is the clock, so machines with
// skewed clocks still space their requests.

// Redis's clock in ms, and the strictest live limits of a host (its limits ZSET) with the caller's own.
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function strictest(limitsKey, max, delay)
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', limitsKey, now, '+inf')) do
    local a, b = string.match(m, '^(%d+)|(%d+)$')
    a = tonumber(a)
    b = tonumber(b)
    if a and a > 0 and a < max then max = a end
    if b and b > delay then delay = b end
  end
  return max, delay
end
`;

const ACQUIRE = `${PRELUDE}
local leaseMs = tonumber(ARGV[4])
local keepMs = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[5]), ARGV[2] .. '|' .. ARGV[3])
redis.call('PEXPIRE', KEYS[3], keepMs)
local max, delay = strictest(KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]))
local nextAt = tonumber(redis.call('HGET', KEYS[2], 'next') or '0')
local count = redis.call('ZCARD', KEYS[1])
if count >= max then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now, max, delay}
end
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[1])
redis.call('PEXPIRE', KEYS[1], keepMs)
return {1, math.max(0, nextAt - now), max, delay}
`;

const START = `${PRELUDE}
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if now < nextAt then return nextAt - now end
local _, delay = strictest(KEYS[2], 1, tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'next', now + delay)
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), delay))
return 0
`;

// After the request went out: a holder that was held up between its claim and its send (a busy event loop)
// pushes the next start back to a delay after the send, so the spacing holds between sends, not claims.
const STARTED = `${PRELUDE}
local _, delay = strictest(KEYS[2], 1, tonumber(ARGV[1]))
if now + delay > tonumber(redis.call('HGET', KEYS[1], 'next') or '0') then
  redis.call('HSET', KEYS[1], 'next', now + delay)
  redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), delay))
end
return 1
`;

const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

const RENEW = `${PRELUDE}
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
local e = now + tonumber(ARGV[2])
if s and tonumber(s) < e then
  redis.call('ZADD', KEYS[1], 'XX', e, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(ARGV[2])))
end
return s and 1 or 0
`;

const DEFER = `${PRELUDE}
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local want = now + tonumber(ARGV[1])
if want > nextAt then
  redis.call('HSET', KEYS[1], 'next', want)
  redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]), tonumber(ARGV[1])))
end
return 1
`;

const SET_DELAY = `${PRELUDE}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), '0|' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(ARGV[2])))
return 1
`;

type GateRedis = Redis & {
  gateAcquire(leases: string, state: string, limits: string, ...args: (string | number)[]): Promise<[number, number, number, number]>;
  gateStart(state: string, limits: string, delayMs: number, keepMs: number): Promise<number>;
  gateStarted(state: string, limits: string, delayMs: number, keepMs: number): Promise<number>;
  gateRelease(leases: string, id: string, channel: string, key: string): Promise<number>;
  gateRenew(leases: string, id: string, leaseMs: number): Promise<number>;
  gateDefer(state: string, ms: number, keepMs: number): Promise<number>;
  gateSetDelay(limits: string, ms: number, ttlMs: number): Promise<number>;
};

export type RedisHostGateOptions = {
  /** A redis:// URL or ioredis options (the workers' connection). */
  connection: string | RedisOptions;
  /** Key namespace. Not the queue prefix: archives sharing a Redis under different prefixes share hosts too. */
  namespace?: string;
  /** A lease not renewed for this long is a dead holder's: its slot frees itself. */
  leaseMs?: number;
  /** How long a config's limits keep applying to a host after its last request there. */
  limitsTtlMs?: number;
  /** Limits of a caller that states none. */
  defaults?: HostLimits;
  /** Longest wait on a full host before asking again (a release normally wakes the waiter first). */
  fullPollMs?: number;
};

interface Grant {
  id: string;
  /** Until the host's next start, as the lease was granted. */
  waitMs: number;
  /** This caller's delay (the scripts apply the strictest of it, the live configs and Crawl-delay). */
  delayMs: number;
}

interface Waiter {
  limits: HostLimits;
  resolve(g: Grant | 'local'): void;
  reject(e: Error): void;
}

interface HostQueue {
  waiters: Waiter[];
  pumping: boolean;
  wake: (() => void) | null;
}

const DAY_MS = 24 * 3600_000;

export class RedisHostGate implements HostGate {
  private readonly redis: GateRedis;
  private readonly sub: Redis;
  private readonly ns: string;
  private readonly channel: string;
  private readonly leaseMs: number;
  private readonly limitsTtlMs: number;
  private readonly defaults: HostLimits;
  private readonly fullPollMs: number;
  private readonly queues = new Map<string, HostQueue>();
  /** Leases held now, renewed together. */
  private readonly held = new Map<string, string>();
  private renewTimer: NodeJS.Timeout | null = null;
  /** While Redis cannot be reached, requests wait on this process's own gate (same limits). */
  private readonly fallback: MemoryHostGate;
  private outage = false;
  /** During an outage Redis is asked again at most this often; other requests go to the fallback meanwhile. */
  private retryRedisAt = 0;
  private closed = false;

  constructor(opts: RedisHostGateOptions) {
    this.ns = opts.namespace ?? 'nianbao:host-gate';
    this.channel = `${this.ns}:released`;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.limitsTtlMs = opts.limitsTtlMs ?? 10 * 60_000;
    this.defaults = opts.defaults ?? { maxConcurrency: 2, delayMs: 1000 };
    this.fullPollMs = opts.fullPollMs ?? 1000;
    this.fallback = new MemoryHostGate(this.defaults.maxConcurrency, this.defaults.delayMs);
    // Few retries and a command timeout: a Redis that is away sends requests to the fallback gate quickly
    // instead of holding the crawl.
    const common = { maxRetriesPerRequest: 1, commandTimeout: 10_000, connectionName: 'nianbao-host-gate' };
    const connect = (o: RedisOptions) =>
      typeof opts.connection === 'string' ? new Redis(opts.connection, o) : new Redis({ ...opts.connection, ...o });
    this.redis = connect(common) as GateRedis;
    this.redis.on('error', () => {});
    this.redis.defineCommand('gateAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    this.redis.defineCommand('gateStart', { numberOfKeys: 2, lua: START });
    this.redis.defineCommand('gateStarted', { numberOfKeys: 2, lua: STARTED });
    this.redis.defineCommand('gateRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis.defineCommand('gateRenew', { numberOfKeys: 1, lua: RENEW });
    this.redis.defineCommand('gateDefer', { numberOfKeys: 1, lua: DEFER });
    this.redis.defineCommand('gateSetDelay', { numberOfKeys: 1, lua: SET_DELAY });
    this.sub = connect({ ...common, commandTimeout: undefined, maxRetriesPerRequest: null });
    this.sub.on('error', () => {});
    this.sub.on('message', (_channel: string, key: string) => this.queues.get(key)?.wake?.());
    this.sub.subscribe(this.channel).catch(() => {
      /* without notifications a full host is retried every fullPollMs */
    });
  }

  private keys(key: string) {
    // One hash slot per host ({…}), so the scripts also run on a Redis Cluster.
    const base = `${this.ns}:{${key}}`;
    return { leases: `${base}:leases`, state: `${base}:state`, limits: `${base}:limits` };
  }

  setDelay(key: string, ms: number): void {
    this.fallback.setDelay(key, ms);
    this.redis.gateSetDelay(this.keys(key).limits, Math.round(ms), DAY_MS).catch(() => {});
  }

  defer(key: string, ms: number): void {
    this.fallback.defer(key, ms);
    this.redis.gateDefer(this.keys(key).state, Math.round(ms), DAY_MS).catch(() => {});
  }

  async run<T>(key: string, fn: () => Promise<T>, opts: { limits?: HostLimits; signal?: AbortSignal } = {}): Promise<T> {
    if (this.closed) throw new Error('host gate closed');
    const limits = opts.limits ?? this.defaults;
    const grant = await new Promise<Grant | 'local'>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new Error('aborted'));
      const q = this.queue(key);
      // The crawl's signal lives as long as the process: a listener left on it per request would pile up.
      const onAbort = () => {
        const i = q.waiters.indexOf(w);
        if (i >= 0) q.waiters.splice(i, 1);
        reject(new Error('aborted'));
      };
      const settle =
        <A>(f: (a: A) => void) =>
        (a: A) => {
          opts.signal?.removeEventListener('abort', onAbort);
          f(a);
        };
      const w: Waiter = { limits, resolve: settle(resolve), reject: settle(reject) };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      q.waiters.push(w);
      this.pump(key, q);
    });
    if (grant === 'local') return this.fallback.run(key, fn, opts);
    this.hold(grant.id, key);
    const k = this.keys(key);
    try {
      let wait = grant.waitMs;
      for (;;) {
        // A little jitter: holders that woke for the same start do not all ask in the same millisecond.
        if (wait > 0) await sleep(wait + Math.random() * 5, opts.signal);
        try {
          wait = await this.redis.gateStart(k.state, k.limits, grant.delayMs, DAY_MS);
        } catch {
          wait = 0; // Redis went away between lease and start: the lease stands for the slot
        }
        if (wait <= 0) break;
      }
      const running = fn();
      this.redis.gateStarted(k.state, k.limits, grant.delayMs, DAY_MS).catch(() => {});
      return await running;
    } finally {
      this.held.delete(grant.id);
      // The delay also runs from the answer (gateStarted again, on Redis's clock): a request that left late
      // (a busy event loop between the start and the socket write) still reaches the host a full delay before
      // the next one. Then the lease goes back.
      const p = this.redis.pipeline() as unknown as GateRedis & { exec(): Promise<unknown> };
      p.gateStarted(k.state, k.limits, grant.delayMs, DAY_MS);
      p.gateRelease(k.leases, grant.id, this.channel, key);
      p.exec()
        .catch(() => {
          /* the lease expires on its own */
        })
        .finally(() => this.queues.get(key)?.wake?.());
    }
  }

  private queue(key: string): HostQueue {
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = { waiters: [], pumping: false, wake: null }));
    return q;
  }

  /** One loop per host and process asks Redis for the head waiter; the rest wait here, in order. */
  private async pump(key: string, q: HostQueue): Promise<void> {
    if (q.pumping) return;
    q.pumping = true;
    const k = this.keys(key);
    try {
      while (q.waiters.length && !this.closed) {
        const head = q.waiters[0]!;
        if (this.outage && Date.now() < this.retryRedisAt) {
          q.waiters.shift();
          head.resolve('local');
          continue;
        }
        const id = randomUUID();
        let reply: [number, number, number, number];
        try {
          reply = await this.redis.gateAcquire(
            k.leases,
            k.state,
            k.limits,
            id,
            head.limits.maxConcurrency,
            head.limits.delayMs,
            this.leaseMs,
            this.limitsTtlMs,
            DAY_MS,
          );
          if (this.outage) {
            this.outage = false;
            log.info({}, 'host gate: Redis reachable again, limits shared across processes');
          }
        } catch (err) {
          this.retryRedisAt = Date.now() + 2_000;
          if (!this.outage) {
            this.outage = true;
            log.warn({ err: (err as Error).message }, 'host gate: Redis unreachable, limits held per process until it is back');
          }
          if (q.waiters[0] === head) q.waiters.shift();
          head.resolve('local');
          continue;
        }
        const [granted, ms] = reply;
        if (granted) {
          if (q.waiters[0] === head) {
            q.waiters.shift();
            head.resolve({ id, waitMs: ms, delayMs: head.limits.delayMs });
          } else {
            // The head gave up (aborted) while we asked: hand its lease back.
            this.redis.gateRelease(k.leases, id, this.channel, key).catch(() => {});
          }
          continue;
        }
        // Full: wait for a release, at most until the oldest lease would expire (a dead holder's) or the poll
        // bound, with jitter so processes do not ask in step.
        const bound = Math.max(20, Math.min(ms, this.fullPollMs));
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, bound * (0.8 + Math.random() * 0.4));
          function done() {
            clearTimeout(t);
            q.wake = null;
            resolve();
          }
          q.wake = done;
        });
      }
    } finally {
      q.pumping = false;
      if (!q.waiters.length) this.queues.delete(key);
      else if (!this.closed) this.pump(key, q);
    }
  }

  private hold(id: string, key: string): void {
    this.held.set(id, key);
    if (this.renewTimer) return;
    this.renewTimer = setInterval(() => this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
  }

  private renew(): void {
    if (!this.held.size) {
      clearInterval(this.renewTimer!);
      this.renewTimer = null;
      return;
    }
    const p = this.redis.pipeline();
    for (const [id, key] of this.held) (p as unknown as GateRedis).gateRenew(this.keys(key).leases, id, this.leaseMs);
    p.exec().catch(() => {});
  }

  /** Stops renewing (held leases expire), and closes the connections. Waiting requests fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const q of this.queues.values()) {
      for (const w of q.waiters.splice(0)) w.reject(new Error('host gate closed'));
      q.wake?.();
    }
    // Leases still held (a request that outlived its crawl) are handed back; a Redis that is away gets a
    // second to answer, then the leases expire on their own.
    const p = this.redis.pipeline();
    for (const [id, key] of this.held) (p as unknown as GateRedis).gateRelease(this.keys(key).leases, id, this.channel, key);
    this.held.clear();
    const bounded = (x: Promise<unknown>) => Promise.race([x.catch(() => {}), sleep(1000)]);
    await bounded(p.exec().then(() => this.redis.quit()));
    await bounded(this.sub.quit());
    this.redis.disconnect();
    this.sub.disconnect();
  }
}
