import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from '../parse/parse-file.ts';
import type { ParseResult } from '../schema/parse-result.ts';
import { caseName, findExpectedFiles, loadCase, type EvalCase } from './expected.ts';
import { addScore, emptyTotals, scoreParse, type CaseScore, type EvalTotals } from './score.ts';

export * from './expected.ts';
export * from './score.ts';

export interface CaseOutcome {
  case: EvalCase;
  name: string;
  score: CaseScore;
  result?: ParseResult;
  /** Set when the parser threw: the report counts as failed, every expected cell as missing. */
  error?: string;
}

export interface EvaluateOptions {
  /** Only reports whose file has this extension (`pdf`). */
  ext?: string;
  onCase?: (outcome: CaseOutcome) => void;
}

/** Parses every report that has an expected file in `dirs`, in this process, and scores it. */
export async function evaluate(dirs: string[], opts: EvaluateOptions = {}): Promise<{ totals: EvalTotals; outcomes: CaseOutcome[] }> {
  const totals = emptyTotals();
  const outcomes: CaseOutcome[] = [];
  const ext = opts.ext?.replace(/^\./, '').toLowerCase();
  for (const path of findExpectedFiles(dirs)) {
    const c = loadCase(path);
    if (ext && extname(c.sourcePath).slice(1).toLowerCase() !== ext) continue;
    let outcome: CaseOutcome;
    try {
      const result = await parseDocument(new Uint8Array(readFileSync(c.sourcePath)), { filename: caseName(c) });
      outcome = { case: c, name: caseName(c), score: scoreParse(c.expected, result), result };
    } catch (e) {
      const error = (e as Error).message.split('\n')[0];
      const score = scoreParse(
        { ...c.expected, isReport: undefined, year: undefined, region: undefined, format: undefined },
        emptyResult(),
      );
      score.problems.unshift(`error: ${error}`);
      outcome = { case: c, name: caseName(c), score, error };
      totals.failedToParse++;
    }
    addScore(totals, outcome.score);
    outcomes.push(outcome);
    opts.onCase?.(outcome);
  }
  return { totals, outcomes };
}

function emptyResult(): ParseResult {
  return {
    isReport: false,
    title: null,
    year: null,
    region: { name: null, code: null },
    issuer: null,
    publishedAt: null,
    format: 'unknown',
    figures: {},
    checks: [],
    warnings: ['parse failed'],
  };
}
