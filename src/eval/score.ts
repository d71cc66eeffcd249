import type { ParseResult } from '../schema/parse-result.ts';
import type { Expected } from './expected.ts';

// Scoring of one parse against its expected file, pure. A cell is right only when the parser states the same
// number; a key the expected file lists and the parser leaves out is missing; a key the parser states that the
// expected file does not list is extra (counted, not wrong: expected files may leave legible cells out).

export interface CaseScore {
  cells: number;
  right: number;
  wrong: number;
  missing: number;
  extra: number;
  meta: number;
  metaRight: number;
  warningAbsent: boolean;
  /** One line per difference, for --verbose. */
  problems: string[];
  /** Keys the parser states beyond the expected file. */
  extraKeys: string[];
}

const show = (v: unknown) => JSON.stringify(v ?? null);

export function scoreParse(expected: Expected, got: ParseResult): CaseScore {
  const s: CaseScore = {
    cells: 0,
    right: 0,
    wrong: 0,
    missing: 0,
    extra: 0,
    meta: 0,
    metaRight: 0,
    warningAbsent: false,
    problems: [],
    extraKeys: [],
  };
  const meta: [string, unknown, unknown][] = [
    ['isReport', expected.isReport, got.isReport],
    ['year', expected.year, got.year],
    ['region.code', expected.region === undefined ? undefined : expected.region.code, got.region.code],
    ['format', expected.format, got.format],
  ];
  for (const [field, want, have] of meta) {
    if (want === undefined) continue;
    s.meta++;
    if (want === have) s.metaRight++;
    else s.problems.push(`${field}: want ${show(want)} got ${show(have)}`);
  }
  const want = expected.figures ?? {};
  for (const [key, value] of Object.entries(want)) {
    s.cells++;
    if (!(key in got.figures)) {
      s.missing++;
      s.problems.push(`${key}: missing (want ${value})`);
    } else if (got.figures[key] !== value) {
      s.wrong++;
      s.problems.push(`${key}: want ${value} got ${got.figures[key]}`);
    } else s.right++;
  }
  for (const key of Object.keys(got.figures)) {
    if (key in want) continue;
    s.extra++;
    s.extraKeys.push(key);
    s.problems.push(`${key}: not in expected (got ${got.figures[key]})`);
  }
  if (expected.mustWarn && got.warnings.length === 0) {
    s.warningAbsent = true;
    s.problems.push('mustWarn: no warning given');
  }
  return s;
}

export interface EvalTotals {
  reports: number;
  exact: number;
  failedToParse: number;
  cells: number;
  right: number;
  wrong: number;
  missing: number;
  extra: number;
  meta: number;
  metaRight: number;
  warningsAbsent: number;
}

export function emptyTotals(): EvalTotals {
  return {
    reports: 0,
    exact: 0,
    failedToParse: 0,
    cells: 0,
    right: 0,
    wrong: 0,
    missing: 0,
    extra: 0,
    meta: 0,
    metaRight: 0,
    warningsAbsent: 0,
  };
}

export function addScore(t: EvalTotals, s: CaseScore): void {
  t.reports++;
  if (s.problems.length === 0) t.exact++;
  t.cells += s.cells;
  t.right += s.right;
  t.wrong += s.wrong;
  t.missing += s.missing;
  t.extra += s.extra;
  t.meta += s.meta;
  t.metaRight += s.metaRight;
  if (s.warningAbsent) t.warningsAbsent++;
}

const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');

/** The two closing lines (the same wording as the scorer the expected files were first checked with). */
export function formatTotals(t: EvalTotals): string[] {
  return [
    `cells right ${t.right}/${t.cells} (${pct(t.right, t.cells)}%), wrong ${t.wrong}, missing ${t.missing}, not in expected ${t.extra}; ` +
      `metadata right ${t.metaRight}/${t.meta}; required warnings absent ${t.warningsAbsent}` +
      (t.failedToParse ? `; failed to parse ${t.failedToParse}` : ''),
    `reports exact ${t.exact}/${t.reports} (${pct(t.exact, t.reports)}%)`,
  ];
}

/** A run passes when nothing stated is wrong or missing, metadata is right and required warnings are there. */
export const evalPassed = (t: EvalTotals): boolean =>
  t.wrong === 0 && t.missing === 0 && t.metaRight === t.meta && t.warningsAbsent === 0 && t.failedToParse === 0;
