// The parser's evaluation gate (trafilatura-style): every seed and corpus report in ../shared with an expected
// file is parsed from its original bytes (HTML, text or PDF) and must match the expected figures and metadata
// exactly. Deviations are pinned in baseline.json with their reason; anything beyond them fails.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/parse/parse-file.ts';

const REPORTS = resolve(import.meta.dirname, '../fixtures/reports');
const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8')) as {
  extraKeysAllowed: Record<string, { max: number }>;
};

interface Expected {
  source: string; isReport?: boolean; year?: number | null; format?: string;
  region?: { code: string | null }; figures?: Record<string, number>; mustWarn?: boolean;
}

function cases(): { expectedPath: string; source: string; exp: Expected }[] {
  const out: { expectedPath: string; source: string; exp: Expected }[] = [];
  const add = (p: string) => {
    const exp = JSON.parse(readFileSync(p, 'utf8')) as Expected;
    const source = [dirname(p), dirname(dirname(p))].map((d) => join(d, exp.source)).find(existsSync);
    if (!source) throw new Error(`${p}: its source ${exp.source} is missing`);
    out.push({ expectedPath: p, source, exp });
  };
  for (const dir of ['seeds/expected', 'corpus']) {
    const folder = join(REPORTS, dir);
    if (!existsSync(folder)) throw new Error(`missing test fixtures: ${folder} (see test/fixtures/reports/README.md)`);
    for (const n of readdirSync(folder).sort()) if (n.endsWith('.json')) add(join(folder, n));
  }
  return out;
}

const all = cases();

describe('parser evaluation on the seeds and corpus in test/fixtures/reports', () => {
  it('finds the evaluation set', () => {
    expect(all.length).toBeGreaterThanOrEqual(14);
  });

  for (const { source, exp } of all) {
    it(`${basename(source)}: metadata, every expected figure, required warnings`, { timeout: 180_000 }, async () => {
      const got = await parseDocument(readFileSync(source), { filename: basename(source) });
      if (exp.isReport !== undefined) expect(got.isReport).toBe(exp.isReport);
      if (exp.year !== undefined) expect(got.year).toBe(exp.year);
      if (exp.format !== undefined) expect(got.format).toBe(exp.format);
      if (exp.region !== undefined) expect(got.region.code).toBe(exp.region.code);
      const want = exp.figures ?? {};
      const wrong = Object.entries(want).filter(([k, v]) => got.figures[k] !== v).map(([k, v]) => `${k}: want ${v} got ${got.figures[k]}`);
      expect(wrong).toEqual([]);
      const extra = Object.keys(got.figures).filter((k) => !(k in want));
      expect(extra.length).toBeLessThanOrEqual(baseline.extraKeysAllowed[basename(source)]?.max ?? 0);
      if (exp.mustWarn) expect(got.warnings.length).toBeGreaterThan(0);
    });
  }
});
