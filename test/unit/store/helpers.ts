import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Archive } from '../../../src/store/index.ts';
import type { ParseResult, Site } from '../../../src/schema/index.ts';

const dirs: string[] = [];
const open: Archive[] = [];

afterEach(() => {
  for (const a of open.splice(0)) a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nianbao-store-'));
  dirs.push(d);
  return d;
}

/** A new archive file in a fresh temp folder (nested, to exercise folder creation), closed after the test. */
export function freshArchive(file = 'a/b/archive.sqlite'): Archive {
  const a = Archive.open(join(tempDir(), file));
  open.push(a);
  return a;
}

export function track(a: Archive): Archive {
  open.push(a);
  return a;
}

export const SITE: Site = {
  id: 'yongxiu',
  name: '永修县',
  regionCode: '360425',
  home: 'http://www.yongxiu.gov.cn/',
  allowHosts: [],
  maxPages: 400,
};

export function report(over: Partial<ParseResult> = {}): ParseResult {
  return {
    isReport: true,
    title: '永修县2020年政府信息公开工作年度报告',
    year: 2020,
    region: { name: '永修县', code: '360425' },
    issuer: '永修县人民政府',
    publishedAt: '2021-02-20',
    format: '2019',
    figures: { 'applications.new.total': 17, 'applications.carried_over.total': 0, 'review.total': 0 },
    checks: [{ rule: 'applications.balance.total', ok: true, detail: '17 + 0 = 17 + 0' }],
    warnings: [],
    ...over,
  };
}

export const notReport = (over: Partial<ParseResult> = {}): ParseResult =>
  report({ isReport: false, title: '关于做好2020年度报告编制工作的通知', year: null, format: 'unknown', figures: {}, checks: [], ...over });

export const count = (a: Archive, table: string) => (a.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Stores `body` as fetched from `url` and returns its sha256. */
export function fetched(
  a: Archive,
  url: string,
  body: string,
  fetchedAt = '2026-01-01T00:00:00.000Z',
  kind: 'report' | 'attachment' | 'page' = 'report',
): string {
  return a.putSnapshot({
    requestedUrl: url,
    finalUrl: url,
    status: 200,
    body: Buffer.from(body),
    fetchedAt,
    contentType: 'text/html',
    kind,
  }).sha256!;
}
