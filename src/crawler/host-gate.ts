// Politeness per host: at most `maxConcurrency` requests in flight and at least `delayMs` between request
// starts on one host (host and port, whatever the scheme: the server both schemes reach). The limit
// belongs to the host, not to the site or the process that asks: a city platform serving twenty counties
// gets two requests in flight, not forty. `MemoryHostGate` holds it within one process (tests, a bare
// crawlSite call); src/workers/host-gate-redis.ts holds it across every process sharing a Redis, and the
// crawl workers hand that one to every crawl through `CrawlSiteOptions.gate`.

export interface HostLimits {
  maxConcurrency: number;
  delayMs: number;
}

export interface HostGate {
  /**
   * Runs `fn` once the host has a free slot and the spacing since the last start has passed. `limits` are
   * the asking site's; a host used by sites with different limits gets the strictest of them.
   */
  run<T>(key: string, fn: () => Promise<T>, opts?: { limits?: HostLimits; signal?: AbortSignal }): Promise<T>;
  /** A host asking for more spacing (robots.txt Crawl-delay) gets it; never less than the sites' own delay. */
  setDelay(key: string, ms: number): void;
  /** Pushes the next start on a host back (Retry-After, backoff after 429/503). */
  defer(key: string, ms: number): void;
}

/**
 * The gate's key for a URL: `host[:port]`, lower-case, the scheme's default port dropped. The scheme is not part
 * of it: http:// and https:// links to one host (sites mix them) reach the same server, which counted each
 * scheme's requests apart and saw twice the rate.
 */
export function gateKey(url: string): string {
  return new URL(url).host.toLowerCase();
}

/** The stricter of two limits: the fewer requests in flight, the longer delay. */
export function strictest(a: HostLimits, b: HostLimits): HostLimits {
  return { maxConcurrency: Math.min(a.maxConcurrency, b.maxConcurrency), delayMs: Math.max(a.delayMs, b.delayMs) };
}

interface HostState {
  active: number;
  nextStart: number;
  limits: HostLimits;
  crawlDelayMs: number;
  waiters: (() => void)[];
}

/**
 * The gate within one process. Limits seen for a host only ever tighten here: the process (or crawl) that
 * owns this gate is short-lived next to a config change.
 */
export class MemoryHostGate implements HostGate {
  private state = new Map<string, HostState>();
  private readonly defaults: HostLimits;

  constructor(maxConcurrency: number, delayMs: number) {
    this.defaults = { maxConcurrency, delayMs };
  }

  private host(key: string, limits?: HostLimits): HostState {
    let s = this.state.get(key);
    if (!s) this.state.set(key, (s = { active: 0, nextStart: 0, limits: limits ?? this.defaults, crawlDelayMs: 0, waiters: [] }));
    else if (limits) s.limits = strictest(s.limits, limits);
    return s;
  }

  setDelay(key: string, ms: number): void {
    const s = this.host(key);
    s.crawlDelayMs = Math.max(s.crawlDelayMs, ms);
  }

  defer(key: string, ms: number): void {
    const s = this.host(key);
    s.nextStart = Math.max(s.nextStart, Date.now() + ms);
  }

  /** Requests in flight on a host now (tests). */
  inFlight(key: string): number {
    return this.state.get(key)?.active ?? 0;
  }

  async run<T>(key: string, fn: () => Promise<T>, opts: { limits?: HostLimits; signal?: AbortSignal } = {}): Promise<T> {
    const s = this.host(key, opts.limits);
    while (s.active >= s.limits.maxConcurrency) {
      await new Promise<void>((r) => s.waiters.push(r));
    }
    s.active++;
    const delayMs = () => Math.max(s.limits.delayMs, s.crawlDelayMs);
    try {
      for (;;) {
        const wait = s.nextStart - Date.now();
        if (wait <= 0) break;
        await sleep(wait, opts.signal);
      }
      s.nextStart = Date.now() + delayMs();
      return await fn();
    } finally {
      // The delay also runs from the answer: a request that left late (a busy event loop between the start and
      // the socket write) still reaches the host a full delay before the next one.
      s.nextStart = Math.max(s.nextStart, Date.now() + delayMs());
      s.active--;
      s.waiters.shift()?.();
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
