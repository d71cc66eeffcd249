import { Worker } from 'node:worker_threads';
import { DocumentError } from '../errors.ts';
import type { PageGeometry, Segment, TextItem } from '../layout.ts';

export type RawPdfPage = PageGeometry & { images: number };
export type RawPdf = { numPages: number; pages: RawPdfPage[] };

export type PdfReadOptions = {
  filename?: string | null;
  maxPages: number;
  timeoutMs: number;
  maxHeapMb: number;
};

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
// A reused thread is replaced now and then, so whatever pdf.js keeps between documents cannot pile up.
const DOCUMENTS_PER_THREAD = 50;
// pdf.js keeps fonts, cMaps and a grown heap after a document (~150 MB a thread, one per parse thread): a
// thread with no PDF for this long is ended, and the next PDF pays a new thread's start (~70 ms). A re-parse
// or a PDF-heavy site keeps it busy; a crawl between PDFs gives the memory back.
const IDLE_MS = Number(process.env.NIANBAO_PDF_IDLE_MS) || 5_000;

type Reply = { id: number; ok: true; result: RawPdf } | { id: number; ok: false; name: string; message: string };
type Current = { id: number; resolve: (r: RawPdf) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; name?: string | null };

/**
 * The pdf.js thread: one PDF at a time, reused across documents. It has its own heap limit and is
 * terminated on timeout, out of memory or a crash, so a hostile PDF costs at most `timeoutMs` and
 * `maxHeapMb`, and the next PDF gets a fresh thread.
 */
class PdfThread {
  private worker: Worker | null = null;
  private heapMb = 0;
  private served = 0;
  private current: Current | null = null;
  private nextId = 1;
  private tail: Promise<unknown> = Promise.resolve();
  private idle: NodeJS.Timeout | null = null;

  read(bytes: Uint8Array, opts: PdfReadOptions): Promise<RawPdf> {
    const run = this.tail.then(() => this.run(bytes, opts));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private run(bytes: Uint8Array, opts: PdfReadOptions): Promise<RawPdf> {
    const name = opts.filename;
    return new Promise<RawPdf>((resolve, reject) => {
      if (this.idle) clearTimeout(this.idle);
      this.idle = null;
      const worker = this.threadFor(opts.maxHeapMb);
      const id = this.nextId++;
      const timer = setTimeout(
        () => this.fail(new DocumentError('timeout', name, `PDF not read within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
      this.current = { id, resolve, reject, timer, name };
      worker.ref();
      // A copy, so the caller's buffer is not detached or shared with the worker.
      const data = new Uint8Array(bytes);
      worker.postMessage({ id, data, maxPages: opts.maxPages }, [data.buffer as ArrayBuffer]);
    });
  }

  private threadFor(maxHeapMb: number): Worker {
    if (this.worker && (this.heapMb !== maxHeapMb || this.served >= DOCUMENTS_PER_THREAD)) this.discard();
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 8 },
      // Output goes to this process's (pdf.js runs with verbosity 0): a `stdout: true` stream holds a
      // MessagePort that would keep an idle process alive.
    });
    worker.on('message', (m: Reply) => {
      const c = this.current;
      if (!c || c.id !== m.id) return;
      this.settle();
      this.served++;
      if (m.ok) c.resolve(m.result);
      else c.reject(mapPdfError(m.name, m.message, c.name));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      const name = this.current?.name;
      this.fail(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DocumentError('too_large', name, `PDF needs more than ${this.heapMb} MB to read`, { cause: e })
          : new DocumentError('unsupported', name, `PDF reader failed: ${e.message}`, { cause: e }),
      );
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.fail(new DocumentError('unsupported', this.current?.name, `PDF reader exited (${code})`));
    });
    this.worker = worker;
    this.heapMb = maxHeapMb;
    this.served = 0;
    return worker;
  }

  /** The current PDF is done: an idle thread must not keep the process alive. */
  private settle(): void {
    if (this.current) clearTimeout(this.current.timer);
    this.current = null;
    this.worker?.unref();
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = null;
      if (!this.current) this.discard();
    }, IDLE_MS);
    this.idle.unref();
  }

  /** Whether a thread is up (tests: an idle one is ended). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Ends the current PDF with `err` and throws the thread away (it may be stuck or out of memory). */
  private fail(err: DocumentError): void {
    const c = this.current;
    this.settle();
    this.discard();
    c?.reject(err);
  }

  private discard(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }
}

const thread = new PdfThread();

/** Whether this thread's pdf.js thread is up now (it ends after IDLE_MS without a PDF). */
export const pdfThreadRunning = (): boolean => thread.running;

/** Reads text items and ruling segments of every page in the pdf.js thread (one PDF at a time). */
export function readPdfGeometry(bytes: Uint8Array, opts: PdfReadOptions): Promise<RawPdf> {
  return thread.read(bytes, opts);
}

function mapPdfError(errName: string, message: string, filename?: string | null): DocumentError {
  if (errName === 'PasswordException') return new DocumentError('encrypted', filename, 'PDF is password protected');
  if (errName === 'InvalidPDFException' || /Invalid PDF structure|No password given/i.test(message)) {
    return new DocumentError('truncated', filename, `PDF structure is broken: ${message}`);
  }
  if (/unexpected end|missing|bad xref|xref/i.test(message)) return new DocumentError('truncated', filename, message);
  return new DocumentError('unsupported', filename, `PDF could not be read: ${errName}: ${message}`);
}

/** A PDF whose last bytes hold no %%EOF marker was cut off in transfer. */
export function hasEofMarker(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 8192))).toString('latin1');
  return tail.includes('%%EOF');
}

export type { Segment, TextItem };
