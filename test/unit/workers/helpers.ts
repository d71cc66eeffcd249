import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
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
