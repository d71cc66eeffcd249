import { Queue, Worker } from 'bullmq';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../src/cli/dashboard.ts';
import { dropPrefix, testRedis, uniquePrefix } from './helpers.ts';

let redis: Awaited<ReturnType<typeof testRedis>>;
let dash: Dashboard | undefined;
let browser: Browser | undefined;
const prefix = uniquePrefix();

beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await dropPrefix(redis.url, prefix);
  await redis?.stop();
});

describe('nianbao dashboard (bull-board)', () => {
  it('shows the queues and a failed job in Chromium', { timeout: 120_000 }, async () => {
    const connection = { url: redis.url };
    // A parse job that fails for good, as a broken document would.
    const parse = new Queue('parse', { connection, prefix });
    await parse.add('parse', { url: 'http://www.yongxiu.gov.cn/files/broken.pdf' }, { attempts: 1 });
    const worker = new Worker(
      'parse',
      async () => {
        throw new Error('document_encrypted: broken.pdf is encrypted');
      },
      { connection, prefix },
    );
    await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await worker.close();
    await parse.close();

    dash = await startDashboard({ redisUrl: redis.url, prefix, port: 0, host: '127.0.0.1' });
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
    const page = await browser.newPage();
    await page.goto(dash.url);
    for (const name of ['crawl', 'parse', 'archive', 'schedule']) {
      await expect.poll(async () => page.getByText(name, { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    await page.goto(`${dash.url}queue/parse?status=failed`);
    await expect.poll(async () => page.getByText('broken.pdf is encrypted').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  });
});
