// Table 四 (行政复议、行政诉讼): 15 values in one row, or three groups of 5 (separate tables, or transposed
// as 3 rows × 5 columns), each group named by its label or the heading before it.
import { REVIEW_GROUPS, REVIEW_SUFFIXES } from '../../schema/figure-keys.ts';
import { matchReviewGroup, reviewColumnsInText, squash, type ReviewGroupKey } from './labels.ts';
import { mapValues, type HeaderGrid } from './map-values.ts';
import { numbersOf, walkLines, type TextLine } from './records.ts';
import { splitLine } from './split-cells.ts';

export type ReviewResult = { found: boolean; figures: Record<string, number>; blanks: string[]; unread: string[]; warnings: string[] };

const ALL_KEYS = REVIEW_GROUPS.flatMap((g) => REVIEW_SUFFIXES.map((s) => `${g}.${s}`));

function reviewGrid(texts: TextLine[]): HeaderGrid | null {
  const positions = new Set<number>();
  let best = { count: 0, cells: 0 };
  for (const t of texts) {
    if (t.mode !== 'tab' && t.mode !== 'pipe') continue;
    let count = 0;
    t.cells.forEach((c, pos) => {
      if (reviewColumnsInText(c).length === 1) {
        positions.add(pos);
        count++;
      }
    });
    if (count > best.count) best = { count, cells: t.cells.length };
  }
  if (positions.size !== ALL_KEYS.length) return null;
  const byPos = new Map<number, string>();
  [...positions].sort((a, b) => a - b).forEach((p, k) => byPos.set(p, ALL_KEYS[k]));
  return { byPos, cellCount: best.cells };
}

/** Suffix order printed in a group's header text, when it names all five. */
function suffixOrder(text: string): string[] {
  const found = reviewColumnsInText(text);
  const distinct = [...new Set(found)];
  return found.length === 5 && distinct.length === 5 ? distinct : [...REVIEW_SUFFIXES];
}

export function readReview(lines: string[], from: number, to: number): ReviewResult {
  const out: ReviewResult = { found: false, figures: {}, blanks: [], unread: [], warnings: [] };
  const walk = walkLines(lines, from, to);
  const rows = walk.records.filter((r) => r.slots.filter((s) => s.reading.kind !== 'text').length >= 4);
  if (!rows.length) return out;
  const put = (values: Record<string, number>, blanks: string[]) => {
    Object.assign(out.figures, values);
    out.blanks.push(...blanks);
    out.found = true;
  };

  // One row of 15 (or 16 with a headless trailing column).
  let wide = rows.find((r) => numbersOf(r).length >= 10 || r.slots.length >= 15);
  // Exactly one empty label field and 15 value fields (a layout rebuilt from a PDF writes the label column even
  // when the table has none): leading empty fields after the first are blank values, not more label columns.
  if (wide && wide.mode === 'tab' && wide.label === '' && wide.cellCount === ALL_KEYS.length + 1) {
    const cells = splitLine(lines[wide.line])?.cells ?? [];
    if (cells.length === ALL_KEYS.length + 1 && cells[0].text === '') {
      wide = { ...wide, slots: cells.slice(1).map((c, k) => ({ reading: c.reading, text: c.text, pos: k + 1 })) };
    }
  }
  if (wide) {
    const grid = reviewGrid(walk.texts.filter((t) => t.line < wide.line));
    const m = mapValues(wide, ALL_KEYS, grid);
    if (m.ok) {
      for (const n of m.notes) out.warnings.push(`table_damaged: review: ${n}`);
      out.unread.push(...m.unread);
      put(m.values, m.blanks);
    } else out.warnings.push(`table_damaged: review/litigation: ${m.reason}; table 四 absent`);
    return out;
  }

  // Groups of five, named by label or heading; unnamed groups only in template order and only all three.
  const named = new Map<ReviewGroupKey, (typeof rows)[number]>();
  const unnamed: typeof rows = [];
  for (const r of rows) {
    let g = matchReviewGroup(r.label);
    if (!g) for (let k = r.preText.length - 1; k >= 0 && !g; k--) g = matchReviewGroup(r.preText[k]);
    if (g && !named.has(g)) named.set(g, r);
    else unnamed.push(r);
  }
  let pairs: Array<[ReviewGroupKey, (typeof rows)[number]]> = [...named.entries()];
  if (named.size === 0 && unnamed.length === 3) {
    pairs = REVIEW_GROUPS.map((g, k) => [g, unnamed[k]]);
    out.warnings.push('row_placed_by_position: review/litigation groups unnamed; read in template order');
  } else if (unnamed.length) {
    out.warnings.push(`table_damaged: review: ${unnamed.length} unnamed row(s) of table 四 dropped`);
  }
  for (const [g, r] of pairs) {
    const header = squash(r.preText.join(''));
    const cols = suffixOrder(header).map((s) => `${g}.${s}`);
    const m = mapValues(r, cols, null);
    if (!m.ok) {
      out.warnings.push(`table_damaged: ${g}: ${m.reason}; row absent`);
      continue;
    }
    out.unread.push(...m.unread);
    put(m.values, m.blanks);
  }
  return out;
}
