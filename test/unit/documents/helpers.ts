// Reads value cells back from body text by template position, independently of src/parse: the k-th
// table line that carries numbers is the k-th template row, and its last N cells are that row's values.
// This checks what extraction promises (rows stay rows, cells stay in their columns, blanks stay blank).
import {
  ACTIVE_2019,
  ACTIVE_2021,
  APPLICANT_COLUMNS,
  APPLICATION_ROWS_2019,
  APPLICATION_ROWS_2021,
  REVIEW_GROUPS,
  REVIEW_SUFFIXES,
} from '../../../src/schema/figure-keys.ts';

export { reportFixture as fixturePath, readReportJson as readJson } from '../../fixtures/index.ts';

const NUM = /^[-+]?\d[\d,]*(\.\d+)?$/;
export const isNumberCell = (c: string) => NUM.test(c.replace(/\s/g, ''));
export const numberOf = (c: string) => Number(c.replace(/[\s,]/g, ''));

/** Template rows in print order, each with the figure keys of its value cells (left to right). */
export function templateRows(format: '2019' | '2021', sixRows: 'single' | 'split' = format === '2019' ? 'single' : 'split'): string[][] {
  const active = (format === '2019' ? ACTIVE_2019 : ACTIVE_2021).map(([p, cols]) => cols.map((c) => `${p}.${c}`));
  const appRows = sixRows === 'single' ? APPLICATION_ROWS_2019 : APPLICATION_ROWS_2021;
  const apps = appRows.map((r) => APPLICANT_COLUMNS.map((c) => `applications.${r}.${c}`));
  const review = [REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => `${g}.${s}`))];
  return [...active, ...apps, ...review];
}

/** Tab rows that hold at least one number, in body order. */
export function numericRows(body: string): string[][] {
  return body
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => l.split('\t'))
    .filter((cells) => cells.some(isNumberCell));
}

export type CellScore = { total: number; right: number; wrong: string[] };

/**
 * Scores the value cells of `figures` against the body. A key absent from figures expects a blank
 * cell. Each template row is matched to the next numeric row; its last N cells are its values.
 */
export function scoreCells(
  body: string,
  figures: Record<string, number>,
  rows: string[][],
  only: (key: string) => boolean = () => true,
): CellScore {
  const lines = numericRows(body);
  const score: CellScore = { total: 0, right: 0, wrong: [] };
  rows.forEach((keys, i) => {
    const line = lines[i] ?? [];
    const cells = line.slice(Math.max(0, line.length - keys.length));
    keys.forEach((k, j) => {
      if (!only(k)) return;
      const cell = (cells[j] ?? '').trim();
      const want = figures[k];
      score.total++;
      const ok = want === undefined ? cell === '' : isNumberCell(cell) && numberOf(cell) === want;
      if (ok) score.right++;
      else score.wrong.push(`${k}: want ${want ?? 'blank'}, got ${JSON.stringify(cell)}`);
    });
  });
  return score;
}
