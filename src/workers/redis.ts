import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '../log.ts';

const log = createLogger('redis');

export type RedisHandle = {
  url: string;
  /** True when this process started the server (and stops it). */
  private: boolean;
  stop(): Promise<void>;
};

export class RedisUnavailableError extends Error {
  readonly code: 'missing_binary' | 'start_failed' | 'unreachable';
  constructor(code: RedisUnavailableError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUnavailableError';
    this.code = code;
  }
}

export type EnsureRedisOptions = {
  /** Folder beside the archive; the private server keeps its append-only file in `<dataDir>/redis`. */
  dataDir: string;
  /**
   * Sub-folder of `<dataDir>/redis`: one per archive, because queued jobs name crawl runs of one
   * archive and two servers must never share an append-only file.
   */
  name?: string;
  /** Defaults to process.env.REDIS_URL. Pass null to force a private server. */
  url?: string | null;
  /** Defaults to $NIANBAO_REDIS_SERVER or `redis-server` on PATH. */
  binary?: string;
  startTimeoutMs?: number;
  /**
   * A long-running worker waits for a given REDIS_URL instead of failing: it tries again with backoff
   * (1 s doubling to `maxDelayMs`) and reports each failed attempt through `onWait`. One-shot commands
   * leave this unset and fail at once, naming the URL.
   */
  wait?: { onWait(line: string): void; signal?: AbortSignal; maxDelayMs?: number; firstDelayMs?: number };
};

/**
 * A Redis for the queues: REDIS_URL when given (workers on several machines share it), otherwise a
 * private redis-server child on a free loopback port, so `nianbao demo` needs nothing running.
 */
export async function ensureRedis(opts: EnsureRedisOptions): Promise<RedisHandle> {
  const url = opts.url === undefined ? process.env.REDIS_URL : opts.url;
  if (url) {
    if (opts.wait) await waitForRedis(url, opts.startTimeoutMs ?? 5_000, opts.wait);
    else
      await pingWithClient(url, opts.startTimeoutMs ?? 5_000).catch((err) => {
        throw new RedisUnavailableError('unreachable', `cannot reach Redis at ${redact(url)}: ${reasonOf(err)}`, { cause: err });
      });
    return { url, private: false, stop: async () => {} };
  }
  return startPrivateRedis(opts);
}

async function pingWithClient(url: string, timeoutMs: number): Promise<void> {
  // ioredis, not a raw socket: a shared Redis may need TLS (rediss://) or ACL users.
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  // Without retries ioredis rejects with "Connection is closed."; the socket's own error says why.
  let cause: Error | null = null;
  client.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw cause ?? err;
  } finally {
    client.disconnect();
  }
}

async function waitForRedis(url: string, timeoutMs: number, wait: NonNullable<EnsureRedisOptions['wait']>): Promise<void> {
  const max = wait.maxDelayMs ?? 30_000;
  let delay = wait.firstDelayMs ?? 1_000;
  for (;;) {
    try {
      await pingWithClient(url, timeoutMs);
      return;
    } catch (err) {
      if (wait.signal?.aborted)
        throw new RedisUnavailableError('unreachable', `stopped waiting for Redis at ${redact(url)}`, { cause: err });
      wait.onWait(
        `waiting for Redis at ${redact(url)}: ${reasonOf(err)} (next attempt in ${(delay / 1000).toFixed(delay < 1000 ? 1 : 0)} s)`,
      );
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      wait.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
    if (wait.signal?.aborted) throw new RedisUnavailableError('unreachable', `stopped waiting for Redis at ${redact(url)}`);
    delay = Math.min(max, delay * 2);
  }
}

/** ioredis rejects a refused connection with an empty AggregateError message: name the socket error instead. */
function reasonOf(err: unknown): string {
  const e = err as Error & { code?: string; errors?: (Error & { code?: string })[] };
  const inner = e.errors?.[0];
  return e.message || inner?.message || e.code || inner?.code || String(err);
}

function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

async function startPrivateRedis(opts: EnsureRedisOptions): Promise<RedisHandle> {
  const binary = opts.binary ?? process.env.NIANBAO_REDIS_SERVER ?? 'redis-server';
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new RedisUnavailableError(
      'missing_binary',
      `redis-server not found (${binary}): install it (apt-get install redis-server) or set REDIS_URL to an existing Redis`,
      { cause: probe.error },
    );
  }
  const dir = path.resolve(opts.dataDir, 'redis', opts.name ?? '');
  mkdirSync(dir, { recursive: true });

  let lastError: unknown;
  // The free port is found before redis binds it, so another process can take it in between: retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await spawnRedis(binary, port, dir, opts.startTimeoutMs ?? 15_000);
    } catch (err) {
      lastError = err;
      log.debug({ port, err }, 'redis-server did not start, retrying on another port');
    }
  }
  throw new RedisUnavailableError('start_failed', `redis-server did not start: ${(lastError as Error)?.message}`, {
    cause: lastError,
  });
}

// A shell watchdog holds redis-server: when this process dies, even by SIGKILL, the watchdog's stdin
// pipe closes and it stops redis, so no orphan server keeps the port and the data folder.
const WATCHDOG = 'redis-server "$@" & r=$!; read _ignored; kill -TERM $r 2>/dev/null; wait $r';

async function spawnRedis(binary: string, port: number, dir: string, timeoutMs: number): Promise<RedisHandle> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG.replace('redis-server', quote(binary)), 'nianbao-redis', ...args], {
    // Its own process group: a Ctrl-C in the terminal must reach nianbao (which shuts workers down
    // first) and not kill Redis under jobs that are still finishing.
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `redis://127.0.0.1:${port}`;

  const died = exited.then((code) => {
    throw new Error(`redis-server exited (${code}) ${stderr.trim()}`);
  });
  try {
    await Promise.race([waitForPing(url, timeoutMs), died]);
  } catch (err) {
    killGroup(child);
    await exited;
    throw err;
  }
  died.catch(() => {});
  log.debug({ url, dir }, 'private redis-server started');

  const onExit = () => killGroup(child);
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url,
    private: true,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        child.stdin!.end(); // the watchdog sends SIGTERM: Redis flushes its append-only file and exits
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING with PONG (not LOADING, not a refused connection). */
export async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const reply = await pingOnce(url, Math.max(200, Math.min(2_000, deadline - Date.now())));
      if (reply.startsWith('+PONG')) return;
      last = reply.trim();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no PONG within ${timeoutMs} ms (${last})`);
}

function pingOnce(url: string, timeoutMs: number): Promise<string> {
  const u = new URL(url);
  const lines: string[] = [];
  if (u.password) {
    const user = decodeURIComponent(u.username || 'default');
    lines.push(`AUTH ${user} ${decodeURIComponent(u.password)}`);
  }
  lines.push('PING');
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    let buf = '';
    sock.on('connect', () => sock.write(lines.map((l) => l + '\r\n').join('')));
    sock.on('data', (d) => {
      buf += d;
      const replies = buf.split('\r\n').filter(Boolean);
      if (replies.length >= lines.length) {
        clearTimeout(timer);
        sock.destroy();
        const auth = lines.length > 1 ? replies[0] : '+OK';
        resolve(auth.startsWith('-') ? auth : replies[replies.length - 1]);
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
