import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../../src/documents/errors.ts';
import { ParseSandbox } from '../../../src/documents/sandbox.ts';
import { SandboxPool } from '../../../src/documents/sandbox-pool.ts';
import { parseDocument } from '../../../src/parse/parse-file.ts';
import { pdfHugeImage } from './hostile-inputs.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../fixtures/reports/corpus');
const page = new Uint8Array(readFileSync(path.join(CORPUS, '01_shanghai_office_2019.html')));
const pools: SandboxPool[] = [];
const pool = (...args: ConstructorParameters<typeof SandboxPool>) => {
  const p = new SandboxPool(...args);
  pools.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('sandbox pool: concurrent parses on threads of their own', () => {
  it('spreads concurrent documents over its sandboxes, with the same results as parseDocument', { timeout: 90_000 }, async () => {
    const sandboxes: ParseSandbox[] = [];
    const p = pool(2, () => {
      const s = new ParseSandbox();
      sandboxes.push(s);
      return s;
    });
    const results = await Promise.all(Array.from({ length: 4 }, () => p.run((s) => s.parse(page, { filename: 'r.html' }))));
    const here = await parseDocument(page, { filename: 'r.html' });
    for (const r of results) expect(r).toEqual(here);
    // Both threads worked: one sandbox would have parsed all four.
    expect(sandboxes.map((s) => s.stats.parsed >= 1)).toEqual([true, true]);
    expect(p.stats).toMatchObject({ parsed: 4, failed: 0, threads: 2, isolatedRetries: 0 });
  });

  it('a memory refusal while another document was in flight is parsed again alone; a refusal alone stands', {
    timeout: 90_000,
  }, async () => {
    // The second sandbox's RSS cap is below what the process already uses: every parse there is refused,
    // as when a neighbour's document inflates the process.
    let made = 0;
    const p = pool(2, () => new ParseSandbox(made++ === 0 ? {} : { maxRssMb: 16, maxGrowthMb: -1e6, pollMs: 10 }));
    const [a, b] = await Promise.all([
      p.run((s) => s.parse(page, { filename: 'a.html' })),
      p.run((s) => s.parse(page, { filename: 'b.html' })),
    ]);
    expect(a.isReport).toBe(true);
    expect(b.isReport).toBe(true);
    expect(p.stats.isolatedRetries).toBe(1);

    // A document that is too large on its own is refused again when parsed alone.
    const huge = await Promise.all([
      p.run((s) => s.parse(page, { filename: 'c.html' })),
      p.run((s) => s.parse(pdfHugeImage(60000, 60000), { filename: 'huge.pdf' })).catch((e: unknown) => e),
    ]);
    expect(huge[1]).toBeInstanceOf(DocumentError);
    expect((huge[1] as DocumentError).code).toBe('too_large');
    expect(p.stats.isolatedRetries).toBe(2);
  });
});
