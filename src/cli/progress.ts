import cliProgress from 'cli-progress';
import { createLogger } from '../log.ts';

import type { ProgressSnapshot } from '../workers/stage-counts.ts';

export type { ProgressSnapshot, StageCounts } from '../workers/stage-counts.ts';

export interface Progress {
  update(s: ProgressSnapshot): void;
  stop(): void;
}

const STAGES = ['crawl', 'parse', 'archive'] as const;

/**
 * Bars on a terminal; on a pipe or in CI, a plain log line every `intervalMs` (bars there are just
 * carriage-return noise in the log file).
 */
export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  opts: { intervalMs?: number; label?: string } = {},
): Progress {
  if (stream.isTTY && !process.env.CI) return barProgress(stream);
  return lineProgress(opts.intervalMs ?? 10_000, opts.label ?? 'progress');
}

function barProgress(stream: NodeJS.WritableStream): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{stage} [{bar}] {value}/{total} {failedText}',
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = Object.fromEntries(STAGES.map((s) => [s, multi.create(1, 0, { stage: s.padEnd(7), failedText: '' })])) as Record<
    (typeof STAGES)[number],
    cliProgress.SingleBar
  >;
  return {
    update(snap) {
      for (const s of STAGES) {
        const c = snap[s];
        const finished = c.done + c.failed;
        bars[s].setTotal(Math.max(1, finished + c.pending));
        bars[s].update(finished, { failedText: c.failed ? `(${c.failed} failed)` : '' });
      }
    },
    stop() {
      multi.stop();
    },
  };
}

function lineProgress(intervalMs: number, label: string): Progress {
  const log = createLogger(label);
  let last = 0;
  let latest: ProgressSnapshot | undefined;
  const emit = () => {
    if (!latest) return;
    const parts = STAGES.map((s) => {
      const c = latest![s];
      return `${s} ${c.done + c.failed}/${c.done + c.failed + c.pending}${c.failed ? ` (${c.failed} failed)` : ''}`;
    });
    log.info(parts.join(', '));
  };
  return {
    update(snap) {
      latest = snap;
      if (Date.now() - last >= intervalMs) {
        last = Date.now();
        emit();
      }
    },
    stop() {
      emit();
    },
  };
}
