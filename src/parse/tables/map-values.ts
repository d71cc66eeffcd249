// One record's value cells → named columns, by the recover/flag rules of docs/report-formats.md §6:
// exactly N numbers → in order; a row whose cells survived as positions → by position or by the header grid;
// missing cells plus any other defect → the whole row is lost.
import type { ValueRecord } from './records.ts';
import { isUnread, numbersOf } from './records.ts';

export type HeaderGrid = {
  /** Cell position → column, from the header rows of a tab/pipe table. */
  byPos: Map<number, string>;
  /** Cells on the header row that carries the value columns (for the cell-count match). */
  cellCount: number;
};

export type Mapped =
  | {
      ok: true;
      values: Record<string, number>;
      blanks: string[];
      notes: string[];
      money: Record<string, '元' | '万元' | null>;
      /** Columns whose cell holds a value that could not be read (UNREAD_CELL): absent, to be named in a warning. */
      unread: string[];
    }
  | { ok: false; reason: string };

/**
 * A cell holding two digit runs (`47 91`) in a row whose cell count is exactly right is one number split by the
 * text layer (docs/report-formats.md §6d: digit groups split by a space). More parts, a first part that is 0 (no
 * number starts with 0), or a wrong cell count stay a defect: that is glued cells (`1 1 0 0 0 0 0 0`).
 */
function joinSplitNumbers(r: ValueRecord, W: number): ValueRecord {
  if (!r.multi || r.mode === 'space') return r;
  const slots = r.slots.filter((s) => s.reading.kind !== 'text');
  if (slots.length !== W) return r;
  const joinable = (s: (typeof slots)[number]) =>
    s.reading.kind !== 'multi' || (s.reading.values.length === 2 && /^[1-9]\d*\s+\d+(?:\.\d+)?$/.test(s.text.replace(/\s+/g, ' ').trim()));
  if (!slots.every(joinable)) return r;
  return {
    ...r,
    multi: false,
    joined: true,
    slots: r.slots.map((s) => {
      if (s.reading.kind !== 'multi') return s;
      const text = s.text.replace(/\s+/g, '');
      return { ...s, text, reading: { kind: 'number', value: Number(text), money: null, approx: false } };
    }),
  };
}

const hasCells = (r: ValueRecord) => r.mode === 'tab' || r.mode === 'pipe' || r.mode === 'plain';

/**
 * Map a record onto `columns` (in printed order). `grid` aligns rows whose empty cells survived as positions.
 */
export function mapValues(record: ValueRecord, columns: string[], grid: HeaderGrid | null): Mapped {
  let r = record;
  const W = columns.length;
  r = joinSplitNumbers(r, W);
  const nums = numbersOf(r);
  const defects: string[] = [];
  if (r.multi) defects.push('several numbers in one cell');
  if (r.debris.length) defects.push(`text where numbers belong (${r.debris.join(' ')})`);
  if (r.dupLabel) defects.push('duplicated label fragments');

  const money: Record<string, '元' | '万元' | null> = {};
  const build = (pairs: Array<[string, (typeof r.slots)[number]]>, notes: string[]): Mapped => {
    const values: Record<string, number> = {};
    const blanks: string[] = [];
    const unread: string[] = [];
    for (const [col, slot] of pairs) {
      if (isUnread(slot.text)) unread.push(col);
      if (slot.reading.kind === 'number') {
        values[col] = slot.reading.value;
        money[col] = slot.reading.money;
      } else if (slot.reading.kind === 'blank') blanks.push(col);
    }
    return { ok: true, values, blanks, notes, money, unread };
  };

  // Debris holding digits may be the rest of a split number: then even a full count is not trusted.
  const numericDebris = r.debris.some((d) => /\d/.test(d));
  const joinedNote = r.joined ? ['a number split by a space was joined'] : [];
  if (nums.length === W && !r.multi && !numericDebris) {
    return build(
      columns.map((c, k) => [c, nums[k]]),
      defects.length ? [...joinedNote, `read in order despite ${defects.join(', ')}`] : joinedNote,
    );
  }
  if (defects.length) return { ok: false, reason: `${nums.length} of ${W} values and ${defects.join(', ')}` };

  // Unread cells keep their column's place; build() leaves them out.
  const slots = r.slots.filter((s) => s.reading.kind !== 'text' || isUnread(s.text));
  // Space-laid-out text keeps only explicit blank marks (`—`), so a full count there is aligned too.
  if ((hasCells(r) || r.mode === 'space') && slots.length === W)
    return build(
      columns.map((c, k) => [c, slots[k]]),
      [],
    );

  if (grid && (r.mode === 'tab' || r.mode === 'pipe') && r.cellCount === grid.cellCount) {
    const pairs: Array<[string, (typeof slots)[number]]> = [];
    const notes: string[] = [];
    for (const s of slots) {
      const col = grid.byPos.get(s.pos);
      if (col && columns.includes(col)) pairs.push([col, s]);
      else if (s.reading.kind === 'number' && s.reading.value !== 0) notes.push(`value ${s.text} under a column with no header dropped`);
    }
    const covered = new Set(pairs.map(([c]) => c));
    // Columns the row has no cell for at all (not even an empty one) stay lost, not blank.
    if (covered.size > 0) return build(pairs, [...notes, 'aligned by the header grid']);
  }

  if (hasCells(r)) {
    let end = slots.length;
    while (end > 0 && slots[end - 1].reading.kind === 'blank' && slots[end - 1].text === '') end--;
    if (end === W)
      return build(
        columns.map((c, k) => [c, slots[k]]),
        [],
      );
  }
  return { ok: false, reason: `${nums.length} values for ${W} columns` };
}
