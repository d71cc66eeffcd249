import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis, RedisUnavailableError, freePort, type RedisHandle } from '../../../src/workers/redis.ts';

const dirs: string[] = [];
const handles: RedisHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'nianbao-redis-'));
  dirs.push(d);
  return d;
};

describe('ensureRedis', () => {
  it('starts a private redis-server on loopback with its append-only file beside the archive, and stops it', async () => {
    const dir = tmp();
    const h = await ensureRedis({ dataDir: dir, url: null });
    handles.push(h);
    expect(h.private).toBe(true);
    expect(h.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const c = new Redis(h.url);
    await c.set('k', 'v');
    expect(await c.get('k')).toBe('v');
    expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await c.config('GET', 'save')).toEqual(['save', '']);
    c.disconnect();
    expect(existsSync(path.join(dir, 'redis'))).toBe(true);

    await h.stop();
    const probe = new Redis(h.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
  });

  it('keeps queued data across a restart in the same folder (append-only file)', async () => {
    const dir = tmp();
    const a = await ensureRedis({ dataDir: dir, url: null });
    const c = new Redis(a.url);
    await c.rpush('jobs', 'one', 'two');
    c.disconnect();
    await a.stop();

    const b = await ensureRedis({ dataDir: dir, url: null });
    handles.push(b);
    const c2 = new Redis(b.url);
    expect(await c2.lrange('jobs', 0, -1)).toEqual(['one', 'two']);
    c2.disconnect();
  });

  it('stops the private server when its owner is killed with SIGKILL (no orphan)', async () => {
    const dir = tmp();
    const script = `
      const { ensureRedis } = await import(${JSON.stringify(path.resolve('src/workers/redis.ts'))});
      const h = await ensureRedis({ dataDir: ${JSON.stringify(dir)}, url: null });
      console.log(h.url);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
    const c = new Redis(url);
    expect(await c.ping()).toBe('PONG');
    c.disconnect();
    child.kill('SIGKILL');
    const deadline = Date.now() + 5_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => {});
      alive = await probe.connect().then(
        () => true,
        () => false,
      );
      probe.disconnect();
    }
    expect(alive).toBe(false);
  });

  it('uses a given URL without starting anything', async () => {
    const own = await ensureRedis({ dataDir: tmp(), url: null });
    handles.push(own);
    const h = await ensureRedis({ dataDir: tmp(), url: own.url });
    expect(h).toMatchObject({ url: own.url, private: false });
    await h.stop(); // a no-op: the server is not ours
    const c = new Redis(own.url);
    expect(await c.ping()).toBe('PONG');
    c.disconnect();
  });

  it('says clearly when redis-server is missing', async () => {
    const err = await ensureRedis({ dataDir: tmp(), url: null, binary: '/nonexistent/redis-server' }).catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect(err.code).toBe('missing_binary');
    expect(err.message).toMatch(/redis-server not found.*REDIS_URL/);
  });

  it('says clearly when a given REDIS_URL does not answer', async () => {
    const port = await freePort();
    const err = await ensureRedis({ dataDir: tmp(), url: `redis://127.0.0.1:${port}`, startTimeoutMs: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect(err.message).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`);
  });

  it('waits for a given REDIS_URL with backoff when asked to, one line per attempt', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const lines: string[] = [];
    const waiting = ensureRedis({ dataDir: tmp(), url, startTimeoutMs: 500, wait: { onWait: (l) => lines.push(l), firstDelayMs: 200 } });
    while (lines.length < 2) await new Promise((r) => setTimeout(r, 50));
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    try {
      const h = await waiting;
      expect(h).toMatchObject({ url, private: false });
      expect(lines[0]).toMatch(new RegExp(`^waiting for Redis at ${url}: .*ECONNREFUSED`));
      // Backoff: each wait doubles.
      expect(lines[0]).toContain('next attempt in 0.2 s');
      expect(lines[1]).toContain('next attempt in 0.4 s');
    } finally {
      server.kill('SIGTERM');
    }
  });
});

describe('nianbao with REDIS_URL down at start', () => {
  const bin = path.resolve('bin/nianbao.js');

  it('nianbao work waits for Redis, logging each attempt, and starts once Redis is up', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [bin, 'work', '--crawl', '--no-browser', '--concurrency', '1'], {
      env: { ...process.env, REDIS_URL: url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let server: ReturnType<typeof spawn> | null = null;
    try {
      const until = async (cond: () => boolean, ms: number, what: string) => {
        const deadline = Date.now() + ms;
        while (!cond()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout: ${out}; stderr: ${err}`);
          if (child.exitCode !== null) throw new Error(`nianbao work exited (${child.exitCode}); stdout: ${out}; stderr: ${err}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      const attempts = () => err.split('\n').filter((l) => l.startsWith(`nianbao work: waiting for Redis at ${url}: `)).length;
      await until(() => attempts() >= 2, 30_000, 'two waiting lines');
      expect(out).not.toContain('workers running');
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await until(() => out.includes('crawl workers running'), 30_000, 'the workers to start');
      // One line per attempt, each naming the URL and the reason.
      for (const l of err.split('\n').filter((x) => x.includes('waiting for Redis'))) expect(l).toMatch(/ECONNREFUSED|connect/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('nianbao work: stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      server?.kill('SIGTERM');
    }
  }, 90_000);

  it('a one-shot command with an unreachable REDIS_URL fails at once, naming the URL', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dir = tmp();
    const child = spawn(process.execPath, [bin, 'crawl', '--site', 'yongxiu', '--archive', path.join(dir, 'a.sqlite')], {
      env: { ...process.env, REDIS_URL: url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err).toContain(`cannot reach Redis at ${url}`);
    expect(err).not.toContain('waiting for Redis');
  }, 60_000);
});
