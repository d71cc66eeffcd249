import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../src/log.ts';

describe('log lines', () => {
  it('render pino records as one plain line: time, level, module, message, fields', () => {
    const rec = {
      level: 30,
      time: Date.UTC(2026, 10, 29, 18, 1, 2),
      pid: 1,
      hostname: 'h',
      module: 'crawl-worker',
      msg: 'crawl finished',
      site: 'yongxiu',
      pages: 48,
      title: '年度 报告',
    };
    expect(formatLogLine(JSON.stringify(rec))).toBe('18:01:02 INFO  crawl-worker: crawl finished site=yongxiu pages=48 title="年度 报告"');
  });

  it('show an error by its message and pass non-JSON through', () => {
    const rec = { level: 50, time: 0, msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n at x' } };
    expect(formatLogLine(JSON.stringify(rec))).toBe('00:00:00 ERROR failed err="boom"');
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });
});
