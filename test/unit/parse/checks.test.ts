import { describe, expect, it } from 'vitest';
import { evaluateChecks, runChecks } from '../../../src/parse/checks.ts';
import type { Check } from '../../../src/schema/parse-result.ts';
import { APPLICANT_COLUMNS, APPLICATION_ROWS_2019, APPLICATION_ROWS_2021 } from '../../../src/schema/figure-keys.ts';

/** A table 三 where every cell is 0 except those given; table 四 all 0. */
function figures(rows: readonly string[], set: Record<string, number> = {}): Record<string, number> {
  const f: Record<string, number> = {};
  for (const r of rows) for (const c of APPLICANT_COLUMNS) f[`applications.${r}.${c}`] = 0;
  for (const g of ['review', 'litigation_direct', 'litigation_after_review']) {
    for (const s of ['upheld', 'corrected', 'other', 'pending', 'total']) f[`${g}.${s}`] = 0;
  }
  return { ...f, ...set };
}
const rule = (checks: Check[], name: string) => checks.find((c) => c.rule === name);

describe('runChecks', () => {
  it('emits every identity of §4 for a complete 2019 table (7 balance + 7 total_rows + 23 total_col + 3 review)', () => {
    const checks = runChecks('2019', figures(APPLICATION_ROWS_2019));
    expect(checks).toHaveLength(7 + 7 + 23 + 3);
    expect(checks.every((c) => c.ok)).toBe(true);
  });

  it('2021 has 25 total_col rules and sums the three （六） rows', () => {
    const f = figures(APPLICATION_ROWS_2021, {
      'applications.other_unpaid.natural': 2,
      'applications.other_unpaid.total': 2,
      'applications.total.natural': 2,
      'applications.total.total': 2,
      'applications.new.natural': 2,
      'applications.new.total': 2,
    });
    const checks = runChecks('2021', f);
    expect(checks).toHaveLength(7 + 7 + 25 + 3);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(rule(checks, 'applications.total_rows.natural')?.detail).toMatch(/^0 \+ 0 .*\+ 2 \+ 0 = 2$/);
  });

  it('formats a failure as left ≠ right (diff) and warns check_failed', () => {
    const f = figures(APPLICATION_ROWS_2019, { 'applications.new.total': 10, 'applications.total.total': 9 });
    const r = evaluateChecks('2019', f);
    const balance = rule(r.checks, 'applications.balance.total')!;
    expect(balance).toEqual({ rule: 'applications.balance.total', ok: false, detail: '10 + 0 ≠ 9 + 0 (diff 1)' });
    expect(r.warnings).toContain('check_failed: applications.balance.total: 10 + 0 ≠ 9 + 0 (diff 1)');
  });

  it('counts a blank summand as 0 for the check only and names it', () => {
    const f = figures(APPLICATION_ROWS_2019, {
      'applications.granted.natural': 258,
      'applications.granted.commercial': 12,
      'applications.granted.legal': 1,
      'applications.granted.other_org': 1,
      'applications.granted.total': 272,
    });
    delete f['applications.granted.research'];
    delete f['applications.granted.ngo'];
    const checks = runChecks('2019', f, { blanks: ['applications.granted.research', 'applications.granted.ngo'] });
    expect(rule(checks, 'applications.total_col.granted')?.detail).toBe('258 + 12 + 0 + 0 + 1 + 1 = 272 (blank as 0: research, ngo)');
    expect(f).not.toHaveProperty('applications.granted.research');
  });

  it('a blank stated total or a lost operand makes the check not evaluable, listed in one warning', () => {
    const f = figures(APPLICATION_ROWS_2019);
    delete f['review.total'];
    delete f['applications.partial.natural'];
    const r = evaluateChecks('2019', f, { blanks: ['review.total'] });
    expect(rule(r.checks, 'review.total')).toBeUndefined();
    expect(rule(r.checks, 'applications.total_col.partial')).toBeUndefined();
    expect(rule(r.checks, 'applications.total_rows.natural')).toBeUndefined();
    const skipped = r.warnings.filter((w) => w.startsWith('checks_skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain('review.total');
    expect(skipped[0]).toContain('applications.total_col.partial');
  });

  it('blank cells of the 总计 column are stated totals, so the row sums over them are not evaluable', () => {
    const f = figures(APPLICATION_ROWS_2019, { 'applications.total.total': 5 });
    delete f['applications.granted.total'];
    const r = evaluateChecks('2019', f, { blanks: ['applications.granted.total'] });
    expect(rule(r.checks, 'applications.total_rows.total')).toBeUndefined();
  });

  it('review totals: the real Hongze defect fails', () => {
    const f = figures(APPLICATION_ROWS_2021, { 'review.upheld': 10, 'review.corrected': 1 });
    expect(rule(runChecks('2021', f), 'review.total')).toEqual({ rule: 'review.total', ok: false, detail: '10 + 1 + 0 + 0 ≠ 0 (diff 11)' });
  });

  it('stated subtotal rows and the 法人或其他组织 column are checked only when printed', () => {
    const f = figures(APPLICATION_ROWS_2021, { 'applications.denied_law.natural': 3, 'applications.denied_law.total': 3 });
    expect(runChecks('2021', f).some((c) => c.rule.includes('subtotal'))).toBe(false);
    const checks = runChecks('2021', f, {
      subtotals: { denied: { natural: 4 }, other: { natural: 0 } },
      orgSubtotal: { new: 0 },
    });
    expect(rule(checks, 'applications.denied_subtotal.natural')).toMatchObject({
      ok: false,
      detail: '0 + 3 + 0 + 0 + 0 + 0 + 0 + 0 ≠ 4 (diff -1)',
    });
    expect(rule(checks, 'applications.other_subtotal.natural')?.ok).toBe(true);
    expect(rule(checks, 'applications.org_subtotal.new')?.ok).toBe(true);
  });

  it('a group printed only as a subtotal enters total_rows as that subtotal, and the detail says so', () => {
    const f = figures(APPLICATION_ROWS_2019, { 'applications.total.natural': 5 });
    for (const r of APPLICATION_ROWS_2019.filter((x) => x.startsWith('unable_'))) delete f[`applications.${r}.natural`];
    const checks = runChecks('2019', f, { groupOnly: { unable: { natural: 5 } } });
    const c = rule(checks, 'applications.total_rows.natural')!;
    expect(c.ok).toBe(true);
    expect(c.detail).toContain('unable printed only as a subtotal');
  });

  it('a 2021 table with a single （六） row sums applications.other', () => {
    const f = figures(APPLICATION_ROWS_2019, {
      'applications.other.natural': 1,
      'applications.total.natural': 1,
      'applications.new.natural': 1,
    });
    const checks = runChecks('2021', f, { singleOtherRow: true });
    expect(rule(checks, 'applications.total_rows.natural')?.ok).toBe(true);
    expect(checks.filter((c) => c.rule.startsWith('applications.total_col.'))).toHaveLength(23);
  });

  it('leaves out identities of tables the document does not have', () => {
    const checks = runChecks('2019', figures(APPLICATION_ROWS_2019), { tables: { applications: false, review: true } });
    expect(checks.map((c) => c.rule)).toEqual(['review.total', 'litigation_direct.total', 'litigation_after_review.total']);
  });
});
