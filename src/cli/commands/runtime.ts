import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Archive } from '../../store/archive.ts';
import { ensureRedis, type EnsureRedisOptions, type RedisHandle } from '../../workers/redis.ts';
import { dataDirOf } from './common.ts';

export type Runtime = { redis: RedisHandle; archive?: Archive };

/**
 * Opens what a command needs and always releases it: the archive (this process becomes its writer) and
 * Redis (REDIS_URL, else a private server whose data lives beside the archive).
 *
 * A private Redis's data (`<archive folder>/redis/<name>`, tens of MB of finished jobs carrying document
 * bytes) is removed when the command finishes without an error: the archive holds everything, and a
 * crawl or reparse needs no queue state from an earlier one. `keepRedisData` (long-running `nianbao
 * work`) keeps it; so does a command that failed, so its queued work can be inspected or resumed.
 */
export async function withRuntime<T>(
  opts: { archivePath?: string; redisDataDir?: string; keepRedisData?: boolean; waitForRedis?: EnsureRedisOptions['wait'] },
  fn: (rt: Runtime) => Promise<T>,
): Promise<T> {
  let archive: Archive | undefined;
  if (opts.archivePath) {
    const { Archive } = await import('../../store/archive.ts');
    archive = Archive.open(opts.archivePath);
  }
  let redis: RedisHandle | undefined;
  let finished = false;
  const dataDir = opts.redisDataDir ?? (opts.archivePath ? dataDirOf(opts.archivePath) : path.resolve('data'));
  const name = opts.archivePath ? path.basename(opts.archivePath).replace(/\.[^.]*$/, '') : 'workers';
  const redisDir = path.join(dataDir, 'redis', name);
  try {
    if (!process.env.REDIS_URL && archive && isFreshArchive(archive)) {
      // Jobs left in a private Redis belong to the archive that was here before (deleted or replaced):
      // finished parse jobs there would make BullMQ skip this archive's documents as already parsed.
      rmSync(redisDir, { recursive: true, force: true });
    }
    redis = await ensureRedis({ dataDir, name, ...(opts.waitForRedis ? { wait: opts.waitForRedis } : {}) });
    const result = await fn({ redis, archive });
    finished = true;
    return result;
  } finally {
    await redis?.stop();
    archive?.close();
    if (finished && redis?.private && !opts.keepRedisData) removePrivateRedisData(redisDir);
  }
}

function removePrivateRedisData(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  // The shared parent goes too when no other archive's Redis lives there.
  const parent = path.dirname(dir);
  try {
    if (readdirSync(parent).length === 0) rmdirSync(parent);
  } catch {
    /* already gone */
  }
}

function isFreshArchive(archive: Archive): boolean {
  const row = archive.db.prepare('SELECT count(*) AS n FROM crawl_runs').get() as { n: number };
  return row.n === 0;
}
