// Every document parsed inside limits that hold for the whole process. parseDocument runs in a worker
// thread with V8 heap and stack limits (resourceLimits); this thread keeps a wall clock and an RSS
// watchdog on the whole process, because what a hostile document inflates (zlib output, image rasters,
// pdf.js buffers) lives outside the V8 heap that resourceLimits caps. A document that trips a limit gets
// a DocumentError (`timeout`, `too_large`, `too_deep`); the thread is terminated (this works even while
// it is stuck in a synchronous loop) and a fresh one serves the next document. The caller survives.
// Caps checked before allocation (limits.ts, src/parse/html-guard.ts) refuse most hostile documents
// cheaply; these limits are the backstop for whatever gets past them.
import { Worker } from 'node:worker_threads';
import type { Extraction, StagedParse } from '../parse/parse-file.ts';
import type { ParseResult } from '../schema/parse-result.ts';
import { DocumentError, type DocumentErrorCode } from './errors.ts';

export type SandboxInfo = { filename?: string; url?: string; contentType?: string | null; charset?: string | null };
/** A later page of a report split over several pages (src/parse/continuation.ts). */
export type SandboxPart = { bytes: Uint8Array; url?: string; contentType?: string | null; filename?: string };

export type SandboxLimits = {
  /** Larger inputs are refused before parsing: the page-size limit (a 50 MB page parses in ~400 MB). */
  maxInputBytes: number;
  /** Wall clock per document (OCR of a 20-page scan needs about a minute on one core). */
  timeoutMs: number;
  /**
   * Resident set of the whole process while a document is being parsed. 900 MB: the watchdog looks
   * every 50 ms, and what a document allocates between two looks stays under a 1 GB ceiling.
   */
  maxRssMb: number;
  /**
   * What one document may add to the resident set of a process that was already above `maxRssMb - maxGrowthMb`
   * when it started: a process that also crawls (the demo, `nianbao crawl`) holds the crawler, the browser and
   * the simulated web, and an ordinary PDF must not be refused for their memory. The cap that applies is
   * max(maxRssMb, RSS at the document's start + maxGrowthMb).
   */
  maxGrowthMb: number;
  /** V8 old-generation heap of the parsing thread. */
  maxHeapMb: number;
  /** V8 stack of the parsing thread (readers recurse over nested markup). */
  stackSizeMb: number;
  /** How often the RSS watchdog looks. */
  pollMs: number;
};

export const SANDBOX_LIMITS: SandboxLimits = {
  maxInputBytes: 64 * 1024 * 1024,
  timeoutMs: 120_000,
  maxRssMb: 900,
  maxGrowthMb: 512,
  maxHeapMb: 640,
  stackSizeMb: 16,
  pollMs: 50,
};

const envInt = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

/** Limits from the environment (NIANBAO_PARSE_TIMEOUT_MS, NIANBAO_PARSE_MAX_RSS_MB) over the defaults. */
export function sandboxLimitsFromEnv(base: SandboxLimits = SANDBOX_LIMITS): SandboxLimits {
  return {
    ...base,
    timeoutMs: envInt('NIANBAO_PARSE_TIMEOUT_MS') ?? base.timeoutMs,
    maxRssMb: envInt('NIANBAO_PARSE_MAX_RSS_MB') ?? base.maxRssMb,
  };
}

const THREAD_URL = new URL('./sandbox-thread.mjs', import.meta.url);

type Reply =
  | { id: number; ok: true; staged: StagedParse }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; filename?: string | null } };

type Pending = {
  id: number;
  filename: string | null;
  resolve: (r: StagedParse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  started: number;
  /** Resident set when this document started, for the growth cap. */
  rssAtStart: number;
};

export type SandboxStats = { parsed: number; failed: number; restarts: number; peakRssMb: number; longestMs: number };

/** One parsing thread; documents are parsed one at a time, in call order. */
export class ParseSandbox {
  readonly limits: SandboxLimits;
  readonly stats: SandboxStats = { parsed: 0, failed: 0, restarts: 0, peakRssMb: 0, longestMs: 0 };
  /** Documents that went through pdf.js/OCR/DOCX extraction (the others were HTML, text or stored extractions). */
  extracted = 0;
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private current: Pending | null = null;
  /** The last parse in line: the next one starts when it settles. */
  private tail: Promise<unknown> = Promise.resolve();
  private watchdog: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Process groups of tools the current thread started (tools.ts), killed with the thread. */
  private tools = new Set<number>();
  private closed = false;

  constructor(limits: Partial<SandboxLimits> = {}) {
    this.limits = { ...sandboxLimitsFromEnv(), ...limits };
  }

  /**
   * parseDocument (src/parse/parse-file.ts) in the sandbox; with `parts`, parseDocumentPages over the first
   * page and its continuation pages. Rejects with DocumentError on a limit.
   */
  parse(bytes: Uint8Array, info: SandboxInfo = {}, parts: SandboxPart[] = []): Promise<ParseResult> {
    return this.parseStaged(bytes, info, parts).then((s) => s.result);
  }

  /** parse, with a binary document's extraction and the time each stage took (StagedParse). */
  parseStaged(bytes: Uint8Array, info: SandboxInfo = {}, parts: SandboxPart[] = []): Promise<StagedParse> {
    if (this.closed) return Promise.reject(new Error('parse sandbox is closed'));
    // The pages are parsed together, so the page-size limit holds for all of them at once.
    const total = parts.reduce((n, p) => n + p.bytes.length, bytes.length);
    if (total > this.limits.maxInputBytes) {
      return Promise.reject(
        new DocumentError(
          'too_large',
          info.filename,
          `${total} bytes${parts.length ? ` over ${parts.length + 1} pages` : ''} is over the ${this.limits.maxInputBytes} bytes a document may have`,
        ),
      );
    }
    return this.enqueue(info, () => {
      const data = new Uint8Array(bytes); // a copy: the caller's buffer is neither detached nor shared
      const partData = parts.map((p) => ({ ...p, bytes: new Uint8Array(p.bytes) }));
      return {
        message: { bytes: data, ...(partData.length ? { parts: partData } : {}) },
        transfer: [data.buffer as ArrayBuffer, ...partData.map((p) => p.bytes.buffer as ArrayBuffer)],
      };
    });
  }

  /**
   * A stored extraction → ParseResult, without pdf.js/OCR. Still in the thread: the text came from a hostile
   * document and a parser change may meet it for the first time, so the wall clock and heap limits still hold.
   */
  parseExtraction(extraction: Extraction, info: SandboxInfo = {}): Promise<StagedParse> {
    if (this.closed) return Promise.reject(new Error('parse sandbox is closed'));
    const size = Buffer.byteLength(extraction.body);
    if (size > this.limits.maxInputBytes) {
      return Promise.reject(
        new DocumentError(
          'too_large',
          info.filename,
          `${size} bytes of text is over the ${this.limits.maxInputBytes} bytes a document may have`,
        ),
      );
    }
    return this.enqueue(info, () => ({ message: { extraction }, transfer: [] }));
  }

  private enqueue(info: SandboxInfo, payload: () => { message: object; transfer: ArrayBuffer[] }): Promise<StagedParse> {
    const run = this.tail.then(() => this.run(info, payload));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchdog();
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }

  private async run(info: SandboxInfo, payload: () => { message: object; transfer: ArrayBuffer[] }): Promise<StagedParse> {
    const filename = info.filename ?? null;
    const id = this.nextId++;
    const result = new Promise<StagedParse>((resolve, reject) => {
      const timer = setTimeout(() => this.kill('timeout', `not parsed within ${this.limits.timeoutMs} ms`), this.limits.timeoutMs);
      this.current = { id, filename, resolve, reject, timer, started: Date.now(), rssAtStart: process.memoryUsage.rss() };
    });
    const settled = result.then(
      (s) => {
        if (s.extraction) this.extracted++;
        this.finish(true);
      },
      () => this.finish(false),
    );
    void settled;
    try {
      const worker = await this.start();
      if (this.current?.id !== id) return result; // killed (timeout) while the thread was starting
      worker.ref();
      this.startWatchdog();
      const { message, transfer } = payload();
      worker.postMessage(
        {
          id,
          info: { filename: info.filename, url: info.url, contentType: info.contentType ?? null, charset: info.charset ?? null },
          ...message,
        },
        transfer,
      );
    } catch (e) {
      this.settle(id, (p) => p.reject(e as Error));
    }
    return result;
  }

  private finish(ok: boolean): void {
    if (ok) this.stats.parsed++;
    else this.stats.failed++;
    this.stopWatchdog();
    this.worker?.unref();
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.current;
    if (!p || p.id !== id) return;
    this.current = null;
    clearTimeout(p.timer);
    this.stats.longestMs = Math.max(this.stats.longestMs, Date.now() - p.started);
    fn(p);
  }

  private start(): Promise<Worker> {
    if (this.worker && this.ready) return this.ready.then(() => this.worker!);
    const worker = new Worker(THREAD_URL, {
      // Not the parent's flags (vitest, --import tsx): the thread registers tsx itself.
      execArgv: [],
      // stdout/stderr go to this process's (the default): a `stdout: true` stream holds a MessagePort
      // that keeps an idle process alive, so `nianbao work` would not exit on SIGTERM.
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: this.limits.stackSizeMb },
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: boolean }) => (m?.ready ? resolve() : reject(new Error('parse sandbox did not start'))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`parse sandbox exited (${code}) while starting`)));
    });
    worker.on('message', (m: Reply | { ready: true } | { tool: { pid: number; alive: boolean } }) => {
      if ('tool' in m) {
        if (m.tool.alive) this.tools.add(m.tool.pid);
        else this.tools.delete(m.tool.pid);
        return;
      }
      if (!('id' in m)) return;
      if (m.ok) this.settle(m.id, (p) => p.resolve(m.staged));
      else this.settle(m.id, (p) => p.reject(reviveError(m.error)));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const code: DocumentErrorCode = oom ? 'too_large' : /call stack/i.test(e.message) ? 'too_deep' : 'unsupported';
      this.kill(code, oom ? `needs more than the ${this.limits.maxHeapMb} MB parse heap` : `parser failed: ${e.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.kill('unsupported', `parser thread exited (${code})`);
    });
    return this.ready.then(() => worker);
  }

  /** Ends the current parse with `code` and throws the thread away; the next parse starts a new one. */
  private kill(code: DocumentErrorCode, message: string): void {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) {
      this.stats.restarts++;
      void w.terminate();
    }
    for (const pid of this.tools) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.tools.clear();
    const p = this.current;
    if (p) this.settle(p.id, (q) => q.reject(new DocumentError(code, q.filename, message)));
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    const MB = 1024 * 1024;
    this.watchdog = setInterval(() => {
      const rss = process.memoryUsage.rss();
      this.stats.peakRssMb = Math.max(this.stats.peakRssMb, Math.round(rss / MB));
      const p = this.current;
      if (!p) return;
      const cap = Math.max(this.limits.maxRssMb * MB, p.rssAtStart + this.limits.maxGrowthMb * MB);
      if (rss > cap)
        this.kill('too_large', `parsing took the process to ${Math.round(rss / MB)} MB, over the ${Math.round(cap / MB)} MB cap`);
    }, this.limits.pollMs);
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }
}

/** Errors cross the thread boundary as plain data; a DocumentError comes back as one. */
function reviveError(e: { name: string; message: string; code?: string; filename?: string | null }): Error {
  if (e.name === 'DocumentError' && e.code) {
    const err = new DocumentError(e.code as DocumentErrorCode, e.filename ?? null, '');
    err.message = e.message;
    return err;
  }
  if (e.name === 'RangeError' && /call stack/i.test(e.message))
    return new DocumentError('too_deep', e.filename ?? null, `nested deeper than the parser can walk (${e.message})`);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

let shared: ParseSandbox | null = null;
/** The process's sandbox (created on first use; an idle sandbox does not keep the process alive). */
export function sharedSandbox(): ParseSandbox {
  return (shared ??= new ParseSandbox());
}
