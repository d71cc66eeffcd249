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
 * A live worker renews its locks every lockDuration/2, so a lock only lapses when its process died or its
 * event loop was blocked for the whole lockDuration. Documents are parsed in the parse sandbox's thread
 * (src/documents/sandbox.ts) and pages render in Chromium, so no worker blocks its loop for seconds any
 * more: 20 s leaves a tenfold margin over the longest synchronous step seen on a busy two-core machine.
 * A checker pass every 5 s then puts a dead worker's job back in `wait` within 25 s (it was ~70 s with
 * 60 s + 30 s), and a worker that reconnects after a Redis restart finds the stalled jobs on its next
 * pass. maxStalledCount 5: a job may outlive several unlucky kills (a deploy, the chaos suite); a job
 * that stalls every time still ends up failed, visibly, instead of looping.
 * Tests and the chaos suite set them through NIANBAO_LOCK_MS / NIANBAO_STALLED_MS / NIANBAO_MAX_STALLED.
 */
export const DEFAULT_LOCK_MS = 20_000;
export const DEFAULT_STALLED_MS = 5_000;
export const DEFAULT_MAX_STALLED = 5;

export function workerOptions(opts: BaseWorkerOptions, overrides: Partial<WorkerOptions> = {}): WorkerOptions {
  const lockDuration = opts.lockDurationMs ?? envInt('NIANBAO_LOCK_MS') ?? DEFAULT_LOCK_MS;
  return {
    connection: opts.connection,
    prefix: opts.prefix ?? DEFAULT_PREFIX,
    concurrency: opts.concurrency ?? 1,
    lockDuration,
    stalledInterval:
      opts.stalledIntervalMs ?? envInt('NIANBAO_STALLED_MS') ?? Math.min(DEFAULT_STALLED_MS, Math.max(1_000, Math.round(lockDuration / 2))),
    maxStalledCount: opts.maxStalledCount ?? envInt('NIANBAO_MAX_STALLED') ?? DEFAULT_MAX_STALLED,
    ...overrides,
  };
}
