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

/**
 * Reads text items and ruling segments of every page in a worker thread. The thread has its own heap
 * limit and is terminated on timeout, so a hostile PDF costs at most `timeoutMs` and `maxHeapMb`.
 */
export function readPdfGeometry(bytes: Uint8Array, opts: PdfReadOptions): Promise<RawPdf> {
  const name = opts.filename;
  return new Promise((resolve, reject) => {
    // A copy, so the caller's buffer is not detached or shared with the worker.
    const data = new Uint8Array(bytes);
    const worker = new Worker(WORKER_URL, {
      workerData: { data, maxPages: opts.maxPages },
      transferList: [data.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
      stdout: true,
      stderr: true,
    });
    // pdf.js may print warnings; drain them so nothing piles up in memory.
    worker.stdout?.resume();
    worker.stderr?.resume();
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => done(() => reject(new DocumentError('timeout', name, `PDF not read within ${opts.timeoutMs} ms`))),
      opts.timeoutMs,
    );
    worker.on('message', (m: { ok: true; result: RawPdf } | { ok: false; name: string; message: string }) => {
      if (m.ok) done(() => resolve(m.result));
      else done(() => reject(mapPdfError(m.name, m.message, name)));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
        done(() => reject(new DocumentError('too_large', name, `PDF needs more than ${opts.maxHeapMb} MB to read`, { cause: e })));
      else done(() => reject(new DocumentError('unsupported', name, `PDF reader failed: ${e.message}`, { cause: e })));
    });
    worker.on('exit', (code) => done(() => reject(new DocumentError('unsupported', name, `PDF reader exited (${code})`))));
  });
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
