import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { UnrecoverableError, type Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../../../src/documents/errors.ts';
import type { ParseJob } from '../../../src/schema/jobs.ts';
import type { ArchiveJob } from '../../../src/workers/archive-jobs.ts';
import { gzipBase64 } from '../../../src/workers/archive-jobs.ts';
import { processParseJob } from '../../../src/workers/parse-worker.ts';
import { workerOptions } from '../../../src/workers/worker-options.ts';
import { nestedDivs } from '../documents/hostile-inputs.ts';

// An archive queue that only records what the parse worker hands it.
function recordingQueue() {
  const added: ArchiveJob[] = [];
  const queue = {
    add: async (_name: string, data: ArchiveJob) => {
      added.push(data);
      return {};
    },
  } as unknown as Queue<ArchiveJob>;
  return { queue, added };
}

function job(bytes: Uint8Array, extra: Partial<ParseJob> = {}) {
  const data: ParseJob = {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    url: 'http://www.x.gov.cn.test/r.html',
    siteId: 'x',
    contentType: 'text/html',
    role: 'report-page',
    parentUrl: null,
    linkText: null,
    bodyGzipBase64: gzipBase64(Buffer.from(bytes)),
    crawlRunId: 1,
    ...extra,
  };
  return { data, attemptsMade: 0, opts: { attempts: 4 } };
}

describe('parse worker: limits and charsets', () => {
  it("the site's forced charset travels in the job and reaches the parser", async () => {
    const html = '<html><head><meta charset="utf-8"></head><body><p>临洮县2023年政府信息公开工作年度报告</p></body></html>';
    const bytes = new Uint8Array(iconv.encode(html, 'gbk'));
    const { queue, added } = recordingQueue();
    let seen: unknown;
    await processParseJob(job(bytes, { charset: 'gbk' }), {
      archiveQueue: queue,
      parse: async (_b, info) => {
        seen = info;
        return { isReport: false, figures: {} } as never;
      },
    });
    expect(seen).toMatchObject({ charset: 'gbk' });
    expect(added).toHaveLength(1);
  });

  it('a bomb or too_deep document is stored as a parse failure at once and not retried; the worker goes on', async () => {
    for (const code of ['bomb', 'too_deep', 'too_large'] as const) {
      const { queue, added } = recordingQueue();
      const err = await processParseJob(job(nestedDivs(10)), {
        archiveQueue: queue,
        parse: async () => {
          throw new DocumentError(code, 'r.html', 'hostile');
        },
      }).catch((e) => e);
      expect(err).toBeInstanceOf(UnrecoverableError);
      expect(added).toEqual([
        {
          kind: 'error',
          error: expect.objectContaining({ stage: 'parse', code: `document_${code}`, url: 'http://www.x.gov.cn.test/r.html' }),
        },
      ]);
    }
  });

  it('by default parses in the sandbox: 100 000 nested divs become a result with a too_deep warning', { timeout: 60_000 }, async () => {
    const { queue, added } = recordingQueue();
    const out = await processParseJob(job(nestedDivs(100_000)), { archiveQueue: queue });
    expect(out.isReport).toBe(false);
    const result = added[0] as Extract<ArchiveJob, { kind: 'parse-result' }>;
    expect(result.kind).toBe('parse-result');
    expect(result.result.warnings.some((w) => w.startsWith('too_deep'))).toBe(true);
    const { sharedSandbox } = await import('../../../src/documents/sandbox.ts');
    expect(sharedSandbox().stats.parsed).toBeGreaterThanOrEqual(1);
    await sharedSandbox().close();
  });

  it('stalled jobs of a dead worker are re-queued within 25 s by default', () => {
    const o = workerOptions({ connection: {} });
    expect((o.lockDuration ?? 0) + (o.stalledInterval ?? 0)).toBeLessThanOrEqual(25_000);
    expect(o.maxStalledCount).toBeGreaterThanOrEqual(2);
  });
});
