import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.ts';
import { ensureRedis, type RedisHandle } from '../../../src/workers/redis.ts';

/** REDIS_URL when given (CI may share one), else a private redis-server for this test file. */
export async function testRedis(): Promise<RedisHandle & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-test-redis-'));
  const h = await ensureRedis({ dataDir: dir });
  return {
    ...h,
    dir,
    async stop() {
      await h.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const uniquePrefix = () => `test-${randomUUID()}`;

export { dropPrefix } from '../../../src/workers/queues.ts';

export function tmpDir(label = 'nianbao-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), label));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the CLI in this process with captured output, as a user at a terminal would (minus the TTY). */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(['node', 'nianbao', ...args], { stdout, stderr, handleSignals: false });
  return { code, out, err };
}
