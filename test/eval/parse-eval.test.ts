// The parser's evaluation gate (trafilatura-style): every seed and corpus report in test/fixtures/reports with an
// expected file is parsed from its original bytes (HTML, text or PDF) by `nianbao eval`'s own code and must match
// the expected figures and metadata exactly. Deviations are pinned in baseline.json with their reason; anything
// beyond them fails. A missing fixture folder or source file fails the suite; nothing is skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, findExpectedFiles, type CaseOutcome } from '../../src/eval/index.ts';
import { REPORTS } from '../fixtures/index.ts';

const baseline = JSON.parse(readFileSync(join(import.meta.dirname, 'baseline.json'), 'utf8')) as {
  extraKeysAllowed: Record<string, { max: number }>;
};
const DIRS = [join(REPORTS, 'seeds'), join(REPORTS, 'corpus')];

describe('parser evaluation on the seeds and corpus in test/fixtures/reports', () => {
  let outcomes: CaseOutcome[] = [];

  it('parses every report of the evaluation set', { timeout: 600_000 }, async () => {
    expect(findExpectedFiles(DIRS).length).toBeGreaterThanOrEqual(14);
    ({ outcomes } = await evaluate(DIRS));
    expect(outcomes.filter((o) => o.error).map((o) => `${o.name}: ${o.error}`)).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
  });

  it('gets metadata and every expected figure right, with the required warnings', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
    const problems = outcomes.flatMap((o) =>
      o.score.problems.filter((p) => !p.includes(': not in expected')).map((p) => `${o.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('states no more figures beyond the expected files than the pinned baseline allows', () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
    const over = outcomes
      .filter((o) => o.score.extra > (baseline.extraKeysAllowed[o.name]?.max ?? 0))
      .map((o) => `${o.name}: ${o.score.extra} extra keys (${o.score.extraKeys.slice(0, 5).join(', ')} …)`);
    expect(over).toEqual([]);
  });
});
