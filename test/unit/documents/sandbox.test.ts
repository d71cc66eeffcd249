import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../src/documents/errors.ts';
import { ParseSandbox } from '../../../src/documents/sandbox.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';
import { pdfHugeImage, whitePng } from './hostile-inputs.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../fixtures/reports/corpus');
const page = new Uint8Array(readFileSync(path.join(CORPUS, '01_shanghai_office_2019.html')));
const opened: ParseSandbox[] = [];
const sandbox = (limits: ConstructorParameters<typeof ParseSandbox>[0]) => {
  const s = new ParseSandbox(limits);
  opened.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as DocumentError,
  );

describe('parse sandbox: a worker thread with heap, RSS and wall-clock limits', () => {
  it('gives the same result as parseDocument in this thread, and typed errors as DocumentError', { timeout: 60_000 }, async () => {
    const s = sandbox({});
    const inside = await s.parse(page, { filename: 'r.html' });
    const here = await parseDocument(page, { filename: 'r.html' });
    expect(inside).toEqual(here);
    const err = await errorOf(s.parse(pdfHugeImage(60000, 60000), { filename: 'huge.pdf' }));
    expect(err).toBeInstanceOf(DocumentError);
    expect(err.code).toBe('too_large');
    expect(err.filename).toBe('huge.pdf');
    expect(s.stats.restarts).toBe(0); // an error thrown by the parser needs no new thread
  });

  it('a parse over the wall clock is a timeout; the thread is replaced and the next document parses', { timeout: 60_000 }, async () => {
    const s = sandbox({ timeoutMs: 1 });
    const err = await errorOf(s.parse(page, { filename: 'slow.html' }));
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/timeout: slow\.html: not parsed within 1 ms/);
    expect(s.stats.restarts).toBe(1);
    (s.limits as { timeoutMs: number }).timeoutMs = 60_000;
    const ok = await s.parse(page, { filename: 'r.html' });
    expect(ok.isReport).toBe(true);
  });

  it('the RSS watchdog ends a parse that takes the process over its cap', { timeout: 60_000 }, async () => {
    // A cap below what the process already uses, with no growth allowance, trips on the first look.
    const s = sandbox({ maxRssMb: 16, maxGrowthMb: -1e6, pollMs: 10 });
    const err = await errorOf(s.parse(page, { filename: 'fat.html' }));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/over the 16 MB cap/);
    expect(s.stats.restarts).toBe(1);
  });

  it('a parse that exhausts the thread heap is too_large, not a crash of this process', { timeout: 120_000 }, async () => {
    const s = sandbox({ maxHeapMb: 32 });
    // ~3 MB of table cells: the DOM of it needs far more than 32 MB.
    const html = `<html><body><table>${'<tr><td>甲</td><td>1</td><td>2</td></tr>'.repeat(80_000)}</table></body></html>`;
    const err = await errorOf(s.parse(new TextEncoder().encode(html), { filename: 'wide.html' }));
    expect(err.code).toBe('too_large');
    const ok = await s.parse(page, { filename: 'r.html' });
    expect(ok.isReport).toBe(true);
  });

  it('a document over the page-size limit is refused as too_large before any parsing', async () => {
    const s = sandbox({ maxInputBytes: 1000 });
    const err = await errorOf(s.parse(page, { filename: 'big.html' }));
    expect(err.code).toBe('too_large');
    expect(err.message).toContain('over the 1000 bytes');
    expect(s.stats.parsed + s.stats.failed).toBe(0);
  });

  it('a timeout during OCR also kills the OCR tool the thread started', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-sandbox-'));
    const pidFile = path.join(dir, 'pid');
    const fake = path.join(dir, 'tesseract');
    // A tesseract that never answers: it records its pid and sleeps.
    writeFileSync(fake, `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`);
    chmodSync(fake, 0o755);
    const saved = process.env.NIANBAO_TESSERACT;
    process.env.NIANBAO_TESSERACT = fake;
    try {
      const s = sandbox({});
      await s.parse(page, { filename: 'warm-up.html' }); // thread started: the clock below is the OCR's
      (s.limits as { timeoutMs: number }).timeoutMs = 12_000;
      const err = await errorOf(s.parse(whitePng(400, 300), { filename: 'scan.png' }));
      expect(err.code).toBe('timeout');
      expect(existsSync(pidFile)).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await new Promise((r) => setTimeout(r, 300));
      // Gone, not left running beside the worker: no process, or a zombie (its reaper was the thread's loop).
      const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] : 'gone';
      expect(['gone', 'Z']).toContain(state);
    } finally {
      if (saved === undefined) delete process.env.NIANBAO_TESSERACT;
      else process.env.NIANBAO_TESSERACT = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses queue one at a time, in order', { timeout: 60_000 }, async () => {
    const s = sandbox({});
    const results = await Promise.all([1, 2, 3].map((k) => s.parse(page, { filename: `r${k}.html` })));
    expect(results.map((r) => r.isReport)).toEqual([true, true, true]);
    expect(s.stats.parsed).toBe(3);
  });
});

describe('the RSS watchdog in a process that already holds a crawler', () => {
  it('lets a document add up to maxGrowthMb above where the process stood, even over maxRssMb', { timeout: 60_000 }, async () => {
    // maxRssMb below the process's own size (the demo's crawler, browser and simulated web live there too):
    // an ordinary report must still parse, because what it adds stays under the growth allowance.
    const s = sandbox({ maxRssMb: 16, maxGrowthMb: 512, pollMs: 10 });
    const ok = await s.parse(page, { filename: 'r.html' });
    expect(ok.isReport).toBe(true);
    expect(s.stats.restarts).toBe(0);
  });
});
