import type { ConnectionOptions, WorkerOptions } from 'bullmq';
import { DEFAULT_PREFIX } from './queues.ts';

export type WorkerTuning = {
  /** How long a job stays locked without a renewal before it counts as stalled. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers. */
  stalledIntervalMs?: number;
  maxStalledCount?: number;
};

export type BaseWorkerOptions = WorkerTuning & {
  connection: ConnectionOptions;
  prefix?: string;
  concurrency?: number;
};

const envInt = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

/**
 * A live worker renews its locks every lockDuration/2, so the lock only lapses when the process died or
 * its event loop was blocked for the whole lockDuration (a pathological PDF). 60 s keeps those false
 * stalls rare; a dead worker's job is back in `wait` within lockDuration + stalledInterval (≤ 90 s).
 * Tests shorten both through NIANBAO_LOCK_MS / NIANBAO_STALLED_MS or the options.
 */
export function workerOptions(opts: BaseWorkerOptions, overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  const lockDuration = opts.lockDurationMs ?? envInt('NIANBAO_LOCK_MS') ?? 60_000;
  return {
    connection: opts.connection,
    prefix: opts.prefix ?? DEFAULT_PREFIX,
    concurrency: opts.concurrency ?? 1,
    lockDuration,
    stalledInterval: opts.stalledIntervalMs ?? envInt('NIANBAO_STALLED_MS') ?? Math.max(1_000, Math.round(lockDuration / 2)),
    // Twice, not once: a job that stalls because its worker was killed during a deploy should survive a
    // second unlucky kill; a job that stalls every time (blocks the loop) should end up failed, visibly.
    maxStalledCount: opts.maxStalledCount ?? 2,
    ...overrides,
  };
}
