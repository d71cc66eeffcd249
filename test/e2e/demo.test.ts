import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../unit/workers/helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = tmpDir('nianbao-demo-');
const children = new Set<ChildProcess>();
afterAll(async () => {
  // A timed-out test must not leave the demo (and its Chromium, tesseract, redis) running.
  for (const c of children) {
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
  tmp.cleanup();
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/nianbao.js', ...args], { cwd: ROOT, env: process.env });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const ratio = (text: string, label: string): [number, number] => {
  const m = new RegExp(`${label}\\s+(\\d+)/(\\d+)`).exec(text);
  if (!m) throw new Error(`no "${label}" line in:\n${text}`);
  return [Number(m[1]), Number(m[2])];
};

// OCR of the scanned reports is most of the run time, and it grows steeply on a loaded machine:
// hence the generous timeout.
describe('nianbao demo', () => {
  it('crawls the whole simulated web and finds its reports, no decoys, with the right metadata', { timeout: 1_500_000 }, async () => {
    const archivePath = path.join(tmp.dir, 'demo.sqlite');
    const { code, stdout, stderr } = await run(['demo', '--archive', archivePath]);
    expect(code, stderr).toBe(0);
    console.log(stdout);

    const [found, expected] = ratio(stdout, 'recall');
    expect(expected).toBeGreaterThan(100);
    expect(found / expected).toBeGreaterThanOrEqual(0.95);
    const decoys = /decoys archived\s+(\d+) of (\d+)/.exec(stdout);
    expect(decoys).not.toBeNull();
    expect(Number(decoys![1])).toBe(0);
    expect(Number(decoys![2])).toBeGreaterThan(0);
    const [yearOk, yearOf] = ratio(stdout, 'year accuracy');
    expect(yearOk / yearOf).toBeGreaterThanOrEqual(0.95);
    const [regionOk, regionOf] = ratio(stdout, 'region accuracy');
    expect(regionOk / regionOf).toBeGreaterThanOrEqual(0.95);

    const db = new Database(archivePath, { readonly: true });
    try {
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(one('SELECT count(*) AS n FROM fetches')).toBeGreaterThan(100);
      // Every answered request kept its body, and every body it points at is stored.
      expect(one('SELECT count(*) AS n FROM fetches WHERE status BETWEEN 200 AND 299 AND sha256 IS NULL')).toBe(0);
      expect(
        one(
          'SELECT count(*) AS n FROM fetches f LEFT JOIN snapshots s ON s.sha256 = f.sha256 WHERE f.sha256 IS NOT NULL AND s.sha256 IS NULL',
        ),
      ).toBe(0);
      // Every URL the crawler fetched successfully points at a stored snapshot.
      expect(
        one(`SELECT count(*) AS n FROM urls u LEFT JOIN snapshots s ON s.sha256 = u.last_snapshot_sha
                  WHERE u.last_status BETWEEN 200 AND 299 AND s.sha256 IS NULL`),
      ).toBe(0);
      expect(one("SELECT count(*) AS n FROM crawl_runs WHERE status = 'ok'")).toBe(1);
      expect(one("SELECT count(*) AS n FROM reports WHERE status = 'report'")).toBeGreaterThanOrEqual(found);
    } finally {
      db.close();
    }
  });
});
