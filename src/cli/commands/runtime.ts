import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Archive } from '../../store/archive.ts';
import { ensureRedis, type RedisHandle } from '../../workers/redis.ts';
import { dataDirOf } from './common.ts';

export type Runtime = { redis: RedisHandle; archive?: Archive };

/**
 * Opens what a command needs and always releases it: the archive (this process becomes its writer) and
 * Redis (REDIS_URL, else a private server whose data lives beside the archive).
 */
export async function withRuntime<T>(
  opts: { archivePath?: string; redisDataDir?: string },
  fn: (rt: Runtime) => Promise<T>,
): Promise<T> {
  let archive: Archive | undefined;
  if (opts.archivePath) {
    const { Archive } = await import('../../store/archive.ts');
    archive = Archive.open(opts.archivePath);
  }
  let redis: RedisHandle | undefined;
  try {
    const dataDir = opts.redisDataDir ?? (opts.archivePath ? dataDirOf(opts.archivePath) : path.resolve('data'));
    const name = opts.archivePath ? path.basename(opts.archivePath).replace(/\.[^.]*$/, '') : 'workers';
    if (!process.env.REDIS_URL && archive && isFreshArchive(archive)) {
      // Jobs left in a private Redis belong to the archive that was here before (deleted or replaced):
      // finished parse jobs there would make BullMQ skip this archive's documents as already parsed.
      rmSync(path.join(dataDir, 'redis', name), { recursive: true, force: true });
    }
    redis = await ensureRedis({ dataDir, name });
    return await fn({ redis, archive });
  } finally {
    await redis?.stop();
    archive?.close();
  }
}

function isFreshArchive(archive: Archive): boolean {
  const row = archive.db.prepare('SELECT count(*) AS n FROM crawl_runs').get() as { n: number };
  return row.n === 0;
}
