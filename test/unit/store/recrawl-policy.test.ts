import { describe, expect, it } from 'vitest';
import { DEFAULT_RECRAWL_POLICY, listWalkMayStop, recrawlDecision } from '../../../src/store/index.ts';

const NOW = new Date('2026-06-10T02:00:00.000Z');
const last = (daysAgo: number, v: { etag?: string | null; lastModified?: string | null } = { etag: '"e"' }) => ({
  fetchedAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
  sha256: 'a'.repeat(64),
  etag: v.etag ?? null,
  lastModified: v.lastModified ?? null,
});

describe('recrawlDecision', () => {
  it('fetches what was never fetched, and everything with --full', () => {
    expect(recrawlDecision('report', null, NOW)).toEqual({ action: 'fetch' });
    expect(recrawlDecision('list', last(1), NOW, { ...DEFAULT_RECRAWL_POLICY, full: true })).toEqual({ action: 'fetch' });
  });

  it('revalidates with the validators the last response carried; without any, fetches', () => {
    expect(recrawlDecision('list', last(1, { etag: '"e"', lastModified: 'Tue, 09 Jun 2026 00:00:00 GMT' }), NOW)).toEqual({
      action: 'revalidate',
      sha256: 'a'.repeat(64),
      etag: '"e"',
      lastModified: 'Tue, 09 Jun 2026 00:00:00 GMT',
    });
    expect(recrawlDecision('page', last(1, { etag: null }), NOW)).toEqual({ action: 'fetch' });
  });

  it('reuses report pages and attachments inside the interval, never lists; revalidates them after it', () => {
    const policy = { ...DEFAULT_RECRAWL_POLICY, reportIntervalDays: 30 };
    expect(recrawlDecision('attachment', last(3), NOW, policy)).toEqual({ action: 'reuse', sha256: 'a'.repeat(64) });
    expect(recrawlDecision('report', last(3, { etag: null }), NOW, policy)).toEqual({ action: 'reuse', sha256: 'a'.repeat(64) });
    expect(recrawlDecision('list', last(3), NOW, policy).action).toBe('revalidate');
    expect(recrawlDecision('report', last(31), NOW, policy).action).toBe('revalidate');
    // A clock that went backwards (fetched "in the future") is not trusted.
    expect(recrawlDecision('report', last(-1), NOW, policy).action).toBe('revalidate');
  });
});

describe('listWalkMayStop', () => {
  it('stops on a page with nothing new only between full walks', () => {
    expect(listWalkMayStop(0, last(2).fetchedAt, NOW)).toBe(true);
    expect(listWalkMayStop(1, last(2).fetchedAt, NOW)).toBe(false);
    expect(listWalkMayStop(0, last(8).fetchedAt, NOW)).toBe(false);
    expect(listWalkMayStop(0, null, NOW)).toBe(false);
    expect(listWalkMayStop(0, last(2).fetchedAt, NOW, { ...DEFAULT_RECRAWL_POLICY, full: true })).toBe(false);
  });
});
