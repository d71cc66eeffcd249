// Several parse sandboxes side by side. One sandbox parses one document at a time, so a worker with parse
// concurrency 2 on one sandbox used one core; the pool gives each concurrent parse a thread of its own.
//
// The RSS watchdog of each sandbox looks at the whole process: with two documents in flight, one document's
// bloat can push the process over the cap while the other's thread is the one killed. So a memory refusal
// (`too_large`) that happened while another document was in flight is not trusted: the document is parsed
// again alone, with the pool drained, and only that answer stands.
import { DocumentError } from './errors.ts';
import { availableParallelism } from 'node:os';
import { ParseSandbox, sharedSandbox, type SandboxStats } from './sandbox.ts';

export type PoolStats = SandboxStats & { threads: number; isolatedRetries: number };

export class SandboxPool {
  readonly size: number;
  private readonly sandboxes: ParseSandbox[];
  private readonly busy: boolean[];
  /** Callers waiting for a free sandbox (or for an exclusive run to end). */
  private readonly waiting: Array<() => void> = [];
  private exclusive = false;
  private isolatedRetries = 0;
  /** Runs in flight; each learns whether another document shared the process with it at any moment. */
  private readonly active = new Set<{ overlapped: boolean }>();

  constructor(size: number, make: (index: number) => ParseSandbox = () => new ParseSandbox()) {
    this.size = Math.max(1, Math.floor(size));
    this.sandboxes = Array.from({ length: this.size }, (_, i) => make(i));
    this.busy = this.sandboxes.map(() => false);
  }

  /** Runs `fn` on a free sandbox; a memory refusal under concurrency is re-checked with the document alone. */
  async run<T>(fn: (sandbox: ParseSandbox) => Promise<T>): Promise<T> {
    const i = await this.acquire();
    const run = { overlapped: this.active.size > 0 };
    for (const other of this.active) other.overlapped = true;
    this.active.add(run);
    try {
      return await fn(this.sandboxes[i]);
    } catch (err) {
      if (!(err instanceof DocumentError && err.code === 'too_large' && run.overlapped)) throw err;
    } finally {
      this.active.delete(run);
      this.release(i);
    }
    this.isolatedRetries++;
    return this.runAlone(fn);
  }

  get stats(): PoolStats {
    const all = this.sandboxes.map((s) => s.stats);
    return {
      parsed: all.reduce((n, s) => n + s.parsed, 0),
      failed: all.reduce((n, s) => n + s.failed, 0),
      restarts: all.reduce((n, s) => n + s.restarts, 0),
      peakRssMb: Math.max(...all.map((s) => s.peakRssMb)),
      longestMs: Math.max(...all.map((s) => s.longestMs)),
      threads: this.size,
      isolatedRetries: this.isolatedRetries,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.sandboxes.map((s) => s.close()));
  }

  private async runAlone<T>(fn: (sandbox: ParseSandbox) => Promise<T>): Promise<T> {
    // Take every sandbox: nothing else runs until this document is done.
    while (this.exclusive) await new Promise<void>((r) => this.waiting.push(r));
    this.exclusive = true;
    try {
      while (this.busy.some(Boolean)) await new Promise<void>((r) => this.waiting.push(r));
      this.busy[0] = true;
      try {
        return await fn(this.sandboxes[0]);
      } finally {
        this.busy[0] = false;
      }
    } finally {
      this.exclusive = false;
      this.wake();
    }
  }

  private async acquire(): Promise<number> {
    for (;;) {
      if (!this.exclusive) {
        const free = this.busy.indexOf(false);
        if (free >= 0) {
          this.busy[free] = true;
          return free;
        }
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(i: number): void {
    this.busy[i] = false;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

let shared: SandboxPool | undefined;

/**
 * The process's pool: `threads` parse threads (at most one per core: more would only compete for it), the
 * first of them the process's shared sandbox. The first caller sets the size.
 */
export function sharedSandboxPool(threads: number): SandboxPool {
  return (shared ??= new SandboxPool(Math.min(threads, availableParallelism()), (i) => (i === 0 ? sharedSandbox() : new ParseSandbox())));
}
